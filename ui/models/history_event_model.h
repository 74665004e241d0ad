#pragma once
// HistoryEventModel: a table of stored state changes (from the history database, through
// HistoryReader) for the Events timeline and the per-server history view. Columns: Time (local
// time; SortRole carries ms since epoch), Server, Change ("Up → Down"), What was said (the
// sentence). Roles: StateRole (int, the new TargetState; kNotObserved for gaps), TargetIdRole
// (server key), SortRole. A new answer resets the model; rows are value copies. Text from a
// server is returned as plain data, never markup.

#include "healthdeck/client/store/history_db.h"

#include <QAbstractTableModel>

#include <vector>

namespace healthdeck {

class HistoryEventModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { TimeColumn, ServerColumn, ChangeColumn, SentenceColumn, ColumnCount };

  explicit HistoryEventModel(QObject* parent = nullptr);

  /// Newest first.
  void setEvents(std::vector<history::StoredEvent> events);
  const history::StoredEvent* eventAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  std::vector<history::StoredEvent> m_events;
};

} // namespace healthdeck
