#pragma once
// TargetListModel: the server list as a tree, groups → targets, over a TargetStore.
// Columns: Name, State, Latency. Group rows carry the worst state of their members.
// Roles: see item_roles.h (TargetIdRole, StateRole, FlappingRole, SeverityRole, SortRole,
// SentenceRole, IsGroupRole, LatencyRole, TimeRole, UrlRole, CountRole).
// Updates: a structure change or a new snapshot list resets the model; a live snapshot marks its
// row dirty and a short single-shot timer coalesces dirty rows into targeted dataChanged signals
// (one per dirty row plus its group), so 200 targets polled every second cost a handful of
// repaints, not a flood.

#include <QAbstractItemModel>
#include <QSet>
#include <QTimer>

namespace healthdeck {

class TargetStore;

class TargetListModel : public QAbstractItemModel {
  Q_OBJECT
public:
  enum Column { NameColumn, StateColumn, LatencyColumn, ColumnCount };

  explicit TargetListModel(TargetStore& store, QObject* parent = nullptr);

  /// How long live changes are coalesced (default 100 ms; 0 = next event-loop turn).
  void setCoalesceInterval(int ms) { m_timer.setInterval(ms); }
  /// Delivers pending live changes now (tests, and before a screenshot).
  void flushPendingChanges();

  QModelIndex indexForTarget(const QString& targetId, int column = 0) const;
  QString groupName(int groupRow) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

private:
  struct Group {
    QString name;
    QList<int> targets; ///< indexes into store.targets()
  };
  void rebuild();
  void onSnapshotUpdated(const QString& targetId);
  QVariant groupData(int groupRow, int column, int role) const;
  QVariant targetData(int targetIndex, int column, int role) const;

  TargetStore& m_store;
  QList<Group> m_groups;
  QSet<QString> m_pending;
  QTimer m_timer;
};

} // namespace healthdeck
