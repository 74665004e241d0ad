// MetricHealth against /metrics pages captured from the real Debian 12 programs: which series
// become components, which state they give, and the admin's rules over the same pages.
#include "healthdeck/client/store/metric_health.h"
#include "healthdeck/client/store/server_list_file.h"

#include <QFile>
#include <QTest>

using namespace healthdeck;
using namespace healthdeck::client;

Q_DECLARE_METATYPE(healthdeck::Status)
Q_DECLARE_METATYPE(healthdeck::MetricRule)

namespace {

std::string fixture(const QString& name) {
  QFile f(QFINDTESTDATA(QStringLiteral("../data/") + name));
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray b = f.readAll();
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

MetricRule rule(const char* name, const char* selector, MetricComparison c, double threshold,
                Status severity) {
  return MetricRule{QString::fromLatin1(name), QString::fromLatin1(selector), c, threshold,
                    severity};
}

} // namespace

class TstMetricHealth : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void upGauges_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<Status>("overall");
    QTest::addColumn<QStringList>("components"); // "name=status: details"
    QTest::newRow("redis_exporter, Redis running")
        << "fleet/redis_exporter.prom" << Status::Up
        << QStringList{QStringLiteral("redis_up=up: redis_up is 1")};
    QTest::newRow("redis_exporter, Redis stopped")
        << "fleet/redis_exporter_redis_down.prom" << Status::Down
        << QStringList{QStringLiteral("redis_up=down: redis_up is 0")};
    QTest::newRow("postgres_exporter, PostgreSQL running")
        << "fleet/postgres_exporter.prom" << Status::Up
        << QStringList{QStringLiteral("pg_up=up: pg_up is 1")};
    QTest::newRow("postgres_exporter, PostgreSQL stopped")
        << "fleet/postgres_exporter_pg_down.prom" << Status::Down
        << QStringList{QStringLiteral("pg_up=down: pg_up is 0")};
    QTest::newRow("etcd with a leader")
        << "fleet/etcd.prom" << Status::Up
        << QStringList{QStringLiteral("etcd_server_has_leader=up: etcd_server_has_leader is 1")};
    QTest::newRow("blackbox /probe, target answers")
        << "fleet/blackbox_probe_success.prom" << Status::Up
        << QStringList{QStringLiteral("probe_success=up: probe_success is 1")};
    QTest::newRow("blackbox /probe, target refuses")
        << "fleet/blackbox_probe_failure.prom" << Status::Down
        << QStringList{QStringLiteral("probe_success=down: probe_success is 0")};
    // node_network_up{device} is an interface's link: a fact about a part, never the server.
    QTest::newRow("node_exporter: node_network_up is not an up gauge")
        << "node_exporter.prom" << Status::Up << QStringList{};
    QTest::newRow("HAProxy: none") << "fleet/haproxy.prom" << Status::Up << QStringList{};
    QTest::newRow("Alertmanager: none") << "fleet/alertmanager.prom" << Status::Up << QStringList{};
    QTest::newRow("Caddy: none") << "fleet/caddy.prom" << Status::Up << QStringList{};
  }
  void upGauges() {
    QFETCH(QString, page);
    QFETCH(Status, overall);
    QFETCH(QStringList, components);
    const std::string body = fixture(page);
    QVERIFY2(!body.empty(), qPrintable(page));
    const MetricHealthResult r = metricHealth(body, {});
    QVERIFY2(r.document.has_value(), qPrintable(r.error));
    QVERIFY(r.samples > 0);
    QVERIFY(r.document->dialect == HealthDialect::Metrics);
    QStringList got;
    for (const HealthComponent& c : r.document->components)
      got << c.name % QLatin1Char('=') % QString::fromLatin1(toString(c.status).data()) %
                 QStringLiteral(": ") % c.details;
    QCOMPARE(got, components);
    QCOMPARE(int(r.document->overall), int(overall));
  }

  void upGaugeNames_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("up");
    QTest::newRow("up") << "up" << true;
    QTest::newRow("redis_up") << "redis_up" << true;
    QTest::newRow("pg_up") << "pg_up" << true;
    QTest::newRow("mysql_up") << "mysql_up" << true;
    QTest::newRow("probe_success") << "probe_success" << true;
    QTest::newRow("etcd_server_has_leader") << "etcd_server_has_leader" << true;
    QTest::newRow("node_network_up") << "node_network_up" << false;
    QTest::newRow("redis_uptime_in_seconds") << "redis_uptime_in_seconds" << false;
    QTest::newRow("_up") << "_up" << false;
    QTest::newRow("backup") << "backup" << false;
    QTest::newRow("ns:rule_up") << "job:up" << false;
  }
  void upGaugeNames() {
    QFETCH(QString, name);
    QFETCH(bool, up);
    QCOMPARE(isUpGauge(name.toStdString()), up);
  }

  void onlyGaugesCount() {
    // A counter that happens to be called like an up gauge is not one.
    const std::string page = "# TYPE foo_up counter\nfoo_up 0\n# TYPE bar_up gauge\nbar_up 1\n"
                             "up{job=\"a\"} 0\nup{job=\"b\"} 1\n";
    const auto r = metricHealth(page, {});
    QVERIFY(r.document);
    QCOMPARE(r.document->components.size(), std::size_t{3});
    QCOMPARE(r.document->components.at(0).name, QStringLiteral("bar_up"));
    QCOMPARE(r.document->components.at(1).name, QStringLiteral("up{job=\"a\"}"));
    QCOMPARE(int(r.document->components.at(1).status), int(Status::Down));
    QCOMPARE(int(r.document->components.at(2).status), int(Status::Up));
    QCOMPARE(int(r.document->overall), int(Status::Down));
  }

  void brokenPage() {
    const auto r = metricHealth("redis_up{ 1\n", {});
    QVERIFY(!r.document);
    QVERIFY2(r.error.startsWith(QStringLiteral("line 1, column")), qPrintable(r.error));
  }

  void selectors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<int>("matchers");
    QTest::newRow("bare") << "redis_connected_clients" << true << "redis_connected_clients" << 0;
    QTest::newRow("equal") << "pg_stat_activity_count{state=\"active\"}" << true
                           << "pg_stat_activity_count" << 1;
    QTest::newRow("all four, spaces, trailing comma")
        << "x{a = \"1\", b!=\"2\", c=~\"3|4\", d!~'5.*',}" << true << "x" << 4;
    QTest::newRow("escaped quote") << "x{a=\"say \\\"hi\\\"\"}" << true << "x" << 1;
    QTest::newRow("empty braces") << "x{}" << true << "x" << 0;
    QTest::newRow("no name") << "{a=\"1\"}" << false << "" << 0;
    QTest::newRow("no operator") << "x{a \"1\"}" << false << "" << 0;
    QTest::newRow("unterminated") << "x{a=\"1}" << false << "" << 0;
    QTest::newRow("bad regex") << "x{a=~\"(\"}" << false << "" << 0;
    QTest::newRow("trailing text") << "x > 3" << false << "" << 0;
  }
  void selectors() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, metric);
    QFETCH(int, matchers);
    std::string error;
    const auto sel = parseSelector(text.toStdString(), &error);
    QCOMPARE(sel.has_value(), ok);
    if (!ok) {
      QVERIFY2(error.find("column") != std::string::npos, error.c_str());
      return;
    }
    QCOMPARE(QString::fromStdString(sel->metric), metric);
    QCOMPARE(static_cast<int>(sel->matchers.size()), matchers);
  }

  void rules_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<MetricRule>("rule");
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("details");
    // Values from the captured pages: redis_connected_clients 1, redis_commands_processed_total
    // 8; pg_stat_activity_count{datname="postgres",state="active"} 1.
    QTest::newRow("fires: clients > 0 → down")
        << "fleet/redis_exporter.prom"
        << rule("clients", "redis_connected_clients", MetricComparison::Greater, 0, Status::Down)
        << Status::Down << "redis_connected_clients = 1 > 0";
    QTest::newRow("quiet: clients >= 100")
        << "fleet/redis_exporter.prom"
        << rule("clients", "redis_connected_clients", MetricComparison::GreaterOrEqual, 100,
                Status::Down)
        << Status::Up << "1 (alert when >= 100)";
    QTest::newRow("label matcher, degraded")
        << "fleet/postgres_exporter.prom"
        << rule("active", "pg_stat_activity_count{datname=\"postgres\",state=\"active\"}",
                MetricComparison::Equal, 1, Status::Degraded)
        << Status::Degraded
        << "pg_stat_activity_count{datname=\"postgres\",server=\"127.0.0.1:18412\",state="
           "\"active\"} = 1 == 1";
    QTest::newRow("regex matcher over many series, none firing")
        << "fleet/postgres_exporter.prom"
        << rule("idle", "pg_stat_activity_count{state=~\"idle.*\"}", MetricComparison::Greater, 50,
                Status::Degraded)
        << Status::Up << "9 series, none > 50";
    QTest::newRow("nothing matches: degraded, says so")
        << "fleet/redis_exporter.prom"
        << rule("typo", "redis_conected_clients", MetricComparison::Greater, 0, Status::Down)
        << Status::Degraded << "no series matches redis_conected_clients";
    QTest::newRow("invalid selector: degraded, says why")
        << "fleet/redis_exporter.prom"
        << rule("bad", "redis{x=}", MetricComparison::Greater, 0, Status::Down) << Status::Degraded
        << "invalid selector redis{x=}: expected '\"' at column 9";
    QTest::newRow("less than, on etcd")
        << "fleet/etcd.prom"
        << rule("leader", "etcd_server_has_leader", MetricComparison::Less, 1, Status::Down)
        << Status::Up << "1 (alert when < 1)";
  }
  void rules() {
    QFETCH(QString, page);
    QFETCH(MetricRule, rule);
    QFETCH(Status, status);
    QFETCH(QString, details);
    const auto r = metricHealth(fixture(page), {rule});
    QVERIFY(r.document);
    const HealthComponent& c = r.document->components.back();
    QCOMPARE(c.name, rule.name);
    QCOMPARE(c.details, details);
    QCOMPARE(int(c.status), int(status));
  }

  void comparisons_data() {
    QTest::addColumn<QString>("op");
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<bool>("holds");
    QTest::newRow(">") << ">" << 2.0 << 1.0 << true;
    QTest::newRow("> equal") << ">" << 1.0 << 1.0 << false;
    QTest::newRow(">=") << ">=" << 1.0 << 1.0 << true;
    QTest::newRow("<") << "<" << 0.5 << 1.0 << true;
    QTest::newRow("<=") << "<=" << 1.5 << 1.0 << false;
    QTest::newRow("==") << "==" << 0.0 << 0.0 << true;
    QTest::newRow("!=") << "!=" << 0.0 << 0.0 << false;
    QTest::newRow("NaN never") << "!=" << std::nan("") << 0.0 << false;
  }
  void comparisons() {
    QFETCH(QString, op);
    QFETCH(double, value);
    QFETCH(double, threshold);
    QFETCH(bool, holds);
    const auto c = metricComparisonFromString(op);
    QVERIFY(c);
    QCOMPARE(toString(*c), op);
    QCOMPARE(compare(value, *c, threshold), holds);
    QVERIFY(!metricComparisonFromString(QStringLiteral("=>")));
  }

  void rulesPersist() {
    TargetConfig t;
    t.id = QStringLiteral("cache");
    t.name = QStringLiteral("cache");
    t.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9121"));
    t.readyPath.clear();
    t.livePath.clear();
    t.metricRules = {
        rule("clients", "redis_connected_clients{db=~\"db[0-9]+\"}",
             MetricComparison::GreaterOrEqual, 1000, Status::Degraded),
        rule("memory", "redis_memory_used_bytes", MetricComparison::Greater, 1.5e9, Status::Down)};
    const QByteArray json = serializeServerList({t});
    const ServerListResult back = parseServerList(json, QStringLiteral("servers.json"));
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.servers.size(), 1);
    QCOMPARE(back.servers.at(0).metricRules, t.metricRules);
  }

  void ruleErrors_data() {
    QTest::addColumn<QByteArray>("rule");
    QTest::addColumn<QString>("error");
    const QString at = QStringLiteral("servers.json: servers[0].metric_rules[0]");
    QTest::newRow("no name") << QByteArray(R"({"selector":"up","op":">","threshold":1})")
                             << at + QStringLiteral(".name: required");
    QTest::newRow("bad selector")
        << QByteArray(R"({"name":"a","selector":"up{x}","op":">","threshold":1})")
        << at + QStringLiteral(".selector: not a series selector: expected '=', '!=', '=~' or "
                               "'!~' after label x at column 5");
    QTest::newRow("bad op") << QByteArray(R"({"name":"a","selector":"up","op":"=>","threshold":1})")
                            << at + QStringLiteral(".op: one of >, >=, <, <=, ==, !=");
    QTest::newRow("threshold as text")
        << QByteArray(R"({"name":"a","selector":"up","op":">","threshold":"1"})")
        << at + QStringLiteral(".threshold: a number");
    QTest::newRow("severity")
        << QByteArray(
               R"({"name":"a","selector":"up","op":">","threshold":1,"severity":"critical"})")
        << at + QStringLiteral(".severity: one of degraded, down");
    QTest::newRow("unknown key")
        << QByteArray(R"({"name":"a","selector":"up","op":">","threshold":1,"for":"5m"})")
        << at + QStringLiteral(".for: unknown key");
  }
  void ruleErrors() {
    QFETCH(QByteArray, rule);
    QFETCH(QString, error);
    const QByteArray json =
        R"({"servers":[{"name":"a","url":"http://127.0.0.1:1","metric_rules":[)" + rule + "]}]}";
    const ServerListResult r = parseServerList(json, QStringLiteral("servers.json"));
    QCOMPARE(r.error, error);
    QVERIFY(r.servers.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TstMetricHealth)
#include "tst_metric_health.moc"
