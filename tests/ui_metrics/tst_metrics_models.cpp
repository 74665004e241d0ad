// MetricsHub (worker thread, pins) and its models under QAbstractItemModelTester.
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_explorer_model.h"
#include "healthdeck/ui/models/metric_roles.h"
#include "healthdeck/ui/models/metric_summary_model.h"
#include "metrics_pages.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace healthdeck;
using test::healthdeckBody;
using test::HealthdeckPageValues;

namespace {

const QDateTime kT1 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);

int rowOf(const QAbstractItemModel& m, const QString& id) {
  for (int r = 0; r < m.rowCount(); ++r)
    if (m.index(r, 0).data(MetricIdRole).toString() == id) return r;
  return -1;
}

} // namespace

class TstMetricsModels : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // Issue 10: values of a failed scrape are stale, never live; the block says why it is empty.
  void staleAndStatusSentences() {
    MetricsHub hub;
    MetricSummaryModel model(hub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString a = QStringLiteral("a");
    model.setTargetId(a);
    QSignalSpy status(&model, &MetricSummaryModel::statusChanged);
    QCOMPARE(model.statusText(),
             QStringLiteral("No metrics yet: waiting for the first /metrics scrape."));
    hub.setMetricsPolled(a, false);
    QCOMPARE(
        model.statusText(),
        QStringLiteral("Metrics are not polled for this server (no metrics path configured)."));
    hub.setMetricsPolled(a, true);
    hub.recordFetch(a, 3, QStringLiteral("HTTP 404"), kT1);
    QCOMPARE(model.statusText(),
             QStringLiteral("No metrics: the metrics route answers HTTP 404 (disabled on the "
                            "server, or served at another path)."));
    QVERIFY(!model.stale()); // nothing was ever shown: nothing to call stale

    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    hub.ingest(a, healthdeckBody({}), kT1.addSecs(5));
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, 5000);
    QCOMPARE(model.statusText(), QString());
    QVERIFY(model.rowCount() > 0);
    const int sessions = rowOf(model, QStringLiteral("sessions_active"));
    QCOMPARE(model.index(sessions, 0).data(MetricStaleRole).toBool(), false);

    // The next fetch fails: the values stay, marked stale, with their age.
    const int before = status.size();
    hub.recordFetch(a, 2, QStringLiteral("Connection refused"), kT1.addSecs(15));
    QVERIFY(status.size() > before);
    QVERIFY(model.stale());
    QCOMPARE(model.index(sessions, MetricSummaryModel::ValueColumn).data().toString(),
             QStringLiteral("128"));
    QCOMPARE(model.index(sessions, 0).data(MetricStaleRole).toBool(), true);
    QCOMPARE(hub.statusSentence(a, kT1.addSecs(47)),
             QStringLiteral("Stale: values of the last good scrape, 42 s ago — /metrics fails "
                            "now (Connection refused)."));
    QVERIFY(model.index(sessions, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("stale")));

    // A good page again: live.
    hub.ingest(a, healthdeckBody({}), kT1.addSecs(20));
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 3, 5000); // the failed fetch was the second
    QVERIFY(!model.stale());
    QCOMPARE(model.statusText(), QString());

    // A page no profile knows, and a page that does not parse.
    const QString b = QStringLiteral("b");
    model.setTargetId(b);
    hub.ingest(b, QByteArrayLiteral("# TYPE foo_total counter\nfoo_total 1\n"), kT1);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 4, 5000);
    QCOMPARE(model.statusText(),
             QStringLiteral("The /metrics page (1 families) matches no known profile: pin series "
                            "from the Metrics explorer to see them here."));
    hub.ingest(b, QByteArrayLiteral("foo_total{ 1\n"), kT1.addSecs(5));
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 5, 5000);
    QVERIFY2(
        model.statusText().startsWith(QStringLiteral("The /metrics page did not parse: line 1")),
        qPrintable(model.statusText()));

    // A known exporter whose page lacks every key metric (redis_exporter with Redis stopped).
    const QString c = QStringLiteral("c");
    model.setTargetId(c);
    hub.ingest(c, QByteArrayLiteral("# TYPE redis_up gauge\nredis_up 0\n"), kT1);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 6, 5000);
    QCOMPARE(model.statusText(),
             QStringLiteral("The redis_exporter page has none of its key metrics now (1 families): "
                            "pin series from the Metrics explorer to see them here."));
  }

  // Series another source already holds (the Prometheus source's query_range): the same
  // range given again adds nothing and signals nothing; a newer point extends the ring.
  void externalSeriesFeedKeyMetrics() {
    MetricsHub hub;
    hub.setMetricsPolled(QStringLiteral("p"), false);
    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    const qint64 t0 = kT1.toMSecsSinceEpoch();
    std::vector<MetricsHub::ExternalSeries> series{{QStringLiteral("process_cpu"),
                                                    QStringLiteral("CPU (process)"),
                                                    client::MetricUnit::Ratio,
                                                    {{t0, 0.5}, {t0 + 60'000, 0.25}}},
                                                   {QStringLiteral("process_rss"),
                                                    QStringLiteral("Memory (RSS)"),
                                                    client::MetricUnit::Bytes,
                                                    {{t0, 1e6}, {t0 + 60'000, 2e6}}}};
    QVERIFY(hub.applySeries(QStringLiteral("p"), series, QStringLiteral("Prometheus")));
    QCOMPARE(updated.size(), 1);
    const MetricsHub::TargetMetricsState* st = hub.state(QStringLiteral("p"));
    QVERIFY(st);
    QCOMPARE(st->metrics.size(), std::size_t{2});
    QCOMPARE(st->metrics.at(1).value, 2e6);
    QCOMPARE(st->metrics.at(1).history->size(), std::size_t{2});
    QCOMPARE(st->sparklineTitle, QStringLiteral("CPU (process)"));
    QCOMPARE(st->sparkline, (QList<double>{0.5, 0.25}));
    QCOMPARE(st->fetchedAt.toMSecsSinceEpoch(), t0 + 60'000);
    QCOMPARE(st->status.profile, std::string("Prometheus"));
    // Polled now: no "metrics are not polled" sentence, no error.
    QCOMPARE(hub.statusSentence(QStringLiteral("p"), kT1), QString());

    QVERIFY(!hub.applySeries(QStringLiteral("p"), series, QStringLiteral("Prometheus")));
    QCOMPARE(updated.size(), 1);
    series[1].points.push_back({t0 + 120'000, 3e6});
    QVERIFY(hub.applySeries(QStringLiteral("p"), series, QStringLiteral("Prometheus")));
    QCOMPARE(updated.size(), 2);
    QCOMPARE(hub.state(QStringLiteral("p"))->metrics.at(1).history->size(), std::size_t{3});
    QCOMPARE(hub.state(QStringLiteral("p"))->metrics.at(1).value, 3e6);
  }

  void summaryFollowsScrapes() {
    MetricsHub hub;
    MetricSummaryModel model(hub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTargetId(QStringLiteral("a"));
    QCOMPARE(model.rowCount(), 0);

    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    HealthdeckPageValues v;
    hub.ingest(QStringLiteral("a"), healthdeckBody(v), kT1);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, 5000);
    QVERIFY(model.rowCount() > 5);
    QCOMPARE(reset.size(), 1);
    const int sessions = rowOf(model, QStringLiteral("sessions_active"));
    const int failures = rowOf(model, QStringLiteral("auth_failures"));
    QVERIFY(sessions >= 0 && failures >= 0);
    QCOMPARE(model.index(sessions, MetricSummaryModel::ValueColumn).data().toString(),
             QStringLiteral("128"));
    QCOMPARE(model.index(failures, MetricSummaryModel::ValueColumn).data().toString(),
             QStringLiteral("–"));

    v.authFailure += 40; // 4/s over 10 s
    v.sessions = 1500;
    hub.ingest(QStringLiteral("a"), healthdeckBody(v), kT1.addSecs(10));
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 2, 5000);
    QCOMPARE(reset.size(), 1); // same metrics: a targeted update, not a reset
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.index(failures, MetricSummaryModel::ValueColumn).data().toString(),
             QStringLiteral("4/s"));
    QCOMPARE(model.index(sessions, MetricSummaryModel::ValueColumn).data().toString(),
             QStringLiteral("1.5 k"));
    QCOMPARE(model.index(sessions, MetricSummaryModel::ValueColumn).data(SortRole).toDouble(),
             1500.0);
    const auto spark = model.index(failures, 0).data(SparklineRole).value<QList<double>>();
    QCOMPARE(spark.size(), 2);
    QVERIFY(std::isnan(spark[0]));
    QCOMPARE(spark[1], 4.0);
    // The server list's sparkline follows the first rate.
    QCOMPARE(hub.state(QStringLiteral("a"))->sparklineTitle, QStringLiteral("Auth failures"));
    QVERIFY(hub.historyBytes() > 0);
    QVERIFY(hub.parserBytes() > 0);
  }

  void brokenPageIsAGapAndAnError() {
    MetricsHub hub;
    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    hub.ingest(QStringLiteral("a"), healthdeckBody({}), kT1);
    hub.ingest(QStringLiteral("a"), QByteArrayLiteral("sessions_active 1 2 3 4\n"), kT1.addSecs(5));
    QTRY_VERIFY_WITH_TIMEOUT(
        updated.size() >= 1 && !hub.state(QStringLiteral("a"))->status.error.empty(), 5000);
    const auto* st = hub.state(QStringLiteral("a"));
    for (const auto& m : st->metrics)
      QVERIFY(std::isnan(m.value));
    hub.recordFetch(QStringLiteral("a"), 5000, QStringLiteral("Connection refused"),
                    kT1.addSecs(10));
    QCOMPARE(hub.state(QStringLiteral("a"))->fetchError, QStringLiteral("Connection refused"));
  }

  void explorerModel() {
    MetricsHub hub;
    MetricExplorerModel model(hub);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy explorer(&hub, &MetricsHub::explorerUpdated);
    model.setTargetId(QStringLiteral("a"));
    hub.ingest(QStringLiteral("a"), healthdeckBody({}), kT1);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 5000);
    int launches = -1;
    for (int r = 0; r < model.rowCount(); ++r)
      if (model.index(r, 0).data().toString() == QStringLiteral("connection_launches_total"))
        launches = r;
    QVERIFY(launches >= 0);
    const QModelIndex fam = model.index(launches, 0);
    QCOMPARE(model.index(launches, MetricExplorerModel::TypeColumn).data().toString(),
             QStringLiteral("counter"));
    QCOMPARE(model.index(launches, MetricExplorerModel::SeriesColumn).data().toInt(), 3);
    QCOMPARE(model.rowCount(fam), 3);
    const QModelIndex rdp = model.index(2, 0, fam);
    QCOMPARE(rdp.data().toString(), QStringLiteral("{protocol=\"rdp\", result=\"failure\"}"));
    QCOMPARE(rdp.data(SeriesKeyRole).toString(),
             QStringLiteral("connection_launches_total{protocol=\"rdp\",result=\"failure\"}"));
    QCOMPARE(model.index(2, MetricExplorerModel::ValueColumn, fam).data().toString(),
             QStringLiteral("2"));

    // New values, same series: dataChanged, not a reset.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    HealthdeckPageValues v;
    v.launchRdpFail = 7;
    const int before = static_cast<int>(explorer.size());
    hub.ingest(QStringLiteral("a"), healthdeckBody(v), kT1.addSecs(5));
    QTRY_VERIFY_WITH_TIMEOUT(explorer.size() > before, 5000);
    QCOMPARE(reset.size(), 0);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.index(2, MetricExplorerModel::ValueColumn, fam).data().toString(),
             QStringLiteral("7"));

    // Pinning marks the row.
    hub.setPinned(QStringLiteral("a"), rdp.data(SeriesKeyRole).toString(), true);
    QVERIFY(model.index(2, 0, fam).data(PinnedRole).toBool());
    QVERIFY(model.index(2, 0, fam).data().toString().startsWith(QStringLiteral("★")));
  }

  void pinsPersistAndDerive() {
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("console.ini"));
    const QString key = QStringLiteral("auth_attempts_total{result=\"success\"}");
    {
      QSettings settings(ini, QSettings::IniFormat);
      MetricsHub hub;
      hub.setPinStorage(&settings);
      QSignalSpy pins(&hub, &MetricsHub::pinsChanged);
      hub.setPinned(QStringLiteral("gw 1/eu"), key, true);
      QCOMPARE(pins.size(), 1);
      hub.setPinned(QStringLiteral("gw 1/eu"), key, true); // already pinned: no signal
      QCOMPARE(pins.size(), 1);
      settings.sync();
      QCOMPARE(settings.value(QStringLiteral("metrics/pins/gw%201%2Feu")).toStringList(),
               QStringList{key});
    }
    QSettings settings(ini, QSettings::IniFormat);
    MetricsHub hub;
    hub.setPinStorage(&settings);
    QCOMPARE(hub.pins(QStringLiteral("gw 1/eu")), QStringList{key});
    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    HealthdeckPageValues v;
    hub.ingest(QStringLiteral("gw 1/eu"), healthdeckBody(v), kT1);
    v.authSuccess += 20;
    hub.ingest(QStringLiteral("gw 1/eu"), healthdeckBody(v), kT1.addSecs(10));
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 2, 5000);
    const auto* st = hub.state(QStringLiteral("gw 1/eu"));
    const auto it = std::find_if(st->metrics.begin(), st->metrics.end(), [&](const auto& m) {
      return m.id == QStringLiteral("pin:") + key;
    });
    QVERIFY(it != st->metrics.end());
    QVERIFY(it->pinned);
    QCOMPARE(it->value, 2.0);
    hub.setPinned(QStringLiteral("gw 1/eu"), key, false);
    settings.sync();
    QVERIFY(!settings.contains(QStringLiteral("metrics/pins/gw%201%2Feu")));
  }

  void busyTargetKeepsOnlyTheLatestBody() {
    MetricsHub hub;
    QSignalSpy updated(&hub, &MetricsHub::metricsUpdated);
    HealthdeckPageValues v;
    for (int i = 0; i < 50; ++i) {
      v.sessions = i;
      hub.ingest(QStringLiteral("a"), healthdeckBody(v), kT1.addSecs(i));
    }
    QTRY_COMPARE_WITH_TIMEOUT(hub.pendingJobs(), 0, 10000);
    // The first body and the latest one are always derived; the ones between may be skipped.
    QVERIFY(updated.size() >= 2 && updated.size() <= 50);
    const auto* st = hub.state(QStringLiteral("a"));
    QCOMPARE(st->metrics.front().value, 49.0);
  }
};

QTEST_GUILESS_MAIN(TstMetricsModels)
#include "tst_metrics_models.moc"
