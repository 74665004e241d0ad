// bench_history: what keeping history costs (see docs/performance.md "History database").
//
// 1. Write cost: 1,000 servers polled every 5 s for 10 simulated minutes (120,000 polls) go
//    through HistoryDb in the batches the HistoryWriter commits (every 0.5 s: 100 polls), with
//    a roll-up every simulated minute. CPU time of the process / 600 s = share of one core.
//    Baseline in the same run: the same rows appended as JSON lines to a file and flushed per
//    batch (how the console kept its events before).
// 2. Size: the database after that run (WAL checkpointed), per server per simulated day.
// 3. 30-day uptime of all 1,000 servers from a database shaped like 30 days of the writer's
//    output at the levels the query reads (hour roll-ups for 30 days, minute roll-ups for the
//    last day and the first hour, raw polls for the minutes not rolled up yet), then the
//    writer's roll-up pass (HistoryDb::rollupUntil) builds the day rows: median of 5
//    HistoryDb::durations() calls (the HistoryReader runs this on its worker thread). Baseline
//    in the same run: one bare SQL aggregate over the same hour roll-up rows.
//
// Usage: bench_history [DIR] (default: a temporary directory). Never registered with CTest.

#include "healthdeck/client/store/history_db.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

using namespace healthdeck::history;

namespace {

constexpr qint64 kSec = 1000;
constexpr qint64 kMin = 60 * kSec;
constexpr qint64 kHour = 60 * kMin;
constexpr qint64 kDay = 24 * kHour;
constexpr int kServers = 1000;
constexpr qint64 kInterval = 5 * kSec;

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString key(int s) {
  return QStringLiteral("server-%1").arg(s, 4, 10, QLatin1Char('0'));
}

/// The polls of one flush (0.5 s) starting at `t`: each server polls at its own phase.
std::vector<PollRow> batchAt(qint64 t, qint64 span) {
  std::vector<PollRow> rows;
  for (int s = 0; s < kServers; ++s) {
    const qint64 phase = (static_cast<qint64>(s) * 4999) % kInterval;
    qint64 first = t - ((t - phase) % kInterval + kInterval) % kInterval;
    if (first < t) first += kInterval;
    for (qint64 p = first; p < t + span; p += kInterval) {
      const int state = (s % 97 == 0 && (p / kMin) % 7 == 3) ? 2 : (s % 13 == 0 ? 1 : 0);
      rows.push_back({key(s), key(s), p, state, 10 + (p / kSec + s) % 40, kInterval});
    }
  }
  return rows;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QTemporaryDir tmp;
  const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : tmp.path();
  std::printf("bench_history: %d servers, poll every %lld s\n", kServers, kInterval / kSec);

  // --- 1. write cost -------------------------------------------------------------------------
  const qint64 t0 = (QDateTime::currentMSecsSinceEpoch() / kHour - 48) * kHour;
  const qint64 simulated = 10 * kMin;
  const qint64 flushEvery = 500;
  {
    const QString jsonPath = dir + QStringLiteral("/baseline.jsonl");
    QFile json(jsonPath);
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate)) return 2;
    const double c0 = cpuSeconds();
    qint64 rows = 0;
    for (qint64 t = t0; t < t0 + simulated; t += flushEvery) {
      for (const PollRow& r : batchAt(t, flushEvery)) {
        QJsonObject o;
        o.insert(QStringLiteral("server"), r.serverKey);
        o.insert(QStringLiteral("t"), r.t);
        o.insert(QStringLiteral("state"), r.state);
        o.insert(QStringLiteral("latency"), r.latency);
        json.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        ++rows;
      }
      json.flush();
    }
    const double baselineCpu = cpuSeconds() - c0;
    json.close();

    const QString dbPath = dir + QStringLiteral("/history.sqlite");
    QFile::remove(dbPath);
    HistoryDb db;
    if (!db.open(dbPath, HistoryDb::Mode::Write).ok || !db.beginSession(t0 - kSec)) return 2;
    const double c1 = cpuSeconds();
    qint64 written = 0;
    qint64 nextRollup = t0 + kMin;
    for (qint64 t = t0; t < t0 + simulated; t += flushEvery) {
      const auto batch = batchAt(t, flushEvery);
      written += static_cast<qint64>(batch.size());
      if (!db.writeBatch(batch, {}, t + flushEvery)) {
        std::fprintf(stderr, "write failed: %s\n", qPrintable(db.lastError()));
        return 2;
      }
      if (t + flushEvery >= nextRollup) {
        db.rollupUntil(nextRollup, 0);
        nextRollup += kMin;
      }
    }
    const double ourCpu = cpuSeconds() - c1;
    QSqlQuery q(db.connection());
    q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    q.exec(QStringLiteral("PRAGMA page_count"));
    q.next();
    const double pages = q.value(0).toDouble();
    q.exec(QStringLiteral("PRAGMA page_size"));
    q.next();
    const double bytes = pages * q.value(0).toDouble();
    const double perServerDay = bytes / kServers * static_cast<double>(kDay) / simulated;
    std::printf("\n1. write: %lld polls (%lld simulated s), %lld flushes, roll-up every minute\n",
                static_cast<long long>(written), static_cast<long long>(simulated / kSec),
                static_cast<long long>(simulated / flushEvery));
    std::printf("   history database: %.3f CPU s = %.2f %% of one core (%.1f us per poll)\n",
                ourCpu, 100.0 * ourCpu / (simulated / 1000.0), 1e6 * ourCpu / written);
    std::printf("   baseline JSON lines file: %.3f CPU s = %.2f %% of one core (%lld rows)\n",
                baselineCpu, 100.0 * baselineCpu / (simulated / 1000.0),
                static_cast<long long>(rows));
    std::printf("   ratio database / JSON lines: %.2fx\n", ourCpu / baselineCpu);
    std::printf("\n2. size: %.1f MB after 10 min (raw polls + minute roll-ups) = %.2f MB per "
                "server per day; JSON lines %.2f MB per server per day\n",
                bytes / 1e6, perServerDay / 1e6,
                static_cast<double>(QFileInfo(jsonPath).size()) / kServers *
                    static_cast<double>(kDay) / simulated / 1e6);
    std::printf("   at 7 days of raw polls: %.1f GB for %d servers (+ roll-ups: 1,440 minute rows "
                "and 24 hour rows per server per day)\n",
                7 * perServerDay * kServers / 1e9, kServers);
  }

  // --- 3. 30-day uptime ------------------------------------------------------------------------
  const QString dbPath = dir + QStringLiteral("/history-30d.sqlite");
  QFile::remove(dbPath);
  HistoryDb db;
  if (!db.open(dbPath, HistoryDb::Mode::Write).ok) return 2;
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  const qint64 hourMark = (now - 5 * kMin) / kHour * kHour;
  const qint64 minuteMark = (now - 2 * kMin) / kMin * kMin;
  const qint64 from = now - 30 * kDay;
  QElapsedTimer fill;
  fill.start();
  {
    QSqlQuery q(db.connection());
    q.exec(QStringLiteral("BEGIN"));
    q.prepare(QStringLiteral("INSERT INTO sessions(started_ms, heartbeat_ms) VALUES(?, ?)"));
    q.addBindValue(from - kDay);
    q.addBindValue(now);
    q.exec();
    for (int s = 0; s < kServers; ++s) {
      QSqlQuery ins(db.connection());
      ins.prepare(QStringLiteral("INSERT INTO servers(id, key, name) VALUES(?, ?, ?)"));
      ins.addBindValue(s + 1);
      ins.addBindValue(key(s));
      ins.addBindValue(key(s));
      ins.exec();
    }
    auto insertRollups = [&](const QString& table, qint64 a, qint64 b, qint64 step) {
      QSqlQuery ins(db.connection());
      ins.prepare(QStringLiteral("INSERT INTO %1 VALUES(?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, 5, 90, "
                                 "?, 20, 60)")
                      .arg(table));
      for (qint64 t = a; t < b; t += step)
        for (int s = 0; s < kServers; ++s) {
          const qint64 down = (s % 50 == 0 && (t / kHour) % 100 == 7) ? step / 4 : 0;
          const qint64 degraded = s % 13 == 0 ? step / 10 : 0;
          const qint64 n = step / kInterval;
          ins.bindValue(0, t);
          ins.bindValue(1, s + 1);
          ins.bindValue(2, step - down - degraded);
          ins.bindValue(3, degraded);
          ins.bindValue(4, down);
          ins.bindValue(5, n);
          ins.bindValue(6, n * 25);
          ins.exec();
        }
    };
    insertRollups(QStringLiteral("rollup_hour"), (from - kDay) / kHour * kHour, hourMark, kHour);
    insertRollups(QStringLiteral("rollup_minute"), hourMark - kDay, minuteMark, kMin);
    insertRollups(QStringLiteral("rollup_minute"), from / kMin * kMin - kHour,
                  from / kHour * kHour + kHour, kMin);
    QSqlQuery raw(db.connection());
    raw.prepare(QStringLiteral("INSERT INTO polls VALUES(?, ?, 0, 20, ?)"));
    for (qint64 t = minuteMark - 2 * kMin; t < now; t += kInterval)
      for (int s = 0; s < kServers; ++s) {
        raw.bindValue(0, s + 1);
        raw.bindValue(1, t + s);
        raw.bindValue(2, kInterval);
        raw.exec();
      }
    for (const auto& [k, v] : {std::pair{QStringLiteral("rollup_hour_until"), hourMark},
                               std::pair{QStringLiteral("rollup_minute_until"), minuteMark},
                               std::pair{QStringLiteral("raw_kept_from"), now - 7 * kDay},
                               std::pair{QStringLiteral("max_interval_ms"), kInterval}}) {
      QSqlQuery m(db.connection());
      m.prepare(QStringLiteral("INSERT OR REPLACE INTO meta VALUES(?, ?)"));
      m.addBindValue(k);
      m.addBindValue(QString::number(v));
      m.exec();
    }
    q.exec(QStringLiteral("COMMIT"));
    q.exec(QStringLiteral("ANALYZE"));
  }
  std::printf("\n3. 30-day uptime of %d servers (database filled in %.1f s)\n", kServers,
              static_cast<double>(fill.elapsed()) / 1000.0);
  // The writer's own roll-up pass turns the whole days of hour rows into day rows.
  QElapsedTimer days;
  days.start();
  if (!db.rollupUntil(now, 10 * kMin)) {
    std::fprintf(stderr, "roll-up failed: %s\n", qPrintable(db.lastError()));
    return 2;
  }
  std::printf("   day roll-ups of 31 days built in %.1f s (once; afterwards one day at a time)\n",
              static_cast<double>(days.elapsed()) / 1000.0);
  std::vector<double> ours, bare;
  qint64 observed = 0;
  for (int i = 0; i < 5; ++i) {
    QElapsedTimer t;
    t.start();
    const auto d = db.durations(from, now, now);
    ours.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    observed = figuresOf(d.value(key(0)), now - from).observedMs();
    if (d.size() != kServers) return 3;
    t.start();
    QSqlQuery q(db.connection());
    q.exec(QStringLiteral("SELECT server, sum(ms_up), sum(ms_degraded), sum(ms_down) FROM "
                          "rollup_hour WHERE bucket_ms >= %1 AND bucket_ms < %2 GROUP BY server")
               .arg(from)
               .arg(hourMark));
    int rows = 0;
    while (q.next())
      ++rows;
    bare.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  }
  std::printf("   HistoryDb::durations (day + hour + minute roll-ups + raw edges): median %.1f ms "
              "(runs:",
              median(ours));
  for (double v : ours)
    std::printf(" %.1f", v);
  std::printf(")\n   bare SQL aggregate over the hour roll-ups: median %.1f ms\n", median(bare));
  std::printf("   ratio: %.2fx; server-0000 observed %.2f d of 30; goal < 200 ms\n",
              median(ours) / median(bare), static_cast<double>(observed) / kDay);
  return 0;
}
