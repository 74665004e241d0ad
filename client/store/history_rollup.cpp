// HistoryDb's roll-ups and retention: minute and hour buckets from the raw polls, day buckets
// from the hours, and what the retention deletes (see history_db.h, docs/history.md).

#include "healthdeck/client/store/history_db.h"

#include "healthdeck/client/store/history_db_detail.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <climits>
#include <map>

namespace healthdeck::history {

using namespace detail;

bool HistoryDb::rollupResolution(const QString& table, qint64 bucketMs, qint64 from, qint64 to,
                                 qint64 nowMs) {
  const qint64 lookback = 2 * maxInterval();
  const std::vector<Span> spans = sessions(from - lookback, to + lookback);
  auto byServer = pollsByServer(from - lookback, to + lookback);
  if (!byServer) return false;
  QSqlQuery ins(m_db);
  ins.prepare(QStringLiteral("INSERT OR REPLACE INTO %1 (bucket_ms, server, %2, n, lat_min, "
                             "lat_max, lat_sum, lat_p50, lat_p95) VALUES(?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(table, QLatin1String(kStateColumns)));
  for (const auto& [id, polls] : *byServer) {
    for (const Bucket& b : rollup(polls, from, to, bucketMs, spans, nowMs)) {
      int i = 0;
      ins.bindValue(i++, b.start);
      ins.bindValue(i++, id);
      for (qint64 v : b.durations.ms)
        ins.bindValue(i++, v);
      ins.bindValue(i++, b.count);
      ins.bindValue(i++, b.latencyMin);
      ins.bindValue(i++, b.latencyMax);
      ins.bindValue(i++, b.latencySum);
      ins.bindValue(i++, b.latencyP50);
      ins.bindValue(i++, b.latencyP95);
      if (!ins.exec()) {
        m_lastError = errorOf(ins);
        return false;
      }
    }
  }
  return true;
}

bool HistoryDb::rollupUntil(qint64 nowMs, qint64 lagMs) {
  const qint64 lag = std::max(lagMs, 2 * maxInterval());
  qint64 firstPoll = 0;
  {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT min(t_ms) FROM polls")) || !q.next() || q.isNull(0))
      return true; // nothing to roll up
    firstPoll = q.value(0).toLongLong();
  }
  struct Level {
    QString table;
    QString mark;
    qint64 bucket;
  };
  const Level levels[] = {
      {QStringLiteral("rollup_minute"), QStringLiteral("rollup_minute_until"), kMinute},
      {QStringLiteral("rollup_hour"), QStringLiteral("rollup_hour_until"), kHour},
  };
  for (const Level& level : levels) {
    const qint64 until = floorTo(nowMs - lag, level.bucket);
    qint64 from = metaInt(level.mark, floorTo(firstPoll, level.bucket));
    // Work in chunks so a long-closed console catching up never holds a huge transaction.
    const qint64 chunk = std::max<qint64>(level.bucket, 6 * kHour);
    while (from < until) {
      const qint64 to = std::min(until, from + chunk);
      if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
      if (!rollupResolution(level.table, level.bucket, from, to, nowMs) ||
          !setMeta(level.mark, QString::number(to))) {
        const QString why = m_lastError;
        rollback();
        m_lastError = why;
        return false;
      }
      if (!exec(QStringLiteral("COMMIT"))) return false;
      from = to;
    }
  }
  return rollupDays();
}

bool HistoryDb::rollupDays() {
  const qint64 until = floorTo(metaInt(QStringLiteral("rollup_hour_until"), LLONG_MIN), kDay);
  qint64 from = metaInt(QStringLiteral("rollup_day_until"), LLONG_MIN);
  if (from == LLONG_MIN) {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT min(bucket_ms) FROM rollup_hour")) || !q.next() ||
        q.isNull(0))
      return true; // no hour rows yet
    from = floorTo(q.value(0).toLongLong(), kDay);
  }
  // A day row sums its UTC day's hour rows: state times, counts, latency min/max/sum; its
  // p50/p95 are the count-weighted means of the hours' (as cells() combines buckets).
  const QString sql =
      QStringLiteral(
          "INSERT OR REPLACE INTO rollup_day (bucket_ms, server, %1, n, lat_min, lat_max, lat_sum, "
          "lat_p50, lat_p95) SELECT bucket_ms - (bucket_ms % %2) AS day, server, %3, sum(n), "
          "coalesce(min(CASE WHEN n > 0 THEN lat_min END), 0), max(lat_max), sum(lat_sum), "
          "CAST(round(coalesce(sum(n * lat_p50) * 1.0 / nullif(sum(n), 0), 0)) AS INTEGER), "
          "CAST(round(coalesce(sum(n * lat_p95) * 1.0 / nullif(sum(n), 0), 0)) AS INTEGER) "
          "FROM rollup_hour WHERE bucket_ms >= ? AND bucket_ms < ? GROUP BY day, server")
          .arg(QLatin1String(kStateColumns))
          .arg(kDay)
          .arg(stateSums());
  while (from < until) {
    const qint64 to = std::min(until, from + 7 * kDay); // a week per transaction
    if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
    QSqlQuery q(m_db);
    q.prepare(sql);
    q.addBindValue(from);
    q.addBindValue(to);
    if (!q.exec() || !setMeta(QStringLiteral("rollup_day_until"), QString::number(to))) {
      const QString why = q.lastError().isValid() ? errorOf(q) : m_lastError;
      rollback();
      m_lastError = why;
      return false;
    }
    if (!exec(QStringLiteral("COMMIT"))) return false;
    from = to;
  }
  return true;
}

bool HistoryDb::applyRetention(qint64 nowMs, const Retention& r) {
  // Raw polls go only once the hour roll-up has them, whatever the setting says.
  const qint64 hourMark = metaInt(QStringLiteral("rollup_hour_until"), 0);
  const qint64 rawCut = std::min(nowMs - r.rawDays * kDay, hourMark);
  const qint64 minuteCut = std::min(nowMs - r.minuteDays * kDay, hourMark);
  const qint64 hourCut = nowMs - r.hourDays * kDay;
  if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
  const std::pair<const char*, qint64> cuts[] = {
      {"DELETE FROM polls WHERE t_ms < ?", rawCut},
      {"DELETE FROM rollup_minute WHERE bucket_ms < ?", minuteCut},
      {"DELETE FROM rollup_hour WHERE bucket_ms < ?", hourCut},
      {"DELETE FROM rollup_day WHERE bucket_ms < ?", floorTo(hourCut, kDay)},
      {"DELETE FROM events WHERE t_ms < ?", hourCut},
      {"DELETE FROM component_states WHERE t_ms < ?", hourCut},
      {"DELETE FROM annotations WHERE to_ms < ?", hourCut},
      {"DELETE FROM sessions WHERE coalesce(ended_ms, heartbeat_ms) < ?", hourCut},
  };
  for (const auto& [sql, cut] : cuts) {
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(sql));
    q.addBindValue(cut);
    if (!q.exec()) {
      m_lastError = errorOf(q);
      rollback();
      return false;
    }
  }
  if (rawCut > metaInt(QStringLiteral("raw_kept_from"), 0))
    setMeta(QStringLiteral("raw_kept_from"), QString::number(rawCut));
  return exec(QStringLiteral("COMMIT"));
}

} // namespace healthdeck::history
