#pragma once
// Human wording of durations for check details, so every check says "412 ms", "2 s" and
// "12m ago" the same way. Pure functions, thread-safe.

#include <chrono>
#include <string>

namespace healthdeck {

/// A measured or configured latency: "0.3 ms", "412 ms", "2 s", "1.5 s".
std::string formatLatency(std::chrono::nanoseconds d);

/// An age or period, compact: "0s", "150ms", "45s", "12m", "1m30s", "2h5m", "3d4h".
/// Negative values are shown as "0s".
std::string formatAge(std::chrono::milliseconds d);

} // namespace healthdeck
