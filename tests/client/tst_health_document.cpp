// HealthDocumentParser: one _data() table per dialect, with realistic payloads including
// degraded, details hidden, nested components, malformed and truncated bodies.

#include "healthdeck/client/parse/health_document_parser.h"

#include <QFile>
#include <QtTest>

using namespace healthdeck;

namespace {

QByteArray fixture(const char* name) {
  const QString path = QFINDTESTDATA(QStringLiteral("data/") + QLatin1String(name));
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("missing fixture %s", name);
  return f.readAll();
}

const HealthComponent* findComponent(const HealthDocument& doc, const QString& path) {
  for (const auto& c : doc.components)
    if (c.path.join(QLatin1Char('/')) == path) return &c;
  return nullptr;
}

} // namespace

class TstHealthDocument : public QObject {
  Q_OBJECT

private:
  void addColumns() {
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("understood");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<int>("overall");
    QTest::addColumn<int>("componentCount");
    QTest::addColumn<bool>("detailsHidden");
    QTest::addColumn<QString>("componentPath"); // a component to look at ("" = none)
    QTest::addColumn<int>("componentStatus");
    QTest::addColumn<QString>("componentDetails");   // substring its details must contain
    QTest::addColumn<qint64>("componentDurationNs"); // -1 = no duration
  }
  static int d(HealthDialect x) { return static_cast<int>(x); }
  static int s(Status x) { return static_cast<int>(x); }
  void check() {
    QFETCH(int, http);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(bool, understood);
    QFETCH(int, dialect);
    QFETCH(int, overall);
    QFETCH(int, componentCount);
    QFETCH(bool, detailsHidden);
    QFETCH(QString, componentPath);
    QFETCH(int, componentStatus);
    QFETCH(QString, componentDetails);
    QFETCH(qint64, componentDurationNs);

    const HealthParseResult r = HealthDocumentParser::parse(http, contentType, body);
    QCOMPARE(r.document.has_value(), understood);
    if (!understood) {
      QVERIFY2(!r.error.isEmpty(), "a body that is not understood must say why");
      return;
    }
    const HealthDocument& doc = *r.document;
    QCOMPARE(static_cast<int>(doc.dialect), dialect);
    QCOMPARE(static_cast<int>(doc.overall), overall);
    QCOMPARE(static_cast<int>(doc.components.size()), componentCount);
    QCOMPARE(doc.detailsHidden, detailsHidden);
    for (const auto& c : doc.components) {
      QVERIFY(!c.path.isEmpty());
      QCOMPARE(c.path.last(), c.name);
    }
    if (componentPath.isEmpty()) return;
    const HealthComponent* c = findComponent(doc, componentPath);
    QVERIFY2(c, qPrintable(QStringLiteral("no component ") + componentPath));
    QCOMPARE(static_cast<int>(c->status), componentStatus);
    QVERIFY2(c->details.contains(componentDetails), qPrintable(c->details));
    if (componentDurationNs < 0)
      QVERIFY(!c->duration.has_value());
    else {
      QVERIFY(c->duration.has_value());
      QCOMPARE(static_cast<qint64>(c->duration->count()), componentDurationNs);
    }
  }

private Q_SLOTS:
  void healthdeck_data() {
    addColumns();
    const auto H = d(HealthDialect::Healthdeck);
    QTest::newRow("degraded fixture")
        << 200 << QByteArray("application/json") << fixture("healthdeck_ready_degraded.json")
        << true << H << s(Status::Degraded) << 3 << false << QStringLiteral("redis")
        << s(Status::Degraded) << QStringLiteral("412 ms") << qint64(412004113);
    QTest::newRow("down 503")
        << 503 << QByteArray("application/json")
        << QByteArray(
               R"({"success":false,"status":"down","probe":"readiness","timestamp":"2026-11-27T10:00:00Z","checks":[{"component":"database","status":"down","details":"connection refused","duration":2000000000}]})")
        << true << H << s(Status::Down) << 1 << false << QStringLiteral("database")
        << s(Status::Down) << QStringLiteral("refused") << qint64(2000000000);
    QTest::newRow("summary /health, details hidden")
        << 200 << QByteArray("application/json") << QByteArray(R"({"success":true,"status":"up"})")
        << true << H << s(Status::Up) << 0 << true << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("empty checks") << 200 << QByteArray("application/json")
                                  << QByteArray(R"({"success":true,"status":"up","checks":[]})")
                                  << true << H << s(Status::Up) << 0 << false << QString() << 0
                                  << QString() << qint64(-1);
    QTest::newRow("check without component")
        << 200 << QByteArray("application/json")
        << QByteArray(R"({"success":true,"status":"up","checks":[{"status":"up"}]})") << false << 0
        << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("bad component status")
        << 200 << QByteArray("application/json")
        << QByteArray(R"({"status":"up","checks":[{"component":"db","status":"fine"}]})") << false
        << 0 << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
    QByteArray truncated = fixture("healthdeck_ready_degraded.json");
    truncated.truncate(truncated.size() / 2);
    QTest::newRow("truncated") << 200 << QByteArray("application/json") << truncated << false << 0
                               << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
  }
  void healthdeck() { check(); }

  void ietf_data() {
    addColumns();
    const auto I = d(HealthDialect::IetfHealthJson);
    QTest::newRow("warn fixture")
        << 200 << QByteArray("application/health+json") << fixture("ietf_health.json") << true << I
        << s(Status::Degraded) << 3 << false
        << QStringLiteral("cassandra:responseTime/dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2")
        << s(Status::Degraded) << QStringLiteral("slower than") << qint64(250000000);
    QTest::newRow("pass, details hidden")
        << 200 << QByteArray("application/health+json") << QByteArray(R"({"status":"pass"})")
        << true << I << s(Status::Up) << 0 << true << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("our exporter's IETF shape")
        << 503 << QByteArray("application/health+json; charset=utf-8")
        << QByteArray(
               R"({"status":"fail","checks":{"database:readiness":[{"componentType":"component","status":"fail","output":"connection refused","time":"2026-11-27T10:00:00Z"}]}})")
        << true << I << s(Status::Down) << 1 << false << QStringLiteral("database")
        << s(Status::Down) << QStringLiteral("connection refused") << qint64(-1);
    QTest::newRow("up/down spelled, with health+json type")
        << 200 << QByteArray("application/health+json") << QByteArray(R"({"status":"up"})") << true
        << I << s(Status::Up) << 0 << true << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("checks not an object")
        << 200 << QByteArray("application/health+json")
        << QByteArray(R"({"status":"pass","checks":[1,2]})") << false << 0 << 0 << 0 << false
        << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("entry without status")
        << 200 << QByteArray("application/health+json")
        << QByteArray(R"({"status":"pass","checks":{"db":[{"observedValue":1}]}})") << false << 0
        << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
  }
  void ietf() { check(); }

  void spring_data() {
    addColumns();
    const auto S = d(HealthDialect::SpringBoot);
    QTest::newRow("v3 nested fixture")
        << 503 << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << fixture("spring_boot3_nested.json") << true << S << s(Status::Down) << 8 << false
        << QStringLiteral("db/reporting") << s(Status::Down)
        << QStringLiteral("CannotGetJdbcConnectionException") << qint64(-1);
    QTest::newRow("v3 nested parent")
        << 503 << QByteArray("application/json") << fixture("spring_boot3_nested.json") << true << S
        << s(Status::Down) << 8 << false << QStringLiteral("db") << s(Status::Down) << QString()
        << qint64(-1);
    QTest::newRow("v3 out of service is down")
        << 503 << QByteArray("application/json") << fixture("spring_boot3_nested.json") << true << S
        << s(Status::Down) << 8 << false << QStringLiteral("readinessState") << s(Status::Down)
        << QString() << qint64(-1);
    QTest::newRow("v3 details as key=value")
        << 503 << QByteArray("application/json") << fixture("spring_boot3_nested.json") << true << S
        << s(Status::Down) << 8 << false << QStringLiteral("redis") << s(Status::Up)
        << QStringLiteral("version=7.0.11") << qint64(-1);
    QTest::newRow("details hidden (show-details never)")
        << 200 << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << QByteArray(R"({"status":"UP"})") << true << S << s(Status::Up) << 0 << true << QString()
        << 0 << QString() << qint64(-1);
    QTest::newRow("v2.0 legacy details map")
        << 200 << QByteArray("application/vnd.spring-boot.actuator.v2+json")
        << QByteArray(
               R"({"status":"UP","details":{"diskSpace":{"status":"UP","details":{"total":100,"free":50,"threshold":10}},"db":{"status":"UP","details":{"database":"H2","hello":1}}}})")
        << true << S << s(Status::Up) << 2 << false << QStringLiteral("db") << s(Status::Up)
        << QStringLiteral("database=H2") << qint64(-1);
    QTest::newRow("v2.1 legacy composite under details")
        << 200 << QByteArray("application/json")
        << QByteArray(
               R"({"status":"UP","details":{"dbs":{"status":"UP","details":{"one":{"status":"UP","details":{"database":"H2"}},"two":{"status":"UNKNOWN"}}}}})")
        << true << S << s(Status::Up) << 3 << false << QStringLiteral("dbs/two")
        << s(Status::Degraded) << QString() << qint64(-1);
    QTest::newRow("custom status is shown, not taken for up")
        << 200 << QByteArray("application/json")
        << QByteArray(R"({"status":"UP","components":{"queue":{"status":"FATAL_LAG"}}})") << true
        << S << s(Status::Up) << 1 << false << QStringLiteral("queue") << s(Status::Degraded)
        << QStringLiteral("status FATAL_LAG") << qint64(-1);
    QTest::newRow("component not an object")
        << 200 << QByteArray("application/json")
        << QByteArray(R"({"status":"UP","components":{"db":"UP"}})") << false << 0 << 0 << 0
        << false << QString() << 0 << QString() << qint64(-1);
    QByteArray deep = R"({"status":"UP","components":)";
    for (int i = 0; i < 40; ++i)
      deep += R"({"c":{"status":"UP","components":)";
    deep += "{}";
    for (int i = 0; i < 40; ++i)
      deep += "}}";
    deep += "}";
    QTest::newRow("nesting beyond the limit")
        << 200 << QByteArray("application/json") << deep << false << 0 << 0 << 0 << false
        << QString() << 0 << QString() << qint64(-1);
  }
  void spring() { check(); }

  void aspnet_data() {
    addColumns();
    const auto J = d(HealthDialect::AspNetJson);
    const auto T = d(HealthDialect::AspNetText);
    QTest::newRow("UI JSON degraded")
        << 200 << QByteArray("application/json") << fixture("aspnet_ui.json") << true << J
        << s(Status::Degraded) << 3 << false << QStringLiteral("redis") << s(Status::Degraded)
        << QStringLiteral("412 ms") << qint64(412001100);
    QTest::newRow("UI JSON exception details")
        << 503 << QByteArray("application/json")
        << QByteArray(
               R"({"status":"Unhealthy","totalDuration":"1.00:00:01.5","entries":{"sql":{"data":{},"duration":"00:00:05","exception":"Timeout expired","status":"Unhealthy","tags":[]}}})")
        << true << J << s(Status::Down) << 1 << false << QStringLiteral("sql") << s(Status::Down)
        << QStringLiteral("Timeout expired") << qint64(5000000000);
    QTest::newRow("plain Healthy")
        << 200 << QByteArray("text/plain") << QByteArray("Healthy") << true << T << s(Status::Up)
        << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("plain Degraded")
        << 200 << QByteArray("text/plain") << QByteArray("Degraded\n") << true << T
        << s(Status::Degraded) << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("plain Unhealthy")
        << 503 << QByteArray("text/plain") << QByteArray("Unhealthy") << true << T
        << s(Status::Down) << 0 << false << QString() << 0 << QString() << qint64(-1);
    // Status words are case-insensitive everywhere (issue 10).
    QTest::newRow("plain healthy lower case")
        << 200 << QByteArray("text/plain") << QByteArray("healthy") << true << T << s(Status::Up)
        << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("plain UNHEALTHY upper case")
        << 503 << QByteArray("text/plain") << QByteArray("UNHEALTHY") << true << T
        << s(Status::Down) << 0 << false << QString() << 0 << QString() << qint64(-1);
  }
  void aspnet() { check(); }

  void kubernetes_data() {
    addColumns();
    const auto K = d(HealthDialect::KubernetesText);
    QTest::newRow("readyz failed fixture")
        << 500 << QByteArray("text/plain; charset=utf-8") << fixture("kubernetes_readyz_failed.txt")
        << true << K << s(Status::Down) << 8 << false << QStringLiteral("etcd") << s(Status::Down)
        << QStringLiteral("reason withheld") << qint64(-1);
    QTest::newRow("nested hook path")
        << 500 << QByteArray("text/plain") << fixture("kubernetes_readyz_failed.txt") << true << K
        << s(Status::Down) << 8 << false
        << QStringLiteral("poststarthook/start-apiserver-admission-initializer") << s(Status::Up)
        << QString() << qint64(-1);
    QTest::newRow("livez passed") << 200 << QByteArray("text/plain")
                                  << QByteArray(
                                         "[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n")
                                  << true << K << s(Status::Up) << 3 << false
                                  << QStringLiteral("log") << s(Status::Up) << QString()
                                  << qint64(-1);
    QTest::newRow("truncated mid line")
        << 200 << QByteArray("text/plain") << QByteArray("[+]ping ok\n[+]lo") << false << 0 << 0
        << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("garbage after verdict")
        << 200 << QByteArray("text/plain") << QByteArray("[+]ping ok\nhealthz check passed\nextra")
        << false << 0 << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
  }
  void kubernetes() { check(); }

  void statusCode_data() {
    addColumns();
    const auto C = d(HealthDialect::StatusCode);
    QTest::newRow("empty 200") << 200 << QByteArray() << QByteArray() << true << C << s(Status::Up)
                               << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("empty 204") << 204 << QByteArray() << QByteArray("\r\n") << true << C
                               << s(Status::Up) << 0 << false << QString() << 0 << QString()
                               << qint64(-1);
    QTest::newRow("ok 200 (healthz)")
        << 200 << QByteArray("text/plain") << QByteArray("ok") << true << C << s(Status::Up) << 0
        << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("empty 503") << 503 << QByteArray() << QByteArray() << true << C
                               << s(Status::Down) << 0 << false << QString() << 0 << QString()
                               << qint64(-1);
    QTest::newRow("html 502 is still down")
        << 502 << QByteArray("text/html") << QByteArray("<html><body>Bad Gateway</body></html>")
        << true << d(HealthDialect::PlainText) << s(Status::Down) << 0 << false << QString() << 0
        << QString() << qint64(-1);
    // A 2xx in no health format is up (issue 10); the page's title is its detail.
    QTest::newRow("html 200 reads up")
        << 200 << QByteArray("text/html") << QByteArray("<!doctype html><title>Login</title>")
        << true << d(HealthDialect::PlainText) << s(Status::Up) << 0 << false << QString() << 0
        << QString() << qint64(-1);
    QTest::newRow("empty 400 is not understood")
        << 400 << QByteArray() << QByteArray() << false << 0 << 0 << 0 << false << QString() << 0
        << QString() << qint64(-1);
    QTest::newRow("json array") << 200 << QByteArray("application/json") << QByteArray("[1]")
                                << false << 0 << 0 << 0 << false << QString() << 0 << QString()
                                << qint64(-1);
    QTest::newRow("json without status")
        << 200 << QByteArray("application/json") << QByteArray(R"({"healthy":true})") << false << 0
        << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
    QTest::newRow("binary garbage")
        << 200 << QByteArray("application/octet-stream") << QByteArray("\x00\x01\xff\xfe{", 5)
        << false << 0 << 0 << 0 << false << QString() << 0 << QString() << qint64(-1);
  }
  void statusCode() { check(); }

  void firstLine() {
    // HTML's "first line" is what the page says about itself, never its markup.
    const auto r = HealthDocumentParser::parse(
        400, "text/html", "\n\n  <!doctype html>\t<title>Sign in</title>\nsecond line\n");
    QVERIFY(!r.document);
    QCOMPARE(r.rawFirstLine, QStringLiteral("Sign in"));
    const auto longLine = HealthDocumentParser::parse(400, "text/plain", QByteArray(5000, 'x'));
    QVERIFY(!longLine.document);
    QCOMPARE(longLine.rawFirstLine.size(), 200);
    const auto plain =
        HealthDocumentParser::parse(429, "text/plain", "\r\n  Too many requests\r\nslow down");
    QVERIFY(!plain.document);
    QCOMPARE(plain.rawFirstLine, QStringLiteral("Too many requests"));
  }

  // Shapes real servers answer with (issue 10, "Reading what real servers answer"): the
  // document's dialect, overall status, the server's own words (detail) and kept status word.
  void realServers_data() {
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<int>("overall");
    QTest::addColumn<QString>("detail");     // exact
    QTest::addColumn<QString>("statusWord"); // exact
    QTest::addColumn<int>("componentCount");
    QTest::addColumn<QString>("component"); // "name=status[:word]" of one component, or ""

    const int P = d(HealthDialect::PlainText);
    const int up = s(Status::Up), degraded = s(Status::Degraded), down = s(Status::Down);
    QTest::newRow("prometheus /-/ready")
        << 200 << QByteArray("text/plain; charset=utf-8")
        << QByteArray("Prometheus Server is Ready.\n") << P << up
        << QStringLiteral("Prometheus Server is Ready.") << QString() << 0 << QString();
    QTest::newRow("prometheus /-/ready while starting")
        << 503 << QByteArray("text/plain; charset=utf-8") << QByteArray("Service Unavailable\n")
        << P << down << QStringLiteral("Service Unavailable") << QString() << 0 << QString();
    QTest::newRow("alertmanager /-/healthy")
        << 200 << QByteArray("text/plain; charset=utf-8") << QByteArray("OK")
        << d(HealthDialect::StatusCode) << up << QString() << QString() << 0 << QString();
    QTest::newRow("haproxy monitor-uri up")
        << 200 << QByteArray("text/html")
        << QByteArray("<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n") << P << up
        << QStringLiteral("200 OK") << QString() << 0 << QString();
    QTest::newRow("haproxy monitor-uri failing")
        << 503 << QByteArray("text/html")
        << QByteArray("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to "
                      "handle this request.\n</body></html>\n")
        << P << down << QStringLiteral("503 Service Unavailable") << QString() << 0 << QString();
    QTest::newRow("nginx return 200 ok")
        << 200 << QByteArray("application/octet-stream") << QByteArray("ok")
        << d(HealthDialect::StatusCode) << up << QString() << QString() << 0 << QString();
    QTest::newRow("nginx 502 page")
        << 502 << QByteArray("text/html")
        << QByteArray("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center>"
                      "<h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n"
                      "</body>\r\n</html>\r\n")
        << P << down << QStringLiteral("502 Bad Gateway") << QString() << 0 << QString();
    QTest::newRow("html entities and nested tags in title")
        << 200 << QByteArray("text/html; charset=utf-8")
        << QByteArray("<!DOCTYPE html><html><head><TITLE>Caddy &amp; <b>friends</b> &#8211; "
                      "ready</TITLE></head></html>")
        << P << up << QStringLiteral("Caddy & friends \u2013 ready") << QString() << 0 << QString();
    QTest::newRow("html without title or heading")
        << 200 << QByteArray("text/html")
        << QByteArray("<html><head><style>p{}</style><script>var x='<b>';</script></head><body>"
                      "<p>\n  all good  </p></body></html>")
        << P << up << QStringLiteral("all good") << QString() << 0 << QString();
    QTest::newRow("markup is never the detail")
        << 200 << QByteArray("text/html")
        << QByteArray("<img src=\"file:///usr/share/pixmaps/debian-logo.png\"><a href=\"http://x\">"
                      "click</a>")
        << P << up << QStringLiteral("click") << QString() << 0 << QString();
    QTest::newRow("plain text, several lines")
        << 200 << QByteArray("text/plain") << QByteArray("\n\nstorage: fine\nqueue: fine\n") << P
        << up << QStringLiteral("storage: fine") << QString() << 0 << QString();
    QTest::newRow("bare word UP") << 200 << QByteArray("text/plain") << QByteArray("UP\n") << P
                                  << up << QStringLiteral("UP") << QString() << 0 << QString();
    QTest::newRow("bare word FAIL on 200")
        << 200 << QByteArray("text/plain") << QByteArray("FAIL") << P << down
        << QStringLiteral("FAIL") << QString() << 0 << QString();
    QTest::newRow("json status OK (Syncthing)")
        << 200 << QByteArray("application/json") << QByteArray("{\n  \"status\": \"OK\"\n}\n")
        << d(HealthDialect::JsonStatus) << up << QString() << QString() << 0 << QString();
    QTest::newRow("json status Up")
        << 200 << QByteArray("application/json") << QByteArray(R"({"status":"Up"})")
        << d(HealthDialect::Healthdeck) << up << QString() << QString() << 0 << QString();
    QTest::newRow("json status PASS (health+json)")
        << 200 << QByteArray("application/health+json") << QByteArray(R"({"status":"PASS"})")
        << d(HealthDialect::IetfHealthJson) << up << QString() << QString() << 0 << QString();
    QTest::newRow("json status pass, plain json type")
        << 200 << QByteArray("application/json") << QByteArray(R"({"status":"pass","version":"1"})")
        << d(HealthDialect::IetfHealthJson) << up << QString() << QString() << 0 << QString();
    QTest::newRow("etcd healthy") << 200 << QByteArray("text/plain; charset=utf-8")
                                  << QByteArray(R"({"health":"true","reason":""})")
                                  << d(HealthDialect::Etcd) << up << QString() << QString() << 0
                                  << QString();
    QTest::newRow("etcd unhealthy")
        << 503 << QByteArray("text/plain; charset=utf-8")
        << QByteArray(R"({"health":"false","reason":"RAFT NO LEADER"})") << d(HealthDialect::Etcd)
        << down << QStringLiteral("RAFT NO LEADER") << QString() << 0 << QString();
    QTest::newRow("spring single indicator DOWN on 200")
        << 200 << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << QByteArray(
               R"({"status":"DOWN","details":{"total":1000,"free":10,"threshold":100,"exists":true}})")
        << d(HealthDialect::SpringBoot) << down
        << QStringLiteral("exists=true, free=10, threshold=100, total=1000") << QString() << 0
        << QString();
    QTest::newRow("spring single indicator UP")
        << 200 << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << QByteArray(
               R"json({"status":"UP","details":{"database":"PostgreSQL","validationQuery":"isValid()"}})json")
        << d(HealthDialect::SpringBoot) << up
        << QStringLiteral("database=PostgreSQL, validationQuery=isValid()") << QString() << 0
        << QString();
    QTest::newRow("spring OUT_OF_SERVICE keeps its word")
        << 503 << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << QByteArray(
               R"({"status":"OUT_OF_SERVICE","components":{"readinessState":{"status":"OUT_OF_SERVICE"}}})")
        << d(HealthDialect::SpringBoot) << down << QString() << QStringLiteral("OUT_OF_SERVICE")
        << 1 << QStringLiteral("readinessState=down:OUT_OF_SERVICE");
    QTest::newRow("UTF-8 BOM before JSON (.NET)")
        << 200 << QByteArray("application/json; charset=utf-8")
        << QByteArray("\xEF\xBB\xBF{\"status\":\"Healthy\",\"totalDuration\":\"00:00:00.0012\","
                      "\"entries\":{}}")
        << d(HealthDialect::AspNetJson) << up << QString() << QString() << 0 << QString();
    QTest::newRow("UTF-8 BOM before plain Healthy")
        << 200 << QByteArray("text/plain") << QByteArray("\xEF\xBB\xBFHealthy")
        << d(HealthDialect::AspNetText) << up << QString() << QString() << 0 << QString();
    QTest::newRow("microprofile quarkus ready, one down")
        << 503 << QByteArray("application/json; charset=UTF-8") << QByteArray(R"({
    "status": "DOWN",
    "checks": [
        {
            "name": "Database connections health check",
            "status": "DOWN",
            "data": {
                "<default>": "Unable to execute the validation check for the default DataSource: Connection refused"
            }
        },
        {
            "name": "SmallRye Reactive Messaging - readiness check",
            "status": "UP"
        }
    ]
})") << d(HealthDialect::MicroProfile)
        << down << QString() << QString() << 2
        << QStringLiteral("Database connections health check=down");
    QTest::newRow("microprofile keycloak, no checks")
        << 200 << QByteArray("application/json") << QByteArray(R"({"status":"UP","checks":[]})")
        << d(HealthDialect::MicroProfile) << up << QString() << QString() << 0 << QString();
    QTest::newRow("elasticsearch green")
        << 200 << QByteArray("application/json")
        << QByteArray(
               R"({"cluster_name":"logs","status":"green","timed_out":false,"number_of_nodes":3,"number_of_data_nodes":3,"active_primary_shards":12,"active_shards":24,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0,"delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,"task_max_waiting_in_queue_millis":0,"active_shards_percent_as_number":100.0})")
        << d(HealthDialect::Elasticsearch) << up << QStringLiteral("cluster logs green")
        << QStringLiteral("green") << 0 << QString();
    QTest::newRow("opensearch yellow")
        << 200 << QByteArray("application/json; charset=UTF-8")
        << QByteArray(
               R"({"cluster_name":"opensearch","status":"yellow","timed_out":false,"number_of_nodes":1,"discovered_master":true,"active_primary_shards":5,"active_shards":5,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":3})")
        << d(HealthDialect::Elasticsearch) << degraded
        << QStringLiteral("cluster opensearch yellow, unassigned shards: 3")
        << QStringLiteral("yellow") << 0 << QString();
    QTest::newRow("elasticsearch red")
        << 200 << QByteArray("application/json")
        << QByteArray(R"({"cluster_name":"logs","status":"red","unassigned_shards":7})")
        << d(HealthDialect::Elasticsearch) << down
        << QStringLiteral("cluster logs red, unassigned shards: 7") << QStringLiteral("red") << 0
        << QString();
  }
  void realServers() {
    QFETCH(int, http);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, dialect);
    QFETCH(int, overall);
    QFETCH(QString, detail);
    QFETCH(QString, statusWord);
    QFETCH(int, componentCount);
    QFETCH(QString, component);
    const HealthParseResult r = HealthDocumentParser::parse(http, contentType, body);
    QVERIFY2(r.document, qPrintable(r.error));
    QCOMPARE(toString(r.document->dialect), toString(static_cast<HealthDialect>(dialect)));
    QCOMPARE(static_cast<int>(r.document->overall), overall);
    QCOMPARE(r.document->detail, detail);
    QCOMPARE(r.document->statusWord, statusWord);
    QCOMPARE(static_cast<int>(r.document->components.size()), componentCount);
    if (component.isEmpty()) return;
    const QString name = component.section(QLatin1Char('='), 0, 0);
    const QString want = component.section(QLatin1Char('='), 1);
    const HealthComponent* c = findComponent(*r.document, name);
    QVERIFY2(c, qPrintable(name));
    const auto st = toString(c->status);
    QString got = QString::fromLatin1(st.data(), static_cast<qsizetype>(st.size()));
    if (!c->statusWord.isEmpty()) got += QLatin1Char(':') + c->statusWord;
    QCOMPARE(got, want);
  }

  // Only a body that claims a format and breaks it is "not understood".
  void brokenClaims_data() {
    QTest::addColumn<int>("http");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("why"); // substring of the error
    QTest::newRow("json cut short") << 200 << QByteArray(R"({"status":"UP","components":{)")
                                    << QStringLiteral("malformed JSON");
    QTest::newRow("json with an unknown status word")
        << 200 << QByteArray(R"({"status":"purple"})") << QStringLiteral("unknown status");
    QTest::newRow("etcd with a non-boolean")
        << 200 << QByteArray(R"({"health":"maybe"})") << QStringLiteral("health");
    QTest::newRow("microprofile check without status")
        << 200 << QByteArray(R"({"status":"UP","checks":[{"name":"db"}]})")
        << QStringLiteral("checks[0]");
    QTest::newRow("kubernetes line broken")
        << 200 << QByteArray("[+]ping ok\n[+]etcd\n") << QStringLiteral("line 2");
    QTest::newRow("text on a 418")
        << 418 << QByteArray("I'm a teapot") << QStringLiteral("HTTP 418");
  }
  void brokenClaims() {
    QFETCH(int, http);
    QFETCH(QByteArray, body);
    QFETCH(QString, why);
    const HealthParseResult r = HealthDocumentParser::parse(http, "application/json", body);
    QVERIFY(!r.document);
    QVERIFY2(r.error.contains(why), qPrintable(r.error));
  }

  void malformedJsonSaysWhere() {
    const auto r = HealthDocumentParser::parse(200, "application/json", R"({"status":"up",)");
    QVERIFY(!r.document);
    QVERIFY2(r.error.startsWith(QStringLiteral("malformed JSON at byte")), qPrintable(r.error));
  }
};

QTEST_GUILESS_MAIN(TstHealthDocument)
#include "tst_health_document.moc"
