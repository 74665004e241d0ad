#pragma once
// TargetEvent: one shown-state transition of a target, as kept in the event log and persisted
// across restarts (one JSON object per line). Plain value type.

#include "healthdeck/client/target_snapshot.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace healthdeck {

struct TargetEvent {
  QDateTime at; ///< UTC, the poll that caused the change
  QString targetId;
  QString targetName; ///< name at the time, so the log reads well after a rename or removal
  TargetState from = TargetState::Unknown;
  TargetState to = TargetState::Unknown;
  bool flapping = false;
  /// The Disabled side was a 404 from a server not known to run the module (isNotFound()):
  /// it reads "Not found", not "Disabled".
  bool fromNotFound = false;
  bool toNotFound = false;
  QString sentence;

  QJsonObject toJson() const;
  /// nullopt when `o` lacks a time, a target id or a known state.
  static std::optional<TargetEvent> fromJson(const QJsonObject& o);
  /// "Up → Degraded", "Down (flapping)", "Up → Not found".
  QString changeText() const;
};

} // namespace healthdeck
