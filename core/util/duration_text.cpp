#include "healthdeck/util/duration_text.h"

#include <cstdio>

namespace healthdeck {

namespace {

// One decimal, without a trailing ".0" ("1.5", "2").
std::string oneDecimal(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

} // namespace

std::string formatLatency(std::chrono::nanoseconds d) {
  const auto ns = d.count() < 0 ? 0 : d.count();
  if (ns == 0) return "0 ms";
  if (ns < 1'000) return std::to_string(ns) + " ns";
  if (ns < 100'000) return std::to_string(ns / 1'000) + " µs";
  if (ns < 1'000'000) return oneDecimal(static_cast<double>(ns) / 1e6) + " ms";
  if (ns < 999'500'000) return std::to_string((ns + 500'000) / 1'000'000) + " ms";
  const double s = static_cast<double>(ns) / 1e9;
  if (s < 60) return oneDecimal(s) + " s";
  if (s < 3600) return oneDecimal(s / 60) + " min";
  if (s < 86400) return oneDecimal(s / 3600) + " h";
  return oneDecimal(s / 86400) + " d";
}

std::string formatAgo(std::chrono::milliseconds d) {
  const long long s = d.count() < 0 ? 0 : d.count() / 1000;
  if (s < 60) return std::to_string(s) + " s ago";
  if (s < 3600) return std::to_string(s / 60) + " min ago";
  if (s < 86400) return std::to_string(s / 3600) + " h ago";
  return std::to_string(s / 86400) + " d ago";
}

std::string formatAge(std::chrono::milliseconds d) {
  const long long ms = d.count() < 0 ? 0 : d.count();
  // Sub-second periods only occur for in-process heartbeats with tiny limits; "0s" would hide them.
  if (ms > 0 && ms < 1000) return std::to_string(ms) + "ms";
  long long s = ms / 1000;
  if (s < 60) return std::to_string(s) + "s";
  struct Unit {
    long long seconds;
    const char* name;
  };
  static constexpr Unit units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  // The two most significant non-zero units are enough for a person reading a status line.
  std::string out;
  int parts = 0;
  for (const Unit& u : units) {
    const long long n = s / u.seconds;
    if (n == 0) {
      if (parts > 0) break;
      continue;
    }
    out += std::to_string(n) + u.name;
    s -= n * u.seconds;
    if (++parts == 2) break;
  }
  return out;
}

} // namespace healthdeck
