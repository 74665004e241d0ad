#include "healthdeck/ui/widgets/target_metrics_view.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_summary_model.h"
#include "healthdeck/ui/views/metric_chart.h"
#include "healthdeck/ui/widgets/key_metrics_widget.h"
#include "healthdeck/ui/widgets/metric_explorer_widget.h"
#include "healthdeck/ui/widgets/scrape_status_widget.h"

#include <QGroupBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace healthdeck {

TargetMetricsView::TargetMetricsView(MetricsHub& hub, QWidget* parent)
    : QWidget(parent), m_hub(hub) {
  m_summary = new MetricSummaryModel(hub, this);
  m_keysBox = new QGroupBox(QStringLiteral("Key metrics"), this);
  m_keys = new KeyMetricsWidget(*m_summary, m_keysBox);
  auto* kl = new QVBoxLayout(m_keysBox);
  kl->addWidget(m_keys);
  m_chart = new MetricChart(hub, this);
  m_explorer = new MetricExplorerWidget(hub, this);
  m_status = new ScrapeStatusWidget(hub, this);
  m_tabs = new QTabWidget(this);
  m_tabs->addTab(m_chart, QStringLiteral("Chart"));
  m_tabs->addTab(m_explorer, QStringLiteral("Metrics explorer"));
  m_tabs->addTab(m_status, QStringLiteral("Scrape status"));
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(m_keysBox);
  l->addWidget(m_tabs, 1);

  connect(m_keys, &KeyMetricsWidget::metricActivated, this, [this](const QString& id) {
    m_chart->addMetric(id);
    m_tabs->setCurrentWidget(m_chart);
  });
  connect(m_keys, &KeyMetricsWidget::unpinRequested, this, [this](const QString& id) {
    if (id.startsWith(QLatin1String("pin:"))) m_hub.setPinned(m_targetId, id.mid(4), false);
  });
  connect(&m_hub, &MetricsHub::pinsChanged, this, [this](const QString& id) {
    if (id == m_targetId) chartPins();
  });
}

void TargetMetricsView::setTargetId(const QString& targetId) {
  m_targetId = targetId;
  m_summary->setTargetId(targetId);
  m_chart->setTarget(targetId, pinnedIds());
  m_explorer->setTargetId(targetId);
  m_status->setTargetId(targetId);
}

QStringList TargetMetricsView::pinnedIds() const {
  QStringList ids;
  for (const QString& key : m_hub.pins(m_targetId))
    ids.append(QStringLiteral("pin:") % key);
  return ids;
}

void TargetMetricsView::chartPins() {
  m_chart->setMetrics(pinnedIds());
}

} // namespace healthdeck
