#pragma once
// HistoryView: one server's history over a chosen range (24 h, 7 d, 30 d, 90 d) — uptime with
// the observed share, a status strip (an hour or a day per cell, worst state, grey gaps), a
// latency chart with the p50 line and the p50–p95 band (Qt Charts; a gap breaks the band), the
// uptime outside maintenance, per component, the maintenance windows and acknowledgements of
// the range, and the state changes of the range with their evidence. All of it plain text. Asks the
// HistoryReader (worker thread) and draws the answer; never touches the database itself.

#include "healthdeck/client/store/history_reader.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace healthdeck {

class EvidencePanel;
class HistoryEventModel;
class StatusStrip;

class HistoryView : public QWidget {
  Q_OBJECT
public:
  explicit HistoryView(HistoryReader& reader, QWidget* parent = nullptr);

  void setTarget(const QString& serverKey, const QString& name);
  QString serverKey() const { return m_key; }
  /// 0: 24 h, 1: 7 d, 2: 30 d, 3: 90 d.
  void setRangeIndex(int index);
  /// Asks again (the session calls it when new history has been written).
  void refresh();

  StatusStrip* strip() const { return m_strip; }
  QLabel* uptimeLabel() const { return m_uptime; }
  QLabel* componentsLabel() const { return m_components; }
  QLabel* annotationsLabel() const { return m_annotations; }
  HistoryEventModel* eventModel() const { return m_events; }
  EvidencePanel* evidence() const { return m_evidence; }
  QTableView* eventView() const { return m_eventView; }
  /// Series in the latency chart (segments between gaps, bands and lines), for tests.
  int chartSeriesCount() const;

Q_SIGNALS:
  /// An answer was drawn.
  void historyShown(const QString& serverKey);

private:
  void showHistory(const ServerHistory& history);
  void showLatency(const ServerHistory& history);
  void showComponentsAndAnnotations(const ServerHistory& history);

  HistoryReader& m_reader;
  QString m_key;
  QString m_name;
  QComboBox* m_range = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_uptime = nullptr;
  QLabel* m_components = nullptr;  ///< per-component uptime of the range
  QLabel* m_annotations = nullptr; ///< maintenance and acknowledgements of the range
  StatusStrip* m_strip = nullptr;
  QChart* m_chart = nullptr;
  QChartView* m_chartView = nullptr;
  HistoryEventModel* m_events = nullptr;
  QTableView* m_eventView = nullptr;
  EvidencePanel* m_evidence = nullptr;
};

} // namespace healthdeck
