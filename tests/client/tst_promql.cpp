// rate/increase/delta and histogram_quantile against values worked out by hand from
// PromQL's documented algorithm (Prometheus 2.x promql/functions.go), and the series ring.

#include "healthdeck/client/store/metric_series.h"
#include "healthdeck/client/store/promql.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace healthdeck::client;
using promql::Bucket;

Q_DECLARE_METATYPE(std::vector<Point>)
Q_DECLARE_METATYPE(std::vector<Bucket>)

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<Point> pts(std::initializer_list<std::pair<double, double>> secondsAndValues) {
  std::vector<Point> out;
  for (const auto& [s, v] : secondsAndValues)
    out.push_back(Point{static_cast<std::int64_t>(s * 1000), v});
  return out;
}
} // namespace

class TstPromql : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void extrapolation_data();
  void extrapolation();
  void tooFewPoints();
  void rateOverSeries();
  void quantile_data();
  void quantile();
  void quantileOrderDoesNotMatter();
  void ringBuffer();
  void capacity();
};

void TstPromql::extrapolation_data() {
  QTest::addColumn<std::vector<Point>>("points");
  QTest::addColumn<double>("startS");
  QTest::addColumn<double>("endS");
  QTest::addColumn<double>("increase");
  QTest::addColumn<double>("rate");
  QTest::addColumn<double>("delta");

  // 45 growth over 45 s sampled; 5 s and 10 s to the ends are under 1.1 x 15 s, so the
  // window is filled: 45 * 60/45 = 60. delta: same (no reset, no zero clamp needed).
  QTest::newRow("steady counter") << pts({{5, 10}, {20, 25}, {35, 40}, {50, 55}}) << 0.0 << 60.0
                                  << 60.0 << 1.0 << 60.0;
  // Reset at 35 s: 20 - 10 + 25 = 35; zero point 45 * 10/35 = 12.9 s > 5 s, so the
  // interval is still 60 s: 35 * 60/45 = 140/3. delta ignores resets: 10 * 60/45.
  QTest::newRow("counter reset") << pts({{5, 10}, {20, 25}, {35, 5}, {50, 20}}) << 0.0 << 60.0
                                 << 140.0 / 3 << 140.0 / 3 / 60 << 10.0 * 60 / 45;
  // Counter started 2 s before its first sample (value 2 at 1/s): extrapolate 2 s, not 20 s.
  // interval 20 + 2 + 0: 20 * 22/20 = 22. delta uses the full 20 s gap (< 11? no: 20 >= 11,
  // so half a gap, 5 s): 20 * 25/20 = 25.
  QTest::newRow("zero clamp") << pts({{20, 2}, {30, 12}, {40, 22}}) << 0.0 << 40.0 << 22.0
                              << 22.0 / 40 << 25.0;
  // Series starting at 0 in the middle of a 100 s window: the zero clamp takes 0 s at the
  // start; the end is 40 s away (>= 11 s), so only half a gap (5 s): 20 * 25/20 = 25.
  // delta extrapolates half a gap on both sides: 20 * 30/20 = 30.
  QTest::newRow("far from both ends")
      << pts({{40, 0}, {50, 10}, {60, 20}}) << 0.0 << 100.0 << 25.0 << 0.25 << 30.0;
  // Two resets: 3 - 50 + 50 (30 < 50) + 80 (3 < 80) = 83 over 30 s sampled, average gap
  // 10 s, ends 1 s and 2 s away (< 11 s): 83 * 33/30 = 91.3. Zero point 30 * 50/83 = 18 s
  // is farther than 1 s. delta ignores resets: (3 - 50) * 33/30 = -51.7.
  QTest::newRow("two resets") << pts({{1, 50}, {11, 30}, {21, 80}, {31, 3}}) << 0.0 << 33.0 << 91.3
                              << 91.3 / 33 << -51.7;
  // Flat counter: no growth, no extrapolation effect.
  QTest::newRow("flat") << pts({{10, 7}, {20, 7}}) << 0.0 << 30.0 << 0.0 << 0.0 << 0.0;
}

void TstPromql::extrapolation() {
  QFETCH(std::vector<Point>, points);
  QFETCH(double, startS);
  QFETCH(double, endS);
  QFETCH(double, increase);
  QFETCH(double, rate);
  QFETCH(double, delta);
  const auto start = static_cast<std::int64_t>(startS * 1000);
  const auto end = static_cast<std::int64_t>(endS * 1000);
  const auto inc = promql::increase(points, start, end);
  const auto r = promql::rate(points, start, end);
  const auto d = promql::delta(points, start, end);
  QVERIFY(inc && r && d);
  QVERIFY2(std::fabs(*inc - increase) < 1e-9, qPrintable(QString::number(*inc, 'g', 17)));
  QVERIFY2(std::fabs(*r - rate) < 1e-12, qPrintable(QString::number(*r, 'g', 17)));
  QVERIFY2(std::fabs(*d - delta) < 1e-9, qPrintable(QString::number(*d, 'g', 17)));
}

void TstPromql::tooFewPoints() {
  const std::vector<Point> one = pts({{5, 1}});
  QVERIFY(!promql::rate(one, 0, 60000).has_value());
  QVERIFY(!promql::increase(std::span<const Point>(), 0, 60000).has_value());
  MetricSeries series(10);
  series.append(1000, 1);
  QVERIFY(!promql::rate(series, 60000, 1000).has_value());
}

void TstPromql::rateOverSeries() {
  // A counter growing 1 per second, scraped every 15 s for 10 minutes, kept 5 minutes.
  MetricSeries series(MetricSeries::capacityFor(std::chrono::minutes(5), std::chrono::seconds(15)));
  QCOMPARE(series.capacity(), std::size_t{21});
  for (int t = 0; t <= 600; t += 15)
    QVERIFY(series.append(t * 1000LL, t));
  QCOMPARE(series.size(), std::size_t{21});
  QCOMPARE(series.at(0).timestampMs, 300000);
  // [540 s, 600 s] holds 540, 555, 570, 585, 600 (both ends included): exactly 1/s.
  std::vector<Point> window;
  series.range(540000, 600000, window);
  QCOMPARE(window.size(), std::size_t{5});
  QCOMPARE(*promql::rate(series, 60000, 600000), 1.0);
  QCOMPARE(*promql::increase(series, 60000, 600000), 60.0);
  // At 605 s the range [545 s, 605 s] holds 555..600: 45 sampled over 45 s, 10 s and 5 s
  // to the ends (< 16.5 s): 45 * 60/45 = 60, rate 1.
  QCOMPARE(*promql::rate(series, 60000, 605000), 1.0);
}

void TstPromql::quantile_data() {
  QTest::addColumn<double>("q");
  QTest::addColumn<std::vector<Bucket>>("buckets");
  QTest::addColumn<double>("expected");

  const std::vector<Bucket> b = {{0.1, 10}, {0.5, 30}, {1, 40}, {kInf, 50}};
  // rank 25 in (0.1, 0.5]: 0.1 + 0.4 * (25-10)/(30-10) = 0.4
  QTest::newRow("median") << 0.5 << b << 0.4;
  // rank 5 in the first bucket, interpolated from 0: 0.1 * 5/10
  QTest::newRow("first bucket from zero") << 0.1 << b << 0.05;
  // rank 40 exactly at the top of (0.5, 1]: 1
  QTest::newRow("bucket top") << 0.8 << b << 1.0;
  // rank 45 falls in +Inf: the highest finite bound
  QTest::newRow("in +Inf bucket") << 0.9 << b << 1.0;
  QTest::newRow("q=1") << 1.0 << b << 1.0;
  QTest::newRow("q below 0") << -0.1 << b << -kInf;
  QTest::newRow("q above 1") << 1.1 << b << kInf;
  QTest::newRow("q NaN") << kNaN << b << kNaN;
  QTest::newRow("no +Inf bucket") << 0.5 << std::vector<Bucket>{{0.1, 1}, {1, 2}} << kNaN;
  QTest::newRow("no buckets") << 0.5 << std::vector<Bucket>{} << kNaN;
  QTest::newRow("only +Inf") << 0.5 << std::vector<Bucket>{{kInf, 4}} << kNaN;
  QTest::newRow("no observations") << 0.5 << std::vector<Bucket>{{1, 0}, {2, 0}, {kInf, 0}} << kNaN;
  // Counts 10, 8, 40, 50 become 10, 10, 40, 50: rank 25 in (0.5, 1]: 0.5 + 0.5 * 15/30
  QTest::newRow("monotonic fix-up")
      << 0.5 << std::vector<Bucket>{{0.1, 10}, {0.5, 8}, {1, 40}, {kInf, 50}} << 0.75;
  // Empty buckets are skipped: rank 5 in (2, 4]: 2 + 2 * 5/10
  QTest::newRow("empty buckets") << 0.5 << std::vector<Bucket>{{1, 0}, {2, 0}, {4, 10}, {kInf, 10}}
                                 << 3.0;
  // A first bucket with a bound <= 0 answers its bound (no interpolation from 0).
  QTest::newRow("negative first bound")
      << 0.25 << std::vector<Bucket>{{-1, 5}, {0, 5}, {kInf, 10}} << -1.0;
  // le="1" and le="1.0" are one bucket: counts 3 + 3 = 6; rank 4 in (0.5, 1]: 0.5 + 0.5*2/4
  QTest::newRow("equal bounds merged")
      << 0.5 << std::vector<Bucket>{{0.5, 2}, {1, 3}, {1, 3}, {kInf, 8}} << 0.75;
  // q=0 with an empty first bucket: rank 0, 1 * 0/0 -> NaN, exactly as PromQL answers.
  QTest::newRow("q=0 empty first bucket")
      << 0.0 << std::vector<Bucket>{{1, 0}, {2, 5}, {kInf, 5}} << kNaN;
  // Rates (fractions) work the same: rank 0.75 in (1, 2]: 1 + 1 * 0.25/0.5
  QTest::newRow("fractional counts")
      << 0.75 << std::vector<Bucket>{{1, 0.5}, {2, 1.0}, {kInf, 1.0}} << 1.5;
}

void TstPromql::quantile() {
  QFETCH(double, q);
  QFETCH(std::vector<Bucket>, buckets);
  QFETCH(double, expected);
  const double got = promql::histogramQuantile(q, buckets);
  if (std::isnan(expected)) {
    QVERIFY2(std::isnan(got), qPrintable(QString::number(got)));
  } else {
    QVERIFY2(got == expected || std::fabs(got - expected) < 1e-12,
             qPrintable(QString::number(got, 'g', 17)));
  }
}

void TstPromql::quantileOrderDoesNotMatter() {
  const std::vector<Bucket> shuffled = {{1, 40}, {kInf, 50}, {0.1, 10}, {0.5, 30}};
  QCOMPARE(promql::histogramQuantile(0.5, shuffled), 0.4);
}

void TstPromql::ringBuffer() {
  MetricSeries s(3);
  QVERIFY(s.empty());
  QVERIFY(s.append(10, 1));
  QVERIFY(!s.append(10, 2)); // not newer
  QVERIFY(!s.append(5, 2));  // older
  QVERIFY(s.append(20, 2));
  QVERIFY(s.append(30, 3));
  QVERIFY(s.append(40, 4)); // overwrites the oldest
  QCOMPARE(s.size(), std::size_t{3});
  QCOMPARE(s.at(0).timestampMs, 20);
  QCOMPARE(s.at(2).value, 4.0);
  QCOMPARE(s.latest().timestampMs, 40);
  std::vector<Point> out;
  s.range(25, 40, out);
  QCOMPARE(out.size(), std::size_t{2});
  QCOMPARE(out[0].timestampMs, 30);
  s.range(41, 100, out);
  QVERIFY(out.empty());
  s.range(0, 19, out);
  QVERIFY(out.empty());
  QCOMPARE(s.memoryBytes(), 3 * sizeof(Point));
  s.clear();
  QVERIFY(s.empty());
  QVERIFY(s.append(1, 1)); // a cleared series accepts any time again
}

void TstPromql::capacity() {
  using namespace std::chrono;
  QCOMPARE(MetricSeries::capacityFor(hours(1), seconds(15)), std::size_t{241});
  QCOMPARE(MetricSeries::capacityFor(hours(1), seconds(5)), std::size_t{721});
  QCOMPARE(MetricSeries::capacityFor(seconds(1), seconds(5)), std::size_t{2});
  QCOMPARE(MetricSeries::capacityFor(hours(1), milliseconds(0)), std::size_t{2});
}

QTEST_GUILESS_MAIN(TstPromql)
#include "tst_promql.moc"
