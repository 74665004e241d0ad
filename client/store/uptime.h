#pragma once
// Uptime arithmetic of the history database: pure functions over poll points, no I/O, thread-
// safe. Shared by the writer (roll-ups), the reader (uptime over any range) and the tests.
//
// The model: each poll of a server *covers* the time from its own instant until the next poll,
// but never longer than twice the server's poll interval, never past the end of the console
// session it was taken in, and never past `now`. Time no poll covers is "not observed" (the
// console was not running, the machine slept, a poll was missed) — a gap, never up or down.
// A poll taken while the console's own network was down is stored with state kNotObserved
// and covers its time as a gap too.
//
// Uptime over a range = up time / observed time, where observed = up + degraded + down +
// unreachable. Unknown, disabled and unauthorized time (the server's health could not be
// seen) is excluded from the ratio like gaps, and reported beside it. Degraded is its own
// share, not counted as up.
//
// Units: times are milliseconds since the Unix epoch (UTC), durations milliseconds, latency
// milliseconds. Ranges are half-open [from, to).

#include <QString>
#include <QtGlobal>

#include <array>
#include <cstdint>
#include <vector>

namespace healthdeck::history {

/// Stored state codes: TargetState values 0..6 (Up, Degraded, Down, Unreachable, Unauthorized,
/// Disabled, Unknown), and this one for "not observed" (console offline).
inline constexpr int kNotObserved = 7;
inline constexpr int kStateSlots = 8;

struct PollPoint {
  qint64 t = 0;        ///< ms since epoch
  int state = 0;       ///< 0..7, see kNotObserved
  qint64 latency = 0;  ///< ms
  qint64 interval = 0; ///< the server's poll interval when polled, ms
};

/// A console session: the time the console was running and recording. `to` is the last
/// heartbeat of a session that ended without saying so (a crash, a kill, power loss).
struct Span {
  qint64 from = 0;
  qint64 to = 0;
};

/// Time spent in each stored state, indexed by state code (kNotObserved = offline polls).
struct StateDurations {
  std::array<qint64, kStateSlots> ms{};

  StateDurations& operator+=(const StateDurations& o) {
    for (int i = 0; i < kStateSlots; ++i)
      ms[static_cast<std::size_t>(i)] += o.ms[static_cast<std::size_t>(i)];
    return *this;
  }
  bool operator==(const StateDurations& o) const { return ms == o.ms; }
  qint64 total() const;
};

/// The figures shown for one server over one range.
struct UptimeFigures {
  qint64 rangeMs = 0;
  qint64 upMs = 0;
  qint64 degradedMs = 0;
  qint64 downMs = 0;        ///< down + unreachable
  qint64 unseenMs = 0;      ///< unknown + disabled + unauthorized: answered, health not visible
  qint64 notObservedMs = 0; ///< gaps: rangeMs minus every covered state, plus offline polls

  qint64 observedMs() const { return upMs + degradedMs + downMs; }
  /// Shares of observed time in [0, 1]; 0 when nothing was observed (see hasObservation).
  double up() const;
  double degraded() const;
  bool hasObservation() const { return observedMs() > 0; }
};

UptimeFigures figuresOf(const StateDurations& d, qint64 rangeMs);

/// "99.93 %" (three decimals between 99.9 and 100, two otherwise); "—" when nothing observed.
QString percentText(const UptimeFigures& f);
/// A share in [0, 1] as percentText writes it ("0.00 %" for 0).
QString percentText(double share);
/// "99.93 % over 29.1 d observed" (+ ", 0.40 % degraded" when any); "not observed".
QString describeUptime(const UptimeFigures& f);
/// "29.1 d", "23.5 h", "12.0 min".
QString spanText(qint64 ms);

/// Time per state of `polls` (sorted by t, one server) inside [from, to). `sessions` sorted by
/// `from`, non-overlapping; empty means "do not clip by session". Polls before `from` count
/// for the part of their coverage that reaches into the range.
StateDurations accumulate(const std::vector<PollPoint>& polls, qint64 from, qint64 to,
                          const std::vector<Span>& sessions, qint64 now);

/// One roll-up bucket: time per state plus latency statistics of the polls taken in it.
struct Bucket {
  qint64 start = 0;
  StateDurations durations;
  qint64 count = 0; ///< polls with a latency (an HTTP answer) taken in the bucket
  qint64 latencyMin = 0;
  qint64 latencyMax = 0;
  qint64 latencySum = 0;
  qint64 latencyP50 = 0; ///< nearest-rank
  qint64 latencyP95 = 0; ///< nearest-rank
};

/// Buckets of `bucketMs` covering [from, to) (from and to multiples of bucketMs); only buckets
/// with any covered time or any poll are returned.
std::vector<Bucket> rollup(const std::vector<PollPoint>& polls, qint64 from, qint64 to,
                           qint64 bucketMs, const std::vector<Span>& sessions, qint64 now);

/// Whether a poll in this state carries a meaningful HTTP latency (an answer came back).
bool hasLatency(int state);

/// Nearest-rank percentile (p in (0,100]) of `values`, which it sorts; 0 when empty.
qint64 percentile(std::vector<qint64>& values, int p);

// Per-component uptime. A component's state is known only while its server answered with a
// health document: the component's time is the server's *answered* time (polls whose state is
// up, degraded or down, each covering its time as above), split by the component's recorded
// changes. A roll-up bucket says how long the server answered in it but not when: there the
// answered share of the bucket is spread evenly over it (exact when the component did not
// change inside the bucket).

/// A component's stored state: 0 up, 1 degraded, 2 down (the server states' codes), or absent
/// (the server answered without this component: removed, or details hidden).
inline constexpr int kComponentAbsent = -1;

/// One component's recorded change: from `t` on it was `state`.
struct ComponentChange {
  qint64 t = 0;
  int state = kComponentAbsent;
};

/// Time in [from, to) during which a server answered: `share` (0..1] of the piece, 1 for
/// pieces taken from raw polls, the answered fraction of a bucket for roll-ups.
struct AnsweredPiece {
  qint64 from = 0;
  qint64 to = 0;
  double share = 1.0;
};

/// The exactly known answered pieces of `polls` (one server, sorted) inside [from, to).
std::vector<AnsweredPiece> answeredPieces(const std::vector<PollPoint>& polls, qint64 from,
                                          qint64 to, const std::vector<Span>& sessions, qint64 now);

/// Time per state of one component over `answered` (sorted, non-overlapping): `before` is its
/// state before the first change (kComponentAbsent when unknown), `changes` sorted by t.
StateDurations componentDurations(const std::vector<AnsweredPiece>& answered, int before,
                                  const std::vector<ComponentChange>& changes);

/// Whether a server's stored state means it answered with a health state (up/degraded/down).
bool answered(int state);

/// "worst" order of stored states for status strips (same as severity(TargetState)), with
/// kNotObserved lowest: higher is worse.
int stripSeverity(int state);

} // namespace healthdeck::history
