// HistoryDb's reads over time: state durations from the coarsest buckets that fit (day, hour,
// minute roll-ups, raw polls at the edges), the events of a range, and history cells.

#include "healthdeck/client/store/history_db.h"

#include "healthdeck/client/store/history_db_detail.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <climits>
#include <map>

namespace healthdeck::history {

using namespace detail;

void HistoryDb::addRaw(QHash<int, StateDurations>& out, qint64 from, qint64 to, qint64 nowMs,
                       int only) {
  if (to <= from) return;
  const qint64 lookback = 2 * maxInterval();
  const std::vector<Span> spans = sessions(from - lookback, to);
  std::map<int, std::vector<PollPoint>> byServer;
  if (only != 0) {
    byServer[only] = pollsOf(only, from - lookback, to);
  } else if (auto all = pollsByServer(from - lookback, to)) {
    byServer = std::move(*all);
  }
  for (const auto& [id, polls] : byServer) {
    const StateDurations d = accumulate(polls, from, to, spans, nowMs);
    if (d.total() > 0) out[id] += d;
  }
}

void HistoryDb::addRollup(QHash<int, StateDurations>& out, const QString& table, qint64 from,
                          qint64 to, int only) {
  if (to <= from) return;
  QSqlQuery q(m_db);
  q.setForwardOnly(true);
  const QString sums = stateSums();
  if (only != 0) {
    q.prepare(QStringLiteral("SELECT server, %1 FROM %2 WHERE server = ? AND bucket_ms >= ? AND "
                             "bucket_ms < ? GROUP BY server")
                  .arg(sums, table));
    q.addBindValue(only);
  } else {
    q.prepare(QStringLiteral("SELECT server, %1 FROM %2 WHERE bucket_ms >= ? AND bucket_ms < ? "
                             "GROUP BY server")
                  .arg(sums, table));
  }
  q.addBindValue(from);
  q.addBindValue(to);
  if (!q.exec()) return;
  while (q.next()) {
    StateDurations d;
    for (int i = 0; i < kStateSlots; ++i)
      d.ms[static_cast<std::size_t>(i)] = q.value(i + 1).toLongLong();
    out[q.value(0).toInt()] += d;
  }
}

QHash<QString, StateDurations> HistoryDb::durations(qint64 from, qint64 to, qint64 nowMs,
                                                    const QString& serverKey) {
  QHash<QString, StateDurations> result;
  int only = 0;
  std::vector<ServerInfo> all;
  if (serverKey.isEmpty()) {
    all = servers();
  } else {
    // One server (the history view asks once per cell): its row only, not the whole table.
    const auto one = server(serverKey);
    if (!one || one->key != serverKey) return result;
    only = one->id;
    all.push_back(*one);
  }
  QHash<int, StateDurations> byId;
  RollupMarks marks;
  marks.minute = metaInt(QStringLiteral("rollup_minute_until"), LLONG_MIN);
  marks.hour = metaInt(QStringLiteral("rollup_hour_until"), LLONG_MIN);
  marks.day = metaInt(QStringLiteral("rollup_day_until"), LLONG_MIN);
  marks.rawFrom = metaInt(QStringLiteral("raw_kept_from"), LLONG_MIN);

  // Not rolled up yet: raw polls. Rolled up: the coarsest whole buckets that fit.
  addRaw(byId, std::max(from, marks.minute), to, nowMs, only);
  addRolledUp(byId, marks, 0, from, std::min(to, marks.minute), nowMs, only);
  for (const ServerInfo& s : all)
    if (only == 0 || s.id == only) result.insert(s.key, byId.value(s.id));
  return result;
}

void HistoryDb::addRolledUp(QHash<int, StateDurations>& out, const RollupMarks& marks, int level,
                            qint64 from, qint64 to, qint64 nowMs, int only) {
  if (to <= from) return;
  if (level < 2) {
    // Whole days (level 0) or hours (level 1) that have rows; the edges one level finer.
    const qint64 bucket = level == 0 ? kDay : kHour;
    const qint64 mark = level == 0 ? marks.day : marks.hour;
    const qint64 a = ceilTo(from, bucket);
    const qint64 b = std::min(floorTo(to, bucket), floorTo(std::max(mark, from), bucket));
    if (b > a) {
      addRollup(out, level == 0 ? QStringLiteral("rollup_day") : QStringLiteral("rollup_hour"), a,
                b, only);
      addRolledUp(out, marks, level + 1, from, a, nowMs, only);
      addRolledUp(out, marks, level + 1, b, to, nowMs, only);
    } else {
      addRolledUp(out, marks, level + 1, from, to, nowMs, only);
    }
    return;
  }
  // Whole minutes; raw polls for the sub-minute edges while raw polls are kept (older edges
  // round to the minute).
  const qint64 a = ceilTo(from, kMinute);
  const qint64 b = floorTo(to, kMinute);
  if (b > a) {
    addRollup(out, QStringLiteral("rollup_minute"), a, b, only);
    if (from >= marks.rawFrom) addRaw(out, from, a, nowMs, only);
    if (b >= marks.rawFrom) addRaw(out, b, to, nowMs, only);
  } else if (from >= marks.rawFrom) {
    addRaw(out, from, to, nowMs, only);
  }
}

std::vector<StoredEvent> HistoryDb::events(qint64 from, qint64 to, const QString& serverKey,
                                           int limit) {
  std::vector<StoredEvent> out;
  QSqlQuery q(m_db);
  if (!execFiltered(q,
                    QStringLiteral("SELECT e.id, s.key, s.name, e.t_ms, e.from_state, e.to_state, "
                                   "e.flapping, e.sentence, e.evidence FROM events e JOIN servers "
                                   "s ON s.id = e.server WHERE e.t_ms >= ? AND e.t_ms < ?"),
                    {from, to}, {{"s.key", serverKey}},
                    QStringLiteral(" ORDER BY e.t_ms, e.id LIMIT ?"), {limit}))
    return out;
  while (q.next()) {
    StoredEvent e;
    e.id = q.value(0).toLongLong();
    e.serverKey = q.value(1).toString();
    e.serverName = q.value(2).toString();
    e.t = q.value(3).toLongLong();
    e.from = q.value(4).toInt();
    e.to = q.value(5).toInt();
    e.flapping = q.value(6).toInt() != 0;
    e.sentence = q.value(7).toString();
    if (!q.isNull(8)) e.evidence = QJsonDocument::fromJson(q.value(8).toString().toUtf8()).object();
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<HistoryCell> HistoryDb::cells(const QString& serverKey, qint64 from, qint64 to,
                                          qint64 cellMs, qint64 nowMs) {
  std::vector<HistoryCell> out;
  const auto info = server(serverKey);
  if (!info || cellMs < kMinute || to <= from) return out;
  const qint64 minuteMark = metaInt(QStringLiteral("rollup_minute_until"), LLONG_MIN);
  const qint64 hourMark = metaInt(QStringLiteral("rollup_hour_until"), LLONG_MIN);
  for (qint64 start = from; start < to; start += cellMs) {
    HistoryCell c;
    c.start = start;
    c.end = std::min(to, start + cellMs);
    c.durations = durations(c.start, c.end, nowMs, serverKey).value(serverKey);
    for (int s = 0; s < kNotObserved; ++s)
      if (c.durations.ms[static_cast<std::size_t>(s)] > 0 &&
          (c.worstState < 0 || stripSeverity(s) > stripSeverity(c.worstState)))
        c.worstState = s;
    // Latency: raw polls where not rolled up (exact), else the finest roll-up that has it.
    double w50 = 0, w95 = 0;
    auto addRows = [&](const QString& table, qint64 a, qint64 b) {
      if (b <= a) return;
      QSqlQuery q(m_db);
      q.prepare(QStringLiteral("SELECT n, lat_p50, lat_p95 FROM %1 WHERE server = ? AND "
                               "bucket_ms >= ? AND bucket_ms < ? AND n > 0")
                    .arg(table));
      q.addBindValue(info->id);
      q.addBindValue(a);
      q.addBindValue(b);
      if (!q.exec()) return;
      while (q.next()) {
        const qint64 n = q.value(0).toLongLong();
        c.count += n;
        w50 += static_cast<double>(n) * q.value(1).toDouble();
        w95 += static_cast<double>(n) * q.value(2).toDouble();
      }
    };
    const qint64 rolledEnd = std::min(c.end, minuteMark);
    if (rolledEnd > c.start) {
      const qint64 hourEnd = std::min(rolledEnd, hourMark);
      const bool byHour = cellMs >= kHour && hourEnd > c.start;
      if (byHour) addRows(QStringLiteral("rollup_hour"), c.start, hourEnd);
      addRows(QStringLiteral("rollup_minute"), byHour ? std::max(c.start, hourEnd) : c.start,
              rolledEnd);
    }
    const qint64 rawStart = std::max(c.start, minuteMark);
    if (c.end > rawStart) {
      std::vector<qint64> lat;
      for (const PollPoint& p : pollsOf(info->id, rawStart, c.end))
        if (hasLatency(p.state)) lat.push_back(p.latency);
      if (!lat.empty()) {
        const auto n = static_cast<double>(lat.size());
        c.count += static_cast<qint64>(lat.size());
        w50 += n * static_cast<double>(percentile(lat, 50));
        w95 += n * static_cast<double>(percentile(lat, 95));
      }
    }
    if (c.count > 0) {
      c.latencyP50 = w50 / static_cast<double>(c.count);
      c.latencyP95 = w95 / static_cast<double>(c.count);
    }
    out.push_back(c);
  }
  return out;
}

} // namespace healthdeck::history

namespace healthdeck::history {

using namespace detail;

std::vector<AnsweredPiece> HistoryDb::answeredOf(int id, qint64 from, qint64 to, qint64 nowMs) {
  std::vector<AnsweredPiece> out;
  if (to <= from) return out;
  const qint64 rawFrom = metaInt(QStringLiteral("raw_kept_from"), LLONG_MIN);
  const qint64 rawStart = std::clamp(rawFrom, from, to);
  // Before the raw polls: the answered share of each roll-up bucket, minutes where kept and
  // hours before the first minute row.
  qint64 minuteStart = rawStart;
  // Adds the buckets of `table` overlapping [a, b); `first` (when set) learns the earliest.
  auto addBuckets = [&](const QString& table, qint64 bucketMs, qint64 a, qint64 b, qint64* first) {
    if (b <= a) return;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT bucket_ms, ms_up + ms_degraded + ms_down FROM %1 WHERE "
                             "server = ? AND bucket_ms > ? AND bucket_ms < ? ORDER BY bucket_ms")
                  .arg(table));
    q.addBindValue(id);
    q.addBindValue(a - bucketMs);
    q.addBindValue(b);
    if (!q.exec()) return;
    while (q.next()) {
      const qint64 start = q.value(0).toLongLong();
      const qint64 answeredMs = q.value(1).toLongLong();
      if (first) *first = std::min(*first, start);
      const qint64 lo = std::max(start, a);
      const qint64 hi = std::min(start + bucketMs, b);
      if (hi > lo && answeredMs > 0)
        out.push_back({lo, hi, static_cast<double>(answeredMs) / static_cast<double>(bucketMs)});
    }
  };
  addBuckets(QStringLiteral("rollup_minute"), kMinute, from, rawStart, &minuteStart);
  std::vector<AnsweredPiece> minutes;
  minutes.swap(out);
  addBuckets(QStringLiteral("rollup_hour"), kHour, from, minuteStart, nullptr);
  out.insert(out.end(), minutes.begin(), minutes.end());
  if (to > rawStart) {
    const qint64 lookback = 2 * maxInterval();
    const std::vector<AnsweredPiece> raw =
        answeredPieces(pollsOf(id, rawStart - lookback, to), rawStart, to,
                       sessions(rawStart - lookback, to), nowMs);
    out.insert(out.end(), raw.begin(), raw.end());
  }
  return out;
}

std::map<QString, StateDurations>
HistoryDb::componentDurations(const QString& serverKey, qint64 from, qint64 to, qint64 nowMs) {
  std::map<QString, StateDurations> out;
  const auto info = server(serverKey);
  if (!info || to <= from) return out;
  // Each component's state before the range, then its changes inside it.
  std::map<QString, std::pair<int, std::vector<ComponentChange>>> timelines;
  QSqlQuery q(m_db);
  q.setForwardOnly(true);
  q.prepare(QStringLiteral("SELECT component, state, max(t_ms) FROM component_states WHERE "
                           "server = ? AND t_ms < ? GROUP BY component"));
  q.addBindValue(info->id);
  q.addBindValue(from);
  if (!q.exec()) return out;
  while (q.next())
    timelines[q.value(0).toString()].first = q.value(1).toInt();
  q.finish();
  q.prepare(QStringLiteral("SELECT component, t_ms, state FROM component_states WHERE server = ? "
                           "AND t_ms >= ? AND t_ms < ? ORDER BY component, t_ms"));
  q.addBindValue(info->id);
  q.addBindValue(from);
  q.addBindValue(to);
  if (!q.exec()) return out;
  while (q.next()) {
    auto [it, fresh] = timelines.try_emplace(q.value(0).toString());
    if (fresh) it->second.first = kComponentAbsent;
    it->second.second.push_back({q.value(1).toLongLong(), q.value(2).toInt()});
  }
  if (timelines.empty()) return out;
  const std::vector<AnsweredPiece> answeredTime = answeredOf(info->id, from, to, nowMs);
  for (const auto& [component, timeline] : timelines)
    out[component] = history::componentDurations(answeredTime, timeline.first, timeline.second);
  return out;
}

std::vector<AnnotationRow> HistoryDb::annotations(qint64 from, qint64 to, const QString& serverKey,
                                                  const QString& kind) {
  std::vector<AnnotationRow> out;
  QSqlQuery q(m_db);
  if (!execFiltered(q,
                    QStringLiteral("SELECT s.key, s.name, a.kind, a.from_ms, a.to_ms, a.by_user, "
                                   "a.note FROM annotations a JOIN servers s ON s.id = a.server "
                                   "WHERE a.from_ms < ? AND a.to_ms > ?"),
                    {to, from}, {{"s.key", serverKey}, {"a.kind", kind}},
                    QStringLiteral(" ORDER BY a.from_ms, a.id")))
    return out;
  while (q.next()) {
    AnnotationRow a;
    a.serverKey = q.value(0).toString();
    a.serverName = q.value(1).toString();
    a.kind = q.value(2).toString();
    a.from = q.value(3).toLongLong();
    a.to = q.value(4).toLongLong();
    a.by = q.value(5).toString();
    a.note = q.value(6).toString();
    out.push_back(std::move(a));
  }
  return out;
}

StateDurations HistoryDb::durationsOutside(const QString& serverKey, qint64 from, qint64 to,
                                           qint64 nowMs, const QString& kind) {
  StateDurations total = durations(from, to, nowMs, serverKey).value(serverKey);
  // The spans inside the range, overlapping ones merged, each taken out once.
  std::vector<Span> spans;
  for (const AnnotationRow& a : annotations(from, to, serverKey, kind)) {
    const qint64 lo = std::max(a.from, from);
    const qint64 hi = std::min(a.to, to);
    if (hi <= lo) continue;
    if (!spans.empty() && lo <= spans.back().to)
      spans.back().to = std::max(spans.back().to, hi);
    else
      spans.push_back({lo, hi});
  }
  for (const Span& s : spans) {
    const StateDurations inside = durations(s.from, s.to, nowMs, serverKey).value(serverKey);
    for (std::size_t i = 0; i < total.ms.size(); ++i)
      total.ms[i] = std::max<qint64>(0, total.ms[i] - inside.ms[i]);
  }
  return total;
}

} // namespace healthdeck::history
