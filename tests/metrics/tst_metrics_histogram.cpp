// Histogram: cumulative buckets, bound edges, sum/count, +Inf and NaN, totals from several
// threads, the per-thread stripes, and ScopedTimer.

#include "healthdeck/metrics/histogram.h"
#include "healthdeck/metrics/registry.h"
#include "healthdeck/metrics/scoped_timer.h"
#include "tests/metrics/sample_lookup.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <memory>
#include <thread>

using namespace healthdeck::metrics;

namespace {
std::shared_ptr<const std::vector<double>> bounds(std::vector<double> b) {
  return std::make_shared<const std::vector<double>>(std::move(b));
}
} // namespace

class TstMetricsHistogram : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void cumulativeBuckets_data() {
    QTest::addColumn<int>("boundCount");
    QTest::newRow("linear search") << 4;
    QTest::newRow("binary search") << 40;
  }
  void cumulativeBuckets() {
    QFETCH(int, boundCount);
    std::vector<double> b;
    for (int i = 1; i <= boundCount; ++i)
      b.push_back(i); // 1, 2, ..., n
    Histogram h(bounds(b));
    // Bounds are inclusive upper edges: 1 lands in le="1", 1.0001 in le="2".
    h.observe(-5);
    h.observe(1);
    h.observe(1.0001);
    h.observe(boundCount);
    h.observe(boundCount + 0.5);
    h.observe(std::numeric_limits<double>::infinity());
    const auto snap = h.snapshot();
    QCOMPARE(snap.cumulative.size(), std::size_t(boundCount) + 1);
    QCOMPARE(snap.cumulative[0], std::uint64_t{2}); // -5 and 1
    QCOMPARE(snap.cumulative[1], std::uint64_t{3});
    QCOMPARE(snap.cumulative[std::size_t(boundCount) - 1], std::uint64_t{4});
    QCOMPARE(snap.cumulative.back(), std::uint64_t{6});
    QCOMPARE(snap.count, std::uint64_t{6});
    for (std::size_t i = 1; i < snap.cumulative.size(); ++i)
      QVERIFY(snap.cumulative[i] >= snap.cumulative[i - 1]);
    QVERIFY(std::isinf(snap.sum));
  }

  void sumAndNaN() {
    Histogram h(bounds({0.1, 1}));
    h.observe(0.05);
    h.observe(0.5);
    h.observe(2);
    QCOMPARE(h.snapshot().sum, 2.55);
    h.observe(std::nan(""));
    const auto snap = h.snapshot();
    QCOMPARE(snap.count, std::uint64_t{4});
    QCOMPARE(snap.cumulative[1], std::uint64_t{2}); // NaN is in +Inf only
    QVERIFY(std::isnan(snap.sum));
  }

  void stripes() {
    const std::size_t n = Histogram::stripeCount();
    QVERIFY(n >= 4);
    QCOMPARE(n & (n - 1), std::size_t{0}); // power of two
  }

  void totalsFromManyThreads_data() {
    QTest::addColumn<int>("threads");
    QTest::newRow("2 threads") << 2;
    QTest::newRow("8 threads (more than stripes on small machines)") << 8;
    QTest::newRow("80 threads (more than the slot bitmap)") << 80;
  }
  void totalsFromManyThreads() {
    QFETCH(int, threads);
    Histogram h(bounds({1, 2, 3}));
    const int perThread = threads > 10 ? 2000 : 100000;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&h, perThread, t] {
        for (int i = 0; i < perThread; ++i)
          h.observe(double((i + t) % 4) + 0.5); // 0.5, 1.5, 2.5, 3.5 round robin
      });
    for (auto& t : pool)
      t.join();
    const auto snap = h.snapshot();
    const std::uint64_t total = std::uint64_t(threads) * std::uint64_t(perThread);
    QCOMPARE(snap.count, total);
    QCOMPARE(snap.cumulative[0], total / 4);
    QCOMPARE(snap.cumulative[1], total / 2);
    QCOMPARE(snap.cumulative[2], total / 4 * 3);
    // 0.5+1.5+2.5+3.5 = 8 per 4 observations; exact in binary floating point.
    QCOMPARE(snap.sum, double(total) / 4 * 8);
  }

  void scopedTimer() {
    Registry registry;
    Histogram& h = registry.histogram("op_seconds", "help", {0.001, 10});
    {
      ScopedTimer timer(h);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto snap = h.snapshot();
    QCOMPARE(snap.count, std::uint64_t{1});
    QCOMPARE(snap.cumulative[0], std::uint64_t{0}); // slept 20 ms > 1 ms
    QCOMPARE(snap.cumulative[1], std::uint64_t{1}); // generous: less than 10 s
    QVERIFY(snap.sum >= 0.02);
    {
      ScopedTimer timer(h);
      timer.cancel();
    }
    QCOMPARE(h.snapshot().count, std::uint64_t{1});
    {
      ScopedTimer timer(h);
      const double seconds = timer.stop();
      QVERIFY(seconds >= 0);
    } // stop() observed; the destructor does not observe again
    snap = h.snapshot();
    QCOMPARE(snap.count, std::uint64_t{2});
    QCOMPARE(healthdeck::testing::sampleOr(registry.text(), "op_seconds_count"), 2.0);
  }
};

QTEST_GUILESS_MAIN(TstMetricsHistogram)
#include "tst_metrics_histogram.moc"
