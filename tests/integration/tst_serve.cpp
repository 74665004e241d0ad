// The real `healthdeck serve`: URLs printed, environment overrides, configuration errors and
// a busy port (exit 2, one line), clean stops on SIGTERM/SIGINT, and promtool's verdict on
// the page it serves.

#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "tests/support/serve_process.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace healthdeck::testing;

namespace {

QByteArray configFor(quint16 port, const QByteArray& extra = {}) {
  return "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(port) + "\n" + extra;
}

} // namespace

class TstServe : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QVERIFY2(!ServeProcess::binary().isEmpty(), "HEALTHDECK_BINARY unset"); }

  void urlsPrintedAndServed() {
    QTemporaryDir dir;
    const quint16 port = freePort();
    const QString cfg = writeTextFile(dir.path(), QStringLiteral("m.yaml"),
                                      configFor(port, "  checks:\n"
                                                      "    - {name: disk, type: disk, path: /, "
                                                      "min_free_percent: 0}\n"));
    ServeProcess serve;
    const QStringList urls = serve.start({QStringLiteral("--config"), cfg});
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QCOMPARE(urls, QStringList({base + QStringLiteral("/metrics"), base + QStringLiteral("/health"),
                                base + QStringLiteral("/health/live"),
                                base + QStringLiteral("/health/ready")}));
    const HttpReply metrics = httpRequest(port, "GET", "/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.body.contains("\nprocess_cpu_seconds_total "));
    QVERIFY(metrics.body.contains("health_check_status{component=\"disk\",probe=\"readiness\""));
    QVERIFY(metrics.body.contains("health_check_status{component=\"process\",probe=\"liveness\""));
    QCOMPARE(httpRequest(port, "GET", "/health/ready").status, 200);
    const HttpReply live = httpRequest(port, "GET", "/health/live");
    QCOMPARE(live.status, 200);
    QCOMPARE(serve.stop(SIGTERM), 0);
  }

  void listenFlagOverridesConfig() {
    QTemporaryDir dir;
    const quint16 filePort = freePort();
    const quint16 flagPort = freePort();
    const QString cfg = writeTextFile(dir.path(), QStringLiteral("m.yaml"), configFor(filePort));
    ServeProcess serve;
    const QStringList urls =
        serve.start({QStringLiteral("--config"), cfg, QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:%1").arg(flagPort)});
    QCOMPARE(urls.value(0), QStringLiteral("http://127.0.0.1:%1/metrics").arg(flagPort));
    QCOMPARE(httpRequest(flagPort, "GET", "/metrics").status, 200);
    QCOMPARE(serve.stop(SIGINT), 0);
  }

  void environmentOverrides() {
    const quint16 port = freePort();
    ServeProcess serve;
    serve.environment().insert(QStringLiteral("HEALTHDECK_MONITORING_LISTEN"),
                               QStringLiteral("127.0.0.1:%1").arg(port));
    serve.environment().insert(QStringLiteral("HEALTHDECK_MONITORING_PROMETHEUS_ENABLED"),
                               QStringLiteral("false"));
    serve.environment().insert(QStringLiteral("HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY"),
                               QStringLiteral("/readyz"));
    const QStringList urls = serve.start({}, 3);
    QCOMPARE(urls.size(), 3);
    QVERIFY(!urls.join(QLatin1Char(' ')).contains(QLatin1String("/metrics")));
    QVERIFY(urls.contains(QStringLiteral("http://127.0.0.1:%1/readyz").arg(port)));
    QCOMPARE(httpRequest(port, "GET", "/metrics").status, 404);
    QCOMPARE(httpRequest(port, "GET", "/readyz").status, 200);
    QCOMPARE(serve.stop(SIGTERM), 0);
  }

  void collisionFailsWithOneLine() {
    QTemporaryDir dir;
    const QString cfg = writeTextFile(dir.path(), QStringLiteral("m.yaml"),
                                      configFor(freePort(), "  prometheus:\n"
                                                            "    endpoint: /health\n"));
    ServeProcess serve;
    serve.start({QStringLiteral("--config"), cfg}, 1);
    QCOMPARE(serve.waitForExit(), 2);
    const QByteArray err = serve.standardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.startsWith("healthdeck: "), err.constData());
    QVERIFY2(err.contains("m.yaml:4"), err.constData()); // file and line of the endpoint
    QVERIFY2(err.contains("endpoint"), err.constData());
    QVERIFY(serve.process().readAllStandardOutput().isEmpty());
  }

  void badConfigFailsWithOneLine() {
    QTemporaryDir dir;
    const QString cfg = writeTextFile(dir.path(), QStringLiteral("m.yaml"),
                                      configFor(freePort(), "  health_check:\n"
                                                            "    timeout: soon\n"));
    ServeProcess serve;
    serve.start({QStringLiteral("--config"), cfg}, 1);
    QCOMPARE(serve.waitForExit(), 2);
    const QByteArray err = serve.standardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.contains("m.yaml:4") && err.contains("timeout"), err.constData());
  }

  void busyPortFails() {
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    ServeProcess serve;
    serve.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(busy.serverPort())},
                1);
    QCOMPARE(serve.waitForExit(), 2);
    const QByteArray err = serve.standardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY2(err.startsWith("healthdeck: ") && err.contains(QByteArray::number(busy.serverPort())),
             err.constData());
    QVERIFY2(err.contains("monitoring.listen"), err.constData());
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")};
    QTest::newRow("missing value") << QStringList{QStringLiteral("--listen")};
    QTest::newRow("positional") << QStringList{QStringLiteral("extra")};
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QProcess p;
    p.start(ServeProcess::binary(), QStringList{QStringLiteral("serve")} + args);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("usage: healthdeck serve"));
  }

  void missingConfigFileFails() {
    ServeProcess serve;
    serve.start({QStringLiteral("--config"), QStringLiteral("/nonexistent/m.yaml")}, 1);
    QCOMPARE(serve.waitForExit(), 2);
    QVERIFY(serve.standardError().contains("/nonexistent/m.yaml"));
  }

  void promtoolAcceptsThePage() {
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!promtool.isEmpty(), "promtool not installed (scripts/deps.sh installs prometheus)");
    const quint16 port = freePort();
    ServeProcess serve;
    serve.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
    httpRequest(port, "GET", "/health/ready"); // health families populated
    const HttpReply page = httpRequest(port, "GET", "/metrics");
    QCOMPARE(page.status, 200);
    QProcess check;
    check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(check.waitForStarted());
    check.write(page.body);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(30000));
    const QByteArray complaints = check.readAllStandardOutput() + check.readAllStandardError();
    QVERIFY2(complaints.trimmed().isEmpty(), complaints.constData());
    QCOMPARE(check.exitCode(), 0);
    QCOMPARE(serve.stop(SIGTERM), 0);
  }

  void stopsPromptlyWhileConnectionsAreOpen() {
    const quint16 port = freePort();
    ServeProcess serve;
    serve.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
    HttpConnection idle(port);
    QVERIFY(idle.isConnected());
    HttpConnection kept(port);
    QCOMPARE(kept.request("GET", "/metrics").status, 200);
    QElapsedTimer t;
    t.start();
    QCOMPARE(serve.stop(SIGTERM, 15000), 0);
    // Bounded by the request timeout (10 s), not by the clients.
    QVERIFY2(t.elapsed() < 12000, qPrintable(QString::number(t.elapsed())));
  }
};

QTEST_GUILESS_MAIN(TstServe)
#include "tst_serve.moc"
