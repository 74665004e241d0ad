#pragma once
// TargetListModel: the server list as a tree, groups → targets, over a TargetStore.
// Columns: Name, State, Latency, Uptime (30 days, from the history database; set by
// setUptime; the tooltip has 24 h, 7 d and 30 d with the observed time). Group rows carry the
// worst state of their members.
// Roles: see item_roles.h (TargetIdRole, StateRole, FlappingRole, SeverityRole, SortRole,
// SentenceRole, IsGroupRole, LatencyRole, TimeRole, UrlRole, CountRole; triage: StaleRole,
// OverlayRole, TagsRole, GroupRole, StateWordsRole, AttentionRole) and, on the name column
// of target rows, metric_roles.h's SparklineRole and MetricStaleRole. A stale row reads "Stale" and
// "down, 14 min ago — no answer since"; a row in maintenance reads "Maintenance". Updates: a
// structure change or a new snapshot list resets the model; a live snapshot marks its row dirty and
// a short single-shot timer coalesces dirty rows into targeted dataChanged signals, one per run of
// adjacent dirty rows plus one per touched group, so 200 targets polled every second cost a
// handful of repaints and 5,000 rows changed at once cost one signal per group, not 5,000.
// Sparklines (SparklineRole, from a MetricsHub) have their own, slower coalescing: see
// setMetricsHub().

#include "healthdeck/client/store/history_reader.h"
#include "healthdeck/ui/models/two_level_tree_model.h"

#include <QSet>
#include <QTimer>

namespace healthdeck {

class MetricsHub;
class TargetStore;
class TriageState;

class TargetListModel : public TwoLevelTreeModel {
  Q_OBJECT
public:
  enum Column { NameColumn, StateColumn, LatencyColumn, UptimeColumn, ColumnCount };

  explicit TargetListModel(TargetStore& store, QObject* parent = nullptr);

  /// How long live changes are coalesced (default 100 ms; 0 = next event-loop turn).
  void setCoalesceInterval(int ms) { m_timer.setInterval(ms); }
  /// Where SparklineRole comes from (none: no sparklines). A scrape marks its row; marked rows
  /// get one dataChanged({SparklineRole}) per `sparklineIntervalMs` (default 1 s), so 200
  /// sparklines repaint at most once a second whatever the scrape rate.
  void setMetricsHub(const MetricsHub* hub, int sparklineIntervalMs = 1000);
  /// Delivers pending live changes now (tests, and before a screenshot).
  void flushPendingChanges();
  /// Acknowledgements, snoozes and maintenance shown in rows (overlays, words, sentence);
  /// null = none. Changes to it are coalesced like live snapshots.
  void setTriage(TriageState* triage);

  /// Uptime figures by target id (HistoryReader's answer); the Uptime column shows the 30-day
  /// share (SortRole: the share, -1 when nothing observed), the tooltip all periods.
  void setUptime(const QHash<QString, UptimeSet>& uptime);

  QModelIndex indexForTarget(const QString& targetId, int column = 0) const;
  QString groupName(int groupRow) const;

  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

protected:
  int parentCount() const override;
  int childCount(int parentRow) const override;
  int columns() const override { return ColumnCount; }
  QVariant parentData(int parentRow, int column, int role) const override {
    return groupData(parentRow, column, role);
  }
  QVariant childData(int parentRow, int childRow, int column, int role) const override;

private:
  struct Group {
    QString name;
    QList<int> targets; ///< indexes into store.targets()
  };
  struct Position {
    int group = -1;
    int row = -1;
  };
  void rebuild();
  void onSnapshotUpdated(const QString& targetId);
  QVariant groupData(int groupRow, int column, int role) const;
  QVariant targetData(int targetIndex, int column, int role) const;

  void flushSparklines();

  TargetStore& m_store;
  const MetricsHub* m_hub = nullptr;
  TriageState* m_triage = nullptr;
  QList<Group> m_groups;
  QList<Position> m_positions; ///< by index into store.targets(): where its row is
  QSet<QString> m_pending;
  QSet<QString> m_pendingSparklines;
  QHash<QString, UptimeSet> m_uptime;
  QTimer m_timer;
  QTimer m_sparklineTimer;
};

} // namespace healthdeck
