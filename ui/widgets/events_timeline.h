#pragma once
// EventsTimeline: the Events tab — every stored state change, newest first, filtered by server,
// new state and time range; selecting one shows its evidence (EvidencePanel, with "Copy as
// curl"). Reads through the HistoryReader (worker thread); the state filter is a proxy over
// the answer, so changing it costs no query.

#include "healthdeck/client/store/history_reader.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace healthdeck {

class EvidencePanel;
class HistoryEventModel;

class EventsTimeline : public QWidget {
  Q_OBJECT
public:
  explicit EventsTimeline(HistoryReader& reader, QWidget* parent = nullptr);

  /// The servers offered in the filter (key → name), in this order.
  void setServers(const QList<QPair<QString, QString>>& servers);
  void setServerFilter(const QString& serverKey);
  /// Only changes *to* this state; -1: all.
  void setStateFilter(int state);
  /// 0: 24 h, 1: 7 d, 2: 30 d, 3: 90 d.
  void setRangeIndex(int index);
  void refresh();

  HistoryEventModel* model() const { return m_model; }
  QSortFilterProxyModel* proxy() const { return m_proxy; }
  QTableView* view() const { return m_view; }
  EvidencePanel* evidence() const { return m_evidence; }

Q_SIGNALS:
  void eventsShown(int rows);

private:
  HistoryReader& m_reader;
  QComboBox* m_server = nullptr;
  QComboBox* m_state = nullptr;
  QComboBox* m_range = nullptr;
  QLabel* m_count = nullptr;
  HistoryEventModel* m_model = nullptr;
  QSortFilterProxyModel* m_proxy = nullptr;
  QTableView* m_view = nullptr;
  EvidencePanel* m_evidence = nullptr;
};

} // namespace healthdeck
