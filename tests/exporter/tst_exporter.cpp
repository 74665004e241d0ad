// The exporter in-process on port 0: every route and status code, HEAD, gzip, custom paths,
// show_details, the IETF form, auth, start failures and the exporter's own families.

#include "tests/exporter/exporter_fixture.h"
#include "tests/support/http_client.h"

#include "healthdeck/metrics/counter.h"
#include "healthdeck/metrics/gauge.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace healthdeck;
using namespace healthdeck::testing;
using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

QJsonObject json(const HttpReply& r) {
  QJsonParseError err{};
  const auto doc = QJsonDocument::fromJson(r.body, &err);
  return doc.object();
}

/// Value of the sample line `series` (exact text before the space), or NaN.
double sample(const QByteArray& page, const QByteArray& series) {
  for (const QByteArray& line : page.split('\n'))
    if (line.startsWith(QByteArray(series + ' '))) return line.mid(series.size() + 1).toDouble();
  return std::numeric_limits<double>::quiet_NaN();
}

std::string writeFile(const QTemporaryDir& dir, const QString& name, const std::string& content) {
  const std::string path = QString(dir.path() + QLatin1Char('/') + name).toStdString();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

} // namespace

class TstExporter : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void metricsRoute() {
    ExporterFixture f;
    f.registry.counter("orders_total", "Orders.").inc(42);
    f.exporter->start();
    QVERIFY(f.port() != 0);
    const HttpReply r = httpRequest(f.port(), "GET", "/metrics");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(r.header("Content-Length").toLongLong(), r.body.size());
    QVERIFY(r.header("Content-Encoding").isNull());
    QCOMPARE(sample(r.body, "orders_total"), 42.0);
    QVERIFY(r.body.contains("# TYPE exporter_scrapes_total counter"));
  }

  void keepAliveReusesConnection() {
    ExporterFixture f;
    f.exporter->start();
    HttpConnection conn(f.port());
    QVERIFY(conn.isConnected());
    for (int i = 0; i < 3; ++i) {
      const HttpReply r = conn.request("GET", "/metrics");
      QCOMPARE(r.status, 200);
      QCOMPARE(r.header("Connection").toLower(), QByteArray("keep-alive"));
      QVERIFY(!r.closedByServer);
    }
    const HttpReply h = conn.request("GET", "/health/ready");
    QCOMPARE(h.status, 200);
  }

  void head() {
    ExporterFixture f;
    f.exporter->start();
    const HttpReply get = httpRequest(f.port(), "GET", "/metrics");
    HttpConnection conn(f.port());
    const HttpReply r = conn.request("HEAD", "/metrics");
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Length").toLongLong() > 0);
    QVERIFY(r.body.isEmpty());
    // Nothing after the header: the next reply on the connection parses cleanly.
    const HttpReply next = conn.request("HEAD", "/health/live");
    QCOMPARE(next.status, 200);
    QCOMPARE(next.header("Content-Type"), QByteArray("application/json"));
    QVERIFY(get.body.size() > 0);
  }

  void gzip_data() {
    QTest::addColumn<QByteArray>("acceptEncoding");
    QTest::addColumn<bool>("compressed");
    QTest::newRow("none") << QByteArray() << false;
    QTest::newRow("gzip") << QByteArray("gzip") << true;
    QTest::newRow("prometheus") << QByteArray("gzip, deflate") << true;
    QTest::newRow("refused") << QByteArray("gzip;q=0, identity") << false;
    QTest::newRow("star") << QByteArray("*") << true;
    QTest::newRow("br only") << QByteArray("br") << false;
  }
  void gzip() {
    QFETCH(QByteArray, acceptEncoding);
    QFETCH(bool, compressed);
    ExporterFixture f;
    auto& fam = f.registry.gaugeFamily("widgets", "Widgets.", {"kind"});
    for (int i = 0; i < 500; ++i)
      fam.with({"kind_" + std::to_string(i)}).set(i);
    f.exporter->start();
    const HttpReply plain = httpRequest(f.port(), "GET", "/metrics");
    Headers headers;
    if (!acceptEncoding.isNull()) headers.append({"Accept-Encoding", acceptEncoding});
    const HttpReply r = httpRequest(f.port(), "GET", "/metrics", headers);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Length").toLongLong(), r.body.size());
    QByteArray page = r.body;
    if (compressed) {
      QCOMPARE(r.header("Content-Encoding"), QByteArray("gzip"));
      QVERIFY(r.body.size() < plain.body.size() / 3);
      bool ok = false;
      page = gunzip(r.body, &ok);
      QVERIFY(ok);
    } else {
      QVERIFY(r.header("Content-Encoding").isNull());
    }
    QCOMPARE(r.header("Vary"), QByteArray("Accept, Accept-Encoding")); // + OpenMetrics negotiation
    // Same families and series; only the exporter's own counters moved between scrapes.
    QCOMPARE(page.count('\n'), plain.body.count('\n'));
    QCOMPARE(sample(page, "widgets{kind=\"kind_499\"}"), 499.0);
  }

  void notFoundAndMethods_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/nope") << 404;
    QTest::newRow("trailing slash") << QByteArray("GET") << QByteArray("/metrics/") << 404;
    QTest::newRow("prefix") << QByteArray("GET") << QByteArray("/metricsx") << 404;
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << 404;
    QTest::newRow("query ok") << QByteArray("GET") << QByteArray("/metrics?x=1") << 200;
    QTest::newRow("POST metrics") << QByteArray("POST") << QByteArray("/metrics") << 405;
    QTest::newRow("PUT ready") << QByteArray("PUT") << QByteArray("/health/ready") << 405;
    QTest::newRow("DELETE health") << QByteArray("DELETE") << QByteArray("/health") << 405;
    QTest::newRow("OPTIONS live") << QByteArray("OPTIONS") << QByteArray("/health/live") << 405;
  }
  void notFoundAndMethods() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    ExporterFixture f;
    f.exporter->start();
    const HttpReply r = httpRequest(f.port(), method, path, {{"Content-Length", "0"}});
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Length").toLongLong(), r.body.size());
    if (status == 405) QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD"));
  }

  void disabledRoutes() {
    ExporterOptions o;
    o.metricsEnabled = false;
    ExporterFixture f(o);
    f.exporter->start();
    QCOMPARE(httpRequest(f.port(), "GET", "/metrics").status, 404);
    QCOMPARE(httpRequest(f.port(), "POST", "/metrics").status, 404);
    QCOMPARE(httpRequest(f.port(), "GET", "/health/ready").status, 200);
    QCOMPARE(f.exporter->urls().size(), std::size_t(3));

    ExporterOptions h;
    h.healthEnabled = false;
    ExporterFixture g(h);
    g.exporter->start();
    for (const char* p : {"/health", "/health/live", "/health/ready"})
      QCOMPARE(httpRequest(g.port(), "GET", p).status, 404);
    QCOMPARE(httpRequest(g.port(), "GET", "/metrics").status, 200);
    QCOMPARE(g.exporter->urls().size(), std::size_t(1));
  }

  void customPaths() {
    ExporterOptions o;
    o.metricsPath = "/internal/prom";
    o.healthPath = "/status";
    o.livePath = "/livez";
    o.readyPath = "/readyz";
    ExporterFixture f(o);
    f.exporter->start();
    QCOMPARE(httpRequest(f.port(), "GET", "/internal/prom").status, 200);
    QCOMPARE(httpRequest(f.port(), "GET", "/status").status, 200);
    QCOMPARE(httpRequest(f.port(), "GET", "/livez").status, 200);
    QCOMPARE(httpRequest(f.port(), "GET", "/readyz").status, 200);
    for (const char* p : {"/metrics", "/health", "/health/live", "/health/ready"})
      QCOMPARE(httpRequest(f.port(), "GET", p).status, 404);
    const auto urls = f.exporter->urls();
    QCOMPARE(urls.size(), std::size_t(4));
    QCOMPARE(QString::fromStdString(urls[0]),
             QStringLiteral("http://127.0.0.1:%1/internal/prom").arg(f.port()));
  }

  void readinessStatusCodes_data() {
    QTest::addColumn<int>("dbStatus");
    QTest::addColumn<int>("cacheStatus");
    QTest::addColumn<int>("http");
    QTest::addColumn<QString>("status");
    const int up = int(Status::Up), degraded = int(Status::Degraded), down = int(Status::Down);
    QTest::newRow("all up") << up << up << 200 << QStringLiteral("up");
    QTest::newRow("critical degraded") << degraded << up << 200 << QStringLiteral("degraded");
    QTest::newRow("non-critical down") << up << down << 200 << QStringLiteral("degraded");
    QTest::newRow("critical down") << down << up << 503 << QStringLiteral("down");
  }
  void readinessStatusCodes() {
    QFETCH(int, dbStatus);
    QFETCH(int, cacheStatus);
    QFETCH(int, http);
    QFETCH(QString, status);
    ExporterOptions o;
    o.showDetails = ShowDetails::Always;
    ExporterFixture f(o);
    f.addCheck("database", Probe::Readiness, true, Status(dbStatus));
    f.addCheck("cache", Probe::Readiness, false, Status(cacheStatus));
    f.exporter->start();

    const HttpReply ready = httpRequest(f.port(), "GET", "/health/ready");
    QCOMPARE(ready.status, http);
    QCOMPARE(ready.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(ready.header("Cache-Control"), QByteArray("no-store"));
    const QJsonObject doc = json(ready);
    QCOMPARE(doc.value(QStringLiteral("status")).toString(), status);
    QCOMPARE(doc.value(QStringLiteral("success")).toBool(), http == 200);
    QCOMPARE(doc.value(QStringLiteral("probe")).toString(), QStringLiteral("readiness"));
    QCOMPARE(doc.value(QStringLiteral("checks")).toArray().size(), 2);

    const HttpReply summary = httpRequest(f.port(), "GET", "/health");
    QCOMPARE(summary.status, http);
    const QJsonObject s = json(summary);
    QCOMPARE(s.keys(), QStringList({QStringLiteral("status"), QStringLiteral("success")}));
    QCOMPARE(s.value(QStringLiteral("status")).toString(), status);

    // Liveness has no checks here: always up, whatever readiness says.
    const HttpReply live = httpRequest(f.port(), "GET", "/health/live");
    QCOMPARE(live.status, 200);
    QCOMPARE(json(live).value(QStringLiteral("probe")).toString(), QStringLiteral("liveness"));
  }

  void ietfForm() {
    ExporterOptions o;
    o.showDetails = ShowDetails::Always;
    ExporterFixture f(o);
    auto db = f.addCheck("database", Probe::Readiness, true);
    f.exporter->start();
    const Headers accept{{"Accept", "application/health+json"}};
    HttpReply r = httpRequest(f.port(), "GET", "/health/ready", accept);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/health+json"));
    QCOMPARE(json(r).value(QStringLiteral("status")).toString(), QStringLiteral("pass"));
    QVERIFY(
        json(r).value(QStringLiteral("checks")).toObject().contains(QStringLiteral("database")));
    db->set(Status::Down, "connection refused");
    r = httpRequest(f.port(), "GET", "/health/ready", accept);
    QCOMPARE(r.status, 503);
    QCOMPARE(json(r).value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
    r = httpRequest(f.port(), "GET", "/health", accept);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/health+json"));
    QVERIFY(!json(r).contains(QStringLiteral("checks")));
    // A refused media type falls back to the seed schema.
    r = httpRequest(f.port(), "GET", "/health/ready", {{"Accept", "application/health+json;q=0"}});
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
  }

  void showDetails_data() {
    QTest::addColumn<int>("policy");
    QTest::addColumn<bool>("tokenConfigured");
    QTest::addColumn<QByteArray>("presented");
    QTest::addColumn<bool>("details");
    const int always = int(ShowDetails::Always), when = int(ShowDetails::WhenAuthorized),
              never = int(ShowDetails::Never);
    QTest::newRow("always, no token") << always << true << QByteArray() << true;
    QTest::newRow("always, wrong token") << always << true << QByteArray("nope") << true;
    QTest::newRow("when_authorized, none") << when << true << QByteArray() << false;
    QTest::newRow("when_authorized, wrong") << when << true << QByteArray("nope") << false;
    QTest::newRow("when_authorized, right") << when << true << QByteArray("t0ken") << true;
    QTest::newRow("when_authorized, no auth") << when << false << QByteArray() << true;
    QTest::newRow("never, right") << never << true << QByteArray("t0ken") << false;
    QTest::newRow("never, no auth") << never << false << QByteArray() << false;
  }
  void showDetails() {
    QFETCH(int, policy);
    QFETCH(bool, tokenConfigured);
    QFETCH(QByteArray, presented);
    QFETCH(bool, details);
    QTemporaryDir dir;
    ExporterOptions o;
    o.showDetails = ShowDetails(policy);
    if (tokenConfigured) o.bearerTokenFile = writeFile(dir, QStringLiteral("token"), "t0ken\n");
    ExporterFixture f(o);
    f.addCheck("database", Probe::Readiness, true, Status::Down);
    f.exporter->start();
    Headers h;
    if (!presented.isNull()) h.append({"Authorization", "Bearer " + presented});
    const HttpReply r = httpRequest(f.port(), "GET", "/health/ready", h);
    QCOMPARE(r.status, 503); // the status code is always answered
    QCOMPARE(json(r).value(QStringLiteral("status")).toString(), QStringLiteral("down"));
    QCOMPARE(json(r).contains(QStringLiteral("checks")), details);
    const HttpReply ietf = httpRequest(f.port(), "GET", "/health/live",
                                       h + Headers{{"Accept", "application/health+json"}});
    QCOMPARE(ietf.status, 200);
  }

  void metricsAuth() {
    QTemporaryDir dir;
    ExporterOptions o;
    o.bearerTokenFile = writeFile(dir, QStringLiteral("token"), "s3cr3t-token\n");
    ExporterFixture f(o);
    f.exporter->start();
    HttpReply r = httpRequest(f.port(), "GET", "/metrics");
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
    QVERIFY(!r.body.contains("s3cr3t"));
    r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Bearer s3cr3t-tokeN"}});
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("WWW-Authenticate").contains("invalid_token"));
    r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Bearer s3cr3t-token-more"}});
    QCOMPARE(r.status, 401);
    r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Basic czNjcjN0LXRva2Vu"}});
    QCOMPARE(r.status, 401);
    r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Bearer s3cr3t-token"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("exporter_scrapes_total"));
    // HEAD is protected too.
    QCOMPARE(httpRequest(f.port(), "HEAD", "/metrics").status, 401);
    // Probes keep working without a token.
    QCOMPARE(httpRequest(f.port(), "GET", "/health/ready").status, 200);
    QCOMPARE(httpRequest(f.port(), "GET", "/health/live").status, 200);
  }

  void exporterFamiliesMove() {
    ExporterFixture f({}, "shop");
    f.addCheck("database", Probe::Readiness, true);
    f.addCheck("self", Probe::Liveness, true, Status::Degraded);
    f.exporter->start();
    const HttpReply first = httpRequest(f.port(), "GET", "/metrics");
    const HttpReply second = httpRequest(f.port(), "GET", "/metrics");
    QCOMPARE(second.status, 200);
    const double s1 = sample(first.body, "shop_exporter_scrapes_total");
    const double s2 = sample(second.body, "shop_exporter_scrapes_total");
    QCOMPARE(s2, s1 + 1);
    QVERIFY(sample(second.body, "shop_exporter_response_bytes_total") >= first.body.size());
    QVERIFY(sample(second.body, "shop_exporter_scrape_duration_seconds_count") >= 1);
    QVERIFY(sample(second.body, "shop_exporter_last_scrape_timestamp_seconds") >
            QDateTime::currentSecsSinceEpoch() - 60);
    // Health series exist though nobody probed: the scrape refreshed health.
    QCOMPARE(sample(second.body,
                    "shop_health_check_status{component=\"database\",probe=\"readiness\","
                    "status=\"up\"}"),
             1.0);
    QCOMPARE(sample(second.body,
                    "shop_health_check_status{component=\"database\",probe=\"readiness\","
                    "status=\"down\"}"),
             0.0);
    QCOMPARE(sample(second.body, "shop_health_check_status{component=\"self\",probe=\"liveness\","
                                 "status=\"degraded\"}"),
             1.0);
    QVERIFY(sample(second.body, "shop_health_check_duration_seconds{component=\"database\","
                                "probe=\"readiness\"}") >= 0.0);
  }

  void healthMetricsFollowStatus() {
    ExporterFixture f;
    auto db = f.addCheck("database", Probe::Readiness, true);
    f.exporter->start();
    db->set(Status::Down, "refused");
    QCOMPARE(httpRequest(f.port(), "GET", "/health/ready").status, 503);
    const HttpReply r = httpRequest(f.port(), "GET", "/metrics");
    QCOMPARE(sample(r.body, "health_check_status{component=\"database\",probe=\"readiness\","
                            "status=\"down\"}"),
             1.0);
    QCOMPARE(sample(r.body, "health_check_status{component=\"database\",probe=\"readiness\","
                            "status=\"up\"}"),
             0.0);
  }

  void busyPort() {
    HealthManager health;
    // Port in use.
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    ExporterOptions o;
    o.listen = "127.0.0.1:" + std::to_string(busy.serverPort());
    metrics::Registry r2;
    {
      Exporter e(o, r2, health);
      try {
        e.start();
        QFAIL("a busy port must fail");
      } catch (const ExporterError& err) {
        QCOMPARE(err.key(), std::string("monitoring.listen"));
        QVERIFY2(std::string(err.what()).find(std::to_string(busy.serverPort())) !=
                     std::string::npos,
                 err.what());
      }
      QVERIFY(!e.isRunning());
      QCOMPARE(e.listeningPort(), 0);
    }
  }

  void startFailureKeys_data() {
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("key");
    QTest::newRow("empty token") << QStringLiteral("empty-token")
                                 << QStringLiteral("monitoring.auth.bearer_token_file");
    QTest::newRow("missing token")
        << QStringLiteral("missing-token") << QStringLiteral("monitoring.auth.bearer_token_file");
    QTest::newRow("missing cert") << QStringLiteral("missing-cert")
                                  << QStringLiteral("monitoring.tls.cert_file");
    QTest::newRow("garbage cert") << QStringLiteral("garbage-cert")
                                  << QStringLiteral("monitoring.tls.cert_file");
    QTest::newRow("collision") << QStringLiteral("collision")
                               << QStringLiteral("monitoring.health_check.endpoints.ready");
    QTest::newRow("relative path")
        << QStringLiteral("relative") << QStringLiteral("monitoring.prometheus.endpoint");
    QTest::newRow("ipv6") << QStringLiteral("ipv6") << QStringLiteral("monitoring.listen");
    QTest::newRow("bad port") << QStringLiteral("bad-port") << QStringLiteral("monitoring.listen");
    QTest::newRow("hostname") << QStringLiteral("hostname") << QStringLiteral("monitoring.listen");
  }
  void startFailureKeys() {
    QFETCH(QString, what);
    QFETCH(QString, key);
    QTemporaryDir dir;
    ExporterOptions o;
    o.listen = "127.0.0.1:0";
    if (what == QLatin1String("empty-token"))
      o.bearerTokenFile = writeFile(dir, QStringLiteral("t"), "\n");
    if (what == QLatin1String("missing-token")) o.bearerTokenFile = "/nonexistent/token";
    if (what == QLatin1String("missing-cert")) o.tls.certFile = "/nonexistent/cert.pem";
    if (what == QLatin1String("garbage-cert"))
      o.tls.certFile = writeFile(dir, QStringLiteral("c.pem"), "not a certificate\n");
    if (what == QLatin1String("collision")) o.readyPath = "/metrics";
    if (what == QLatin1String("relative")) o.metricsPath = "metrics";
    if (what == QLatin1String("ipv6")) o.listen = "[::1]:9797";
    if (what == QLatin1String("bad-port")) o.listen = "127.0.0.1:70000";
    if (what == QLatin1String("hostname")) o.listen = "example.invalid:80";
    metrics::Registry registry;
    HealthManager health;
    Exporter e(o, registry, health);
    try {
      e.start();
      QFAIL("start must fail");
    } catch (const ExporterError& err) {
      QCOMPARE(QString::fromStdString(err.key()), key);
      QVERIFY2(std::string(err.what()).starts_with(err.key() + ": "), err.what());
      QVERIFY(!e.isRunning());
    }
  }

  void tlsWithSeparateKeyFile() {
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    QVERIFY2(!openssl.isEmpty() && !curl.isEmpty(), "openssl and curl come from scripts/deps.sh");
    QTemporaryDir dir;
    const QString cert = dir.path() + QStringLiteral("/cert.pem");
    const QString key = dir.path() + QStringLiteral("/key.pem");
    QProcess gen;
    gen.start(openssl,
              {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
               QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
               QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
               QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")});
    QVERIFY(gen.waitForFinished(60000));
    QCOMPARE(gen.exitCode(), 0);
    ExporterOptions o;
    o.tls.certFile = cert.toStdString();
    o.tls.keyFile = key.toStdString();
    ExporterFixture f(o);
    f.exporter->start();
    QVERIFY(QString::fromStdString(f.exporter->urls().at(0)).startsWith(QLatin1String("https://")));
    QProcess client;
    client.start(curl, {QStringLiteral("-sk"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                        QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                        QStringLiteral("https://127.0.0.1:%1/metrics").arg(f.port())});
    QVERIFY(client.waitForFinished(30000));
    QCOMPARE(client.readAllStandardOutput(), QByteArray("200"));
    // Plain HTTP on the TLS port gets no metrics page.
    QVERIFY(httpRequest(f.port(), "GET", "/metrics", {}, 3000).status != 200);
  }

  void stopAndRestart() {
    ExporterFixture f;
    f.exporter->start();
    const quint16 port = f.port();
    QCOMPARE(httpRequest(port, "GET", "/metrics").status, 200);
    f.exporter->stop();
    QVERIFY(!f.exporter->isRunning());
    QVERIFY(f.exporter->urls().empty());
    QCOMPARE(httpRequest(port, "GET", "/metrics", {}, 1000).status, 0);
    f.exporter->start();
    QCOMPARE(httpRequest(f.port(), "GET", "/metrics").status, 200);
  }
};

QTEST_GUILESS_MAIN(TstExporter)
#include "tst_exporter.moc"
