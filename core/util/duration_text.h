#pragma once
// The one wording of durations for people, used by check details, the console's sentences and
// tables, and the command line: "0.3 ms", "412 ms", "2 s", "1.5 s", "10 min", "2 h", "3 d";
// ages "14 s ago"; and the compact form of heartbeat details ("12m", "1m30s").
// Pure functions, thread-safe. Negative durations read as zero.

#include <chrono>
#include <string>

namespace healthdeck {

/// A measured or configured duration: "150 ns", "21 µs", "0.3 ms", "412 ms", "2 s", "1.5 s",
/// "10 min", "1.5 h", "3 d" (one decimal where it matters, never a trailing ".0").
std::string formatLatency(std::chrono::nanoseconds d);

/// How long ago: "14 s ago", "3 min ago", "2 h ago", "5 d ago" (whole units, rounded down).
std::string formatAgo(std::chrono::milliseconds d);

/// An age or period, compact: "0s", "150ms", "45s", "12m", "1m30s", "2h5m", "3d4h".
std::string formatAge(std::chrono::milliseconds d);

} // namespace healthdeck
