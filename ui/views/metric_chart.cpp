#include "healthdeck/ui/views/metric_chart.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/store/metrics_hub.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>
#include <map>

namespace healthdeck {

namespace {

const MetricsHub::KeyMetric* findMetric(const MetricsHub::TargetMetricsState* st,
                                        const QString& id) {
  if (!st) return nullptr;
  for (const auto& m : st->metrics)
    if (m.id == id) return &m;
  return nullptr;
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
      !s.contains(QLatin1Char('\n')))
    return s;
  QString q = s;
  q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') % q % QLatin1Char('"');
}

} // namespace

MetricChart::MetricChart(MetricsHub& hub, QWidget* parent) : QWidget(parent), m_hub(hub) {
  m_chart = new QChart;
  m_chart->legend()->setAlignment(Qt::AlignBottom);
  m_chart->setMargins(QMargins(4, 4, 4, 4));
  m_x = new QDateTimeAxis;
  m_x->setFormat(QStringLiteral("HH:mm:ss"));
  m_x->setTickCount(5);
  m_y = new QValueAxis;
  m_y->setLabelFormat(QStringLiteral("%.3g"));
  m_chart->addAxis(m_x, Qt::AlignBottom);
  m_chart->addAxis(m_y, Qt::AlignLeft);
  m_view = new QChartView(m_chart, this);
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setMinimumHeight(180);

  m_range = new QComboBox(this);
  for (const auto& [label, seconds] :
       {std::pair{"Last 5 min", 300}, std::pair{"Last 15 min", 900}, std::pair{"Last hour", 3600},
        std::pair{"Everything kept", 0}})
    m_range->addItem(QString::fromLatin1(label), seconds);
  m_range->setCurrentIndex(1);
  connect(m_range, &QComboBox::currentIndexChanged, this,
          [this] { setRangeSeconds(m_range->currentData().toInt()); });
  auto* png = new QPushButton(QStringLiteral("Export PNG…"), this);
  auto* csvButton = new QPushButton(QStringLiteral("Export CSV…"), this);
  auto* clear = new QPushButton(QStringLiteral("Clear"), this);
  m_hint = new QLabel(this);
  m_hint->setTextFormat(Qt::PlainText); // may show server text
  m_hint->setEnabled(false);
  connect(png, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export chart"),
                                                      QString(), QStringLiteral("PNG (*.png)"));
    QString error;
    if (!path.isEmpty() && !exportPng(path, &error)) m_hint->setText(error);
  });
  connect(csvButton, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export data"),
                                                      QString(), QStringLiteral("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error)) m_hint->setText(error);
  });
  connect(clear, &QPushButton::clicked, this, [this] { setMetrics({}); });

  auto* bar = new QHBoxLayout;
  bar->addWidget(m_range);
  bar->addWidget(m_hint, 1);
  bar->addWidget(clear);
  bar->addWidget(png);
  bar->addWidget(csvButton);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addLayout(bar);
  l->addWidget(m_view, 1);

  connect(&m_hub, &MetricsHub::metricsUpdated, this, [this](const QString& id) {
    if (id == m_targetId && isVisible()) rebuild();
  });
  rebuild();
}

void MetricChart::setTargetId(const QString& targetId) {
  m_targetId = targetId;
  rebuild();
}

void MetricChart::setTarget(const QString& targetId, const QStringList& metricIds) {
  m_targetId = targetId;
  m_metrics = metricIds;
  rebuild();
}

void MetricChart::setMetrics(const QStringList& metricIds) {
  m_metrics = metricIds;
  rebuild();
}

void MetricChart::addMetric(const QString& metricId) {
  if (!m_metrics.contains(metricId)) m_metrics.append(metricId);
  rebuild();
}

void MetricChart::setRangeSeconds(int seconds) {
  m_rangeSeconds = seconds;
  const int i = m_range->findData(seconds);
  if (i >= 0 && i != m_range->currentIndex()) m_range->setCurrentIndex(i);
  rebuild();
}

int MetricChart::seriesCount() const {
  return static_cast<int>(m_chart->series().size());
}

void MetricChart::rebuild() {
  if (!m_chart->series().isEmpty()) m_chart->removeAllSeries(); // even an empty call relayouts
  const auto* st = m_hub.state(m_targetId);
  qint64 latest = 0;
  for (const QString& id : m_metrics)
    if (const auto* m = findMetric(st, id); m && !m->history->empty())
      latest = std::max<qint64>(latest, m->history->latest().timestampMs);
  const qint64 from = m_rangeSeconds > 0 ? latest - qint64{m_rangeSeconds} * 1000 : 0;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  qint64 first = latest;
  int drawn = 0;
  QStringList units;
  for (const QString& id : m_metrics) {
    const auto* m = findMetric(st, id);
    if (!m) continue;
    const QString unit =
        m->unit == client::MetricUnit::Count ? QStringLiteral("count") : unitSuffix(m->unit);
    if (!units.contains(unit)) units.append(unit);
    QLineSeries* segment = nullptr;
    QColor color;
    const client::MetricUnit metricUnit = m->unit;
    const QString title = m->title;
    for (std::size_t i = 0; i < m->history->size(); ++i) {
      const client::Point& p = m->history->at(i);
      if (p.timestampMs < from) continue;
      if (!std::isfinite(p.value)) {
        segment = nullptr; // a gap: the next finite point starts a new segment
        continue;
      }
      if (!segment) {
        segment = new QLineSeries;
        segment->setName(title);
        m_chart->addSeries(segment);
        segment->attachAxis(m_x);
        segment->attachAxis(m_y);
        if (color.isValid()) {
          segment->setColor(color);
          for (QLegendMarker* marker : m_chart->legend()->markers(segment))
            marker->setVisible(false);
        } else {
          color = segment->color();
        }
        connect(segment, &QLineSeries::hovered, this,
                [title, metricUnit](const QPointF& point, bool state) {
                  if (!state) {
                    QToolTip::hideText();
                    return;
                  }
                  const QDateTime at =
                      QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(point.x()));
                  QToolTip::showText(QCursor::pos(), title % QStringLiteral("\n") %
                                                         formatMetric(point.y(), metricUnit) %
                                                         QStringLiteral(" at ") %
                                                         at.toString(QStringLiteral("HH:mm:ss")));
                });
      }
      segment->append(static_cast<double>(p.timestampMs), p.value);
      lo = std::min(lo, p.value);
      hi = std::max(hi, p.value);
      first = std::min<qint64>(first, p.timestampMs);
      ++drawn;
    }
  }
  if (drawn == 0) {
    m_hint->setText(m_metrics.isEmpty() ? QStringLiteral("Click a key metric to chart it.")
                                        : QStringLiteral("No values in this range yet."));
    if (!m_empty) {
      m_empty = true;
      m_x->setVisible(false);
      m_y->setVisible(false);
    }
    return;
  }
  if (m_empty) {
    m_empty = false;
    m_x->setVisible(true);
    m_y->setVisible(true);
  }
  m_hint->setText((units.size() > 1 ? QStringLiteral("units: ") : QStringLiteral("unit: ")) %
                  units.join(QStringLiteral(", ")));
  if (hi - lo < 1e-12) {
    const double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.1 : 1.0;
    lo -= pad;
    hi += pad;
  }
  if (lo > 0 && lo < (hi - lo)) lo = 0; // anchor at zero when the data nearly reaches it
  m_y->setRange(lo, hi);
  m_y->applyNiceNumbers();
  if (first == latest) first = latest - 60'000;
  m_x->setRange(QDateTime::fromMSecsSinceEpoch(first), QDateTime::fromMSecsSinceEpoch(latest));
}

QString MetricChart::csv() const {
  const auto* st = m_hub.state(m_targetId);
  std::vector<const MetricsHub::KeyMetric*> cols;
  QString out = QStringLiteral("time");
  for (const QString& id : m_metrics)
    if (const auto* m = findMetric(st, id)) {
      cols.push_back(m);
      const QString unit = unitSuffix(m->unit);
      out += QLatin1Char(',') %
             csvField(unit.isEmpty() ? m->title
                                     : m->title % QStringLiteral(" (") % unit % QLatin1Char(')'));
    }
  out += QLatin1Char('\n');
  std::map<qint64, std::vector<double>> rows;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const client::MetricSeries& h = *cols[c]->history;
    for (std::size_t i = 0; i < h.size(); ++i) {
      auto& row = rows[h.at(i).timestampMs];
      row.resize(cols.size(), std::numeric_limits<double>::quiet_NaN());
      row[c] = h.at(i).value;
    }
  }
  for (auto& [t, values] : rows) {
    values.resize(cols.size(), std::numeric_limits<double>::quiet_NaN());
    out += QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODateWithMs);
    for (double v : values) {
      out += QLatin1Char(',');
      // Ratios are exported as fractions, rates per second, durations in seconds: base units.
      if (std::isfinite(v)) out += QLocale::c().toString(v, 'g', 12);
    }
    out += QLatin1Char('\n');
  }
  return out;
}

bool MetricChart::exportCsv(const QString& path, QString* error) const {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(csv().toUtf8()) < 0 ||
      !f.commit()) {
    if (error) *error = path % QStringLiteral(": ") % f.errorString();
    return false;
  }
  return true;
}

bool MetricChart::exportPng(const QString& path, QString* error) {
  const QPixmap pixmap = m_view->grab();
  if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
    if (error) *error = path % QStringLiteral(": could not write the PNG");
    return false;
  }
  return true;
}

} // namespace healthdeck
