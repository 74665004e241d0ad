#pragma once
// EventLogModel: the store's event log, newest first, optionally for one target only.
// Columns: Time, Server, Change, Details. Roles (item_roles.h): TargetIdRole, StateRole (the new
// state), FlappingRole, SeverityRole, SortRole, TimeRole, SentenceRole.
// New events are inserted at the top (rowsInserted); loading a log file resets.

#include "healthdeck/client/store/target_event.h"

#include <QAbstractTableModel>

#include <deque>

namespace healthdeck {

class TargetStore;

class EventLogModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { TimeColumn, ServerColumn, ChangeColumn, DetailsColumn, ColumnCount };

  explicit EventLogModel(TargetStore& store, QObject* parent = nullptr);

  /// Only events of `targetId`; empty shows all targets.
  void setTargetFilter(const QString& targetId);
  /// Rows kept (oldest dropped first); default the store's own limit.
  void setMaximumRows(int rows);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  bool accepts(const TargetEvent& e) const;
  void reload();
  void onEventRecorded(const TargetEvent& e);

  TargetStore& m_store;
  QString m_filter;
  int m_maxRows = 2000;
  std::deque<TargetEvent> m_rows; ///< newest first
};

} // namespace healthdeck
