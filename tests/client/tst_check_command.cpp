// `healthdeck check`: the built executable against loopback servers — every dialect, 404,
// 401/403, refused, timeout, TLS failure and redirect loops map to the documented exit codes
// and output (first line the verdict, then each component that is not up).

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
               "WARNING: degraded - redis degraded: answers slowly (412 ms > 250 ms) | time=")
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
        << QStringLiteral("CRITICAL: down - The server reports down (HTTP 503)") << QString();
    QTest::newRow("404 disabled")
        << QStringLiteral("/other") << 200 << QByteArray() << QByteArray() << QString()
        << QStringList() << 3
        << QStringLiteral("UNKNOWN: disabled - Monitoring disabled on this server (HTTP 404)")
        << QStringLiteral("  how to enable: docs/operations/monitoring.md#enabling-monitoring");
    QTest::newRow("401")
        << ready << 401 << QByteArray("text/plain") << QByteArray("token required") << QString()
        << QStringList() << 2
        << QStringLiteral("CRITICAL: unauthorized - Credentials missing or refused (HTTP 401)")
        << QString();
    QTest::newRow("403")
        << ready << 403 << QByteArray("text/plain") << QByteArray("forbidden") << QString()
        << QStringList() << 2
        << QStringLiteral("CRITICAL: unauthorized - Credentials missing or refused (HTTP 403)")
        << QString();
    QTest::newRow("not understood")
        << ready << 200 << QByteArray("text/html")
        << QByteArray("<html><body>Welcome to nginx!</body></html>") << QString() << QStringList()
        << 3 << QStringLiteral("UNKNOWN: unknown - Answer not understood (HTTP 200): <html>")
        << QStringLiteral(
               "  first line of the answer: <html><body>Welcome to nginx!</body></html>");
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
    if (!anotherLine.isEmpty()) QVERIFY2(r.lines.contains(anotherLine), r.out.constData());
  }

  void transportFailures() {
    // Refused.
    const quint16 port = healthdeck::testing::freePort();
    Run r = runCheck({QStringLiteral("http://127.0.0.1:%1").arg(port)});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.lines.value(0),
             QStringLiteral("CRITICAL: unreachable - Connection refused (127.0.0.1:%1)").arg(port));

    // Timeout.
    CannedHttpServer silent;
    QVERIFY(silent.start());
    silent.setMode(CannedHttpServer::Mode::NeverAnswer);
    r = runCheck({silent.baseUrl().toString(), QStringLiteral("--timeout"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.lines.value(0), QStringLiteral("CRITICAL: unreachable - No answer within 1 s"));

    // Redirect loop.
    CannedHttpServer loop;
    QVERIFY(loop.start());
    loop.setResponse(QStringLiteral("/health/ready"),
                     CannedHttpServer::Response{302, {}, {}, {{"Location", "/health/ready"}}});
    r = runCheck({loop.baseUrl().toString()});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.lines.value(0),
             QStringLiteral("CRITICAL: unreachable - Redirect loop or more than 5 redirects"));

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
    QCOMPARE(r.lines.value(0),
             QStringLiteral("CRITICAL: unreachable - Self-signed certificate, not trusted"));
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
    QTest::newRow("no url") << QStringList() << QStringLiteral("a URL is required");
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
        << QStringLiteral("unknown option --verbose");
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runCheck(args);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TstCheckCommand)
#include "tst_check_command.moc"
