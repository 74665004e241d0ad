#pragma once
// TargetStateMachine: turns raw poll observations into the states the console shows, with
// flap control, and decides when a change deserves a desktop notification.
//
// Rules (per target, FlapPolicy from its TargetConfig):
// - "good" observations are Up and Degraded; every other state is "bad".
// - The first observation after Unknown is shown at once (there is nothing to protect).
// - A good target turns bad only after `failuresToDown` consecutive bad observations, and a
//   bad one turns good only after `successesToUp` consecutive good ones; until then the
//   shown state is held (the snapshot still carries the fresh documents). Up<->Degraded and
//   changes among bad states (Down -> Unreachable) are shown at once.
// - Raw good<->bad changes are counted over `flapWindow`; at `flapChanges` the target is
//   flapping: it is held in its bad state with the flapping flag set instead of alternating,
//   until the changes in the window fall to half the threshold.
// - notificationDue fires on a shown state change or on flapping starting, at most once per
//   target per `notifyMinInterval` (flapping starting bypasses the limit once).
// All times come from the snapshots' polledAt, so behaviour is deterministic and testable.
// Not thread-safe: use from one thread (the Poller's).

#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QHash>
#include <QObject>

#include <deque>

namespace healthdeck {

class TargetStateMachine : public QObject {
  Q_OBJECT
public:
  explicit TargetStateMachine(QObject* parent = nullptr);

  /// Sets the policy used for `targetId` (default FlapPolicy{} otherwise).
  void setPolicy(const QString& targetId, const FlapPolicy& policy);
  /// Forgets a target's history (it was removed or reconfigured).
  void reset(const QString& targetId);

  /// Feeds one raw observation; returns (and emits snapshotChanged with) what to show.
  TargetSnapshot observe(const TargetSnapshot& raw);

  /// The last shown snapshot of a target (state Unknown if never observed).
  TargetSnapshot current(const QString& targetId) const;

Q_SIGNALS:
  /// Every observation, after flap control.
  void snapshotChanged(const healthdeck::TargetSnapshot& shown);
  /// The shown state (or the flapping flag) changed.
  void stateChanged(const QString& targetId, healthdeck::TargetState from,
                    healthdeck::TargetState to);
  /// A change the admin should hear about (rate-limited per target).
  void notificationDue(const healthdeck::TargetSnapshot& shown, const QString& title);

private:
  struct Track {
    FlapPolicy policy;
    TargetSnapshot shown;
    int consecutiveBad = 0;
    int consecutiveGood = 0;
    bool lastRawGood = true;
    bool hasRaw = false;
    std::deque<QDateTime> changes; ///< raw good<->bad changes inside the window
    QDateTime lastNotified;
  };
  Track& track(const QString& targetId);
  void notify(Track& t, const TargetSnapshot& shown, const QString& title, bool bypassLimit);

  QHash<QString, Track> m_tracks;
  QHash<QString, FlapPolicy> m_policies;
};

} // namespace healthdeck
