// PrometheusApiParser and LabelSelector: the shapes Prometheus 2.x answers (envelopes,
// targets, vectors, matrices, alerts), the ones it must refuse with a clear error, and the
// label filter the source applies both in queries and to the target list.

#include "healthdeck/client/parse/label_selector.h"
#include "healthdeck/client/parse/prometheus_api_parser.h"
#include "healthdeck/client/store/server_list_file.h"

#include <QtTest>

#include <cmath>

using namespace healthdeck;

namespace {

QByteArray readFixture(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstPrometheusApi : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void targets() {
    // Captured from Prometheus 2.42 (Debian 12) scraping `healthdeck serve` and a closed port.
    const QByteArray body = readFixture(QFINDTESTDATA("../data/prometheus_targets.json"));
    QVERIFY(!body.isEmpty());
    const auto r = PrometheusApiParser::parseTargets(body);
    QVERIFY2(r.envelope.ok, qPrintable(r.envelope.error));
    QCOMPARE(r.items.size(), std::size_t{2});
    const ApiTarget& a = r.items[0];
    QCOMPARE(a.labels.value(QStringLiteral("job")), QStringLiteral("api"));
    QCOMPARE(a.labels.size(), 3);
    QCOMPARE(a.health, QStringLiteral("up"));
    QCOMPARE(a.scrapeUrl, QStringLiteral("http://127.0.0.1:19797/metrics"));
    QCOMPARE(a.lastScrape, QDateTime(QDate(2026, 12, 2), QTime(3, 8, 31, 412), Qt::UTC));
    QCOMPARE(a.lastScrape.timeSpec(), Qt::UTC);
    QCOMPARE(a.lastScrapeDurationSeconds, 0.003330455);
    QVERIFY(a.lastError.isEmpty());
    const ApiTarget& b = r.items[1];
    QCOMPARE(b.health, QStringLiteral("down"));
    QCOMPARE(b.labels.value(QStringLiteral("instance")), QStringLiteral("edge-closed"));
    QVERIFY(b.lastError.contains(QLatin1String("connection refused")));
  }

  void capturedUp() {
    // `up` from the same server: one series per target, labels without __name__ match the
    // target's labels (that is how the source joins query results to targets).
    const auto targets = PrometheusApiParser::parseTargets(
        readFixture(QFINDTESTDATA("../data/prometheus_targets.json")));
    const auto up =
        PrometheusApiParser::parseVector(readFixture(QFINDTESTDATA("../data/prometheus_up.json")));
    QVERIFY2(up.envelope.ok, qPrintable(up.envelope.error));
    QCOMPARE(up.items.size(), targets.items.size());
    for (const ApiSample& s : up.items) {
      LabelSet labels = s.labels;
      QCOMPARE(labels.take(QStringLiteral("__name__")), QStringLiteral("up"));
      const bool known = std::any_of(targets.items.begin(), targets.items.end(),
                                     [&](const ApiTarget& t) { return t.labels == labels; });
      QVERIFY(known);
      QCOMPARE(s.value, labels.value(QStringLiteral("job")) == QLatin1String("api") ? 1.0 : 0.0);
    }
  }

  void vectorAndScalar_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("first");
    QTest::newRow("vector") << QByteArray(
                                   R"({"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"__name__":"up","instance":"a","job":"api"},"value":[1764643201.5,"1"]},
        {"metric":{"__name__":"up","instance":"b","job":"api"},"value":[1764643201.5,"0"]}]}})")
                            << 2 << 1.0;
    QTest::newRow("empty vector")
        << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[]}})") << 0
        << 0.0;
    QTest::newRow("scalar")
        << QByteArray(
               R"({"status":"success","data":{"resultType":"scalar","result":[1764643201,"42"]}})")
        << 1 << 42.0;
    QTest::newRow("+Inf")
        << QByteArray(
               R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}})")
        << 1 << std::numeric_limits<double>::infinity();
  }
  void vectorAndScalar() {
    QFETCH(QByteArray, body);
    QFETCH(int, count);
    QFETCH(double, first);
    const auto r = PrometheusApiParser::parseVector(body);
    QVERIFY2(r.envelope.ok, qPrintable(r.envelope.error));
    QCOMPARE(static_cast<int>(r.items.size()), count);
    if (count > 0) QCOMPARE(r.items[0].value, first);
  }

  void refusals_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("server error")
        << QByteArray(
               R"({"status":"error","errorType":"bad_data","error":"invalid parameter \u0022query\u0022: 1:4: parse error"})")
        << QStringLiteral("bad_data") << QStringLiteral("parse error");
    QTest::newRow("html") << QByteArray("<html><body>login</body></html>")
                          << QStringLiteral("malformed") << QStringLiteral("not JSON");
    QTest::newRow("other json") << QByteArray(R"({"hello":"world"})") << QStringLiteral("malformed")
                                << QStringLiteral("status");
    QTest::newRow("matrix for vector")
        << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[]}})")
        << QStringLiteral("malformed") << QStringLiteral("resultType");
    QTest::newRow("value not a pair")
        << QByteArray(
               R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":"1"}]}})")
        << QStringLiteral("malformed") << QStringLiteral("data.result[0]");
    QTest::newRow("label not a string")
        << QByteArray(
               R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"1"]}]}})")
        << QStringLiteral("malformed") << QStringLiteral("data.result[0]");
    QTest::newRow("value not a number")
        << QByteArray(
               R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}})")
        << QStringLiteral("malformed") << QStringLiteral("data.result[0]");
  }
  void refusals() {
    QFETCH(QByteArray, body);
    QFETCH(QString, errorType);
    QFETCH(QString, errorContains);
    const auto r = PrometheusApiParser::parseVector(body);
    QVERIFY(!r.envelope.ok);
    QVERIFY(r.items.empty());
    QCOMPARE(r.envelope.errorType, errorType);
    QVERIFY2(r.envelope.error.contains(errorContains), qPrintable(r.envelope.error));
  }

  void targetsRefusedWhereTheyBreak() {
    const auto r = PrometheusApiParser::parseTargets(
        R"({"status":"success","data":{"activeTargets":[{"labels":{"job":"a"}},{"labels":[]}]}})");
    QVERIFY(!r.envelope.ok);
    QVERIFY2(r.envelope.error.startsWith(QLatin1String("data.activeTargets[1].labels")),
             qPrintable(r.envelope.error));
  }

  void matrix() {
    const auto r = PrometheusApiParser::parseMatrix(
        R"({"status":"success","warnings":["partial response"],"data":{"resultType":"matrix","result":[
        {"metric":{"instance":"a","job":"api"},"values":[[1764643200,"1.5"],[1764643260,"2"]]}]}})");
    QVERIFY2(r.envelope.ok, qPrintable(r.envelope.error));
    QCOMPARE(r.envelope.warnings, QStringList{QStringLiteral("partial response")});
    QCOMPARE(r.items.size(), std::size_t{1});
    QCOMPARE(r.items[0].points.size(), std::size_t{2});
    QCOMPARE(r.items[0].points[1].first, Q_INT64_C(1764643260000));
    QCOMPARE(r.items[0].points[0].second, 1.5);
    const auto backwards = PrometheusApiParser::parseMatrix(
        R"({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{},"values":[[1764643260,"1"],[1764643200,"2"]]}]}})");
    QVERIFY(!backwards.envelope.ok);
    QVERIFY(backwards.envelope.error.contains(QLatin1String("time order")));
  }

  void alerts() {
    const auto r = PrometheusApiParser::parseAlerts(
        R"({"status":"success","data":{"alerts":[{"labels":{"alertname":"HealthdeckDown","instance":"db-0001","job":"db","severity":"page"},
        "annotations":{"summary":"db-0001 is down"},"state":"firing","activeAt":"2026-12-02T02:30:00Z","value":"0e+00"},
        {"labels":{"alertname":"Slow"},"annotations":{"description":"slow"},"state":"pending","activeAt":"2026-12-02T02:39:00.5Z","value":"1"}]}})");
    QVERIFY2(r.envelope.ok, qPrintable(r.envelope.error));
    QCOMPARE(r.items.size(), std::size_t{2});
    QCOMPARE(r.items[0].state, QStringLiteral("firing"));
    QCOMPARE(r.items[0].summary, QStringLiteral("db-0001 is down"));
    QCOMPARE(r.items[0].activeAt, QDateTime(QDate(2026, 12, 2), QTime(2, 30), Qt::UTC));
    QCOMPARE(r.items[1].summary, QStringLiteral("slow"));
  }

  void selector_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<bool>("matchesApiT1"); // {job=api, instance=api-0001, tier=t1}
    QTest::newRow("empty") << QString() << QString() << true;
    QTest::newRow("braces only") << QStringLiteral("{}") << QString() << true;
    QTest::newRow("equal") << QStringLiteral("job=\"api\"") << QStringLiteral("job=\"api\"")
                           << true;
    QTest::newRow("regex anchored")
        << QStringLiteral("job=~\"ap\"") << QStringLiteral("job=~\"ap\"") << false;
    QTest::newRow("regex alternatives") << QStringLiteral("{ job =~ 'api|db' , tier != `t0` }")
                                        << QStringLiteral("job=~\"api|db\",tier!=\"t0\"") << true;
    QTest::newRow("not match") << QStringLiteral("instance!~\"api-.*\"")
                               << QStringLiteral("instance!~\"api-.*\"") << false;
    QTest::newRow("absent label is empty")
        << QStringLiteral("env=\"\"") << QStringLiteral("env=\"\"") << true;
    QTest::newRow("escaped quote")
        << QStringLiteral("job=\"a\\\"b\"") << QStringLiteral("job=\"a\\\"b\"") << false;
  }
  void selector() {
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(bool, matchesApiT1);
    QString error;
    const auto sel = LabelSelector::parse(text, &error);
    QVERIFY2(sel, qPrintable(error));
    QCOMPARE(sel->toPromQL(), canonical);
    const LabelSet labels{{QStringLiteral("job"), QStringLiteral("api")},
                          {QStringLiteral("instance"), QStringLiteral("api-0001")},
                          {QStringLiteral("tier"), QStringLiteral("t1")}};
    QCOMPARE(sel->matches(labels), matchesApiT1);
    // The canonical form reads back to the same selector.
    const auto again = LabelSelector::parse(canonical);
    QVERIFY(again);
    QCOMPARE(again->toPromQL(), canonical);
  }

  void selectorErrors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("no operator") << QStringLiteral("job") << QStringLiteral("offset 3: expected =");
    QTest::newRow("unquoted") << QStringLiteral("job=api")
                              << QStringLiteral("offset 4: expected a quoted value");
    QTest::newRow("unterminated") << QStringLiteral("job=\"api")
                                  << QStringLiteral("unterminated string");
    QTest::newRow("missing brace") << QStringLiteral("{job=\"api\"") << QStringLiteral("missing }");
    QTest::newRow("bad regex") << QStringLiteral("job=~\"(\"") << QStringLiteral("bad regex");
    QTest::newRow("no comma") << QStringLiteral("a=\"1\" b=\"2\"")
                              << QStringLiteral("offset 6: expected ,");
    QTest::newRow("bad name") << QStringLiteral("1a=\"x\"")
                              << QStringLiteral("offset 0: expected a label name");
  }
  void selectorErrors() {
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!LabelSelector::parse(text, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
  }

  // Sources in the server list: written, read back alike, secrets never inline.
  void sourceListRoundTrip() {
    PrometheusSourceConfig src;
    src.connection.id = QStringLiteral("lab");
    src.connection.name = QStringLiteral("Lab");
    src.connection.baseUrl = QUrl(QStringLiteral("https://prom.example:9090/prefix"));
    src.connection.interval = std::chrono::milliseconds(30000);
    src.connection.auth = AuthKind::Bearer;
    src.connection.secretRef = QStringLiteral("file:/etc/healthdeck/prom.token");
    src.connection.tlsMode = TlsMode::CaFile;
    src.connection.caFile = QStringLiteral("/etc/ssl/lab-ca.pem");
    src.selector = QStringLiteral("job=~\"api|db\"");
    src.groupLabel = QStringLiteral("team");
    src.headers.append({QByteArray("X-Scope-OrgID"), QByteArray("tenant-1")});
    TargetConfig server;
    server.id = QStringLiteral("gw");
    server.name = QStringLiteral("gateway");
    server.baseUrl = QUrl(QStringLiteral("http://192.0.2.10:9797"));
    const QByteArray json = serializeServerList({server}, {}, {src});
    QVERIFY(!json.contains("tenant-1") || json.contains("X-Scope-OrgID"));
    const ServerListResult back = parseServerList(json, QStringLiteral("servers.json"));
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.servers.size(), 1);
    QCOMPARE(back.sources.size(), 1);
    const PrometheusSourceConfig& b = back.sources.first();
    QCOMPARE(b.connection.id, src.connection.id);
    QCOMPARE(b.connection.sourceId, src.connection.id);
    QCOMPARE(b.connection.baseUrl, src.connection.baseUrl);
    QCOMPARE(b.connection.interval, src.connection.interval);
    QCOMPARE(b.connection.secretRef, src.connection.secretRef);
    QCOMPARE(b.connection.caFile, src.connection.caFile);
    QCOMPARE(b.selector, src.selector);
    QCOMPARE(b.groupLabel, src.groupLabel);
    QCOMPARE(b.headers, src.headers);
    // A file without sources still reads, with none.
    QVERIFY(
        parseServerList(serializeServerList({server}), QStringLiteral("s.json")).sources.isEmpty());
  }

  void sourceListErrors_data() {
    QTest::addColumn<QByteArray>("sources");
    QTest::addColumn<QString>("error");
    QTest::newRow("not a list") << QByteArray("{}")
                                << QStringLiteral("servers.json: sources: expected a list");
    QTest::newRow("no name") << QByteArray("[{\"url\":\"http://p:9090\"}]")
                             << QStringLiteral("servers.json: sources[0].name: required");
    QTest::newRow("bad url") << QByteArray("[{\"name\":\"a\",\"url\":\"ftp://p\"}]")
                             << QStringLiteral("sources[0].url: not an http or https URL");
    QTest::newRow("bad selector")
        << QByteArray("[{\"name\":\"a\",\"url\":\"http://p\",\"selector\":\"job=api\"}]")
        << QStringLiteral("sources[0].selector: offset 4: expected a quoted value");
    QTest::newRow("inline secret")
        << QByteArray(
               "[{\"name\":\"a\",\"url\":\"http://p\",\"auth\":\"bearer\",\"secret\":\"s3cr3t\"}]")
        << QStringLiteral("sources[0].secret:");
    QTest::newRow("authorization header")
        << QByteArray("[{\"name\":\"a\",\"url\":\"http://"
                      "p\",\"headers\":{\"Authorization\":\"Bearer x\"}}]")
        << QStringLiteral("sources[0].headers.Authorization:");
    QTest::newRow("unknown key") << QByteArray(
                                        "[{\"name\":\"a\",\"url\":\"http://p\",\"tokn\":\"x\"}]")
                                 << QStringLiteral("sources[0].tokn: unknown key");
    QTest::newRow("id of a server")
        << QByteArray("[{\"id\":\"gw\",\"name\":\"a\",\"url\":\"http://p\"}]")
        << QStringLiteral("sources[0].id: \"gw\" used twice");
    QTest::newRow("interval too short")
        << QByteArray("[{\"name\":\"a\",\"url\":\"http://p\",\"interval\":\"100ms\"}]")
        << QStringLiteral("sources[0].interval:");
  }
  void sourceListErrors() {
    QFETCH(QByteArray, sources);
    QFETCH(QString, error);
    const QByteArray json = "{\"version\":1,\"servers\":[{\"id\":\"gw\",\"name\":\"gateway\","
                            "\"url\":\"http://192.0.2.10:9797\"}],\"sources\":" +
                            sources + "}";
    const ServerListResult r = parseServerList(json, QStringLiteral("servers.json"));
    QVERIFY2(r.error.contains(error), qPrintable(r.error));
    QVERIFY(r.servers.isEmpty()); // loses nothing by half-loading
    QVERIFY(r.sources.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TstPrometheusApi)
#include "tst_prometheus_api.moc"
