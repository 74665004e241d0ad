// The history database against real SQLite files in throw-away directories: roll-ups exactly
// equal to the raw rows they summarise, import of the previous events file, files that cannot
// be used (corrupt, newer schema) moved aside and never deleted, a full database reported and
// retried, two consoles on one file, removed servers keeping their history, and a writer
// process killed with SIGKILL in the middle of a write burst; per-component uptime (from raw
// polls and from roll-ups) and maintenance/acknowledgement spans, hand-computed.

#include "healthdeck/client/store/history_db.h"
#include "healthdeck/client/store/history_writer.h"
#include "healthdeck/client/store/target_event.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <climits>
#include <csignal>
#include <cstdio>
#include <map>
#include <unistd.h>

using namespace healthdeck;
using namespace healthdeck::history;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
// A fixed, hour-aligned base time so every run computes the same buckets.
constexpr qint64 kBase = 1'795'000'000'000 - (1'795'000'000'000 % kHour);
constexpr qint64 kDayBase = kBase - (kBase % kDay); // a UTC midnight

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString integrity(const QString& path) {
  HistoryDb db;
  if (!db.open(path, HistoryDb::Mode::Read).ok) return QStringLiteral("cannot open");
  QSqlQuery q(db.connection());
  if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next()) return q.lastError().text();
  return q.value(0).toString();
}

/// Compares what the database answers for [from, to) with the arithmetic over the raw rows;
/// empty when every server agrees, else the first disagreement (times relative to `base`).
QString mismatchWithRaw(HistoryDb& db, const std::map<QString, std::vector<PollPoint>>& raw,
                        const std::vector<Span>& sessions, qint64 from, qint64 to, qint64 now,
                        qint64 base) {
  const auto answer = db.durations(from, to, now);
  for (const auto& [key, points] : raw) {
    const StateDurations expected = accumulate(points, from, to, sessions, now);
    if (answer.value(key) == expected) continue;
    return QStringLiteral("%1 [%2, %3): up %4 vs %5")
        .arg(key)
        .arg(from - base)
        .arg(to - base)
        .arg(answer.value(key).ms[0])
        .arg(expected.ms[0]);
  }
  return {};
}

/// The child side of killDuringBurst: records polls as fast as it can through a real
/// HistoryWriter, printing "<index>" after each hand-over, until it is killed.
int runBurstChild(const QString& path) {
  HistoryWriter::Options o;
  o.path = path;
  o.flushInterval = std::chrono::milliseconds(500);
  HistoryWriter writer(o);
  if (!writer.start().writing) return 3;
  TargetConfig target;
  target.id = QStringLiteral("burst");
  target.name = QStringLiteral("burst");
  target.interval = std::chrono::milliseconds(1000);
  TargetSnapshot snap;
  snap.targetId = target.id;
  snap.state = TargetState::Up;
  for (qint64 i = 0;; ++i) {
    snap.polledAt = QDateTime::fromMSecsSinceEpoch(kBase + i, Qt::UTC);
    snap.latency = std::chrono::milliseconds(i % 100);
    writer.recordPoll(snap, target);
    if (i % 50 == 0) {
      std::printf("%lld\n", static_cast<long long>(i));
      std::fflush(stdout);
      QThread::usleep(2000); // a burst the writer keeps up with: ~25k polls/s
    }
  }
}

} // namespace

class TestHistoryDb : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void init();
  void rollupsEqualRawRows();
  void dayRollupsEqualRawRows();
  void migratesSchema1();
  void importsEventsFileOnce();
  void unusableFileMovedAside_data();
  void unusableFileMovedAside();
  void readModeNeverTouchesFile();
  void fullDatabaseReportedAndRetried();
  void secondConsoleReadsOnly();
  void removedServerKeepsHistory();
  void restartLeavesGap();
  void killDuringBurst();
  void componentUptimeAndAnnotations();
  void writerRecordsComponentChanges();

private:
  std::unique_ptr<QTemporaryDir> m_dir;
  QString path() const { return m_dir->filePath(QStringLiteral("history.sqlite")); }
};

void TestHistoryDb::init() {
  m_dir = std::make_unique<QTemporaryDir>();
  QVERIFY(m_dir->isValid());
}

void TestHistoryDb::rollupsEqualRawRows() {
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  QVERIFY(db.beginSession(kBase));
  // Three servers, 3 hours of polls with random states, intervals and latencies, and gaps.
  QRandomGenerator rng(42);
  std::map<QString, std::vector<PollPoint>> raw;
  std::vector<PollRow> rows;
  for (int s = 0; s < 3; ++s) {
    const QString key = QStringLiteral("srv-%1").arg(s);
    const qint64 interval = (s + 1) * 5000;
    qint64 t = kBase + s * 777;
    while (t < kBase + 3 * kHour) {
      const int state = rng.bounded(10) < 7 ? 0 : rng.bounded(8);
      const qint64 latency = rng.bounded(500);
      rows.push_back({key, key, t, state, latency, interval});
      raw[key].push_back({t, state, latency, interval});
      t += interval + rng.bounded(1000);
      if (rng.bounded(200) == 0) t += 10 * kMinute; // a gap
    }
  }
  const qint64 end = kBase + 3 * kHour + 5 * kMinute;
  QVERIFY2(db.writeBatch(rows, {}, end), qPrintable(db.lastError()));
  QVERIFY2(db.rollupUntil(end, 0), qPrintable(db.lastError()));
  QCOMPARE(db.metaInt(QStringLiteral("rollup_hour_until")), kBase + 3 * kHour);
  const std::vector<Span> sessions = db.sessions(0, end + 1);
  QCOMPARE(sessions.size(), std::size_t(1));

  // Whole range, a range cut mid-minute on both ends, and a range inside one minute: what the
  // database answers from roll-ups + raw edges equals the arithmetic over the raw rows.
  const std::pair<qint64, qint64> ranges[] = {
      {kBase, kBase + 3 * kHour},
      {kBase + 12'345, kBase + 2 * kHour + 33 * kMinute + 7'777},
      {kBase + kHour + 5'000, kBase + kHour + 41'000},
      {kBase - kHour, end},
  };
  for (const auto& [from, to] : ranges) {
    const QString mismatch = mismatchWithRaw(db, raw, sessions, from, to, end, kBase);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }
  // Roll-up latency statistics equal those of the raw rows of each hour.
  for (const auto& [key, points] : raw) {
    const auto info = db.server(key);
    QVERIFY(info);
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT bucket_ms, n, lat_min, lat_max, lat_sum, lat_p95 FROM "
                             "rollup_hour WHERE server = ? ORDER BY bucket_ms"));
    q.addBindValue(info->id);
    QVERIFY(q.exec());
    int hours = 0;
    while (q.next()) {
      const qint64 h = q.value(0).toLongLong();
      std::vector<qint64> lat;
      for (const PollPoint& p : points)
        if (p.t >= h && p.t < h + kHour && hasLatency(p.state)) lat.push_back(p.latency);
      QCOMPARE(q.value(1).toLongLong(), qint64(lat.size()));
      if (lat.empty()) continue;
      qint64 sum = 0;
      for (qint64 v : lat)
        sum += v;
      QCOMPARE(q.value(4).toLongLong(), sum);
      QCOMPARE(q.value(2).toLongLong(), *std::min_element(lat.begin(), lat.end()));
      QCOMPARE(q.value(3).toLongLong(), *std::max_element(lat.begin(), lat.end()));
      QCOMPARE(q.value(5).toLongLong(), percentile(lat, 95));
      ++hours;
    }
    QCOMPARE(hours, 3);
  }
  // After the raw rows are gone (retention), whole hours still answer exactly from roll-ups.
  QVERIFY(db.applyRetention(end + 8 * 24 * kHour, Retention{}));
  QCOMPARE(db.pollCount(), qint64(0));
  const auto later = db.durations(kBase, kBase + 3 * kHour, end);
  for (const auto& [key, points] : raw)
    QVERIFY(later.value(key) == accumulate(points, kBase, kBase + 3 * kHour, sessions, end));
}

void TestHistoryDb::dayRollupsEqualRawRows() {
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  // Two servers polled every 60 s (plus jitter) for three and a half days from 05:00 UTC, with
  // a console gap of two hours on the second day.
  const qint64 start = kDayBase + 5 * kHour;
  const qint64 end = kDayBase + 3 * kDay + 17 * kHour;
  const qint64 gapFrom = kDayBase + kDay + 10 * kHour, gapTo = gapFrom + 2 * kHour;
  QVERIFY(db.beginSession(start));
  QRandomGenerator rng(7);
  std::map<QString, std::vector<PollPoint>> raw;
  std::vector<PollRow> rows;
  for (int s = 0; s < 2; ++s) {
    const QString key = QStringLiteral("day-%1").arg(s);
    for (qint64 t = start + s * 1'234; t < end; t += 60'000 + rng.bounded(500)) {
      if (t >= gapFrom && t < gapTo) continue;
      const int state = rng.bounded(20) < 17 ? 0 : rng.bounded(4);
      const qint64 latency = 5 + rng.bounded(300);
      rows.push_back({key, key, t, state, latency, 60'000});
      raw[key].push_back({t, state, latency, 60'000});
    }
  }
  QVERIFY2(db.writeBatch(rows, {}, gapFrom), qPrintable(db.lastError()));
  QVERIFY(db.endSession(gapFrom));
  QVERIFY(db.beginSession(gapTo));
  QVERIFY2(db.writeBatch({}, {}, end), qPrintable(db.lastError()));
  QVERIFY2(db.rollupUntil(end, 0), qPrintable(db.lastError()));
  // Days 0, 1 and 2 are complete (day 3 runs until 17:00): three day rows per server.
  QCOMPARE(db.metaInt(QStringLiteral("rollup_day_until")), kDayBase + 3 * kDay);
  {
    QSqlQuery q(db.connection());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*), min(bucket_ms), max(bucket_ms) FROM "
                                  "rollup_day")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 6);
    QCOMPARE(q.value(1).toLongLong(), kDayBase);
    QCOMPARE(q.value(2).toLongLong(), kDayBase + 2 * kDay);
    // A day row holds what its hours hold.
    QVERIFY(q.exec(
        QStringLiteral(
            "SELECT d.n, (SELECT sum(n) FROM rollup_hour h WHERE h.server = d.server AND "
            "h.bucket_ms >= d.bucket_ms AND h.bucket_ms < d.bucket_ms + %1), d.lat_max, "
            "(SELECT max(lat_max) FROM rollup_hour h WHERE h.server = d.server AND h.bucket_ms >= "
            "d.bucket_ms AND h.bucket_ms < d.bucket_ms + %1) FROM rollup_day d")
            .arg(kDay)));
    int days = 0;
    while (q.next()) {
      QCOMPARE(q.value(0).toLongLong(), q.value(1).toLongLong());
      QCOMPARE(q.value(2).toLongLong(), q.value(3).toLongLong());
      ++days;
    }
    QCOMPARE(days, 6);
  }
  const std::vector<Span> sessions = db.sessions(0, end + 1);
  QCOMPARE(sessions.size(), std::size_t(2));
  // Whole days, ranges cut mid-day and mid-minute across days, one inside a day, and one
  // reaching past the roll-ups: day rows + hour/minute/raw edges equal the raw arithmetic.
  const std::pair<qint64, qint64> ranges[] = {
      {kDayBase, kDayBase + 3 * kDay},
      {kDayBase + 3 * kHour + 12'345, kDayBase + 2 * kDay + 20 * kHour + 7'777},
      {kDayBase + kDay + kHour, kDayBase + kDay + 23 * kHour},
      {kDayBase - kDay, end},
      {kDayBase + 2 * kDay + 59 * kMinute + 1'000, kDayBase + 3 * kDay + 16 * kHour + 30'500},
  };
  for (const auto& [from, to] : ranges) {
    const QString mismatch = mismatchWithRaw(db, raw, sessions, from, to, end, kDayBase);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }
  // Rolling up again changes nothing; retention of the hour rows takes their days with them.
  QVERIFY(db.rollupUntil(end, 0));
  QVERIFY(db.applyRetention(kDayBase + 2 * kDay + 12 * kHour, Retention{1, 1, 1}));
  QSqlQuery q(db.connection());
  QVERIFY(q.exec(QStringLiteral("SELECT min(bucket_ms) FROM rollup_day")));
  QVERIFY(q.next());
  QCOMPARE(q.value(0).toLongLong(), kDayBase + kDay);
}

void TestHistoryDb::migratesSchema1() {
  // A version 1 file: what a current file is without the day, component and annotation tables
  // (it then migrates through every step).
  {
    HistoryDb db;
    QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
    QVERIFY(db.beginSession(kDayBase));
    std::vector<PollRow> rows;
    for (qint64 t = kDayBase; t < kDayBase + kDay + 2 * kHour; t += 30'000)
      rows.push_back({QStringLiteral("old"), QStringLiteral("old"), t, 0, 20, 30'000});
    QVERIFY(db.writeBatch(rows, {}, kDayBase + kDay + 2 * kHour));
    QSqlQuery q(db.connection());
    for (const char* table : {"rollup_day", "component_states", "annotations"})
      QVERIFY(q.exec(QStringLiteral("DROP TABLE %1").arg(QLatin1String(table))));
    QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
  }
  HistoryDb db;
  const auto opened = db.open(path(), HistoryDb::Mode::Write);
  QVERIFY2(opened.ok && opened.movedTo.isEmpty(), qPrintable(opened.error));
  QSqlQuery q(db.connection());
  QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
  QCOMPARE(q.value(0).toInt(), HistoryDb::kSchemaVersion);
  QCOMPARE(db.pollCount(), qint64((kDay + 2 * kHour) / 30'000)); // nothing lost
  QVERIFY2(db.rollupUntil(kDayBase + kDay + 2 * kHour, 0), qPrintable(db.lastError()));
  QCOMPARE(db.metaInt(QStringLiteral("rollup_day_until")), kDayBase + kDay);
  const auto d = db.durations(kDayBase, kDayBase + kDay, kDayBase + kDay + 2 * kHour);
  QCOMPARE(d.value(QStringLiteral("old")).ms[0], kDay);
}

void TestHistoryDb::importsEventsFileOnce() {
  const QString events = m_dir->filePath(QStringLiteral("events.jsonl"));
  {
    QFile f(events);
    QVERIFY(f.open(QIODevice::WriteOnly));
    TargetEvent e;
    e.targetId = QStringLiteral("gw");
    e.targetName = QStringLiteral("gateway-eu-1");
    e.at = QDateTime::fromMSecsSinceEpoch(kBase, Qt::UTC);
    e.from = TargetState::Up;
    e.to = TargetState::Down;
    e.sentence = QStringLiteral("database down: connection refused");
    f.write(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n');
    e.at = e.at.addSecs(60);
    e.from = TargetState::Down;
    e.to = TargetState::Up;
    e.sentence = QStringLiteral("All 3 components up");
    f.write(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n');
    f.write("{\"at\": \"2026-"); // the torn last line of a crashed console
  }
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  QCOMPARE(db.importEventsFile(events), 2);
  QCOMPARE(db.importEventsFile(events), 0); // once
  const auto rows = db.events(0, kBase + kHour);
  QCOMPARE(rows.size(), std::size_t(2));
  QCOMPARE(rows[0].serverKey, QStringLiteral("gw"));
  QCOMPARE(rows[0].serverName, QStringLiteral("gateway-eu-1"));
  QCOMPARE(rows[0].t, kBase);
  QCOMPARE(rows[0].to, static_cast<int>(TargetState::Down));
  QCOMPARE(rows[0].sentence, QStringLiteral("database down: connection refused"));
  QCOMPARE(rows[1].to, static_cast<int>(TargetState::Up));
  QVERIFY(QFile::exists(events)); // the old file is left as it was
}

void TestHistoryDb::unusableFileMovedAside_data() {
  QTest::addColumn<QByteArray>("kind");
  QTest::addColumn<QString>("reason");
  QTest::newRow("corrupt") << QByteArray("corrupt") << QStringLiteral("not a database");
  QTest::newRow("newer schema") << QByteArray("newer") << QStringLiteral("newer Healthdeck");
  QTest::newRow("foreign database")
      << QByteArray("foreign") << QStringLiteral("not a Healthdeck history");
}

void TestHistoryDb::unusableFileMovedAside() {
  QFETCH(QByteArray, kind);
  QFETCH(QString, reason);
  if (kind == "corrupt") {
    QFile f(path());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(8192, '\x5a'));
  } else {
    HistoryDb make;
    QVERIFY(make.open(path(), HistoryDb::Mode::Write).ok);
    QSqlQuery q(make.connection());
    if (kind == "newer") {
      QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
    } else {
      QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 0")));
    }
  }
  const QByteArray before = readAll(path());
  HistoryDb db;
  const auto r = db.open(path(), HistoryDb::Mode::Write);
  QVERIFY2(r.ok, qPrintable(r.error));
  QVERIFY2(r.error.contains(reason), qPrintable(r.error));
  QVERIFY(r.error.contains(r.movedTo));
  QVERIFY(!r.movedTo.isEmpty());
  QCOMPARE(readAll(r.movedTo), before); // moved, byte for byte, never deleted
  // The fresh database works.
  QVERIFY(db.beginSession(kBase));
  QVERIFY(db.writeBatch({{QStringLiteral("a"), QStringLiteral("a"), kBase, 0, 1, 1000}}, {},
                        kBase + 1));
  QCOMPARE(db.pollCount(), qint64(1));
}

void TestHistoryDb::readModeNeverTouchesFile() {
  // `healthdeck history` on a missing or broken file reports and leaves everything alone.
  HistoryDb missing;
  auto r = missing.open(path(), HistoryDb::Mode::Read);
  QVERIFY(!r.ok);
  QVERIFY(r.error.contains(QStringLiteral("no history database")));
  QVERIFY(!QFile::exists(path()));
  {
    QFile f(path());
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not sqlite");
  }
  HistoryDb broken;
  r = broken.open(path(), HistoryDb::Mode::Read);
  QVERIFY(!r.ok);
  QVERIFY(r.movedTo.isEmpty());
  QCOMPARE(readAll(path()), QByteArray("this is not sqlite"));
  QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).size(), 1);
}

void TestHistoryDb::fullDatabaseReportedAndRetried() {
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  QVERIFY(db.beginSession(kBase));
  // SQLite's page cap stands in for a full disk: the same SQLITE_FULL error path.
  QSqlQuery q(db.connection());
  QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
  const int pages = q.value(0).toInt();
  QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages + 2)));
  std::vector<PollRow> rows;
  for (int i = 0; i < 20000; ++i)
    rows.push_back({QStringLiteral("s"), QStringLiteral("s"), kBase + i, 0, 1, 1000});
  QVERIFY(!db.writeBatch(rows, {}, kBase + 20000));
  QVERIFY2(db.lastError().contains(QStringLiteral("full")), qPrintable(db.lastError()));
  QCOMPARE(db.pollCount(), qint64(0)); // nothing half-written
  QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = 1000000")));
  QVERIFY2(db.writeBatch(rows, {}, kBase + 20000), qPrintable(db.lastError()));
  QCOMPARE(db.pollCount(), qint64(20000));
}

void TestHistoryDb::secondConsoleReadsOnly() {
  HistoryWriter::Options o;
  o.path = path();
  HistoryWriter first(o);
  QVERIFY(first.start().writing);
  HistoryWriter second(o);
  const auto s = second.start();
  QVERIFY(!s.writing);
  QVERIFY(s.readOnly);
  QVERIFY2(s.message.contains(QStringLiteral("Another Healthdeck console")), qPrintable(s.message));
  // The second one's records go nowhere; the first one's arrive.
  TargetConfig t;
  t.id = QStringLiteral("x");
  t.name = QStringLiteral("x");
  TargetSnapshot snap;
  snap.targetId = t.id;
  snap.state = TargetState::Up;
  snap.polledAt = QDateTime::currentDateTimeUtc();
  second.recordPoll(snap, t);
  first.recordPoll(snap, t);
  first.flushNow();
  HistoryDb reader;
  QVERIFY(reader.open(path(), HistoryDb::Mode::Read).ok);
  QCOMPARE(reader.pollCount(), qint64(1));
}

void TestHistoryDb::removedServerKeepsHistory() {
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  QVERIFY(db.beginSession(kBase));
  QVERIFY(db.writeBatch({{QStringLiteral("a"), QStringLiteral("alpha"), kBase, 0, 1, 1000},
                         {QStringLiteral("b"), QStringLiteral("beta"), kBase, 0, 1, 1000}},
                        {}, kBase + 1));
  QVERIFY(db.syncServers({{QStringLiteral("a"), QStringLiteral("alpha")}}, kBase + 5));
  auto b = db.server(QStringLiteral("beta"));
  QVERIFY(b);
  QCOMPARE(b->removedMs, kBase + 5);
  QCOMPARE(db.pollCount(), qint64(2));
  QVERIFY(db.purgeServer(QStringLiteral("b")));
  QVERIFY(!db.server(QStringLiteral("beta")));
  QCOMPARE(db.pollCount(), qint64(1));
}

void TestHistoryDb::restartLeavesGap() {
  qint64 t0 = 0;
  TargetConfig t;
  t.id = QStringLiteral("r");
  t.name = QStringLiteral("r");
  t.interval = std::chrono::milliseconds(60'000);
  TargetSnapshot snap;
  snap.targetId = t.id;
  snap.state = TargetState::Up;
  HistoryWriter::Options o;
  o.path = path();
  {
    HistoryWriter w(o);
    QVERIFY(w.start().writing);
    t0 = QDateTime::currentMSecsSinceEpoch();
    snap.polledAt = QDateTime::fromMSecsSinceEpoch(t0, Qt::UTC);
    w.recordPoll(snap, t);
  } // clean stop: the session ends now, although the poll's 2× interval reaches further
  QTest::qWait(300);
  const qint64 restart = QDateTime::currentMSecsSinceEpoch();
  HistoryWriter w(o);
  QVERIFY(w.start().writing);
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Read).ok);
  const auto spans = db.sessions(0, LLONG_MAX);
  QCOMPARE(spans.size(), std::size_t(2));
  QVERIFY(spans[0].to < restart);
  const StateDurations d = db.durations(t0, restart, restart).value(t.id);
  // Covered only until the first session ended: the rest is not observed.
  QCOMPARE(d.ms[0], spans[0].to - t0);
  QVERIFY(figuresOf(d, restart - t0).notObservedMs >= 250);
}

void TestHistoryDb::killDuringBurst() {
  QProcess child;
  child.setProgram(QCoreApplication::applicationFilePath());
  child.setArguments({QStringLiteral("--burst-child"), path()});
  child.start();
  QVERIFY(child.waitForStarted());
  // Track when each index was handed to the writer (as seen from here, so later than real).
  QElapsedTimer clock;
  clock.start();
  std::vector<std::pair<qint64, qint64>> handed; // (ms since start, index)
  QByteArray pending;
  while (clock.elapsed() < 3500) {
    child.waitForReadyRead(50);
    pending += child.readAllStandardOutput();
    qsizetype nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      handed.emplace_back(clock.elapsed(), pending.left(nl).toLongLong());
      pending.remove(0, nl + 1);
    }
    QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
  }
  const qint64 killedAt = clock.elapsed();
  ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
  QVERIFY(child.waitForFinished());
  QCOMPARE(child.exitStatus(), QProcess::CrashExit);
  QVERIFY(handed.size() > 10);

  QCOMPARE(integrity(path()), QStringLiteral("ok"));
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Read).ok);
  QSqlQuery q(db.connection());
  QVERIFY(q.exec(QStringLiteral("SELECT count(*), min(t_ms), max(t_ms) FROM polls")) && q.next());
  const qint64 count = q.value(0).toLongLong();
  const qint64 first = q.value(1).toLongLong() - kBase;
  const qint64 last = q.value(2).toLongLong() - kBase;
  // Rows are contiguous (whole transactions, no holes) ...
  QCOMPARE(first, qint64(0));
  QCOMPARE(count, last + 1);
  // ... and everything handed over more than a second before the kill is there.
  qint64 mustHave = -1;
  for (const auto& [at, index] : handed)
    if (at <= killedAt - 1000) mustHave = index;
  QVERIFY(mustHave > 0);
  QVERIFY2(last >= mustHave, qPrintable(QStringLiteral("last stored %1, handed over >1 s before "
                                                       "the kill %2")
                                            .arg(last)
                                            .arg(mustHave)));
  // A new writer opens the same file without moving it aside and closes the killed session.
  HistoryWriter::Options o;
  o.path = path();
  HistoryWriter again(o);
  const auto s = again.start();
  QVERIFY(s.writing);
  QVERIFY2(s.message.isEmpty(), qPrintable(s.message));
}

void TestHistoryDb::componentUptimeAndAnnotations() {
  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Write).ok);
  QVERIFY(db.beginSession(kBase));
  const QString key = QStringLiteral("api");
  // Polls every 10 s for an hour: up [0, 30 min), unreachable [30, 40 min) (no answer: no
  // component time), down with a document [40, 60 min).
  std::vector<PollRow> polls;
  for (qint64 t = 0; t < kHour; t += 10'000) {
    const TargetState s = t < 30 * kMinute   ? TargetState::Up
                          : t < 40 * kMinute ? TargetState::Unreachable
                                             : TargetState::Down;
    polls.push_back({key, key, kBase + t, static_cast<int>(s), 12, 5'000});
  }
  const int up = static_cast<int>(Status::Up);
  const int down = static_cast<int>(Status::Down);
  const std::vector<ComponentRow> components{
      {key, key, QStringLiteral("readiness:database"), kBase, up},
      {key, key, QStringLiteral("readiness:cache"), kBase, up},
      {key, key, QStringLiteral("readiness:database"), kBase + 20 * kMinute, down},
      {key, key, QStringLiteral("readiness:cache"), kBase + 50 * kMinute, kComponentAbsent},
  };
  const QString maintenance = QLatin1String(AnnotationRow::kMaintenance);
  const QString acknowledged = QLatin1String(AnnotationRow::kAcknowledged);
  const qint64 end = kBase + kHour;
  QVERIFY2(db.writeBatch(polls, {}, end, components,
                         {{key, key, maintenance, kBase + 40 * kMinute, kBase + 45 * kMinute,
                           QString(), QStringLiteral("kernel upgrade")}}),
           qPrintable(db.lastError()));
  // The same span written again with a later end extends it (the writer does so each poll).
  QVERIFY2(db.writeBatch({}, {}, end, {},
                         {{key, key, maintenance, kBase + 40 * kMinute, kBase + 50 * kMinute,
                           QString(), QStringLiteral("kernel upgrade")},
                          {key, key, acknowledged, kBase + 41 * kMinute, kBase + 55 * kMinute,
                           QStringLiteral("alice"), QStringLiteral("<b>on it</b>")}}),
           qPrintable(db.lastError()));

  auto check = [&](const char* when) {
    const auto c = db.componentDurations(key, kBase, end, end);
    QVERIFY2(c.size() == 2, when);
    // database: up [0, 20 min), down [20, 30) + [40, 60) = 30 min; the unreachable 10 min are
    // nobody's. cache: up [0, 30) + [40, 50) = 40 min, then absent.
    const StateDurations& database = c.at(QStringLiteral("readiness:database"));
    QCOMPARE(database.ms[0], 20 * kMinute);
    QCOMPARE(database.ms[2], 30 * kMinute);
    QCOMPARE(database.total(), 50 * kMinute);
    const StateDurations& cache = c.at(QStringLiteral("readiness:cache"));
    QCOMPARE(cache.ms[0], 40 * kMinute);
    QCOMPARE(cache.total(), 40 * kMinute);
    // A range cut in the middle: [25, 45 min) → database down 5 + 5 min.
    const auto cut = db.componentDurations(key, kBase + 25 * kMinute, kBase + 45 * kMinute, end);
    QCOMPARE(cut.at(QStringLiteral("readiness:database")).ms[2], 10 * kMinute);
    QCOMPARE(cut.at(QStringLiteral("readiness:database")).ms[0], qint64(0));
  };
  check("from raw polls");
  if (QTest::currentTestFailed()) return;

  const auto spans = db.annotations(kBase, end, key);
  QCOMPARE(spans.size(), std::size_t(2));
  QCOMPARE(spans[0].kind, maintenance);
  QCOMPARE(spans[0].to, kBase + 50 * kMinute); // extended, not a second row
  QCOMPARE(spans[0].note, QStringLiteral("kernel upgrade"));
  QCOMPARE(spans[1].by, QStringLiteral("alice"));
  QCOMPARE(spans[1].note, QStringLiteral("<b>on it</b>")); // stored as the admin typed it
  QCOMPARE(db.annotations(kBase, end, key, acknowledged).size(), std::size_t(1));
  QVERIFY(db.annotations(kBase + 51 * kMinute, end, key, maintenance).empty());
  // Outside maintenance: up 30 min, unreachable 10, down 20 - 10 in the window = 10 min.
  const StateDurations outside = db.durationsOutside(key, kBase, end, end, maintenance);
  QCOMPARE(outside.ms[0], 30 * kMinute);
  QCOMPARE(outside.ms[static_cast<std::size_t>(TargetState::Unreachable)], 10 * kMinute);
  QCOMPARE(outside.ms[2], 10 * kMinute);

  // Once the raw polls are gone, the minute roll-ups answer the same (the changes fall on
  // whole minutes, so nothing is spread).
  QVERIFY2(db.rollupUntil(end + kHour, 0), qPrintable(db.lastError()));
  QVERIFY(db.applyRetention(end + 8 * kDay, Retention{}));
  QCOMPARE(db.pollCount(), qint64(0));
  check("from minute roll-ups");

  QVERIFY(db.purgeServer(key));
  QVERIFY(db.componentDurations(key, kBase, end, end).empty());
  QVERIFY(db.annotations(kBase, end).empty());
}

void TestHistoryDb::writerRecordsComponentChanges() {
  HistoryWriter::Options o;
  o.path = path();
  HistoryWriter writer(o);
  QVERIFY(writer.start().writing);
  TargetConfig target;
  target.id = QStringLiteral("api");
  target.name = QStringLiteral("API");
  target.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
  target.interval = std::chrono::milliseconds(1000);
  auto snapshot = [&](qint64 t, TargetState state, std::vector<HealthComponent> components) {
    TargetSnapshot s;
    s.targetId = target.id;
    s.state = state;
    s.polledAt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
    if (state != TargetState::Unreachable) {
      HealthDocument d;
      d.components = std::move(components);
      s.readiness = d;
    }
    return s;
  };
  auto component = [](const char* name, Status status) {
    HealthComponent c;
    c.name = QLatin1String(name);
    c.status = status;
    return c;
  };
  const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 10'000;
  // First answer: both recorded; same again: nothing; database down: one row; unreachable:
  // nothing (no answer); cache gone: one "absent" row.
  writer.recordPoll(snapshot(t0, TargetState::Up,
                             {component("database", Status::Up), component("cache", Status::Up)}),
                    target);
  writer.recordPoll(snapshot(t0 + 1000, TargetState::Up,
                             {component("database", Status::Up), component("cache", Status::Up)}),
                    target);
  writer.recordPoll(snapshot(t0 + 2000, TargetState::Down,
                             {component("database", Status::Down), component("cache", Status::Up)}),
                    target);
  writer.recordPoll(snapshot(t0 + 3000, TargetState::Unreachable, {}), target);
  writer.recordPoll(snapshot(t0 + 4000, TargetState::Down, {component("database", Status::Down)}),
                    target);
  writer.recordAnnotation({target.id, target.name, QLatin1String(AnnotationRow::kAcknowledged),
                           t0 + 2000, t0 + 4000, QStringLiteral("alice"), QStringLiteral("seen")});
  writer.flushNow();

  HistoryDb db;
  QVERIFY(db.open(path(), HistoryDb::Mode::Read).ok);
  QSqlQuery q(db.connection());
  QVERIFY(q.exec(QStringLiteral("SELECT component, t_ms, state FROM component_states ORDER BY "
                                "t_ms, component")));
  QStringList rows;
  while (q.next())
    rows << QStringLiteral("%1@%2=%3")
                .arg(q.value(0).toString())
                .arg(q.value(1).toLongLong() - t0)
                .arg(q.value(2).toInt());
  QCOMPARE(rows, QStringList({QStringLiteral("readiness:cache@0=0"),
                              QStringLiteral("readiness:database@0=0"),
                              QStringLiteral("readiness:database@2000=2"),
                              QStringLiteral("readiness:cache@4000=-1")}));
  const auto spans = db.annotations(t0, t0 + 10'000, target.id);
  QCOMPARE(spans.size(), std::size_t(1));
  QCOMPARE(spans[0].by, QStringLiteral("alice"));
}

int main(int argc, char** argv) {
  if (argc == 3 && qstrcmp(argv[1], "--burst-child") == 0) {
    QCoreApplication app(argc, argv);
    return runBurstChild(QString::fromLocal8Bit(argv[2]));
  }
  QCoreApplication app(argc, argv);
  TestHistoryDb test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_history_db.moc"
