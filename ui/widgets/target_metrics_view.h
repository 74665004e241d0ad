#pragma once
// TargetMetricsView: what the detail pane shows of a server's /metrics — the "Key metrics"
// block (tiles with value and sparkline) above tabs [Chart] [Metrics explorer]
// [Scrape status]. Clicking a tile charts it; pins (from the explorer) appear as tiles and are
// charted by default. Everything is read from the MetricsHub given to the constructor.

#include <QWidget>

class QTabWidget;
class QGroupBox;

namespace healthdeck {

class MetricsHub;
class MetricSummaryModel;
class KeyMetricsWidget;
class MetricChart;
class MetricExplorerWidget;
class ScrapeStatusWidget;

class TargetMetricsView : public QWidget {
  Q_OBJECT
public:
  explicit TargetMetricsView(MetricsHub& hub, QWidget* parent = nullptr);

  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }

  MetricSummaryModel* summaryModel() const { return m_summary; }
  KeyMetricsWidget* keyMetrics() const { return m_keys; }
  QGroupBox* keyMetricsBox() const { return m_keysBox; }
  MetricChart* chart() const { return m_chart; }
  MetricExplorerWidget* explorer() const { return m_explorer; }
  ScrapeStatusWidget* scrapeStatus() const { return m_status; }
  QTabWidget* tabs() const { return m_tabs; }

private:
  QStringList pinnedIds() const; ///< the target's pinned metrics as chart ids ("pin:<key>")
  void chartPins();

  MetricsHub& m_hub;
  QString m_targetId;
  MetricSummaryModel* m_summary = nullptr;
  QGroupBox* m_keysBox = nullptr;
  KeyMetricsWidget* m_keys = nullptr;
  QTabWidget* m_tabs = nullptr;
  MetricChart* m_chart = nullptr;
  MetricExplorerWidget* m_explorer = nullptr;
  ScrapeStatusWidget* m_status = nullptr;
};

} // namespace healthdeck
