// `healthdeck check`: the built executable against loopback servers — every dialect, 404,
// 401/403, refused, timeout, TLS failure and redirect loops map to the documented exit codes
// and output (first line the verdict, then each component that is not up).

#include "healthdeck/client/state_presentation.h"
#include "tests/support/canned_http_server.h"
#include "tests/support/ports.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using healthdeck::testing::CannedHttpServer;

namespace {

QByteArray fixture(const QString& name) {
  QFile f(QFINDTESTDATA(QStringLiteral("data/") + name));
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Run {
  int exitCode = -1;
  QStringList lines;
  QByteArray out;
  QByteArray err;
};

/// Runs the binary while this thread's event loop keeps serving the canned server.
Run runCheck(const QStringList& args) {
  Run r;
  QProcess p;
  p.setProgram(qEnvironmentVariable("HEALTHDECK_BINARY"));
  p.setArguments(QStringList{QStringLiteral("check")} + args);
  QSignalSpy finished(&p, &QProcess::finished);
  p.start();
  if (!p.waitForStarted(10000)) return r;
  if (!finished.wait(30000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  r.lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  return r;
}

} // namespace

class TstCheckCommand : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("HEALTHDECK_BINARY"))
      QFAIL("HEALTHDECK_BINARY is not set (run through ctest)");
    QVERIFY(QFile::exists(qEnvironmentVariable("HEALTHDECK_BINARY")));
  }

  void answers_data() {
    QTest::addColumn<QString>("servedPath");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("urlPath"); // appended to the server's base URL
    QTest::addColumn<QStringList>("extraArgs");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("firstLine");   // prefix
    QTest::addColumn<QString>("anotherLine"); // exact, "" = none expected

    const QString ready = QStringLiteral("/health/ready");
    QTest::newRow("healthdeck degraded, base URL")
        << ready << 200 << QByteArray("application/json")
        << fixture(QStringLiteral("healthdeck_ready_degraded.json")) << QString() << QStringList()
        << 1
        << QStringLiteral(
               "WARNING: degraded - redis degraded: answers slowly (412 ms > 250 ms); probed ")
        << QStringLiteral("  redis: degraded - answers slowly (412 ms > 250 ms)");
    QTest::newRow("healthdeck up, base URL with slash")
        << ready << 200 << QByteArray("application/json")
        << QByteArray(
               R"json({"success":true,"status":"up","checks":[{"component":"db","status":"up"},{"component":"disk","status":"up"}]})json")
        << QStringLiteral("/") << QStringList() << 0
        << QStringLiteral("OK: up - All 2 components up") << QString();
    QTest::newRow("liveness probe on base URL")
        << QStringLiteral("/health/live") << 200 << QByteArray("application/json")
        << QByteArray(
               R"json({"success":true,"status":"up","checks":[{"component":"event loop","status":"up"}]})json")
        << QString() << QStringList{QStringLiteral("--probe"), QStringLiteral("live")} << 0
        << QStringLiteral("OK: up - The one component is up") << QString();
    QTest::newRow("spring nested down, full path")
        << QStringLiteral("/actuator/health/readiness") << 503
        << QByteArray("application/vnd.spring-boot.actuator.v3+json")
        << fixture(QStringLiteral("spring_boot3_nested.json"))
        << QStringLiteral("/actuator/health/readiness") << QStringList() << 2
        << QStringLiteral("CRITICAL: down - ")
        << QStringLiteral(
               "  db/reporting: down - org.springframework.jdbc.CannotGetJdbcConnectionException: "
               "Failed to obtain JDBC Connection");
    QTest::newRow("ietf warn")
        << QStringLiteral("/health") << 200 << QByteArray("application/health+json")
        << fixture(QStringLiteral("ietf_health.json")) << QStringLiteral("/health") << QStringList()
        << 1 << QStringLiteral("WARNING: degraded - ")
        << QStringLiteral("  cassandra:responseTime/dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2: degraded "
                          "- slower than 200 ms");
    QTest::newRow("aspnet json")
        << QStringLiteral("/healthz") << 200 << QByteArray("application/json")
        << fixture(QStringLiteral("aspnet_ui.json")) << QStringLiteral("/healthz") << QStringList()
        << 1 << QStringLiteral("WARNING: degraded - redis degraded")
        << QStringLiteral("  redis: degraded - Redis answers slowly (412 ms > 250 ms)");
    QTest::newRow("aspnet text") << QStringLiteral("/healthz") << 200 << QByteArray("text/plain")
                                 << QByteArray("Healthy") << QStringLiteral("/healthz")
                                 << QStringList() << 0 << QStringLiteral("OK: up - Up (HTTP 200)")
                                 << QString();
    QTest::newRow("kubernetes failed")
        << QStringLiteral("/readyz") << 500 << QByteArray("text/plain")
        << fixture(QStringLiteral("kubernetes_readyz_failed.txt")) << QStringLiteral("/readyz")
        << QStringList() << 2 << QStringLiteral("CRITICAL: down - etcd down: reason withheld")
        << QStringLiteral("  etcd: down - reason withheld");
    QTest::newRow("bare status 200")
        << QStringLiteral("/ping") << 200 << QByteArray() << QByteArray() << QStringLiteral("/ping")
        << QStringList() << 0 << QStringLiteral("OK: up - Up (HTTP 200)") << QString();
    QTest::newRow("bare status 503")
        << QStringLiteral("/ping") << 503 << QByteArray() << QByteArray() << QStringLiteral("/ping")
        << QStringList() << 2
        << QStringLiteral("CRITICAL: down - HTTP 503 Service Unavailable; probed ") << QString();
    // A 404 says where; "Monitoring disabled" only when the server says it runs the module.
    QTest::newRow("404 not found")
        << QStringLiteral("/other") << 200 << QByteArray() << QByteArray() << QString()
        << QStringList() << 3
        << QStringLiteral("UNKNOWN: disabled - Not found at /health/ready (HTTP 404); probed ")
        << QString();
    QTest::newRow("404 from the exporter")
        << ready << 404 << QByteArray("text/plain")
        << QByteArray("404 Not Found: this monitoring route is disabled on this server\n")
        << QString() << QStringList() << 3
        << QStringLiteral("UNKNOWN: disabled - Monitoring disabled on this server (HTTP 404)")
        << QStringLiteral("  how to enable: ") + healthdeck::enableMonitoringHelpUrl();
    QTest::newRow("401")
        << ready << 401 << QByteArray("text/plain") << QByteArray("token required") << QString()
        << QStringList() << 2
        << QStringLiteral("CRITICAL: unauthorized - Credentials missing or refused (HTTP 401): "
                          "token required")
        << QString();
    QTest::newRow("403")
        << ready << 403 << QByteArray("text/plain") << QByteArray("forbidden") << QString()
        << QStringList() << 2
        << QStringLiteral("CRITICAL: unauthorized - Credentials missing or refused (HTTP 403): "
                          "forbidden")
        << QString();
    QTest::newRow("html 200 reads up")
        << ready << 200 << QByteArray("text/html")
        << QByteArray("<html><head><title>Welcome to nginx!</title></head></html>") << QString()
        << QStringList() << 0 << QStringLiteral("OK: up - Up: Welcome to nginx!; probed ")
        << QString();
    QTest::newRow("broken JSON is not understood")
        << ready << 200 << QByteArray("application/json") << QByteArray("{\"status\":\"UP\",")
        << QString() << QStringList() << 3
        << QStringLiteral(
               "UNKNOWN: unknown - Answer not understood (HTTP 200): {\"status\":\"UP\",")
        << QStringLiteral("  first line of the answer: {\"status\":\"UP\",");
    QTest::newRow("--status-only")
        << ready << 200 << QByteArray("application/json") << QByteArray("{\"status\":\"purple\"}")
        << QString() << QStringList{QStringLiteral("--status-only")} << 0
        << QStringLiteral("OK: up - Up (HTTP 200); probed ") << QString();
    QTest::newRow("--contains missing")
        << ready << 200 << QByteArray("text/plain") << QByteArray("Prometheus Server is Ready.")
        << QString() << QStringList{QStringLiteral("--contains=Healthy")} << 2
        << QStringLiteral("CRITICAL: down - The answer does not contain \"Healthy\"; probed ")
        << QString();
    QTest::newRow("--contains present")
        << ready << 200 << QByteArray("text/plain") << QByteArray("Prometheus Server is Ready.")
        << QString() << QStringList{QStringLiteral("--contains"), QStringLiteral("Ready")} << 0
        << QStringLiteral("OK: up - Up: Prometheus Server is Ready.; probed ") << QString();
  }
  void answers() {
    QFETCH(QString, servedPath);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, urlPath);
    QFETCH(QStringList, extraArgs);
    QFETCH(int, exitCode);
    QFETCH(QString, firstLine);
    QFETCH(QString, anotherLine);
    CannedHttpServer server;
    QVERIFY(server.start());
    server.setResponse(servedPath, CannedHttpServer::Response{status, contentType, body, {}});
    const Run r = runCheck(QStringList{server.baseUrl().toString() + urlPath} + extraArgs);
    QVERIFY2(!r.lines.isEmpty(), r.err.constData());
    QVERIFY2(r.lines.first().startsWith(firstLine), qPrintable(r.lines.first()));
    QCOMPARE(r.exitCode, exitCode);
    // The first line names the URL probed and carries the perfdata, on every verdict.
    const QString probed =
        server.baseUrl().toString() +
        (urlPath.isEmpty() || urlPath == QLatin1String("/")
             ? (extraArgs.contains(QLatin1String("live")) ? QStringLiteral("/health/live")
                                                          : QStringLiteral("/health/ready"))
             : urlPath);
    QVERIFY2(
        r.lines.first().contains(QStringLiteral("; probed ") + probed + QStringLiteral(" | time=")),
        qPrintable(r.lines.first()));
    QVERIFY2(r.lines.first().endsWith(QLatin1Char('s')), qPrintable(r.lines.first()));
    if (!anotherLine.isEmpty()) QVERIFY2(r.lines.contains(anotherLine), r.out.constData());
  }

  void transportFailures() {
    // Refused.
    const quint16 port = healthdeck::testing::freePort();
    Run r = runCheck({QStringLiteral("http://127.0.0.1:%1").arg(port)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.lines.value(0).startsWith(
                 QStringLiteral("CRITICAL: unreachable - Connection refused (127.0.0.1:%1); probed "
                                "http://127.0.0.1:%1/health/ready | time=")
                     .arg(port)),
             qPrintable(r.lines.value(0)));

    // Timeout.
    CannedHttpServer silent;
    QVERIFY(silent.start());
    silent.setMode(CannedHttpServer::Mode::NeverAnswer);
    r = runCheck({silent.baseUrl().toString(), QStringLiteral("--timeout"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.lines.value(0).startsWith(
                 QStringLiteral("CRITICAL: unreachable - No answer within 1 s; probed ")),
             qPrintable(r.lines.value(0)));

    // Redirect loop.
    CannedHttpServer loop;
    QVERIFY(loop.start());
    loop.setResponse(QStringLiteral("/health/ready"),
                     CannedHttpServer::Response{302, {}, {}, {{"Location", "/health/ready"}}});
    r = runCheck({loop.baseUrl().toString()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.lines.value(0).startsWith(QStringLiteral(
                 "CRITICAL: unreachable - Redirect loop or more than 5 redirects; probed ")),
             qPrintable(r.lines.value(0)));

    // TLS with a self-signed certificate.
    QTemporaryDir dir;
    QString certPath, keyPath, error;
    QVERIFY2(
        healthdeck::testing::makeSelfSignedCertificate(dir.path(), &certPath, &keyPath, &error),
        qPrintable(error));
    QFile cf(certPath), kf(keyPath);
    QVERIFY(cf.open(QIODevice::ReadOnly) && kf.open(QIODevice::ReadOnly));
    CannedHttpServer tls;
    tls.setTls(QSslCertificate(&cf, QSsl::Pem), QSslKey(&kf, QSsl::Ec, QSsl::Pem));
    QVERIFY(tls.start());
    r = runCheck({tls.baseUrl().toString()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.lines.value(0).startsWith(QStringLiteral(
                 "CRITICAL: unreachable - Self-signed certificate, not trusted; probed ")),
             qPrintable(r.lines.value(0)));
  }

  void tokenFileAndJson() {
    CannedHttpServer server;
    QVERIFY(server.start());
    server.setResponse(
        QStringLiteral("/health/ready"),
        CannedHttpServer::Response{200,
                                   "application/json",
                                   fixture(QStringLiteral("healthdeck_ready_degraded.json")),
                                   {}});
    QTemporaryDir dir;
    QFile token(dir.filePath(QStringLiteral("token")));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("abc123\n");
    token.close();
    const Run r = runCheck({server.baseUrl().toString(), QStringLiteral("--token-file"),
                            token.fileName(), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(server.lastRequestHead().contains("\r\nAuthorization: Bearer abc123"));
    QJsonParseError err{};
    const QJsonObject o = QJsonDocument::fromJson(r.out, &err).object();
    QVERIFY2(err.error == QJsonParseError::NoError, r.out.constData());
    QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("degraded"));
    QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("http_status")).toInt(), 200);
    QCOMPARE(o.value(QStringLiteral("url")).toString(),
             server.baseUrl().toString() + QStringLiteral("/health/ready"));
    const QJsonObject doc = o.value(QStringLiteral("document")).toObject();
    QCOMPARE(doc.value(QStringLiteral("dialect")).toString(), QStringLiteral("healthdeck"));
    const QJsonArray comps = doc.value(QStringLiteral("components")).toArray();
    QCOMPARE(comps.size(), 3);
    QCOMPARE(comps.at(1).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("redis"));
    QCOMPARE(comps.at(1).toObject().value(QStringLiteral("duration_ns")).toInteger(), 412004113);
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no url") << QStringList() << QStringLiteral("missing argument: URL");
    QTest::newRow("bad probe") << QStringList{QStringLiteral("http://127.0.0.1:1"),
                                              QStringLiteral("--probe"), QStringLiteral("metrics")}
                               << QStringLiteral("--probe takes ready or live");
    QTest::newRow("bad timeout") << QStringList{QStringLiteral("http://127.0.0.1:1"),
                                                QStringLiteral("--timeout"), QStringLiteral("soon")}
                                 << QStringLiteral("--timeout takes seconds");
    QTest::newRow("ftp") << QStringList{QStringLiteral("ftp://h/")}
                         << QStringLiteral("not an http(s) URL");
    QTest::newRow("missing token file")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--token-file"),
                       QStringLiteral("/nonexistent/token")}
        << QStringLiteral("cannot read a token from /nonexistent/token");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--verbose")}
        << QStringLiteral("unknown option 'verbose'");
    QTest::newRow("option without its value")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--timeout")}
        << QStringLiteral("missing value after '--timeout'");
    QTest::newRow("user without password file")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--user=ops")}
        << QStringLiteral("--user and --password-file go together");
    QTest::newRow("header without a colon")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--header"),
                       QStringLiteral("X-API-Key")}
        << QStringLiteral("--header takes 'Name: value'");
    QTest::newRow("header the command owns")
        << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--header"),
                       QStringLiteral("Authorization: Bearer x")}
        << QStringLiteral("--header takes 'Name: value'");
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runCheck(args);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    // One line saying what is wrong, then the usage.
    QVERIFY2(QString::fromUtf8(r.err)
                 .section(QLatin1Char('\n'), 0, 0)
                 .startsWith(QStringLiteral("healthdeck check: ") + message),
             r.err.constData());
    QVERIFY2(r.err.contains("\nusage: healthdeck check URL"), r.err.constData());
    QVERIFY(r.out.isEmpty());
  }

  void helpExitsZero() {
    const Run r = runCheck({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("--metrics") && r.out.contains("--header"), r.out.constData());
    QVERIFY(r.err.isEmpty());
  }

  /// --user/--password-file (basic auth) and --header with a literal and an @FILE value.
  void authOptions() {
    CannedHttpServer server;
    QVERIFY(server.start());
    server.setResponse(
        QStringLiteral("/rest/noauth/health"),
        CannedHttpServer::Response{200, "application/json", "{\"status\":\"OK\"}", {}});
    QTemporaryDir dir;
    QFile pw(dir.filePath(QStringLiteral("pw")));
    QVERIFY(pw.open(QIODevice::WriteOnly));
    pw.write("s3cret\n");
    pw.close();
    QFile key(dir.filePath(QStringLiteral("key")));
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write("k3y\n");
    key.close();
    const Run r =
        runCheck({server.baseUrl().toString() + QStringLiteral("/rest/noauth/health"),
                  QStringLiteral("--user"), QStringLiteral("ops"),
                  QStringLiteral("--password-file=") + pw.fileName(), QStringLiteral("--header"),
                  QStringLiteral("X-API-Key: @") + key.fileName(),
                  QStringLiteral("--header=X-Tenant: blue")});
    QCOMPARE(r.exitCode, 0);
    const QByteArray head = server.lastRequestHead();
    const QByteArray basic = "\r\nAuthorization: Basic " + QByteArray("ops:s3cret").toBase64();
    QVERIFY2(head.contains(basic), head.constData());
    QVERIFY2(head.contains("\r\nX-API-Key: k3y"), head.constData());
    QVERIFY2(head.contains("\r\nX-Tenant: blue"), head.constData());
  }

  void metricsMode_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("firstLine"); // prefix
    QTest::newRow("all up gauges 1")
        << 200
        << QByteArray("# HELP redis_up Information about the Redis instance\n# TYPE redis_up "
                      "gauge\nredis_up 1\n# TYPE node_network_up gauge\n"
                      "node_network_up{device=\"eth0\"} 0\n")
        << 0 << QStringLiteral("OK: up - 2 samples, 1 up gauges, none 0; probed ");
    QTest::newRow("redis_up 0")
        << 200
        << QByteArray("# HELP redis_up Information about the Redis instance\n# TYPE redis_up "
                      "gauge\nredis_up 0\n# TYPE redis_exporter_scrapes_total counter\n"
                      "redis_exporter_scrapes_total 7\n")
        << 2 << QStringLiteral("CRITICAL: down - redis_up is 0; probed ");
    QTest::newRow("blackbox probe failed")
        << 200 << QByteArray("# TYPE probe_success gauge\nprobe_success 0\n") << 2
        << QStringLiteral("CRITICAL: down - probe_success is 0; probed ");
    QTest::newRow("not a metrics page")
        << 200 << QByteArray("<html><body>hello</body></html>") << 3
        << QStringLiteral("UNKNOWN: unknown - Not a metrics page: ");
    QTest::newRow("not found") << 404 << QByteArray("404 page not found\n") << 3
                               << QStringLiteral(
                                      "UNKNOWN: disabled - Not found at /metrics (HTTP 404)");
    QTest::newRow("refused") << 401 << QByteArray("Unauthorized\n") << 2
                             << QStringLiteral("CRITICAL: unauthorized - Credentials missing or "
                                               "refused (HTTP 401)");
  }
  void metricsMode() {
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, exitCode);
    QFETCH(QString, firstLine);
    CannedHttpServer server;
    QVERIFY(server.start());
    server.setResponse(QStringLiteral("/metrics"),
                       CannedHttpServer::Response{status, "text/plain; version=0.0.4", body, {}});
    const Run r = runCheck({server.baseUrl().toString(), QStringLiteral("--metrics")});
    QVERIFY2(!r.lines.isEmpty(), r.err.constData());
    QVERIFY2(r.lines.first().startsWith(firstLine), qPrintable(r.lines.first()));
    QVERIFY2(r.lines.first().contains(QStringLiteral("; probed ") + server.baseUrl().toString() +
                                      QStringLiteral("/metrics | time=")),
             qPrintable(r.lines.first()));
    QCOMPARE(r.exitCode, exitCode);
  }

  void metricsModeUnreachable() {
    const quint16 port = healthdeck::testing::freePort();
    const Run r =
        runCheck({QStringLiteral("http://127.0.0.1:%1/").arg(port), QStringLiteral("--metrics")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.lines.value(0).startsWith(
                 QStringLiteral("CRITICAL: unreachable - Connection refused (127.0.0.1:%1); probed "
                                "http://127.0.0.1:%1/metrics | time=")
                     .arg(port)),
             qPrintable(r.lines.value(0)));
  }
};

QTEST_GUILESS_MAIN(TstCheckCommand)
#include "tst_check_command.moc"
