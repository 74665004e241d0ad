#include "healthdeck/ui/widgets/scrape_status_widget.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/views/state_palette.h"

#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>

#include <cmath>

namespace healthdeck {

namespace {} // namespace

ScrapeStatusWidget::ScrapeStatusWidget(const MetricsHub& hub, QWidget* parent)
    : QWidget(parent), m_hub(hub) {
  m_form = new QFormLayout(this);
  m_form->setLabelAlignment(Qt::AlignRight);
  for (const char* label : {"Last scrape", "Duration", "Size", "Samples", "Series", "Families",
                            "Parse time", "Profile", "Warnings", "Error", "Other scrapers"})
    field(QString::fromLatin1(label));
  connect(&m_hub, &MetricsHub::metricsUpdated, this, [this](const QString& id) {
    if (id == m_targetId) refresh();
  });
  refresh();
}

QLabel* ScrapeStatusWidget::field(const QString& label) {
  for (const auto& f : m_fields)
    if (f.first == label) return f.second;
  auto* l = new QLabel(this);
  l->setTextFormat(Qt::PlainText); // may show server text
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  l->setWordWrap(true);
  m_form->addRow(label % QLatin1Char(':'), l);
  m_fields.append({label, l});
  return l;
}

QString ScrapeStatusWidget::fieldText(const QString& label) const {
  for (const auto& f : m_fields)
    if (f.first == label) return f.second->text();
  return {};
}

void ScrapeStatusWidget::setTargetId(const QString& targetId) {
  m_targetId = targetId;
  refresh();
}

void ScrapeStatusWidget::setNow(const QDateTime& now) {
  m_now = now;
  refresh();
}

void ScrapeStatusWidget::refresh() {
  const auto* st = m_hub.state(m_targetId);
  const QDateTime now = m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
  const QLocale c = QLocale::c();
  if (!st) {
    for (auto& f : m_fields)
      f.second->setText(QStringLiteral("–"));
    field(QStringLiteral("Last scrape"))->setText(QStringLiteral("not scraped yet"));
    return;
  }
  const client::ScrapeStatus& s = st->status;
  field(QStringLiteral("Last scrape"))
      ->setText(st->fetchedAt.isValid()
                    ? st->fetchedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) %
                          QStringLiteral(" (") % agoText(st->fetchedAt, now) % QLatin1Char(')')
                    : QStringLiteral("not scraped yet"));
  field(QStringLiteral("Duration"))
      ->setText(st->fetchMs >= 0 ? formatMetric(static_cast<double>(st->fetchMs) / 1000.0,
                                                client::MetricUnit::Seconds)
                                 : QStringLiteral("–"));
  field(QStringLiteral("Size"))
      ->setText(formatMetric(static_cast<double>(s.bytes), client::MetricUnit::Bytes));
  field(QStringLiteral("Samples"))->setText(c.toString(s.samples));
  field(QStringLiteral("Series"))->setText(c.toString(s.series));
  field(QStringLiteral("Families"))->setText(c.toString(s.families));
  field(QStringLiteral("Parse time"))
      ->setText(formatMetric(s.parseMs / 1000.0, client::MetricUnit::Seconds));
  field(QStringLiteral("Profile"))
      ->setText(s.profile.empty() ? QStringLiteral("–") : QString::fromStdString(s.profile));
  field(QStringLiteral("Warnings"))->setText(c.toString(s.warnings));
  QString error;
  if (!st->fetchError.isEmpty())
    error = QStringLiteral("fetch failed: ") % st->fetchError;
  else if (!s.error.empty())
    error = QStringLiteral("page not understood: ") % QString::fromStdString(s.error);
  QLabel* e = field(QStringLiteral("Error"));
  e->setText(error.isEmpty() ? QStringLiteral("none") : error);
  QPalette pal = palette();
  if (!error.isEmpty())
    pal.setColor(QPalette::WindowText, StatePalette::forPalette(pal).color(TargetState::Down));
  e->setPalette(pal);
  QString others;
  if (std::isnan(s.othersSinceLast) && s.lastOtherScrapeMs < 0)
    others = s.profile == "Healthdeck" ? QStringLiteral("not known yet (needs two scrapes)")
                                       : QStringLiteral("not reported by this exporter");
  else if (s.lastOtherScrapeMs < 0)
    others = QStringLiteral("none seen since the console started watching");
  else
    others =
        QStringLiteral("last ") %
        agoText(QDateTime::fromMSecsSinceEpoch(s.lastOtherScrapeMs, Qt::UTC), now) %
        (std::isnan(s.othersSinceLast) ? QString()
                                       : QStringLiteral(" · %1 since the console's previous scrape")
                                             .arg(static_cast<qlonglong>(s.othersSinceLast)));
  field(QStringLiteral("Other scrapers"))->setText(others);
}

} // namespace healthdeck
