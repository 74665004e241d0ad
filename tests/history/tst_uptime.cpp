// Uptime arithmetic (client/store/uptime.h) against values computed by hand: gaps, degraded,
// unknown, offline polls, session ends, and ranges cut in the middle of a state; percentiles
// and roll-up buckets that add up to the same time as the range they cover; a component's time
// over its server's answered time, split by its changes.

#include "healthdeck/client/store/uptime.h"
#include "healthdeck/client/target_snapshot.h"

#include <QTest>

using namespace healthdeck;
using namespace healthdeck::history;

namespace {

constexpr int U = static_cast<int>(TargetState::Up);
constexpr int G = static_cast<int>(TargetState::Degraded);
constexpr int D = static_cast<int>(TargetState::Down);
constexpr int X = static_cast<int>(TargetState::Unreachable);
constexpr int K = static_cast<int>(TargetState::Unknown);
constexpr int A = static_cast<int>(TargetState::Unauthorized);

/// "t:state" items, every poll with interval 10 (so a poll covers at most 20).
std::vector<PollPoint> polls(std::initializer_list<std::pair<qint64, int>> items,
                             qint64 interval = 10) {
  std::vector<PollPoint> out;
  for (const auto& [t, s] : items)
    out.push_back({t, s, 5, interval});
  return out;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<healthdeck::history::PollPoint>)
Q_DECLARE_METATYPE(std::vector<healthdeck::history::Span>)
Q_DECLARE_METATYPE(std::vector<healthdeck::history::AnsweredPiece>)
Q_DECLARE_METATYPE(std::vector<healthdeck::history::ComponentChange>)

class TestUptime : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void figures_data();
  void figures();
  void percentileNearestRank_data();
  void percentileNearestRank();
  void rollupAddsUpToRange();
  void rollupLatencyStatistics();
  void componentTime_data();
  void componentTime();
  void answeredPiecesSkipUnanswered();
};

void TestUptime::figures_data() {
  QTest::addColumn<std::vector<PollPoint>>("points");
  QTest::addColumn<std::vector<Span>>("sessions");
  QTest::addColumn<qint64>("from");
  QTest::addColumn<qint64>("to");
  QTest::addColumn<qint64>("now");
  QTest::addColumn<qint64>("up");
  QTest::addColumn<qint64>("degraded");
  QTest::addColumn<qint64>("down");
  QTest::addColumn<qint64>("unseen");
  QTest::addColumn<qint64>("notObserved");
  QTest::addColumn<double>("upShare");

  // Polls every 10 at 0..90, all up; the last one covers until now (100).
  std::vector<PollPoint> steady;
  for (qint64 t = 0; t < 100; t += 10)
    steady.push_back({t, U, 5, 10});
  QTest::newRow("steady up") << steady << std::vector<Span>{} << qint64(0) << qint64(100)
                             << qint64(100) << qint64(100) << qint64(0) << qint64(0) << qint64(0)
                             << qint64(0) << 1.0;
  // Up at 0,10,20; console off; up again at 100,110. Poll 20 covers 20..40 (2× interval), so
  // 40..100 is a gap; 110 covers to now=130. Up = 40 + 30 = 70 of 130; 60 not observed.
  QTest::newRow("gap while not polled")
      << polls({{0, U}, {10, U}, {20, U}, {100, U}, {110, U}}) << std::vector<Span>{} << qint64(0)
      << qint64(130) << qint64(130) << qint64(70) << qint64(0) << qint64(0) << qint64(0)
      << qint64(60) << 1.0;
  // up 0..20, down 20..30, up 30..50 (now=50): up 40, down 10 → 80 %.
  QTest::newRow("down inside") << polls({{0, U}, {10, U}, {20, D}, {30, U}, {40, U}})
                               << std::vector<Span>{} << qint64(0) << qint64(50) << qint64(50)
                               << qint64(40) << qint64(0) << qint64(10) << qint64(0) << qint64(0)
                               << 0.8;
  // Degraded is its own share: up 20, degraded 20, unreachable 10 → up 0.4, degraded 0.4.
  QTest::newRow("degraded apart") << polls({{0, U}, {10, U}, {20, G}, {30, G}, {40, X}})
                                  << std::vector<Span>{} << qint64(0) << qint64(50) << qint64(50)
                                  << qint64(20) << qint64(20) << qint64(10) << qint64(0)
                                  << qint64(0) << 0.4;
  // Unknown and unauthorized time is excluded from the ratio: up 20, unknown 10, auth 10,
  // down 10 → 20 / 30.
  QTest::newRow("unknown excluded")
      << polls({{0, U}, {10, U}, {20, K}, {30, A}, {40, D}}) << std::vector<Span>{} << qint64(0)
      << qint64(50) << qint64(50) << qint64(20) << qint64(0) << qint64(10) << qint64(20)
      << qint64(0) << 2.0 / 3.0;
  // A range cut in the middle of states: [15, 35) of up 0..20, down 20..30, up 30..: up 5 + 5,
  // down 10.
  QTest::newRow("range cut mid-state")
      << polls({{0, U}, {10, U}, {20, D}, {30, U}, {40, U}}) << std::vector<Span>{} << qint64(15)
      << qint64(35) << qint64(50) << qint64(10) << qint64(0) << qint64(10) << qint64(0) << qint64(0)
      << 0.5;
  // A poll before the range reaches into it: poll at 0 (down) covers to 10 (next poll);
  // range [5, 25): down 5, up 10..25 = 15.
  QTest::newRow("poll before range")
      << polls({{0, D}, {10, U}, {20, U}}) << std::vector<Span>{} << qint64(5) << qint64(25)
      << qint64(40) << qint64(15) << qint64(0) << qint64(5) << qint64(0) << qint64(0) << 0.75;
  // The console was killed at 25 (last heartbeat): poll 20 covers only 20..25, then nothing
  // until the next session starts at 60 and polls at 60, 70 (now 80).
  QTest::newRow("session ended by kill")
      << polls({{0, U}, {10, U}, {20, U}, {60, D}, {70, D}}) << std::vector<Span>{{0, 25}, {60, 80}}
      << qint64(0) << qint64(80) << qint64(80) << qint64(25) << qint64(0) << qint64(20) << qint64(0)
      << qint64(35) << 25.0 / 45.0;
  // The console's own network was down for polls 20 and 30: those 20 are not observed.
  QTest::newRow("offline polls are gaps")
      << polls({{0, U}, {10, U}, {20, kNotObserved}, {30, kNotObserved}, {40, U}})
      << std::vector<Span>{} << qint64(0) << qint64(50) << qint64(50) << qint64(30) << qint64(0)
      << qint64(0) << qint64(0) << qint64(20) << 1.0;
  // Nothing polled at all: everything is a gap, no share.
  QTest::newRow("never observed") << std::vector<PollPoint>{} << std::vector<Span>{} << qint64(0)
                                  << qint64(1000) << qint64(1000) << qint64(0) << qint64(0)
                                  << qint64(0) << qint64(0) << qint64(1000) << 0.0;
  // A slow poll cadence change: interval 30 after 20, so the gap rule is per poll.
  QTest::newRow("interval per poll")
      << std::vector<PollPoint>{{0, U, 5, 10}, {10, U, 5, 10}, {20, U, 5, 30}, {90, U, 5, 30}}
      << std::vector<Span>{} << qint64(0) << qint64(100) << qint64(100) << qint64(90) << qint64(0)
      << qint64(0) << qint64(0) << qint64(10) << 1.0;
}

void TestUptime::figures() {
  QFETCH(std::vector<PollPoint>, points);
  QFETCH(std::vector<Span>, sessions);
  QFETCH(qint64, from);
  QFETCH(qint64, to);
  QFETCH(qint64, now);
  const UptimeFigures f = figuresOf(accumulate(points, from, to, sessions, now), to - from);
  QTEST(f.upMs, "up");
  QTEST(f.degradedMs, "degraded");
  QTEST(f.downMs, "down");
  QTEST(f.unseenMs, "unseen");
  QTEST(f.notObservedMs, "notObserved");
  QFETCH(double, upShare);
  QVERIFY2(qAbs(f.up() - upShare) < 1e-12, qPrintable(QString::number(f.up())));
  QCOMPARE(f.upMs + f.degradedMs + f.downMs + f.unseenMs + f.notObservedMs, to - from);
}

void TestUptime::percentileNearestRank_data() {
  QTest::addColumn<QList<qint64>>("values");
  QTest::addColumn<int>("p");
  QTest::addColumn<qint64>("expected");
  QTest::newRow("empty") << QList<qint64>{} << 95 << qint64(0);
  QTest::newRow("one") << QList<qint64>{7} << 95 << qint64(7);
  // 20 values 1..20: p95 rank ceil(0.95*20)=19 → 19; p50 rank 10 → 10.
  QList<qint64> twenty;
  for (int i = 20; i >= 1; --i)
    twenty << i;
  QTest::newRow("p95 of 20") << twenty << 95 << qint64(19);
  QTest::newRow("p50 of 20") << twenty << 50 << qint64(10);
  QTest::newRow("p100") << twenty << 100 << qint64(20);
  // 3 values: p50 rank ceil(1.5)=2.
  QTest::newRow("p50 of 3") << QList<qint64>{30, 10, 20} << 50 << qint64(20);
}

void TestUptime::percentileNearestRank() {
  QFETCH(QList<qint64>, values);
  QFETCH(int, p);
  std::vector<qint64> v(values.begin(), values.end());
  QTEST(percentile(v, p), "expected");
}

void TestUptime::rollupAddsUpToRange() {
  // Irregular polls with states changing across bucket edges and a gap.
  std::vector<PollPoint> points;
  const int states[] = {U, U, G, D, U, X, U, K, U, U};
  qint64 t = 3;
  for (int i = 0; i < 40; ++i) {
    points.push_back({t, states[i % 10], i, 10});
    t += (i == 17) ? 47 : 7 + (i % 4); // one gap after poll 17
  }
  const std::vector<Span> sessions{{0, 1000}};
  const qint64 now = 1000;
  const std::vector<Bucket> buckets = rollup(points, 0, 400, 50, sessions, now);
  StateDurations sum;
  for (const Bucket& b : buckets) {
    QCOMPARE(b.start % 50, 0);
    QVERIFY(b.durations.total() <= 50);
    sum += b.durations;
    // Each bucket equals the range arithmetic over the same bucket.
    QVERIFY(b.durations == accumulate(points, b.start, b.start + 50, sessions, now));
  }
  QVERIFY(sum == accumulate(points, 0, 400, sessions, now));
  QVERIFY(sum.total() < 400); // the gap is not covered
}

void TestUptime::rollupLatencyStatistics() {
  // Latency counted only for polls that got an answer (not unreachable, not offline).
  const std::vector<PollPoint> points{{0, U, 10, 10},  {10, U, 30, 10}, {20, X, 5000, 10},
                                      {30, D, 20, 10}, {40, U, 40, 10}, {50, U, 99, 10}};
  const auto buckets = rollup(points, 0, 100, 50, {}, 100);
  QCOMPARE(buckets.size(), std::size_t(2));
  const Bucket& b = buckets[0];
  QCOMPARE(b.count, qint64(4)); // 10, 30, 20, 40
  QCOMPARE(b.latencyMin, qint64(10));
  QCOMPARE(b.latencyMax, qint64(40));
  QCOMPARE(b.latencySum, qint64(100));
  QCOMPARE(b.latencyP50, qint64(20));
  QCOMPARE(b.latencyP95, qint64(40));
  QCOMPARE(buckets[1].count, qint64(1));
  QCOMPARE(buckets[1].latencyP95, qint64(99));
}

void TestUptime::componentTime_data() {
  QTest::addColumn<std::vector<AnsweredPiece>>("answered");
  QTest::addColumn<int>("before");
  QTest::addColumn<std::vector<ComponentChange>>("changes");
  QTest::addColumn<qint64>("up");
  QTest::addColumn<qint64>("degraded");
  QTest::addColumn<qint64>("down");

  using P = std::vector<AnsweredPiece>;
  using C = std::vector<ComponentChange>;
  QTest::newRow("up all along") << P{{0, 100, 1.0}} << U << C{} << qint64(100) << qint64(0)
                                << qint64(0);
  // Down from 40 to 70 inside one answered piece: 40 + 30 up, 30 down.
  QTest::newRow("down in the middle")
      << P{{0, 100, 1.0}} << U << C{{40, D}, {70, U}} << qint64(70) << qint64(0) << qint64(30);
  // The server did not answer in [50, 80): that time counts for no component state.
  QTest::newRow("server not answering is not component time")
      << P{{0, 50, 1.0}, {80, 100, 1.0}} << U << C{{60, D}} << qint64(50) << qint64(0)
      << qint64(20);
  // First seen at 30 (unknown before), gone (absent) from 90.
  QTest::newRow("appears and disappears")
      << P{{0, 100, 1.0}} << kComponentAbsent << C{{30, G}, {90, kComponentAbsent}} << qint64(0)
      << qint64(60) << qint64(0);
  // A roll-up minute the server answered 45 s of: the component's states share the 45 s in
  // proportion to their parts of the minute (down from 20 s of 60: 15 s down, 30 s up).
  QTest::newRow("partly answered bucket") << P{{0, 60'000, 0.75}} << D << C{{20'000, U}}
                                          << qint64(30'000) << qint64(0) << qint64(15'000);
  QTest::newRow("change before the range only sets the start state")
      << P{{100, 200, 1.0}} << U << C{{150, D}} << qint64(50) << qint64(0) << qint64(50);
}

void TestUptime::componentTime() {
  QFETCH(std::vector<AnsweredPiece>, answered);
  QFETCH(int, before);
  QFETCH(std::vector<ComponentChange>, changes);
  const StateDurations d = componentDurations(answered, before, changes);
  QTEST(d.ms[static_cast<std::size_t>(U)], "up");
  QTEST(d.ms[static_cast<std::size_t>(G)], "degraded");
  QTEST(d.ms[static_cast<std::size_t>(D)], "down");
  QCOMPARE(d.total(), d.ms[0] + d.ms[1] + d.ms[2]);
}

void TestUptime::answeredPiecesSkipUnanswered() {
  // Up at 0 and 10, unreachable at 20, down (an answer: 503 with a body) at 30, unauthorized
  // at 40, up at 50 until 60 (its interval 10 covers at most 20, the range ends at 60).
  const auto p = polls({{0, U}, {10, U}, {20, X}, {30, D}, {40, A}, {50, U}});
  const std::vector<AnsweredPiece> pieces = answeredPieces(p, 0, 60, {}, 1000);
  QCOMPARE(pieces.size(), std::size_t(3));
  QCOMPARE(pieces[0].from, qint64(0));
  QCOMPARE(pieces[0].to, qint64(20)); // two neighbouring up polls make one piece
  QCOMPARE(pieces[1].from, qint64(30));
  QCOMPARE(pieces[1].to, qint64(40));
  QCOMPARE(pieces[2].from, qint64(50));
  QCOMPARE(pieces[2].to, qint64(60));
}

QTEST_GUILESS_MAIN(TestUptime)
#include "tst_uptime.moc"
