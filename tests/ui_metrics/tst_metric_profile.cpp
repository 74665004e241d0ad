// Profile detection from real captured pages and key-metric derivation from consecutive
// scrapes, checked against values computed by hand from the pages.
#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/client/store/target_metrics.h"
#include "metrics_pages.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace healthdeck::client;
using healthdeck::test::healthdeckPage;
using healthdeck::test::HealthdeckPageValues;

namespace {

std::string readFixture(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray b = f.readAll();
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

// The value of an exact series line of a page ("node_load1 0.04").
double fixtureValue(const std::string& page, const QString& series) {
  const QRegularExpression re(QStringLiteral("^") + QRegularExpression::escape(series) +
                                  QStringLiteral(" (\\S+)$"),
                              QRegularExpression::MultilineOption);
  const auto m = re.match(QString::fromStdString(page));
  return m.hasMatch() ? m.captured(1).toDouble() : std::nan("");
}

const KeyMetricSample* find(const TargetMetricsUpdate& u, const std::string& id) {
  for (const auto& m : u.metrics)
    if (m.id == id) return &m;
  return nullptr;
}

QStringList ids(const MetricProfile& p) {
  QStringList out;
  for (const auto& m : p.metrics)
    out << QString::fromStdString(m.id);
  return out;
}

} // namespace

class TstMetricProfile : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void detectsNodeExporter() {
    const std::string page = readFixture(QFINDTESTDATA("../data/node_exporter.prom"));
    QVERIFY(!page.empty());
    TargetMetrics t;
    const auto u = t.ingest(page, 1'000'000);
    QVERIFY2(u.status.error.empty(), u.status.error.c_str());
    QVERIFY(t.profile().kind == ProfileKind::NodeExporter);
    const QStringList got = ids(t.profile());
    for (const char* id : {"cpu_busy", "load1", "memory_used", "root_free", "net_rx", "net_tx"})
      QVERIFY2(got.contains(QString::fromLatin1(id)), id);
    // Gauges have values from the first scrape; rates need a second one.
    QCOMPARE(find(u, "load1")->value, fixtureValue(page, QStringLiteral("node_load1")));
    QCOMPARE(find(u, "memory_used")->value,
             fixtureValue(page, QStringLiteral("node_memory_MemTotal_bytes")) -
                 fixtureValue(page, QStringLiteral("node_memory_MemAvailable_bytes")));
    QVERIFY(find(u, "root_free")->value > 0 && find(u, "root_free")->value < 1);
    QVERIFY(std::isnan(find(u, "net_rx")->value));
    SeriesTable table;
    ExpositionParser parser(table);
    ExpositionPage p;
    QVERIFY(parser.parse(page, p));
    QCOMPARE(u.status.samples, static_cast<std::uint32_t>(p.samples.size()));
    QCOMPARE(u.status.profile, std::string("node_exporter"));
  }

  void detectsPrometheusServer() {
    const std::string page = readFixture(QFINDTESTDATA("data/prometheus_server.prom"));
    QVERIFY(!page.empty());
    TargetMetrics t;
    const auto u = t.ingest(page, 1'000'000);
    QVERIFY2(u.status.error.empty(), u.status.error.c_str());
    QVERIFY(t.profile().kind == ProfileKind::PrometheusServer);
    QVERIFY(ids(t.profile()).contains(QStringLiteral("ingest_rate")));
    QCOMPARE(find(u, "head_series")->value,
             fixtureValue(page, QStringLiteral("prometheus_tsdb_head_series")));
    QCOMPARE(find(u, "process_rss")->value,
             fixtureValue(page, QStringLiteral("process_resident_memory_bytes")));
  }

  void detection_data() {
    QTest::addColumn<QStringList>("families");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("ns");
    QTest::newRow("healthdeck") << QStringList{QStringLiteral("sessions_active")}
                                << int(ProfileKind::Healthdeck) << QString();
    QTest::newRow("namespaced") << QStringList{QStringLiteral("go_info"),
                                               QStringLiteral("app_exporter_scrapes_total")}
                                << int(ProfileKind::Healthdeck) << QStringLiteral("app_");
    QTest::newRow("node beats process")
        << QStringList{QStringLiteral("process_cpu_seconds_total"), QStringLiteral("node_load1")}
        << int(ProfileKind::NodeExporter) << QString();
    QTest::newRow("prometheus") << QStringList{QStringLiteral("prometheus_build_info")}
                                << int(ProfileKind::PrometheusServer) << QString();
    QTest::newRow("generic") << QStringList{QStringLiteral("process_cpu_seconds_total")}
                             << int(ProfileKind::Generic) << QString();
    QTest::newRow("a suffix is not a namespace") << QStringList{QStringLiteral("mysessions_active")}
                                                 << int(ProfileKind::Generic) << QString();
  }
  void detection() {
    QFETCH(QStringList, families);
    QFETCH(int, kind);
    QFETCH(QString, ns);
    std::vector<std::string> storage;
    for (const QString& f : families)
      storage.push_back(f.toStdString());
    std::vector<std::string_view> names(storage.begin(), storage.end());
    const MetricProfile p = detectProfile(names);
    QCOMPARE(int(p.kind), kind);
    QCOMPARE(QString::fromStdString(p.namespace_), ns);
  }

  // Two consecutive scrapes 10 s apart; every expectation is worked out from the page values.
  void healthdeckDerivation_data() {
    QTest::addColumn<QString>("ns");
    QTest::newRow("plain") << QString();
    QTest::newRow("namespace") << QStringLiteral("app_");
  }
  void healthdeckDerivation() {
    QFETCH(QString, ns);
    const std::int64_t t1 = 1'700'000'000'000;
    const std::int64_t t2 = t1 + 10'000;
    HealthdeckPageValues a;
    a.bucket01 = 100;
    a.bucket05 = 150;
    a.bucketInf = 160;
    a.jobA = static_cast<double>(t1) / 1000 - 100;
    a.jobB = static_cast<double>(t1) / 1000 - 40;
    a.exporterLast = static_cast<double>(t1) / 1000 - 5;
    HealthdeckPageValues b = a;
    b.authFailure += 5;                                  // 0.5/s
    b.authSuccess += 50;                                 // not a failure
    b.bucket01 += 50;                                    // +50 requests <= 0.1 s
    b.bucket05 += 100;                                   // +50 in (0.1, 0.5]
    b.bucketInf += 100;                                  // nothing slower: 100 requests, 10/s
    b.launchSshFail += 1;                                // 0.1/s; rdp unchanged
    b.exporterScrapes += 3;                              // the console's previous scrape + 2 others
    b.exporterLast = static_cast<double>(t2) / 1000 - 2; // the latest of the others

    TargetMetrics t;
    const auto u1 = t.ingest(healthdeckPage(a, ns.toStdString()), t1);
    QVERIFY2(u1.status.error.empty(), u1.status.error.c_str());
    QVERIFY(t.profile().kind == ProfileKind::Healthdeck);
    QCOMPARE(find(u1, "sessions_active")->value, 128.0);
    QVERIFY(std::isnan(find(u1, "auth_failures")->value)); // no rate from one scrape
    QVERIFY(std::isnan(u1.status.othersSinceLast));
    QCOMPARE(u1.status.lastOtherScrapeMs, std::int64_t{-1});

    const auto u2 = t.ingest(healthdeckPage(b, ns.toStdString()), t2);
    QCOMPARE(find(u2, "auth_failures")->value, 0.5);
    QCOMPARE(find(u2, "request_rate")->value, 10.0);
    // rank 0.95 * 100 = 95 falls in (0.1, 0.5] holding ranks 50..100: 0.1 + 0.4 * 45/50.
    QVERIFY(std::fabs(find(u2, "request_p95")->value - 0.46) < 1e-12);
    QVERIFY(!find(u2, "launch_failures"));
    QCOMPARE(find(u2, "launch_failures/ssh")->value, 0.1);
    QCOMPARE(find(u2, "launch_failures/ssh")->title, std::string("Launch failures ssh"));
    QCOMPARE(find(u2, "launch_failures/rdp")->value, 0.0);
    QCOMPARE(find(u2, "realtime_connections")->value, 3.0);
    QCOMPARE(find(u2, "queue_drops")->value, 0.0);
    QCOMPARE(find(u2, "job_age")->value, 110.0); // oldest non-zero success, 100 s + 10 s
    QCOMPARE(u2.status.othersSinceLast, 2.0);
    QCOMPARE(u2.status.lastOtherScrapeMs, t2 - 2000);
  }

  void counterResetIsARestart() {
    HealthdeckPageValues a;
    a.authFailure = 1000;
    HealthdeckPageValues b = a;
    b.authFailure = 20; // the server restarted: 20 failures since
    TargetMetrics t;
    t.ingest(healthdeckPage(a), 1'000'000);
    const auto u = t.ingest(healthdeckPage(b), 1'010'000);
    QCOMPARE(find(u, "auth_failures")->value, 2.0);
  }

  void nodeCpuBusy() {
    const auto page = [](double idle, double user) {
      return "# TYPE node_cpu_seconds_total counter\n"
             "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} " +
             std::to_string(idle) + "\nnode_cpu_seconds_total{cpu=\"0\",mode=\"user\"} " +
             std::to_string(user) + "\n";
    };
    TargetMetrics t;
    t.ingest(page(100, 10), 1'000'000);
    const auto u = t.ingest(page(108, 12), 1'010'000);
    QVERIFY(std::fabs(find(u, "cpu_busy")->value - 0.2) < 1e-12);
  }

  void brokenPageKeepsTheShape() {
    TargetMetrics t;
    HealthdeckPageValues a;
    const auto u1 = t.ingest(healthdeckPage(a), 1'000'000);
    const auto u2 = t.ingest("sessions_active{oops 1\n", 1'010'000);
    QVERIFY(!u2.status.error.empty());
    QVERIFY2(u2.status.error.find("line 1") != std::string::npos, u2.status.error.c_str());
    QCOMPARE(u2.metrics.size(), u1.metrics.size());
    for (const auto& m : u2.metrics)
      QVERIFY(std::isnan(m.value));
    // The scrape after a broken one has no previous values to take a rate from.
    const auto u3 = t.ingest(healthdeckPage(a), 1'020'000);
    QVERIFY(std::isnan(find(u3, "auth_failures")->value));
  }

  void pins() {
    HealthdeckPageValues a;
    a.bucketInf = 10;
    a.bucket05 = 10;
    a.bucket01 = 10;
    HealthdeckPageValues b = a;
    b.authSuccess += 30;
    b.bucket01 += 20;
    b.bucket05 += 20;
    b.bucketInf += 20;
    TargetMetrics t;
    const std::string bucket = "http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/"
                               "items\",status=\"200\",le=\"0.5\"}";
    t.setPins(
        {"auth_attempts_total{result=\"success\"}", "sessions_active", bucket, "absent_metric"});
    t.ingest(healthdeckPage(a), 1'000'000);
    const auto u = t.ingest(healthdeckPage(b), 1'010'000);
    const auto* rate = find(u, "pin:auth_attempts_total{result=\"success\"}");
    QVERIFY(rate && rate->pinned);
    QCOMPARE(rate->value, 3.0);
    QVERIFY(rate->unit == MetricUnit::PerSecond);
    QCOMPARE(find(u, "pin:sessions_active")->value, 128.0);
    // A pinned bucket charts its histogram's p95: all 20 new requests in the first bucket.
    const auto* p95 = find(u, "pin:" + bucket);
    QVERIFY(p95);
    QVERIFY(std::fabs(p95->value - 0.095) < 1e-12);
    QVERIFY(std::isnan(find(u, "pin:absent_metric")->value));
  }

  void explorerRows() {
    TargetMetrics t;
    t.ingest(healthdeckPage({}), 1'000'000);
    const auto rows = t.explorer();
    const auto it = std::find_if(rows.begin(), rows.end(), [](const auto& f) {
      return f.name == "connection_launches_total";
    });
    QVERIFY(it != rows.end());
    QVERIFY(it->type == MetricType::Counter);
    QCOMPARE(it->help, std::string("Remote connection launches."));
    QCOMPARE(it->series.size(), std::size_t{3});
    QCOMPARE(it->series[2].labels, std::string("protocol=\"rdp\", result=\"failure\""));
    QCOMPARE(it->series[2].value, 2.0);
  }
};

QTEST_GUILESS_MAIN(TstMetricProfile)
#include "tst_metric_profile.moc"
