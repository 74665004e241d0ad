// The Poller against the project's own Exporter (in process, real HTTP server on a loopback
// port, checks whose answer the test sets): every state the console shows for a Healthdeck
// server — up, degraded, down, disabled, unauthorized, unreachable — with its sentence.

#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/state_presentation.h"
#include "tests/exporter/exporter_fixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace healthdeck;
using healthdeck::testing::ControlledCheck;
using healthdeck::testing::ExporterFixture;

namespace {

TargetConfig targetFor(quint16 port) {
  TargetConfig c;
  c.id = QStringLiteral("exporter");
  c.name = QStringLiteral("exporter");
  c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
  c.metricsPath.clear();
  c.timeout = std::chrono::milliseconds(3000);
  return c;
}

TargetSnapshot pollOnce(Poller& poller, const TargetConfig& config) {
  QSignalSpy spy(&poller, &Poller::observationReady);
  poller.pollOnce(config);
  if (!spy.wait(15000)) return {};
  return spy.takeFirst().at(0).value<TargetSnapshot>();
}

int st(TargetState s) {
  return static_cast<int>(s);
}

/// An exporter with a critical "database" and a non-critical "cache" readiness check and a
/// "process" liveness check, all up.
struct ThreeChecks {
  explicit ThreeChecks(ExporterOptions options = {}) : fx(std::move(options)) {
    database = fx.addCheck("database", Probe::Readiness, true);
    cache = fx.addCheck("cache", Probe::Readiness, false);
    process = fx.addCheck("process", Probe::Liveness, true);
    fx.exporter->start();
  }
  ExporterFixture fx;
  std::shared_ptr<ControlledCheck> database;
  std::shared_ptr<ControlledCheck> cache;
  std::shared_ptr<ControlledCheck> process;
};

QString writeToken(const QTemporaryDir& dir, const QByteArray& token) {
  const QString path = dir.filePath(QStringLiteral("token"));
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(token + '\n');
  return path;
}

} // namespace

class TstPollerExporter : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void serverStates_data() {
    QTest::addColumn<int>("database"); // Status of the critical readiness check
    QTest::addColumn<int>("cache");    // Status of the non-critical readiness check
    QTest::addColumn<int>("process");  // Status of the liveness check
    QTest::addColumn<int>("http");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("sentence");
    const auto s = [](Status v) { return static_cast<int>(v); };
    QTest::newRow("up") << s(Status::Up) << s(Status::Up) << s(Status::Up) << 200
                        << st(TargetState::Up) << QStringLiteral("All 2 components up");
    QTest::newRow("non-critical down: degraded")
        << s(Status::Up) << s(Status::Down) << s(Status::Up) << 200 << st(TargetState::Degraded)
        << QStringLiteral("cache down: connection refused by 127.0.0.1:6390");
    QTest::newRow("critical down: 503")
        << s(Status::Down) << s(Status::Up) << s(Status::Up) << 503 << st(TargetState::Down)
        << QStringLiteral("database down: connection refused by 127.0.0.1:5439");
    QTest::newRow("liveness down wins over ready up")
        << s(Status::Up) << s(Status::Up) << s(Status::Down) << 200 << st(TargetState::Down)
        << QStringLiteral("process down: event loop stalled (liveness)");
  }
  void serverStates() {
    QFETCH(int, database);
    QFETCH(int, cache);
    QFETCH(int, process);
    QFETCH(int, http);
    QFETCH(int, state);
    QFETCH(QString, sentence);
    ThreeChecks server;
    server.database->set(static_cast<Status>(database), "connection refused by 127.0.0.1:5439");
    server.cache->set(static_cast<Status>(cache), "connection refused by 127.0.0.1:6390");
    server.process->set(static_cast<Status>(process), "event loop stalled");
    Poller poller;
    const TargetSnapshot snap = pollOnce(poller, targetFor(server.fx.port()));
    QCOMPARE(toString(snap.error), toString(PollError::None));
    QCOMPARE(snap.httpStatus, http);
    QCOMPARE(static_cast<int>(snap.state), state);
    QVERIFY(snap.readiness && snap.liveness);
    QCOMPARE(toString(snap.readiness->dialect), toString(HealthDialect::Healthdeck));
    QCOMPARE(snap.readiness->components.size(), std::size_t(2));
    QCOMPARE(snap.readiness->components.at(0).name, QStringLiteral("database"));
    QCOMPARE(snap.readiness->components.at(1).name, QStringLiteral("cache"));
    QCOMPARE(static_cast<int>(snap.readiness->components.at(1).status), cache);
    QVERIFY(snap.readiness->components.at(0).duration.has_value());
    QCOMPARE(static_cast<int>(snap.liveness->overall), process);
    QCOMPARE(snap.sentence, sentence);
  }

  /// The exporter's health_check.enabled: false answers 404 on the health routes.
  void healthDisabledIsDisabled() {
    ExporterOptions o;
    o.healthEnabled = false;
    ThreeChecks server(o);
    Poller poller;
    const TargetSnapshot snap = pollOnce(poller, targetFor(server.fx.port()));
    QCOMPARE(toString(snap.state), toString(TargetState::Disabled));
    QCOMPARE(snap.httpStatus, 404);
    QCOMPARE(snap.sentence, QStringLiteral("Monitoring disabled on this server (HTTP 404)"));
    QVERIFY(snap.monitoringModuleKnown); // the exporter's 404 says the route is disabled
    QCOMPARE(presentation(snap).helpLink, enableMonitoringHelpUrl());
  }

  /// The exporter's token guards the metrics route only; health routes answer everyone but
  /// withhold their components from callers without the token. So a console without the
  /// token shows the server up with hidden details and reports the metrics fetch refused;
  /// a target whose probe is the metrics route itself turns Unauthorized.
  void tokenOnMetricsRoute_data() {
    QTest::addColumn<QByteArray>("presented"); // empty: no Authorization header
    QTest::addColumn<bool>("accepted");
    QTest::newRow("no token") << QByteArray() << false;
    QTest::newRow("wrong token") << QByteArray("not-the-token") << false;
    QTest::newRow("right token") << QByteArray("s3cret-token") << true;
  }
  void tokenOnMetricsRoute() {
    QFETCH(QByteArray, presented);
    QFETCH(bool, accepted);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ExporterOptions o;
    o.bearerTokenFile = writeToken(dir, "s3cret-token").toStdString();
    ThreeChecks server(o);

    Poller poller;
    TargetConfig target = targetFor(server.fx.port());
    if (!presented.isEmpty()) {
      target.auth = AuthKind::Bearer;
      target.secretRef = QStringLiteral("presented");
      poller.setSecretResolver([presented](const QString&) { return presented; });
    }

    // Health routes: up either way; components only with the right token.
    const TargetSnapshot health = pollOnce(poller, target);
    QCOMPARE(toString(health.state), toString(TargetState::Up));
    QVERIFY(health.readiness);
    QCOMPARE(health.readiness->detailsHidden, !accepted);
    QCOMPARE(health.sentence, accepted ? QStringLiteral("All 2 components up")
                                       : QStringLiteral("Up (the server hides its components)"));

    // The metrics fetch of a scheduled target reports the refusal.
    target.metricsPath = QStringLiteral("/metrics");
    QSignalSpy fetched(&poller, &Poller::metricsFetched);
    QSignalSpy received(&poller, &Poller::metricsReceived);
    poller.upsertTarget(target);
    QVERIFY(fetched.wait(10000));
    QCOMPARE(fetched.first().at(2).toString(), accepted ? QString() : QStringLiteral("HTTP 401"));
    QCOMPARE(received.size(), accepted ? 1 : 0);
    if (accepted) QVERIFY(received.first().at(1).toByteArray().contains("health_check_status{"));
    poller.removeTarget(target.id);

    // A target that probes the metrics route itself reads the 401 as Unauthorized.
    TargetConfig metricsOnly = target;
    metricsOnly.id = QStringLiteral("metrics-only");
    metricsOnly.readyPath = QStringLiteral("/metrics");
    metricsOnly.livePath.clear();
    metricsOnly.metricsPath.clear();
    const TargetSnapshot probe = pollOnce(poller, metricsOnly);
    if (accepted) {
      QCOMPARE(probe.httpStatus, 200);
      QVERIFY(probe.state != TargetState::Unauthorized);
    } else {
      QCOMPARE(toString(probe.state), toString(TargetState::Unauthorized));
      QCOMPARE(probe.httpStatus, 401);
      // The exporter's realm and its own words (issue 10), without its status line again.
      QCOMPARE(probe.sentence, QStringLiteral("Credentials missing or refused (HTTP 401, realm "
                                              "\"healthdeck\"): credentials are required"));
    }
  }

  /// A bearer target whose token file is gone never reaches the server: Unauthorized, naming
  /// the reference that could not be read.
  void unreadableTokenIsUnauthorized() {
    ThreeChecks server;
    Poller poller;
    TargetConfig target = targetFor(server.fx.port());
    target.auth = AuthKind::Bearer;
    target.secretRef = QStringLiteral("/nonexistent/healthdeck/token");
    const TargetSnapshot snap = pollOnce(poller, target);
    QCOMPARE(toString(snap.state), toString(TargetState::Unauthorized));
    QCOMPARE(toString(snap.error), toString(PollError::CredentialsUnavailable));
    QCOMPARE(snap.sentence,
             QStringLiteral("Credentials could not be read: /nonexistent/healthdeck/token"));
    QCOMPARE(snap.httpStatus, 0);
  }

  /// Up, then the exporter stops: Unreachable with the refused address; scheduled polling
  /// turns the shown state only after the flap policy's failures and back after its
  /// successes once a new exporter serves the same port.
  void stoppedExporterIsUnreachable() {
    ThreeChecks server;
    const quint16 port = server.fx.port();
    Poller poller;
    TargetConfig target = targetFor(port);
    QCOMPARE(toString(pollOnce(poller, target).state), toString(TargetState::Up));

    server.fx.exporter->stop();
    const TargetSnapshot snap = pollOnce(poller, target);
    QCOMPARE(toString(snap.state), toString(TargetState::Unreachable));
    QCOMPARE(toString(snap.error), toString(PollError::ConnectionRefused));
    QCOMPARE(snap.sentence, QStringLiteral("Connection refused (127.0.0.1:%1)").arg(port));
    QVERIFY(!snap.readiness && !snap.liveness);

    target.interval = std::chrono::milliseconds(200);
    QSignalSpy shown(&poller, &Poller::snapshotReady);
    poller.upsertTarget(target);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(0).value<TargetSnapshot>().state ==
                                                     TargetState::Unreachable,
                             10000);

    metrics::Registry registry;
    HealthManager health({std::chrono::milliseconds(2000), std::chrono::milliseconds(0)});
    ExporterOptions o;
    o.listen = "127.0.0.1:" + std::to_string(port);
    Exporter revived(o, registry, health);
    health.add(CheckSpec{"database", Probe::Readiness, true, {}, {}},
               std::make_shared<ControlledCheck>());
    revived.start();
    QTRY_VERIFY_WITH_TIMEOUT(shown.last().at(0).value<TargetSnapshot>().state == TargetState::Up,
                             10000);
    QCOMPARE(shown.last().at(0).value<TargetSnapshot>().sentence,
             QStringLiteral("The one component is up"));
  }
};

QTEST_GUILESS_MAIN(TstPollerExporter)
#include "tst_poller_exporter.moc"
