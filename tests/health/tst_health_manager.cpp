// HealthManager: aggregation, per-check deadlines, hung checks, exceptions, parallelism,
// caching and shared runs, degradedAfter, `since`, and the result observer.

#include "healthdeck/health/health_manager.h"

#include "tests/health/status_compare.h"
#include <QElapsedTimer>
#include <QRegularExpression>

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace healthdeck;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(healthdeck::Status)

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

// A check whose behaviour is a lambda, counting its calls.
class FnCheck : public HealthCheck {
public:
  explicit FnCheck(std::function<CheckOutcome(const CheckContext&)> fn) : m_fn(std::move(fn)) {}
  CheckOutcome run(const CheckContext& ctx) override {
    calls.fetch_add(1);
    return m_fn(ctx);
  }
  std::atomic<int> calls{0};

private:
  std::function<CheckOutcome(const CheckContext&)> m_fn;
};

// A check that blocks until released (or 10 s pass), to play a hung dependency.
class GateCheck : public HealthCheck {
public:
  CheckOutcome run(const CheckContext&) override {
    calls.fetch_add(1);
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, 10s, [&] { return m_open || m_forever; });
    m_open = false;
    returned.fetch_add(1);
    return {Status::Up, "released"};
  }
  void release() {
    std::lock_guard lock(m_mutex);
    m_open = true;
    m_cv.notify_all();
  }
  void openForever() {
    std::lock_guard lock(m_mutex);
    m_forever = true;
    m_cv.notify_all();
  }
  std::atomic<int> calls{0};
  std::atomic<int> returned{0};

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_open = false;
  bool m_forever = false;
};

std::shared_ptr<FnCheck> sleeping(std::chrono::milliseconds d, Status s = Status::Up) {
  return std::make_shared<FnCheck>([d, s](const CheckContext&) {
    std::this_thread::sleep_for(d);
    return CheckOutcome{s, "slept"};
  });
}

std::shared_ptr<FnCheck> constant(Status s, std::string details = "fine") {
  return std::make_shared<FnCheck>([s, details](const CheckContext&) {
    return CheckOutcome{s, details};
  });
}

CheckSpec spec(std::string name, Probe probe = Probe::Readiness, bool critical = true) {
  CheckSpec sp;
  sp.name = std::move(name);
  sp.probe = probe;
  sp.critical = critical;
  return sp;
}

HealthManager::Options noCache(std::chrono::milliseconds timeout = 2000ms) {
  HealthManager::Options o;
  o.defaultTimeout = timeout;
  o.cacheTtl = 0ms;
  return o;
}

} // namespace

class TestHealthManager : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void aggregation_data();
  void aggregation();
  void emptyProbeIsUp();
  void lateCheckIsDownAtDeadline();
  void hungCheckIsNotStartedAgain();
  void destructorDoesNotWaitForHungCheck();
  void throwingCheckIsDown();
  void checksRunInParallel();
  void passesDeadlineToCheck();
  void cacheWithinTtl();
  void concurrentCallersShareOneRun();
  void probesAreCachedSeparately();
  void slowSuccessIsDegraded();
  void sincePreservedWhileStatusHolds();
  void observerSeesEveryRunButNotCacheHits();
  void rejectsDuplicateAndInvalidRegistrations();
  void lastResultAndComponents();
};

void TestHealthManager::aggregation_data() {
  QTest::addColumn<QList<int>>("statuses"); // Status values
  QTest::addColumn<QList<bool>>("critical");
  QTest::addColumn<Status>("expected");

  const int up = int(Status::Up), deg = int(Status::Degraded), down = int(Status::Down);
  QTest::newRow("empty") << QList<int>{} << QList<bool>{} << Status::Up;
  QTest::newRow("all up") << QList<int>{up, up} << QList<bool>{true, false} << Status::Up;
  QTest::newRow("critical down") << QList<int>{up, down} << QList<bool>{true, true} << Status::Down;
  QTest::newRow("non-critical down")
      << QList<int>{up, down} << QList<bool>{true, false} << Status::Degraded;
  QTest::newRow("critical degraded")
      << QList<int>{deg, up} << QList<bool>{true, true} << Status::Degraded;
  QTest::newRow("non-critical degraded")
      << QList<int>{up, deg} << QList<bool>{true, false} << Status::Degraded;
  QTest::newRow("non-critical down + critical down")
      << QList<int>{down, down} << QList<bool>{false, true} << Status::Down;
  QTest::newRow("only non-critical, all down")
      << QList<int>{down, down} << QList<bool>{false, false} << Status::Degraded;
}

void TestHealthManager::aggregation() {
  QFETCH(QList<int>, statuses);
  QFETCH(QList<bool>, critical);
  QFETCH(Status, expected);

  // Through the real manager, not only the pure function.
  HealthManager manager(noCache());
  for (int i = 0; i < statuses.size(); ++i)
    manager.add(spec("c" + std::to_string(i), Probe::Readiness, critical[i]),
                constant(static_cast<Status>(statuses[i])));
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  QCOMPARE_STATUS(r.status, expected);
  QCOMPARE(int(r.checks.size()), int(statuses.size()));
  QCOMPARE(r.httpStatus(), expected == Status::Down ? 503 : 200);
  for (int i = 0; i < statuses.size(); ++i) {
    QCOMPARE_STATUS(r.checks[i].status, static_cast<Status>(statuses[i]));
    QCOMPARE(r.checks[i].critical, critical[i]);
  }
}

void TestHealthManager::emptyProbeIsUp() {
  HealthManager manager;
  const ProbeResult r = manager.evaluate(Probe::Liveness);
  QCOMPARE_STATUS(r.status, Status::Up);
  QCOMPARE_STATUS(r.probe, Probe::Liveness);
  QVERIFY(r.checks.empty());
}

void TestHealthManager::lateCheckIsDownAtDeadline() {
  HealthManager manager(noCache(200ms));
  auto gate = std::make_shared<GateCheck>();
  manager.add(spec("slow"), gate);
  manager.add(spec("fast"), constant(Status::Up));

  QElapsedTimer timer;
  timer.start();
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  const qint64 elapsed = timer.elapsed();
  QVERIFY2(elapsed < 200 + 1000, qPrintable(QString::number(elapsed)));
  QVERIFY(elapsed >= 190);
  QCOMPARE_STATUS(r.status, Status::Down);
  QCOMPARE_STATUS(r.checks[0].status, Status::Down);
  QCOMPARE(QString::fromStdString(r.checks[0].details), QStringLiteral("no answer within 200 ms"));
  QVERIFY(r.checks[0].duration >= 190ms);
  QCOMPARE_STATUS(r.checks[1].status, Status::Up);
  gate->release();
}

void TestHealthManager::hungCheckIsNotStartedAgain() {
  HealthManager manager(noCache(200ms));
  auto gate = std::make_shared<GateCheck>();
  CheckSpec s = spec("stuck");
  s.timeout = 200ms; // per-check timeout wins over the default
  manager.add(s, gate);

  QCOMPARE(q(manager.evaluate(Probe::Readiness).checks[0].details),
           QStringLiteral("no answer within 200 ms"));
  QCOMPARE(gate->calls.load(), 1);

  QElapsedTimer timer;
  timer.start();
  const ProbeResult second = manager.evaluate(Probe::Readiness);
  QVERIFY(timer.elapsed() < 150); // nothing to wait for: it is known to be stuck
  QCOMPARE_STATUS(second.checks[0].status, Status::Down);
  const QString details = QString::fromStdString(second.checks[0].details);
  QVERIFY2(details.startsWith(QStringLiteral("still running since ")) &&
               details.endsWith(QStringLiteral("(hung)")),
           qPrintable(details));
  QCOMPARE(gate->calls.load(), 1); // not called a second time

  gate->openForever();
  QTRY_COMPARE_WITH_TIMEOUT(gate->returned.load(), 1, 5000);
  // Once the stuck call has returned, the next run calls the check again. The worker may need
  // a moment to record that it is free, so allow a few "hung" answers first.
  ProbeResult again;
  for (int i = 0; i < 200; ++i) {
    again = manager.evaluate(Probe::Readiness);
    if (again.checks[0].details.find("hung") == std::string::npos) break;
    std::this_thread::sleep_for(10ms);
  }
  QCOMPARE_STATUS(again.checks[0].status, Status::Up);
  QCOMPARE(gate->calls.load(), 2);
  QCOMPARE(q(manager.evaluate(Probe::Readiness).checks[0].details), QStringLiteral("released"));
}

void TestHealthManager::destructorDoesNotWaitForHungCheck() {
  auto gate = std::make_shared<GateCheck>();
  std::weak_ptr<GateCheck> weak = gate;
  auto manager = std::make_unique<HealthManager>(noCache(100ms));
  manager->add(spec("stuck"), gate);
  gate.reset(); // the manager (and its worker) now own the check
  QCOMPARE_STATUS(manager->evaluate(Probe::Readiness).status, Status::Down);
  QElapsedTimer timer;
  timer.start();
  manager.reset(); // with the worker still inside run()
  QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
  // The check stays alive while its call is still running, and is freed once it returns.
  auto stillThere = weak.lock();
  QVERIFY(stillThere);
  stillThere->release();
  stillThere.reset();
  QTRY_VERIFY_WITH_TIMEOUT(weak.expired(), 5000);
}

void TestHealthManager::throwingCheckIsDown() {
  HealthManager manager(noCache());
  manager.add(spec("boom"), std::make_shared<FnCheck>([](const CheckContext&) -> CheckOutcome {
                throw std::runtime_error("connection reset by peer");
              }));
  manager.add(spec("odd", Probe::Readiness, false),
              std::make_shared<FnCheck>([](const CheckContext&) -> CheckOutcome { throw 42; }));
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  QCOMPARE_STATUS(r.status, Status::Down);
  QCOMPARE_STATUS(r.checks[0].status, Status::Down);
  QCOMPARE(q(r.checks[0].details), QStringLiteral("connection reset by peer"));
  QCOMPARE_STATUS(r.checks[1].status, Status::Down);
  QVERIFY(r.checks[1].details.find("unknown exception") != std::string::npos);
  // A throwing check is run again next time (it did return).
  QCOMPARE(q(manager.evaluate(Probe::Readiness).checks[0].details),
           QStringLiteral("connection reset by peer"));
}

void TestHealthManager::checksRunInParallel() {
  HealthManager manager(noCache());
  std::vector<std::shared_ptr<FnCheck>> checks;
  for (int i = 0; i < 3; ++i) {
    checks.push_back(sleeping(300ms));
    manager.add(spec("sleeper" + std::to_string(i)), checks.back());
  }
  QElapsedTimer timer;
  timer.start();
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  const qint64 elapsed = timer.elapsed();
  QCOMPARE_STATUS(r.status, Status::Up);
  QVERIFY(elapsed >= 295);
  QVERIFY2(elapsed < 800, qPrintable(QString::number(elapsed))); // sequential would be 900
  for (const auto& c : r.checks)
    QVERIFY(c.duration >= 295ms && c.duration < 800ms);
}

void TestHealthManager::passesDeadlineToCheck() {
  HealthManager manager(noCache(700ms));
  std::chrono::milliseconds seenTimeout{0};
  std::chrono::steady_clock::duration seenBudget{};
  manager.add(spec("ctx"), std::make_shared<FnCheck>([&](const CheckContext& ctx) {
                seenTimeout = ctx.timeout;
                seenBudget = ctx.deadline - std::chrono::steady_clock::now();
                return CheckOutcome{};
              }));
  manager.evaluate(Probe::Readiness);
  QCOMPARE(seenTimeout.count(), 700);
  QVERIFY(seenBudget > 400ms && seenBudget <= 700ms);
}

void TestHealthManager::cacheWithinTtl() {
  HealthManager::Options o;
  o.cacheTtl = 300ms;
  HealthManager manager(o);
  auto check = constant(Status::Up);
  manager.add(spec("db"), check);
  const ProbeResult first = manager.evaluate(Probe::Readiness);
  for (int i = 0; i < 10; ++i)
    QCOMPARE(manager.evaluate(Probe::Readiness).timestamp, first.timestamp);
  QCOMPARE(check->calls.load(), 1);
  std::this_thread::sleep_for(350ms);
  manager.evaluate(Probe::Readiness);
  QCOMPARE(check->calls.load(), 2);
}

void TestHealthManager::concurrentCallersShareOneRun() {
  HealthManager manager(noCache());
  auto check = sleeping(300ms);
  manager.add(spec("db"), check);

  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<int> upResults{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (!go.load())
        std::this_thread::yield();
      if (manager.evaluate(Probe::Readiness).status == Status::Up) upResults.fetch_add(1);
    });
  while (ready.load() < kThreads)
    std::this_thread::yield();
  go.store(true);
  for (auto& t : threads)
    t.join();

  QCOMPARE(upResults.load(), kThreads);
  // All 8 start within a few ms of each other while one run takes 300 ms: they share it.
  // A straggler delayed by the scheduler may start a second run, never one per caller.
  QVERIFY2(check->calls.load() <= 2, qPrintable(QString::number(check->calls.load())));
  // TTL 0: the next caller after the shared run gets a fresh run.
  const int before = check->calls.load();
  manager.evaluate(Probe::Readiness);
  QCOMPARE(check->calls.load(), before + 1);
}

void TestHealthManager::probesAreCachedSeparately() {
  HealthManager manager; // TTL 1 s
  auto live = constant(Status::Up, "alive");
  auto ready = constant(Status::Down, "db down");
  manager.add(spec("loop", Probe::Liveness), live);
  manager.add(spec("db", Probe::Readiness), ready);

  const ProbeResult r = manager.evaluate(Probe::Readiness);
  QCOMPARE_STATUS(r.status, Status::Down);
  QCOMPARE(live->calls.load(), 0);
  const ProbeResult l = manager.evaluate(Probe::Liveness);
  QCOMPARE_STATUS(l.status, Status::Up);
  QCOMPARE_STATUS(l.probe, Probe::Liveness);
  QCOMPARE(int(l.checks.size()), 1);
  QCOMPARE(q(l.checks[0].component), QStringLiteral("loop"));
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Down);
  QCOMPARE(live->calls.load(), 1);
  QCOMPARE(ready->calls.load(), 1);
}

void TestHealthManager::slowSuccessIsDegraded() {
  HealthManager manager(noCache());
  CheckSpec slow = spec("slow");
  slow.degradedAfter = 50ms;
  CheckSpec quick = spec("quick");
  quick.degradedAfter = 500ms;
  CheckSpec failing = spec("failing", Probe::Readiness, false);
  failing.degradedAfter = 50ms;
  manager.add(slow, sleeping(150ms));
  manager.add(quick, constant(Status::Up, "SELECT 1"));
  manager.add(failing, sleeping(150ms, Status::Down));

  const ProbeResult r = manager.evaluate(Probe::Readiness);
  QCOMPARE_STATUS(r.checks[0].status, Status::Degraded);
  const QString details = QString::fromStdString(r.checks[0].details);
  QVERIFY2(QRegularExpression(QStringLiteral("^answered in \\d+ ms \\(> 50 ms\\)$"))
               .match(details)
               .hasMatch(),
           qPrintable(details));
  QCOMPARE_STATUS(r.checks[1].status, Status::Up);
  QCOMPARE(q(r.checks[1].details), QStringLiteral("SELECT 1"));
  QCOMPARE_STATUS(r.checks[2].status, Status::Down); // slowness never hides a failure
  QCOMPARE(q(r.checks[2].details), QStringLiteral("slept"));
  QCOMPARE_STATUS(r.status, Status::Degraded);
}

void TestHealthManager::sincePreservedWhileStatusHolds() {
  HealthManager manager(noCache());
  std::atomic<int> status{int(Status::Up)};
  manager.add(spec("flappy"), std::make_shared<FnCheck>([&](const CheckContext&) {
                return CheckOutcome{static_cast<Status>(status.load()), ""};
              }));
  const ProbeResult a = manager.evaluate(Probe::Readiness);
  QCOMPARE(a.checks[0].since, a.timestamp);
  std::this_thread::sleep_for(20ms);
  const ProbeResult b = manager.evaluate(Probe::Readiness);
  QVERIFY(b.timestamp > a.timestamp);
  QCOMPARE(b.checks[0].since, a.checks[0].since);

  status = int(Status::Down);
  std::this_thread::sleep_for(20ms);
  const ProbeResult c = manager.evaluate(Probe::Readiness);
  QCOMPARE(c.checks[0].since, c.timestamp);
  QVERIFY(c.checks[0].since > a.checks[0].since);
  const ProbeResult d = manager.evaluate(Probe::Readiness);
  QCOMPARE(d.checks[0].since, c.checks[0].since);
}

void TestHealthManager::observerSeesEveryRunButNotCacheHits() {
  HealthManager::Options o;
  o.cacheTtl = 10s;
  HealthManager manager(o);
  manager.add(spec("db"), constant(Status::Degraded, "slow replica"));
  std::vector<ProbeResult> seen;
  manager.setResultObserver([&](const ProbeResult& r) { seen.push_back(r); });
  manager.evaluate(Probe::Readiness);
  manager.evaluate(Probe::Readiness);
  manager.evaluate(Probe::Liveness);
  QCOMPARE(int(seen.size()), 2);
  QCOMPARE_STATUS(seen[0].probe, Probe::Readiness);
  QCOMPARE_STATUS(seen[0].status, Status::Degraded);
  QCOMPARE(q(seen[0].checks[0].details), QStringLiteral("slow replica"));
  QCOMPARE_STATUS(seen[1].probe, Probe::Liveness);
}

void TestHealthManager::rejectsDuplicateAndInvalidRegistrations() {
  HealthManager manager;
  manager.add(spec("db"), constant(Status::Up));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.add(spec("db"), constant(Status::Up)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.add(spec(""), constant(Status::Up)));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, manager.add(spec("x"), nullptr));
  manager.add(spec("db", Probe::Liveness), constant(Status::Up)); // other probe: fine
}

void TestHealthManager::lastResultAndComponents() {
  HealthManager manager(noCache());
  QVERIFY(manager.lastResult(Probe::Readiness).checks.empty());
  manager.add(spec("b"), constant(Status::Up));
  manager.add(spec("a"), constant(Status::Down));
  QCOMPARE(manager.components(Probe::Readiness), (std::vector<std::string>{"b", "a"}));
  QVERIFY(manager.components(Probe::Liveness).empty());
  QVERIFY(manager.lastResult(Probe::Readiness).checks.empty()); // nothing ran yet
  manager.evaluate(Probe::Readiness);
  const ProbeResult last = manager.lastResult(Probe::Readiness);
  QCOMPARE_STATUS(last.status, Status::Down);
  QCOMPARE(int(last.checks.size()), 2);
}

QTEST_GUILESS_MAIN(TestHealthManager)
#include "tst_health_manager.moc"
