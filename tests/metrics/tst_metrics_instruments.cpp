// Instruments: every standard family holds the values its typed helpers recorded.

#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/scoped_timer.h"
#include "tests/metrics/sample_lookup.h"

#include <QtTest>

#include <chrono>
#include <stdexcept>

using namespace healthdeck::metrics;
using healthdeck::testing::sampleOr;
using healthdeck::testing::sampleValue;

class TstMetricsInstruments : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void auth() {
    Registry registry;
    Instruments instruments(registry);
    for (int i = 0; i < 3; ++i)
      instruments.recordAuthAttempt(AuthResult::Success);
    instruments.recordAuthAttempt(AuthResult::Locked);
    instruments.recordPermissionCheck(PermissionResult::Denied);
    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "auth_attempts_total{result=\"success\"}"), 3.0);
    QCOMPARE(sampleOr(text, "auth_attempts_total{result=\"locked\"}"), 1.0);
    QCOMPARE(sampleOr(text, "auth_attempts_total{result=\"failure\"}"), 0.0); // pre-created
    QCOMPARE(sampleOr(text, "auth_attempts_total{result=\"mfa_required\"}"), 0.0);
    QCOMPARE(sampleOr(text, "auth_attempts_total{result=\"error\"}"), 0.0);
    QCOMPARE(sampleOr(text, "permission_checks_total{result=\"denied\"}"), 1.0);
    QCOMPARE(sampleOr(text, "permission_checks_total{result=\"granted\"}"), 0.0);
  }

  void sessions() {
    Registry registry;
    Instruments instruments(registry);
    instruments.sessionOpened();
    instruments.sessionOpened();
    instruments.sessionClosed();
    instruments.observeSessionDuration(45);
    std::string text = registry.text();
    QCOMPARE(sampleOr(text, "sessions_active"), 1.0);
    QCOMPARE(sampleOr(text, "session_duration_seconds_bucket{le=\"30\"}"), 0.0);
    QCOMPARE(sampleOr(text, "session_duration_seconds_bucket{le=\"60\"}"), 1.0);
    QCOMPARE(sampleOr(text, "session_duration_seconds_bucket{le=\"86400\"}"), 1.0);
    QCOMPARE(sampleOr(text, "session_duration_seconds_sum"), 45.0);
    instruments.setActiveSessions(7);
    QCOMPARE(sampleOr(registry.text(), "sessions_active"), 7.0);
  }

  void http() {
    Registry registry("app");
    Instruments instruments(registry);
    const HttpRoute user = instruments.httpRoute(HttpMethod::Get, "/api/users/{id}");
    user.observe(200, 0.03);
    user.observe(200, 0.002);
    user.observe(404, 0.2);
    user.observe(42, 1);   // not an HTTP status
    user.observe(1000, 1); // neither
    // Binding the same route again shares the series.
    instruments.httpRoute(HttpMethod::Get, "/api/users/{id}").observe(200, 20);
    instruments.observeHttpRequest(HttpMethod::Post, "/api/users", 201, 0.1);
    const std::string text = registry.text();
    const std::string base =
        "app_http_request_duration_seconds_%1{method=\"GET\",route=\"/api/users/{id}\",status=";
    auto series = [&](const char* part, const char* rest) {
      return QString::fromStdString(base).arg(QLatin1String(part)).toStdString() + rest;
    };
    QCOMPARE(sampleOr(text, series("count", "\"200\"}")), 3.0);
    QCOMPARE(sampleOr(text, series("bucket", "\"200\",le=\"0.005\"}")), 1.0);
    QCOMPARE(sampleOr(text, series("bucket", "\"200\",le=\"0.05\"}")), 2.0);
    QCOMPARE(sampleOr(text, series("bucket", "\"200\",le=\"10\"}")), 2.0);
    QCOMPARE(sampleOr(text, series("bucket", "\"200\",le=\"+Inf\"}")), 3.0);
    QCOMPARE(sampleOr(text, series("sum", "\"200\"}")), 20.032);
    QCOMPARE(sampleOr(text, series("count", "\"404\"}")), 1.0);
    QCOMPARE(sampleOr(text, series("count", "\"unknown\"}")), 2.0);
    QCOMPARE(sampleOr(text, "app_http_request_duration_seconds_count{method=\"POST\",route=\"/api/"
                            "users\",status=\"201\"}"),
             1.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, instruments.httpRoute(HttpMethod::Get, ""));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             instruments.httpRoute(HttpMethod::Get, "/\xc3"));
  }

  void vault() {
    Registry registry;
    Instruments instruments(registry);
    instruments.recordVaultOperation(VaultOperation::Read, VaultResult::Success, 0.004);
    instruments.recordVaultOperation(VaultOperation::Read, VaultResult::NotFound, 0.002);
    {
      ScopedTimer timer(instruments.vaultDuration(VaultOperation::Rotate));
      instruments.countVaultOperation(VaultOperation::Rotate, VaultResult::Denied);
    }
    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "vault_operations_total{operation=\"read\",result=\"success\"}"), 1.0);
    QCOMPARE(sampleOr(text, "vault_operations_total{operation=\"read\",result=\"not_found\"}"),
             1.0);
    QCOMPARE(sampleOr(text, "vault_operations_total{operation=\"rotate\",result=\"denied\"}"), 1.0);
    QCOMPARE(sampleOr(text, "vault_operations_total{operation=\"write\",result=\"error\"}"), 0.0);
    QCOMPARE(sampleOr(text, "vault_operation_duration_seconds_count{operation=\"read\"}"), 2.0);
    QCOMPARE(
        sampleOr(text, "vault_operation_duration_seconds_bucket{operation=\"read\",le=\"0.0025\"}"),
        1.0);
    QCOMPARE(sampleOr(text, "vault_operation_duration_seconds_count{operation=\"rotate\"}"), 1.0);
    QCOMPARE(sampleOr(text, "vault_operation_duration_seconds_count{operation=\"list\"}"), 0.0);
  }

  void realtime() {
    Registry registry;
    Instruments instruments(registry);
    instruments.realtimeConnectionOpened();
    instruments.realtimeConnectionOpened();
    instruments.realtimeConnectionClosed();
    instruments.setRealtimeQueueDepth(12);
    const RealtimeStream alerts = instruments.realtimeStream("alerts");
    alerts.subscribed();
    alerts.subscribed();
    alerts.unsubscribed();
    alerts.broadcast();
    alerts.sendFailed(3);
    instruments.realtimeStream("alerts").queueDropped();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, instruments.realtimeStream(""));
    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "realtime_connections_active"), 1.0);
    QCOMPARE(sampleOr(text, "realtime_queue_depth"), 12.0);
    QCOMPARE(sampleOr(text, "realtime_subscriptions_total{stream=\"alerts\",action=\"subscribe\"}"),
             2.0);
    QCOMPARE(
        sampleOr(text, "realtime_subscriptions_total{stream=\"alerts\",action=\"unsubscribe\"}"),
        1.0);
    QCOMPARE(sampleOr(text, "realtime_broadcasts_total{stream=\"alerts\"}"), 1.0);
    QCOMPARE(sampleOr(text, "realtime_send_failures_total{stream=\"alerts\"}"), 3.0);
    QCOMPARE(sampleOr(text, "realtime_queue_dropped_total{stream=\"alerts\"}"), 1.0);
  }

  void jobs() {
    Registry registry;
    Instruments instruments(registry);
    const Job cleaner = instruments.job("session_cleanup");
    cleaner.run(JobResult::Failure, 2);
    std::string text = registry.text();
    QCOMPARE(
        sampleOr(text, "maintenance_job_last_success_timestamp_seconds{job=\"session_cleanup\"}"),
        0.0);
    const double before =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    instruments.jobRun("session_cleanup", JobResult::Success, 0.3);
    const double after =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    cleaner.count(JobResult::Skipped);
    text = registry.text();
    QCOMPARE(
        sampleOr(text, "maintenance_job_runs_total{job=\"session_cleanup\",result=\"failure\"}"),
        1.0);
    QCOMPARE(
        sampleOr(text, "maintenance_job_runs_total{job=\"session_cleanup\",result=\"success\"}"),
        1.0);
    QCOMPARE(
        sampleOr(text, "maintenance_job_runs_total{job=\"session_cleanup\",result=\"skipped\"}"),
        1.0);
    QCOMPARE(
        sampleOr(text, "maintenance_job_runs_total{job=\"session_cleanup\",result=\"timeout\"}"),
        0.0);
    QCOMPARE(sampleOr(text, "maintenance_job_duration_seconds_count{job=\"session_cleanup\"}"),
             2.0);
    QCOMPARE(sampleOr(text, "maintenance_job_duration_seconds_sum{job=\"session_cleanup\"}"), 2.3);
    const double stamp =
        sampleOr(text, "maintenance_job_last_success_timestamp_seconds{job=\"session_cleanup\"}");
    QVERIFY2(stamp >= before && stamp <= after, QByteArray::number(stamp, 'f', 3).constData());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, instruments.job(""));
  }

  void connections() {
    Registry registry;
    Instruments instruments(registry);
    instruments.recordConnectionLaunch(Protocol::Ssh, LaunchResult::Success);
    instruments.recordConnectionLaunch(Protocol::Rdp, LaunchResult::Timeout);
    instruments.connectionOpened(Protocol::Ssh);
    instruments.connectionOpened(Protocol::Kubernetes);
    instruments.connectionClosed(Protocol::Kubernetes);
    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "connection_launches_total{protocol=\"ssh\",result=\"success\"}"), 1.0);
    QCOMPARE(sampleOr(text, "connection_launches_total{protocol=\"rdp\",result=\"timeout\"}"), 1.0);
    QCOMPARE(sampleOr(text, "connection_launches_total{protocol=\"telnet\",result=\"denied\"}"),
             0.0);
    QCOMPARE(sampleOr(text, "connections_active{protocol=\"ssh\"}"), 1.0);
    QCOMPARE(sampleOr(text, "connections_active{protocol=\"kubernetes\"}"), 0.0);
    QCOMPARE(sampleOr(text, "connections_active{protocol=\"vnc\"}"), 0.0);
  }

  void oncePerRegistry() {
    Registry registry;
    Instruments first(registry);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Instruments second(registry));
  }

  void labelValuesAreClosedSets() {
    QVERIFY(labelValue(HttpMethod::Delete) == std::string_view("DELETE"));
    QVERIFY(labelValue(HttpMethod::Other) == std::string_view("OTHER"));
    QVERIFY(labelValue(VaultResult::NotFound) == std::string_view("not_found"));
    QVERIFY(labelValue(Protocol::Kubernetes) == std::string_view("kubernetes"));
    QVERIFY(labelValue(SubscriptionAction::Unsubscribe) == std::string_view("unsubscribe"));
  }
};

QTEST_GUILESS_MAIN(TstMetricsInstruments)
#include "tst_metrics_instruments.moc"
