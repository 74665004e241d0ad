#pragma once
// TargetStore: what the console currently knows about every target — the configured list (in
// display order), the last shown snapshot of each, a bounded history of polls, when each
// component last changed status, and the event log of shown-state transitions, persisted to a
// JSON-lines file so it survives restarts.
//
// It is fed by a *source* (the Poller today, a Prometheus source later) through
// applySnapshot() (one live change → snapshotUpdated) or applySnapshots() (a whole new picture
// → snapshotsReset); it never talks to the network itself. Models observe its signals.
// Not thread-safe: use from the GUI thread. Times are UTC QDateTime taken from the snapshots,
// so behaviour is deterministic under test.

#include "healthdeck/client/store/target_event.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"
#include "healthdeck/health/status.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <array>
#include <chrono>
#include <deque>

namespace healthdeck {

class TargetStore : public QObject {
  Q_OBJECT
public:
  static constexpr int kStateCount = 7; ///< TargetState values, Up..Unknown

  struct HistoryPoint {
    QDateTime at;
    TargetState state = TargetState::Unknown;
    bool flapping = false;
    std::chrono::milliseconds latency{0};
  };

  struct Limits {
    int historyPerTarget = 360; ///< polls kept per target (90 min at 15 s)
    int events = 2000;          ///< transitions kept in memory and in the file
  };

  explicit TargetStore(QObject* parent = nullptr);
  explicit TargetStore(Limits limits, QObject* parent = nullptr);
  ~TargetStore() override;

  // Targets (structure changes: every one emits targetsReset).
  void setTargets(const QList<TargetConfig>& targets);
  /// Replaces the target with the same id in place, or appends it.
  void upsertTarget(const TargetConfig& target);
  void removeTarget(const QString& targetId);
  /// Moves a target to `newIndex` in the display order (clamped).
  void moveTarget(const QString& targetId, int newIndex);
  const QList<TargetConfig>& targets() const { return m_targets; }
  /// Null when unknown; valid until the next structure change.
  const TargetConfig* target(const QString& targetId) const;
  int indexOf(const QString& targetId) const;

  // Snapshots.
  /// A live change: records history, component times and (when the shown state or the
  /// flapping flag changed) an event; emits snapshotUpdated. Unknown target ids are ignored.
  void applySnapshot(const TargetSnapshot& snapshot);
  /// A whole new picture (e.g. a Prometheus query result): same bookkeeping for each, then one
  /// snapshotsReset instead of many snapshotUpdated.
  void applySnapshots(const QList<TargetSnapshot>& snapshots);
  /// The last snapshot of a target; state Unknown with the generic sentence if none yet.
  TargetSnapshot snapshot(const QString& targetId) const;
  /// The last snapshot of a target without copying it (views read it per cell and role);
  /// null when none yet. Valid until the target's next snapshot or a structure change.
  const TargetSnapshot* findSnapshot(const QString& targetId) const;
  const std::deque<HistoryPoint>& history(const QString& targetId) const;
  /// When the component at `path` of `probe` got its current status (invalid if never seen).
  QDateTime componentSince(const QString& targetId, Probe probe, const QStringList& path) const;

  // Freshness (issue 12; decided by FreshnessMonitor). A stale target's last snapshot is kept
  // but must never be shown as current. A new snapshot makes it fresh again.
  /// Marks a target stale or fresh; emits staleChanged and snapshotUpdated when it changes.
  void setStale(const QString& targetId, bool stale);
  bool isStale(const QString& targetId) const;
  int staleCount() const;
  /// Current (not stale, not flapping) targets whose 404 reads "Not found" (isNotFound()); the
  /// status bar counts them apart from the other Disabled ones.
  int notFoundCount() const;

  // Aggregates.
  /// Targets per shown state, indexed by TargetState; flapping targets counted in their state,
  /// stale targets in none (see staleCount()).
  std::array<int, kStateCount> stateCounts() const;
  int flappingCount() const;
  /// The worst shown state over all targets (Unknown when there are none; stale = Unknown).
  TargetState worstState() const;
  bool anyFlapping() const;

  // Event log.
  /// Loads the events in `path` (if it exists) and appends every new event to it. Returns
  /// false with `error` set when the file exists but cannot be read, or the directory cannot
  /// be created; the log then stays in memory only.
  bool openEventLog(const QString& path, QString* error = nullptr);
  QString eventLogPath() const { return m_eventLogPath; }
  const std::deque<TargetEvent>& events() const { return m_events; }
  const Limits& limits() const { return m_limits; }
  /// The last write error of the event-log file, empty when fine.
  QString eventLogError() const { return m_eventLogError; }

  /// How long count changes are gathered before stateCountsChanged (default 100 ms).
  void setCountsCoalesceInterval(int ms);

Q_SIGNALS:
  /// The per-state counts (stateCounts()) may have changed: emitted once per coalescing
  /// interval, after snapshots that changed a target's state or a new target list — not per
  /// snapshot. The status bar and the tray recount from it.
  void stateCountsChanged();
  void targetsReset();
  void snapshotUpdated(const QString& targetId);
  void snapshotsReset();
  void eventRecorded(const healthdeck::TargetEvent& event);
  void eventsReset();
  void staleChanged(const QString& targetId, bool stale);

private:
  void scheduleCounts();

  struct ComponentState {
    Status status = Status::Up;
    QDateTime since;
  };
  struct Entry {
    TargetSnapshot snapshot;
    bool hasSnapshot = false;
    bool stale = false;
    std::deque<HistoryPoint> history;
    QHash<QString, ComponentState> components; ///< key: probe letter + '/' + path
  };
  void record(const TargetSnapshot& snapshot);
  void appendEvent(const TargetEvent& event);
  void writeEventLine(const TargetEvent& event);
  void compactEventLog();

  void rebuildIndex();
  void count(const Entry& e, int sign);

  Limits m_limits;
  QList<TargetConfig> m_targets;
  QHash<QString, Entry> m_entries;
  // Kept up to date on every change: the window, the tray and the list ask for them on every
  // snapshot, and recounting (or a linear id search) per snapshot made each poll cost O(N)
  // on the GUI thread — 4,000 hash lookups per snapshot at 1,000 servers.
  QHash<QString, int> m_index;             ///< id → position in m_targets
  std::array<int, kStateCount> m_counts{}; ///< shown state per target (Unknown when none)
  int m_flapping = 0;
  int m_stale = 0;    ///< targets whose last answer is too old (in no m_counts state)
  int m_notFound = 0; ///< of m_counts' Disabled: those isNotFound()
  std::deque<TargetEvent> m_events;
  QString m_eventLogPath;
  QString m_eventLogError;
  int m_linesInFile = 0;
  QTimer m_countsTimer;
};

} // namespace healthdeck
