// Poller::detectReadinessPath against a canned loopback responder: which of the common paths
// answers a health document, in the order tried, and what the dialog hears when none does.

#include "healthdeck/client/source/poller.h"
#include "tests/support/canned_http_server.h"
#include "tests/support/ports.h"

#include <QSignalSpy>
#include <QtTest>

using namespace healthdeck;
using healthdeck::testing::CannedHttpServer;

namespace {

CannedHttpServer::Response answer(int status, const QByteArray& type, const QByteArray& body) {
  CannedHttpServer::Response r;
  r.status = status;
  r.contentType = type;
  r.body = body;
  return r;
}

const QByteArray kSpringUp = R"json({"status":"UP","components":{"db":{"status":"UP"}}})json";
const QByteArray kSeedUp =
    R"json({"success":true,"status":"up","probe":"readiness","checks":[{"component":"database","status":"up","duration":1}]})json";
const QByteArray kSeedDown =
    R"json({"success":false,"status":"down","probe":"readiness","checks":[{"component":"database","status":"down","details":"refused","duration":1}]})json";

} // namespace

class TstPollerDetect : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void detect_data() {
    // Each row: the paths the server answers ("path=status:type:body"), the expected path.
    QTest::addColumn<QStringList>("served");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("summaryStart");
    QTest::newRow("healthdeck") << QStringList{QStringLiteral("/health/ready=200:seed-up"),
                                               QStringLiteral("/health=200:seed-up")}
                                << QStringLiteral("/health/ready")
                                << QStringLiteral("/health/ready answers (healthdeck)");
    QTest::newRow("spring boot") << QStringList{QStringLiteral("/actuator/health=200:spring")}
                                 << QStringLiteral("/actuator/health")
                                 << QStringLiteral("/actuator/health answers (spring-boot)");
    QTest::newRow("kubernetes") << QStringList{QStringLiteral("/readyz=200:k8s"),
                                               QStringLiteral("/health=200:seed-up")}
                                << QStringLiteral("/readyz")
                                << QStringLiteral("/readyz answers (kubernetes-text)");
    QTest::newRow("a down document still is one")
        << QStringList{QStringLiteral("/health/ready=503:seed-down")}
        << QStringLiteral("/health/ready") << QStringLiteral("/health/ready answers (healthdeck)");
    QTest::newRow("html catch-all is not health")
        << QStringList{QStringLiteral("/health/ready=200:html"), QStringLiteral("/readyz=200:html"),
                       QStringLiteral("/actuator/health=200:html"),
                       QStringLiteral("/health=200:seed-up")}
        << QStringLiteral("/health") << QStringLiteral("/health answers (healthdeck)");
    QTest::newRow("bare status only as a last resort")
        << QStringList{QStringLiteral("/readyz=204:empty"), QStringLiteral("/health=200:seed-up")}
        << QStringLiteral("/health") << QStringLiteral("/health answers (healthdeck)");
    QTest::newRow("bare status when nothing better")
        << QStringList{QStringLiteral("/readyz=204:empty")} << QStringLiteral("/readyz")
        << QStringLiteral("/readyz answers (status-code)");
    QTest::newRow("prometheus /-/ready plain text")
        << QStringList{QStringLiteral("/-/ready=200:prom"), QStringLiteral("/-/healthy=200:prom")}
        << QStringLiteral("/-/ready")
        << QStringLiteral("/-/ready answers (plain-text): Up: Prometheus Server is Ready.");
    QTest::newRow("quarkus microprofile")
        << QStringList{QStringLiteral("/q/health/ready=200:microprofile"),
                       QStringLiteral("/health=200:html")}
        << QStringLiteral("/q/health/ready")
        << QStringLiteral("/q/health/ready answers (microprofile-health)");
    QTest::newRow("nothing") << QStringList{} << QString()
                             << QStringLiteral("No health document found. /-/ready, /-/healthy, "
                                               "/healthz, /livez, /readyz, /q/health/ready, "
                                               "/actuator/health/readiness, /actuator/health, "
                                               "/health/ready, /health: not found (HTTP 404)");
    QTest::newRow("metrics only")
        << QStringList{QStringLiteral("/metrics=200:metrics")} << QString()
        << QStringLiteral("No health route answers, but /metrics does: watch this server by "
                          "its metrics only.");
  }
  void detect() {
    QFETCH(QStringList, served);
    QFETCH(QString, expected);
    QFETCH(QString, summaryStart);
    CannedHttpServer server;
    QVERIFY(server.start());
    for (const QString& spec : served) {
      const QString path = spec.section(QLatin1Char('='), 0, 0);
      const QString rest = spec.section(QLatin1Char('='), 1);
      const int status = rest.section(QLatin1Char(':'), 0, 0).toInt();
      const QString kind = rest.section(QLatin1Char(':'), 1);
      if (kind == QLatin1String("seed-up"))
        server.setResponse(path, answer(status, "application/json", kSeedUp));
      else if (kind == QLatin1String("seed-down"))
        server.setResponse(path, answer(status, "application/json", kSeedDown));
      else if (kind == QLatin1String("spring"))
        server.setResponse(
            path, answer(status, "application/vnd.spring-boot.actuator.v3+json", kSpringUp));
      else if (kind == QLatin1String("k8s"))
        server.setResponse(path, answer(status, "text/plain", "[+]ping ok\nreadyz check passed\n"));
      else if (kind == QLatin1String("prom"))
        server.setResponse(
            path, answer(status, "text/plain; charset=utf-8", "Prometheus Server is Ready.\n"));
      else if (kind == QLatin1String("microprofile"))
        server.setResponse(path, answer(status, "application/json",
                                        R"json({"status":"UP","checks":[{"name":"db",)json"
                                        R"json("status":"UP"}]})json"));
      else if (kind == QLatin1String("metrics"))
        server.setResponse(path, answer(status, "text/plain; version=0.0.4",
                                        "# TYPE node_load1 gauge\nnode_load1 0.42\n"));
      else if (kind == QLatin1String("html"))
        server.setResponse(path, answer(status, "text/html", "<!doctype html><p>welcome</p>"));
      else
        server.setResponse(path, answer(status, QByteArray(), QByteArray()));
    }
    Poller poller;
    QSignalSpy observed(&poller, &Poller::observationReady);
    QSignalSpy detected(&poller, &Poller::readinessPathDetected);
    TargetConfig target;
    target.id = QStringLiteral("new");
    target.baseUrl = server.baseUrl();
    target.timeout = std::chrono::milliseconds(3000);
    poller.detectReadinessPath(target, Poller::commonReadinessPaths());
    QVERIFY(detected.wait(10000));
    QCOMPARE(detected.size(), 1);
    QCOMPARE(detected.first().at(0).toString(), QStringLiteral("new"));
    QCOMPARE(detected.first().at(1).toString(), expected);
    const QString summary = detected.first().at(2).toString();
    QVERIFY2(summary.startsWith(summaryStart), qPrintable(summary));
    // Every candidate once; /metrics once more only when no candidate answered.
    QCOMPARE(server.requestCount(),
             Poller::commonReadinessPaths().size() + (expected.isEmpty() ? 1 : 0));
    QCOMPARE(observed.size(), 0); // detection never shows up as a poll result
    QCOMPARE(detected.first().at(3).toBool(), summary.contains(QLatin1String("metrics only")));
  }

  void unreachableSaysWhy() {
    Poller poller;
    QSignalSpy detected(&poller, &Poller::readinessPathDetected);
    TargetConfig target;
    target.id = QStringLiteral("gone");
    const quint16 port = healthdeck::testing::freePort();
    target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    poller.detectReadinessPath(target, {QStringLiteral("/health/ready")});
    QVERIFY(detected.wait(10000));
    QCOMPARE(detected.first().at(1).toString(), QString());
    QCOMPARE(detected.first().at(2).toString(),
             QStringLiteral("No health document found. /health/ready: Connection refused "
                            "(127.0.0.1:%1)")
                 .arg(port));
  }
};

QTEST_GUILESS_MAIN(TstPollerDetect)
#include "tst_poller_detect.moc"
