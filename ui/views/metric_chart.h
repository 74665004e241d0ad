#pragma once
// MetricChart: the detail chart (Qt Charts) of one target's key metrics — several series on a
// date-time axis over a chosen time range, values on hover (tooltip), and export to PNG (the
// rendered widget) and CSV (UTC ISO-8601 time, one column per metric, base units, empty cells
// for gaps). A gap in a history (NaN) breaks the line. Reads the MetricsHub's rings and
// redraws when the target's metrics update. With nothing to draw it shows a hint and hides the
// axes rather than re-laying them out for every selected server (a Qt Charts axis relayout is
// ~15-30 ms of the GUI thread).

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QDateTimeAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace healthdeck {

class MetricsHub;

class MetricChart : public QWidget {
  Q_OBJECT
public:
  explicit MetricChart(MetricsHub& hub, QWidget* parent = nullptr);

  void setTargetId(const QString& targetId);
  /// setTargetId() and setMetrics() with one redraw (selecting another server).
  void setTarget(const QString& targetId, const QStringList& metricIds);
  /// The key metric ids drawn (in legend order); unknown ids are kept and drawn once present.
  void setMetrics(const QStringList& metricIds);
  QStringList metrics() const { return m_metrics; }
  void addMetric(const QString& metricId);
  /// Visible time range in seconds back from the latest point; 0 = everything kept.
  void setRangeSeconds(int seconds);

  /// Series (line segments included) currently in the chart, for tests.
  int seriesCount() const;
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  /// The CSV text exportCsv() writes.
  QString csv() const;

private:
  void rebuild();

  MetricsHub& m_hub;
  QString m_targetId;
  QStringList m_metrics;
  int m_rangeSeconds = 900;
  QChart* m_chart = nullptr;
  QChartView* m_view = nullptr;
  QDateTimeAxis* m_x = nullptr;
  QValueAxis* m_y = nullptr;
  QComboBox* m_range = nullptr;
  QLabel* m_hint = nullptr;
  bool m_empty = false; ///< nothing drawn: the axes are hidden and left as they are
};

} // namespace healthdeck
