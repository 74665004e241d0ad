#pragma once
// ScrapeStatusWidget: the "Scrape status" tab — the selected server's last /metrics scrape:
// when, how long, size, samples, series, families, parse time, profile, warnings, the error
// with its reason, and (from a Healthdeck exporter's own families) when another scraper such
// as Prometheus last scraped it.

#include <QDateTime>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace healthdeck {

class MetricsHub;

class ScrapeStatusWidget : public QWidget {
  Q_OBJECT
public:
  ScrapeStatusWidget(const MetricsHub& hub, QWidget* parent = nullptr);

  void setTargetId(const QString& targetId);
  /// The text of a row by its label ("Error", "Size", ...), for tests.
  QString fieldText(const QString& label) const;
  /// Ages are computed against this clock (tests pin it); invalid: the current time.
  void setNow(const QDateTime& now);

private:
  void refresh();
  QLabel* field(const QString& label);

  const MetricsHub& m_hub;
  QString m_targetId;
  QDateTime m_now;
  QFormLayout* m_form = nullptr;
  QList<QPair<QString, QLabel*>> m_fields;
};

} // namespace healthdeck
