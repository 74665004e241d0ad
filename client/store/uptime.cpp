#include "healthdeck/client/store/uptime.h"

#include "healthdeck/client/target_snapshot.h"

#include <algorithm>
#include <cmath>

namespace healthdeck::history {

namespace {

constexpr std::size_t slot(int state) {
  return static_cast<std::size_t>(state < 0 || state >= kStateSlots ? kNotObserved : state);
}

/// End of the session that contains `t`, or `fallback` when no session contains it. `hint`
/// walks forward with sorted polls, so a whole series costs one pass over the sessions.
qint64 sessionEnd(const std::vector<Span>& sessions, qint64 t, std::size_t& hint, qint64 fallback) {
  if (sessions.empty()) return fallback;
  while (hint < sessions.size() && sessions[hint].to <= t)
    ++hint;
  if (hint < sessions.size() && sessions[hint].from <= t) return sessions[hint].to;
  return t; // taken outside any recorded session: it covers nothing
}

/// Calls `f(state, segFrom, segTo, pollIndex)` for every covered segment of `polls`.
template <typename F>
void forEachSegment(const std::vector<PollPoint>& polls, const std::vector<Span>& sessions,
                    qint64 now, F&& f) {
  std::size_t hint = 0;
  for (std::size_t i = 0; i < polls.size(); ++i) {
    const PollPoint& p = polls[i];
    qint64 end = p.t + 2 * std::max<qint64>(p.interval, 0);
    if (i + 1 < polls.size()) end = std::min(end, polls[i + 1].t);
    end = std::min(end, now);
    end = std::min(end, sessionEnd(sessions, p.t, hint, end));
    if (end > p.t) f(p.state, p.t, end, i);
  }
}

} // namespace

qint64 StateDurations::total() const {
  qint64 sum = 0;
  for (qint64 v : ms)
    sum += v;
  return sum;
}

double UptimeFigures::up() const {
  const qint64 o = observedMs();
  return o > 0 ? static_cast<double>(upMs) / static_cast<double>(o) : 0.0;
}

double UptimeFigures::degraded() const {
  const qint64 o = observedMs();
  return o > 0 ? static_cast<double>(degradedMs) / static_cast<double>(o) : 0.0;
}

UptimeFigures figuresOf(const StateDurations& d, qint64 rangeMs) {
  auto at = [&](TargetState s) { return d.ms[slot(static_cast<int>(s))]; };
  UptimeFigures f;
  f.rangeMs = rangeMs;
  f.upMs = at(TargetState::Up);
  f.degradedMs = at(TargetState::Degraded);
  f.downMs = at(TargetState::Down) + at(TargetState::Unreachable);
  f.unseenMs = at(TargetState::Unknown) + at(TargetState::Disabled) + at(TargetState::Unauthorized);
  const qint64 covered = f.observedMs() + f.unseenMs;
  f.notObservedMs = std::max<qint64>(0, rangeMs - covered);
  return f;
}

QString percentText(double share) {
  return QString::number(share * 100.0, 'f', share >= 0.999 && share < 1.0 ? 3 : 2) %
         QStringLiteral(" %");
}

QString percentText(const UptimeFigures& f) {
  if (!f.hasObservation()) return QStringLiteral("—");
  return percentText(f.up());
}

QString spanText(qint64 ms) {
  constexpr double hour = 3600.0 * 1000.0;
  if (ms >= 48 * 3600 * 1000LL)
    return QString::number(static_cast<double>(ms) / (24 * hour), 'f', 1) % QStringLiteral(" d");
  if (ms >= 3600 * 1000LL)
    return QString::number(static_cast<double>(ms) / hour, 'f', 1) % QStringLiteral(" h");
  return QString::number(static_cast<double>(ms) / 60000.0, 'f', 1) % QStringLiteral(" min");
}

QString describeUptime(const UptimeFigures& f) {
  if (!f.hasObservation()) return QStringLiteral("not observed");
  QString text = percentText(f) % QStringLiteral(" over ") % spanText(f.observedMs()) %
                 QStringLiteral(" observed");
  if (f.degradedMs > 0)
    text += QStringLiteral(", %1 % degraded").arg(f.degraded() * 100.0, 0, 'f', 2);
  return text;
}

StateDurations accumulate(const std::vector<PollPoint>& polls, qint64 from, qint64 to,
                          const std::vector<Span>& sessions, qint64 now) {
  StateDurations d;
  if (to <= from) return d;
  forEachSegment(polls, sessions, now, [&](int state, qint64 a, qint64 b, std::size_t) {
    const qint64 lo = std::max(a, from);
    const qint64 hi = std::min(b, to);
    if (hi > lo) d.ms[slot(state)] += hi - lo;
  });
  return d;
}

bool hasLatency(int state) {
  return state != static_cast<int>(TargetState::Unreachable) && state != kNotObserved;
}

qint64 percentile(std::vector<qint64>& values, int p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  const std::size_t n = values.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

std::vector<Bucket> rollup(const std::vector<PollPoint>& polls, qint64 from, qint64 to,
                           qint64 bucketMs, const std::vector<Span>& sessions, qint64 now) {
  std::vector<Bucket> out;
  if (to <= from || bucketMs <= 0) return out;
  const std::size_t n = static_cast<std::size_t>((to - from + bucketMs - 1) / bucketMs);
  std::vector<Bucket> all(n);
  std::vector<std::vector<qint64>> latencies(n);
  for (std::size_t i = 0; i < n; ++i)
    all[i].start = from + static_cast<qint64>(i) * bucketMs;
  forEachSegment(polls, sessions, now, [&](int state, qint64 a, qint64 b, std::size_t) {
    qint64 lo = std::max(a, from);
    const qint64 hi = std::min(b, to);
    while (lo < hi) {
      const auto idx = static_cast<std::size_t>((lo - from) / bucketMs);
      const qint64 bucketEnd = all[idx].start + bucketMs;
      const qint64 cut = std::min(hi, bucketEnd);
      all[idx].durations.ms[slot(state)] += cut - lo;
      lo = cut;
    }
  });
  for (const PollPoint& p : polls) {
    if (p.t < from || p.t >= to || !hasLatency(p.state)) continue;
    latencies[static_cast<std::size_t>((p.t - from) / bucketMs)].push_back(p.latency);
  }
  for (std::size_t i = 0; i < n; ++i) {
    Bucket& b = all[i];
    auto& l = latencies[i];
    if (!l.empty()) {
      b.count = static_cast<qint64>(l.size());
      b.latencyMin = *std::min_element(l.begin(), l.end());
      b.latencyMax = *std::max_element(l.begin(), l.end());
      for (qint64 v : l)
        b.latencySum += v;
      b.latencyP50 = percentile(l, 50);
      b.latencyP95 = percentile(l, 95);
    }
    if (b.count > 0 || b.durations.total() > 0) out.push_back(b);
  }
  return out;
}

bool answered(int state) {
  return state == static_cast<int>(TargetState::Up) ||
         state == static_cast<int>(TargetState::Degraded) ||
         state == static_cast<int>(TargetState::Down);
}

std::vector<AnsweredPiece> answeredPieces(const std::vector<PollPoint>& polls, qint64 from,
                                          qint64 to, const std::vector<Span>& sessions,
                                          qint64 now) {
  std::vector<AnsweredPiece> out;
  if (to <= from) return out;
  forEachSegment(polls, sessions, now, [&](int state, qint64 a, qint64 b, std::size_t) {
    const qint64 lo = std::max(a, from);
    const qint64 hi = std::min(b, to);
    if (hi <= lo || !answered(state)) return;
    if (!out.empty() && out.back().to == lo && out.back().share == 1.0)
      out.back().to = hi; // neighbouring answered polls make one piece
    else
      out.push_back({lo, hi, 1.0});
  });
  return out;
}

StateDurations componentDurations(const std::vector<AnsweredPiece>& answeredTime, int before,
                                  const std::vector<ComponentChange>& changes) {
  StateDurations d;
  std::size_t next = 0; // the first change after the current position
  int state = before;
  for (const AnsweredPiece& piece : answeredTime) {
    qint64 at = piece.from;
    while (next < changes.size() && changes[next].t <= at)
      state = changes[next++].state;
    while (at < piece.to) {
      const qint64 until = next < changes.size() ? std::min(piece.to, changes[next].t) : piece.to;
      if (state >= 0 && state < kNotObserved && until > at)
        d.ms[slot(state)] += static_cast<qint64>(
            std::llround(static_cast<double>(until - at) * std::clamp(piece.share, 0.0, 1.0)));
      at = until;
      while (next < changes.size() && changes[next].t <= at)
        state = changes[next++].state;
    }
  }
  return d;
}

int stripSeverity(int state) {
  if (state < 0 || state >= kNotObserved) return -1;
  return severity(static_cast<TargetState>(state));
}

} // namespace healthdeck::history
