// `promtool check metrics` (Prometheus' own linter) on a registry holding every standard
// family with samples, the exporter and health-as-metrics families, and the process
// collector: it must exit 0 and print nothing.

#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/process_collector.h"
#include "healthdeck/metrics/registry.h"

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

using namespace healthdeck::metrics;

namespace {

struct LintResult {
  int exitCode = -1;
  QByteArray output;
};

LintResult promtoolCheck(const std::string& text) {
  LintResult result;
  QProcess promtool;
  promtool.setProcessChannelMode(QProcess::MergedChannels);
  promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
  if (!promtool.waitForStarted(10000)) return result;
  promtool.write(QByteArray::fromStdString(text));
  promtool.closeWriteChannel();
  if (!promtool.waitForFinished(30000)) return result;
  result.exitCode = promtool.exitStatus() == QProcess::NormalExit ? promtool.exitCode() : -1;
  result.output = promtool.readAll();
  return result;
}

void fill(Registry& registry, Instruments& instruments) {
  instruments.recordAuthAttempt(AuthResult::Failure);
  instruments.recordPermissionCheck(PermissionResult::Granted);
  instruments.sessionOpened();
  instruments.observeSessionDuration(120);
  instruments.httpRoute(HttpMethod::Get, "/api/users/{id}").observe(200, 0.012);
  instruments.recordVaultOperation(VaultOperation::Write, VaultResult::Success, 0.003);
  instruments.realtimeConnectionOpened();
  instruments.setRealtimeQueueDepth(4);
  const RealtimeStream stream = instruments.realtimeStream("alerts \"live\"");
  stream.subscribed();
  stream.broadcast();
  stream.sendFailed();
  stream.queueDropped();
  instruments.jobRun("cleanup", JobResult::Success, 1.5);
  instruments.recordConnectionLaunch(Protocol::Ssh, LaunchResult::Success);
  instruments.connectionOpened(Protocol::Ssh);

  // The exporter's families, as core/exporter creates them.
  registry.counter("exporter_scrapes_total", "Scrapes served.").inc();
  registry
      .histogram("exporter_scrape_duration_seconds", "Scrape duration in seconds.",
                 {0.001, 0.01, 0.1, 1})
      .observe(0.002);
  registry.counter("exporter_response_bytes_total", "Response bytes written.").inc(1234);
  registry.gauge("exporter_last_scrape_timestamp_seconds", "Unix time of the last scrape.")
      .setToCurrentTime();
  registry
      .gaugeFamily("health_check_status", "1 for the current status of a check.",
                   {"component", "probe", "status"})
      .with({"database", "readiness", "up"})
      .set(1);
  registry
      .gaugeFamily("health_check_duration_seconds", "Duration of the last check run.",
                   {"component", "probe"})
      .with({"database", "readiness"})
      .set(0.0042);
  registry.addCollectable(std::make_shared<ProcessCollector>());
}

} // namespace

class TstMetricsPromtool : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    if (QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty())
      QFAIL("promtool not found: install the Debian package `prometheus` (scripts/deps.sh)");
  }

  void lintIsClean_data() {
    QTest::addColumn<QString>("ns");
    QTest::newRow("no namespace") << QString();
    QTest::newRow("namespace") << QStringLiteral("healthdeck");
  }
  void lintIsClean() {
    QFETCH(QString, ns);
    Registry registry(ns.toStdString());
    Instruments instruments(registry);
    fill(registry, instruments);
    const std::string text = registry.text();
    for (const char* family :
         {"auth_attempts_total", "permission_checks_total", "sessions_active",
          "session_duration_seconds", "http_request_duration_seconds", "vault_operations_total",
          "vault_operation_duration_seconds", "realtime_connections_active",
          "realtime_subscriptions_total", "realtime_broadcasts_total",
          "realtime_send_failures_total", "realtime_queue_dropped_total", "realtime_queue_depth",
          "maintenance_job_runs_total", "maintenance_job_duration_seconds",
          "maintenance_job_last_success_timestamp_seconds", "connection_launches_total",
          "connections_active"}) {
      const std::string type = "# TYPE " + registry.qualifiedName(family) + ' ';
      QVERIFY2(text.find(type) != std::string::npos, type.c_str());
    }
    QVERIFY(text.find("# TYPE process_cpu_seconds_total counter") != std::string::npos);

    const LintResult lint = promtoolCheck(text);
    QVERIFY2(lint.output.isEmpty(), lint.output.constData());
    QCOMPARE(lint.exitCode, 0);
  }

  // The check can fail: promtool does complain about a badly named counter.
  void lintCatchesProblems() {
    Registry registry;
    registry.counter("requests", "Requests without the _total suffix.").inc();
    const LintResult lint = promtoolCheck(registry.text());
    QVERIFY(lint.exitCode != 0);
    QVERIFY2(lint.output.contains("requests"), lint.output.constData());
  }
};

QTEST_GUILESS_MAIN(TstMetricsPromtool)
#include "tst_metrics_promtool.moc"
