// Sparkline painting, the key-metrics block, explorer, chart (with PNG/CSV export) and scrape
// status, offscreen; screenshots go to $HEALTHDECK_ARTIFACTS/ui/.
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_explorer_model.h"
#include "healthdeck/ui/views/metric_chart.h"
#include "healthdeck/ui/views/sparkline.h"
#include "healthdeck/ui/widgets/key_metrics_widget.h"
#include "healthdeck/ui/widgets/metric_explorer_widget.h"
#include "healthdeck/ui/widgets/scrape_status_widget.h"
#include "healthdeck/ui/widgets/target_metrics_view.h"
#include "metrics_pages.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <cmath>

using namespace healthdeck;
using test::healthdeckBody;
using test::HealthdeckPageValues;

namespace {

const QDateTime kT0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);

QString artifacts() {
  const QString dir =
      qEnvironmentVariable("HEALTHDECK_ARTIFACTS", QDir::tempPath()) + QStringLiteral("/ui");
  QDir().mkpath(dir);
  return dir;
}

// Columns of `img` holding any pixel of `color` (alpha > 0 and close in RGB).
QList<int> inkColumns(const QImage& img) {
  QList<int> cols;
  for (int x = 0; x < img.width(); ++x)
    for (int y = 0; y < img.height(); ++y)
      if (qAlpha(img.pixel(x, y)) > 0) {
        cols.append(x);
        break;
      }
  return cols;
}

// Feeds `n` scrapes 5 s apart with traffic that varies, so rates and sparklines move.
void feed(MetricsHub& hub, const QString& id, int n) {
  HealthdeckPageValues v;
  v.jobA = static_cast<double>(kT0.toSecsSinceEpoch()) - 3600;
  v.jobB = static_cast<double>(kT0.toSecsSinceEpoch()) - 600;
  QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
  for (int i = 0; i < n; ++i) {
    const double wave = 1.0 + std::sin(i / 3.0);
    v.sessions = 100 + 30 * wave;
    v.authFailure += 2 * wave;
    v.authSuccess += 40;
    v.bucket01 += 400 + 100 * wave;
    v.bucket05 += 600 + 200 * wave;
    v.bucketInf += 610 + 220 * wave;
    v.launchSshFail += i % 4 == 0 ? 1 : 0;
    v.exporterScrapes += i % 3 == 0 ? 2 : 1;
    v.exporterLast = static_cast<double>(kT0.toSecsSinceEpoch() + 5 * i) - 1;
    hub.ingest(id, healthdeckBody(v), kT0.addSecs(5 * i));
    // One at a time: the hub would coalesce a burst, and the history must hold every point.
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), i + 1, 5000);
  }
}

} // namespace

class TstMetricsWidgets : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sparklinePaintsWithGaps() {
    QImage img(200, 40, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    const double nan = std::nan("");
    const std::vector<double> values = {1, 3, 2, 5, nan, nan, nan, nan, 4, 6, 2, 3};
    QPolygonF scratch;
    {
      QPainter p(&img);
      paintSparkline(p, QRectF(img.rect()), values, Qt::black, scratch);
    }
    const QList<int> ink = inkColumns(img);
    QVERIFY(!ink.isEmpty());
    // Points sit at x = 1.5 + i * (197 / 11); the gap spans i = 4..7 (x ≈ 73..127), so the
    // columns strictly between the last point before and the first after stay empty.
    const double step = 197.0 / 11.0;
    const int gapFrom = static_cast<int>(1.5 + 3 * step) + 3;
    const int gapTo = static_cast<int>(1.5 + 8 * step) - 3;
    for (int x = gapFrom; x <= gapTo; ++x)
      QVERIFY2(!ink.contains(x), qPrintable(QString::number(x)));
    QVERIFY(ink.first() <= 3);
    QVERIFY(ink.last() >= 196);
    // The polygon's storage is reused: painting again does not grow it.
    const qsizetype cap = scratch.capacity();
    {
      QPainter p(&img);
      paintSparkline(p, QRectF(img.rect()), values, Qt::black, scratch);
    }
    QCOMPARE(scratch.capacity(), cap);
  }

  void sparklineEdgeCases() {
    QImage img(100, 20, QImage::Format_ARGB32_Premultiplied);
    QPolygonF scratch;
    const double nan = std::nan("");
    for (const std::vector<double>& values :
         {std::vector<double>{}, std::vector<double>{nan, nan}, std::vector<double>{7, 7, 7},
          std::vector<double>{nan, 1, nan}, std::vector<double>{42}}) {
      img.fill(Qt::transparent);
      {
        QPainter p(&img);
        paintSparkline(p, QRectF(img.rect()), values, Qt::black, scratch);
      }
      const bool finite =
          std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
      QCOMPARE(!inkColumns(img).isEmpty(), finite);
    }
  }

  void keyMetricsBlockAndTabs() {
    MetricsHub hub;
    TargetMetricsView view(hub);
    view.resize(900, 700);
    view.setTargetId(QStringLiteral("gw"));
    hub.setPinned(QStringLiteral("gw"), QStringLiteral("sessions_active"), true);
    feed(hub, QStringLiteral("gw"), 40);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.keyMetrics()->tileCount() >= 9);

    // Pins are charted; clicking a tile adds it.
    QCOMPARE(view.chart()->metrics(), QStringList{QStringLiteral("pin:sessions_active")});
    view.chart()->addMetric(QStringLiteral("request_rate"));
    view.tabs()->setCurrentWidget(view.chart());
    QVERIFY(view.chart()->seriesCount() >= 2);
    QTest::qWait(50);
    QVERIFY(view.grab().save(artifacts() + QStringLiteral("/metrics_key_metrics_chart.png")));
    QVERIFY(view.keyMetricsBox()->grab().save(artifacts() +
                                              QStringLiteral("/metrics_key_metrics.png")));

    const QString csv = view.chart()->csv();
    const QStringList lines = csv.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 41); // header + 40 scrapes
    QCOMPARE(lines[0],
             QStringLiteral("time,★ sessions_active,Requests (/s)").remove(QStringLiteral("★ ")));
    QVERIFY(lines[1].startsWith(QStringLiteral("2023-11-14T22:13:20.000Z,")));
    QVERIFY(lines[1].endsWith(QLatin1Char(','))); // no rate from the first scrape: empty cell
    QTemporaryDir dir;
    QString error;
    QVERIFY2(view.chart()->exportCsv(dir.filePath(QStringLiteral("c.csv")), &error),
             qPrintable(error));
    QVERIFY(view.chart()->exportPng(dir.filePath(QStringLiteral("c.png")), &error));
    QVERIFY(!QImage(dir.filePath(QStringLiteral("c.png"))).isNull());
    QVERIFY(!view.chart()->exportCsv(QStringLiteral("/nonexistent/dir/c.csv"), &error));
    QVERIFY(error.startsWith(QStringLiteral("/nonexistent/dir/c.csv: ")));

    // Cleared: no series, a hint instead, and no axes left over an empty plot; charted again,
    // the axes come back.
    const QStringList charted = view.chart()->metrics();
    view.chart()->setMetrics({});
    QCOMPARE(view.chart()->seriesCount(), 0);
    QTest::qWait(50);
    QVERIFY(view.grab().save(artifacts() + QStringLiteral("/metrics_chart_empty.png")));
    view.chart()->setTarget(QStringLiteral("gw"), charted);
    QVERIFY(view.chart()->seriesCount() >= 2);

    // Explorer tab: filter, pin from there.
    view.tabs()->setCurrentWidget(view.explorer());
    view.explorer()->setFilter(QStringLiteral("launches"));
    QTRY_VERIFY_WITH_TIMEOUT(view.explorer()->view()->model()->rowCount() == 1, 5000);
    QTest::qWait(50);
    QVERIFY(view.grab().save(artifacts() + QStringLiteral("/metrics_explorer.png")));
    view.explorer()->setFilter(QString());

    view.tabs()->setCurrentWidget(view.scrapeStatus());
    view.scrapeStatus()->setNow(kT0.addSecs(5 * 39 + 2));
    QCOMPARE(view.scrapeStatus()->fieldText(QStringLiteral("Error")), QStringLiteral("none"));
    QCOMPARE(view.scrapeStatus()->fieldText(QStringLiteral("Profile")),
             QStringLiteral("Healthdeck"));
    QVERIFY(view.scrapeStatus()
                ->fieldText(QStringLiteral("Other scrapers"))
                .startsWith(QStringLiteral("last 3 s ago")));
    QVERIFY(view.grab().save(artifacts() + QStringLiteral("/metrics_scrape_status.png")));
  }

  void scrapeStatusNamesTheError() {
    MetricsHub hub;
    ScrapeStatusWidget w(hub);
    w.setTargetId(QStringLiteral("a"));
    QCOMPARE(w.fieldText(QStringLiteral("Last scrape")), QStringLiteral("not scraped yet"));
    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    hub.ingest(QStringLiteral("a"), QByteArrayLiteral("# TYPE x counter\nx{a=\"1} 1\n"), kT0);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, 5000);
    QVERIFY2(w.fieldText(QStringLiteral("Error"))
                 .startsWith(QStringLiteral("page not understood: line 2, column")),
             qPrintable(w.fieldText(QStringLiteral("Error"))));
    hub.recordFetch(QStringLiteral("a"), 3, QStringLiteral("HTTP 404"), kT0.addSecs(5));
    QCOMPARE(w.fieldText(QStringLiteral("Error")), QStringLiteral("fetch failed: HTTP 404"));
    QCOMPARE(w.fieldText(QStringLiteral("Duration")), QStringLiteral("3 ms"));
  }
};

QTEST_MAIN(TstMetricsWidgets)
#include "tst_metrics_widgets.moc"
