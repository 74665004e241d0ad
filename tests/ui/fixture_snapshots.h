#pragma once
// Targets and snapshots covering every state the console shows, for window and model tests.

#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QList>

namespace healthdeck::testing {

QList<TargetConfig> fixtureTargets();
/// One snapshot per fixture target except "edge-2", which stays unknown (never polled).
QList<TargetSnapshot> fixtureSnapshots(const QDateTime& at);

} // namespace healthdeck::testing
