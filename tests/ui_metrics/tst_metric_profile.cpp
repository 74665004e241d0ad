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

QStringList list(std::initializer_list<const char*> items) {
  QStringList out;
  for (const char* i : items)
    out << QString::fromLatin1(i);
  return out;
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
    // Issue 10: only a pair of families no other program writes identifies Healthdeck.
    QTest::newRow("healthdeck") << QStringList{QStringLiteral("sessions_active"),
                                               QStringLiteral("exporter_scrapes_total"),
                                               QStringLiteral(
                                                   "exporter_last_scrape_timestamp_seconds")}
                                << int(ProfileKind::Healthdeck) << QString();
    QTest::newRow("healthdeck by its health families")
        << QStringList{QStringLiteral("health_check_duration_seconds"),
                       QStringLiteral("health_check_status")}
        << int(ProfileKind::Healthdeck) << QString();
    QTest::newRow("namespaced") << QStringList{QStringLiteral("go_info"),
                                               QStringLiteral("app_exporter_scrapes_total"),
                                               QStringLiteral(
                                                   "app_exporter_last_scrape_timestamp_seconds")}
                                << int(ProfileKind::Healthdeck) << QStringLiteral("app_");
    QTest::newRow("one family alone is not proof")
        << QStringList{QStringLiteral("sessions_active"),
                       QStringLiteral("process_cpu_seconds_total")}
        << int(ProfileKind::Generic) << QString();
    QTest::newRow("redis_exporter's own scrape counter is not ours")
        << QStringList{QStringLiteral("redis_exporter_scrapes_total"),
                       QStringLiteral("redis_exporter_last_scrape_duration_seconds")}
        << int(ProfileKind::Generic) << QString();
    QTest::newRow("pairs under different namespaces do not mix")
        << QStringList{QStringLiteral("a_exporter_scrapes_total"),
                       QStringLiteral("b_exporter_last_scrape_timestamp_seconds")}
        << int(ProfileKind::Generic) << QString();
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

  // Pages captured from the real Debian 12 programs: the profile each is read with, and the
  // key metrics it shows. None of them is a Healthdeck module.
  void fleetProfiles_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QStringList>("metrics");
    QTest::newRow("etcd") << "../data/fleet/etcd.prom"
                          << "etcd"
                          << list({"has_leader", "client_requests", "proposals_committed",
                                   "proposals_failed", "leader_changes", "db_size", "wal_fsync_p95",
                                   "process_cpu", "process_rss"});
    QTest::newRow("redis_exporter") << "../data/fleet/redis_exporter.prom"
                                    << "redis_exporter"
                                    << list({"commands", "clients", "memory_used", "keys", "hits",
                                             "misses", "evicted", "rejected"});
    QTest::newRow("redis_exporter, Redis stopped") << "../data/fleet/redis_exporter_redis_down.prom"
                                                   << "redis_exporter" << QStringList();
    QTest::newRow("postgres_exporter")
        << "../data/fleet/postgres_exporter.prom"
        << "postgres_exporter"
        << list({"commits", "rollbacks", "backends", "active", "deadlocks", "db_size"});
    QTest::newRow("HAProxy") << "../data/fleet/haproxy.prom"
                             << "HAProxy"
                             << list({"requests", "errors_5xx", "sessions", "bytes_in", "bytes_out",
                                      "servers_up", "connection_errors"});
    QTest::newRow("Alertmanager") << "../data/fleet/alertmanager.prom"
                                  << "Alertmanager"
                                  << list({"alerts_active", "alerts_suppressed", "notifications",
                                           "notifications_failed", "silences", "config_age",
                                           "process_cpu", "process_rss"});
    QTest::newRow("blackbox_exporter")
        << "../data/fleet/blackbox_exporter.prom"
        << "blackbox_exporter"
        << list({"config_ok", "unknown_modules", "config_age", "process_cpu", "process_rss"});
    QTest::newRow("blackbox /probe page")
        << "../data/fleet/blackbox_probe_success.prom"
        << "blackbox_exporter" << list({"probe_success", "probe_duration", "probe_status"});
    // caddy_admin_http_requests_total appears only once the admin API served a request other
    // than /metrics; the captured page has none, so the tile is left out, not shown empty.
    QTest::newRow("Caddy") << "../data/fleet/caddy.prom"
                           << "Caddy"
                           << list({"requests", "request_p95", "in_flight", "process_cpu",
                                    "process_rss"});
    QTest::newRow("Pushgateway: generic") << "../data/fleet/pushgateway.prom"
                                          << "Generic" << list({"process_cpu", "process_rss"});
  }
  void fleetProfiles() {
    QFETCH(QString, page);
    QFETCH(QString, profile);
    QFETCH(QStringList, metrics);
    const std::string body = readFixture(QFINDTESTDATA(page));
    QVERIFY2(!body.empty(), qPrintable(page));
    TargetMetrics t;
    const auto u = t.ingest(body, 1'000'000);
    QVERIFY2(u.status.error.empty(), u.status.error.c_str());
    QCOMPARE(QString::fromStdString(t.profile().name), profile);
    QVERIFY(t.profile().kind != ProfileKind::Healthdeck);
    QCOMPARE(ids(t.profile()), metrics);
  }

  // Gauges of the captured pages read exactly the page's numbers.
  void fleetGaugeValues() {
    const std::string redis = readFixture(QFINDTESTDATA("../data/fleet/redis_exporter.prom"));
    TargetMetrics r;
    auto u = r.ingest(redis, 1'000'000);
    QCOMPARE(find(u, "clients")->value,
             fixtureValue(redis, QStringLiteral("redis_connected_clients")));
    QCOMPARE(find(u, "memory_used")->value,
             fixtureValue(redis, QStringLiteral("redis_memory_used_bytes")));
    const std::string am = readFixture(QFINDTESTDATA("../data/fleet/alertmanager.prom"));
    TargetMetrics a;
    u = a.ingest(am, 1'000'000);
    QCOMPARE(find(u, "alerts_active")->value,
             fixtureValue(am, QStringLiteral("alertmanager_alerts{state=\"active\"}")));
    const std::string pg = readFixture(QFINDTESTDATA("../data/fleet/postgres_exporter.prom"));
    TargetMetrics p;
    u = p.ingest(pg, 1'000'000);
    // Active queries: pg_stat_activity_count{state="active"} summed over the databases.
    double active = 0;
    for (const QString& db :
         {QStringLiteral("postgres"), QStringLiteral("template0"), QStringLiteral("template1")}) {
      const double v = fixtureValue(
          pg, QStringLiteral("pg_stat_activity_count{datname=\"%1\",server=\"127.0.0.1:18412\","
                             "state=\"active\"}")
                  .arg(db));
      if (!std::isnan(v)) active += v;
    }
    QCOMPARE(find(u, "active")->value, active);
  }

  // Rates are PromQL's rate(x[1m]) over the console's own scrapes. A counter that moves by 15
  // every 15 s, polled every 5 s: values 0 0 0 15 15 15 30 ... at t = 0, 5, 10, 15, ...
  void rateOverTheWindow_data() {
    QTest::addColumn<int>("atSeconds");
    QTest::addColumn<double>("expected");
    // t=5: history younger than the window, range [0,5]: 0/5 = 0.
    QTest::newRow("t=5, before the first move") << 5 << 0.0;
    // t=15: points 0..15 (0,0,0,15), range [0,15]: 15/15 = 1.
    QTest::newRow("t=15, at the first move") << 15 << 1.0;
    // t=20: (0,0,0,15,15) over [0,20]: 15/20 = 0.75 — not 0 as from the last two scrapes.
    QTest::newRow("t=20, between moves") << 20 << 0.75;
    // t=60: window (0,60] holds t=5..60: 0 → 60, covered (t=0 is at the start); the zero
    // clamp stops extrapolation at t=5 where the counter was 0: 60 over 55 s, ×55/55, /60 = 1.
    QTest::newRow("t=60, a full window") << 60 << 1.0;
    // t=70: window (10,70] holds t=15..70: 15 → 60 = 45 over 55 s; to the start 5 s
    // (< 1.1×5, and the zero point is 18.3 s away): interval 60 s; 45×60/55/60 = 0.8181...
    QTest::newRow("t=70, window slid past a move") << 70 << 45.0 / 55.0;
  }
  void rateOverTheWindow() {
    QFETCH(int, atSeconds);
    QFETCH(double, expected);
    TargetMetrics t;
    const auto page = [](double v) {
      return "# TYPE prometheus_tsdb_head_samples_appended_total counter\n"
             "prometheus_tsdb_head_samples_appended_total " +
             std::to_string(v) + "\n# TYPE prometheus_build_info gauge\nprometheus_build_info 1\n";
    };
    TargetMetricsUpdate u;
    for (int s = 0; s <= atSeconds; s += 5)
      u = t.ingest(page(15.0 * (s / 15)), 1'000'000 + s * 1000LL);
    const KeyMetricSample* m = find(u, "ingest_rate");
    QVERIFY(m);
    QVERIFY2(std::abs(m->value - expected) < 1e-9,
             qPrintable(QStringLiteral("%1 vs %2").arg(m->value).arg(expected)));
  }

  void rateWithAReset() {
    // 10 s polls: 100, 110, 5 (the process restarted), 15. Window (−20,30] from t=30 holds
    // all four (history younger than the window: range [0,30]). increase = 15−100 + 110
    // (reset: the value before the drop) = 25; the zero clamp: 30 s × 100/25 > 0, no effect;
    // rate = 25/30.
    TargetMetrics t;
    const auto page = [](double v) {
      return "# TYPE prometheus_tsdb_head_samples_appended_total counter\n"
             "prometheus_tsdb_head_samples_appended_total " +
             std::to_string(v) + "\n# TYPE prometheus_build_info gauge\nprometheus_build_info 1\n";
    };
    TargetMetricsUpdate u;
    const double values[] = {100, 110, 5, 15};
    for (int i = 0; i < 4; ++i)
      u = t.ingest(page(values[i]), 1'000'000 + i * 10'000LL);
    QCOMPARE(find(u, "ingest_rate")->value, 25.0 / 30.0);
  }

  void longIntervalFallsBackToTwoScrapes() {
    // Polled every 2 min with a 1 min window: the rate of the last two scrapes.
    TargetMetrics t;
    const auto page = [](double v) {
      return "# TYPE prometheus_tsdb_head_samples_appended_total counter\n"
             "prometheus_tsdb_head_samples_appended_total " +
             std::to_string(v) + "\n# TYPE prometheus_build_info gauge\nprometheus_build_info 1\n";
    };
    t.ingest(page(1000), 1'000'000);
    t.ingest(page(1600), 1'120'000);
    const auto u = t.ingest(page(2800), 1'240'000);
    QCOMPARE(find(u, "ingest_rate")->value, 1200.0 / 120.0);
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
