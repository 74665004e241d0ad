// In-process helpers: HeartbeatCheck, QueueDepthCheck, DriverHealthAdapter, and the duration
// wording every check shares.

#include "healthdeck/health/driver_health_adapter.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/health/heartbeat_check.h"
#include "healthdeck/health/queue_depth_check.h"
#include "healthdeck/util/duration_text.h"

#include "tests/health/status_compare.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

const CheckContext kCtx{std::chrono::steady_clock::now() + 1s, 1000ms};

struct BoolDriver {
  bool ok = true;
  bool healthCheck() const { return ok; }
};
struct StatusDriver {
  Status healthCheck() { return Status::Degraded; }
};
struct OutcomeDriver {
  std::chrono::milliseconds seen{0};
  CheckOutcome healthCheck(const CheckContext& ctx) {
    seen = ctx.timeout;
    return {Status::Up, "pool 3/10 busy"};
  }
};
struct ThrowingDriver {
  bool healthCheck() { throw std::runtime_error("socket closed"); }
};

} // namespace

class TestHealthHelpers : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void latencyWording_data();
  void latencyWording();
  void ageWording_data();
  void ageWording();
  void heartbeatGraceBeforeFirstBeat();
  void heartbeatFreshAndStale();
  void heartbeatStaleCanBeDegraded();
  void heartbeatConcurrentBeats();
  void queueDepthThresholds();
  void queueDepthFromSource();
  void queueDepthRejectsInvertedThresholds();
  void adapterBool();
  void adapterStatusAndOutcome();
  void adapterReportsExceptionAsDown();
  void adapterInsideManager();
};

void TestHealthHelpers::latencyWording_data() {
  QTest::addColumn<qint64>("ns");
  QTest::addColumn<QString>("expected");
  QTest::newRow("sub-ms") << qint64(300'000) << QStringLiteral("0.3 ms");
  QTest::newRow("zero") << qint64(0) << QStringLiteral("0 ms");
  QTest::newRow("ms") << qint64(412'300'000) << QStringLiteral("412 ms");
  QTest::newRow("whole seconds") << qint64(2'000'000'000) << QStringLiteral("2 s");
  QTest::newRow("fractional seconds") << qint64(1'500'000'000) << QStringLiteral("1.5 s");
}

void TestHealthHelpers::latencyWording() {
  QFETCH(qint64, ns);
  QFETCH(QString, expected);
  QCOMPARE(q(formatLatency(std::chrono::nanoseconds(ns))), expected);
}

void TestHealthHelpers::ageWording_data() {
  QTest::addColumn<qint64>("ms");
  QTest::addColumn<QString>("expected");
  QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
  QTest::newRow("negative") << qint64(-5000) << QStringLiteral("0s");
  QTest::newRow("sub-second") << qint64(150) << QStringLiteral("150ms");
  QTest::newRow("seconds") << qint64(45'000) << QStringLiteral("45s");
  QTest::newRow("minutes") << qint64(12 * 60'000) << QStringLiteral("12m");
  QTest::newRow("minutes and seconds") << qint64(90'000) << QStringLiteral("1m30s");
  QTest::newRow("hours and minutes") << qint64(7'500'000) << QStringLiteral("2h5m");
  QTest::newRow("hour, no minutes") << qint64(3'605'000) << QStringLiteral("1h");
  QTest::newRow("days") << qint64(3 * 86'400'000LL + 4 * 3'600'000LL) << QStringLiteral("3d4h");
}

void TestHealthHelpers::ageWording() {
  QFETCH(qint64, ms);
  QFETCH(QString, expected);
  QCOMPARE(q(formatAge(std::chrono::milliseconds(ms))), expected);
}

void TestHealthHelpers::heartbeatGraceBeforeFirstBeat() {
  HeartbeatCheck hb(200ms);
  QVERIFY(!hb.sinceLastBeat());
  CheckOutcome o = hb.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QVERIFY2(o.details.starts_with("waiting for the first beat"), o.details.c_str());
  std::this_thread::sleep_for(250ms);
  o = hb.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QVERIFY2(o.details.starts_with("never beat") && o.details.ends_with("(> 200ms)"),
           o.details.c_str());
}

void TestHealthHelpers::heartbeatFreshAndStale() {
  HeartbeatCheck hb(150ms);
  hb.beat();
  CheckOutcome o = hb.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QVERIFY2(o.details.starts_with("last beat "), o.details.c_str());
  std::this_thread::sleep_for(200ms);
  o = hb.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QVERIFY2(o.details.starts_with("last beat ") && o.details.ends_with(" ago (> 150ms)"),
           o.details.c_str());
  QVERIFY(*hb.sinceLastBeat() >= 200ms);
  hb.beat();
  QCOMPARE_STATUS(hb.run(kCtx).status, Status::Up);
}

void TestHealthHelpers::heartbeatStaleCanBeDegraded() {
  HeartbeatCheck hb(50ms, Status::Degraded);
  hb.beat();
  std::this_thread::sleep_for(80ms);
  QCOMPARE_STATUS(hb.run(kCtx).status, Status::Degraded);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HeartbeatCheck(0ms));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, HeartbeatCheck(1s, Status::Up));
}

void TestHealthHelpers::heartbeatConcurrentBeats() {
  HeartbeatCheck hb(10s);
  std::atomic<bool> stop{false};
  std::vector<std::thread> beaters;
  for (int i = 0; i < 4; ++i)
    beaters.emplace_back([&] {
      while (!stop.load())
        hb.beat();
    });
  QTRY_VERIFY_WITH_TIMEOUT(hb.sinceLastBeat().has_value(), 5000);
  for (int i = 0; i < 200; ++i)
    QCOMPARE_STATUS(hb.run(kCtx).status, Status::Up);
  stop = true;
  for (auto& t : beaters)
    t.join();
  QVERIFY(hb.sinceLastBeat().has_value());
  QVERIFY(*hb.sinceLastBeat() < 1s);
}

void TestHealthHelpers::queueDepthThresholds() {
  QueueDepthCheck check({10, 100});
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Up);
  QCOMPARE(q(check.run(kCtx).details), QStringLiteral("0 items queued"));
  check.set(1);
  QCOMPARE(q(check.run(kCtx).details), QStringLiteral("1 item queued"));
  check.set(9);
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Up);
  check.set(10);
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Degraded);
  QCOMPARE(q(check.run(kCtx).details), QStringLiteral("10 items queued (>= 10)"));
  check.set(250);
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Down);
  QCOMPARE(q(check.run(kCtx).details), QStringLiteral("250 items queued (>= 100)"));

  QueueDepthCheck onlyDown({0, 5});
  onlyDown.set(4);
  QCOMPARE_STATUS(onlyDown.run(kCtx).status, Status::Up);
  onlyDown.set(5);
  QCOMPARE_STATUS(onlyDown.run(kCtx).status, Status::Down);
}

void TestHealthHelpers::queueDepthFromSource() {
  std::atomic<std::size_t> depth{3};
  QueueDepthCheck check({5, 0}, [&] { return depth.load(); });
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Up);
  depth = 1000;
  QCOMPARE_STATUS(check.run(kCtx).status, Status::Degraded); // no down threshold configured
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           QueueDepthCheck({1, 2}, std::function<std::size_t()>{}));
}

void TestHealthHelpers::queueDepthRejectsInvertedThresholds() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, QueueDepthCheck({100, 10}));
}

void TestHealthHelpers::adapterBool() {
  auto driver = std::make_shared<BoolDriver>();
  DriverHealthAdapter<BoolDriver> adapter(driver);
  QCOMPARE_STATUS(adapter.run(kCtx).status, Status::Up);
  driver->ok = false;
  const CheckOutcome o = adapter.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QVERIFY(!o.details.empty());
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, DriverHealthAdapter<BoolDriver>(nullptr));
}

void TestHealthHelpers::adapterStatusAndOutcome() {
  DriverHealthAdapter<StatusDriver> status(std::make_shared<StatusDriver>());
  QCOMPARE_STATUS(status.run(kCtx).status, Status::Degraded);
  auto driver = std::make_shared<OutcomeDriver>();
  DriverHealthAdapter<OutcomeDriver> outcome(driver);
  const CheckOutcome o = outcome.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QCOMPARE(q(o.details), QStringLiteral("pool 3/10 busy"));
  QCOMPARE(driver->seen.count(), 1000); // the context reaches drivers that take it
}

void TestHealthHelpers::adapterReportsExceptionAsDown() {
  DriverHealthAdapter<ThrowingDriver> adapter(std::make_shared<ThrowingDriver>());
  const CheckOutcome o = adapter.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QCOMPARE(q(o.details), QStringLiteral("socket closed"));
}

void TestHealthHelpers::adapterInsideManager() {
  HealthManager::Options opts;
  opts.cacheTtl = 0ms;
  HealthManager manager(opts);
  auto driver = std::make_shared<BoolDriver>();
  CheckSpec spec;
  spec.name = "pool";
  manager.add(spec, std::make_shared<DriverHealthAdapter<BoolDriver>>(driver));
  auto queue = std::make_shared<QueueDepthCheck>(QueueDepthCheck::Thresholds{10, 0});
  spec.name = "queue";
  spec.critical = false;
  manager.add(spec, queue);
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Up);
  queue->set(11);
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Degraded);
  driver->ok = false;
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Down);
}

QTEST_GUILESS_MAIN(TestHealthHelpers)
#include "tst_health_helpers.moc"
