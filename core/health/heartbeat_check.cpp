#include "healthdeck/health/heartbeat_check.h"

#include "healthdeck/util/duration_text.h"

#include <stdexcept>

namespace healthdeck {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

HeartbeatCheck::HeartbeatCheck(milliseconds maxAge, Status whenStale)
    : m_maxAge(maxAge), m_whenStale(whenStale), m_created(steady_clock::now()) {
  if (maxAge.count() <= 0) throw std::invalid_argument("HeartbeatCheck: maxAge must be > 0");
  if (whenStale == Status::Up) throw std::invalid_argument("HeartbeatCheck: whenStale is up");
}

void HeartbeatCheck::beat() noexcept {
  m_lastBeat.store(steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

std::optional<milliseconds> HeartbeatCheck::sinceLastBeat() const noexcept {
  const std::int64_t ticks = m_lastBeat.load(std::memory_order_relaxed);
  if (ticks == kNever) return std::nullopt;
  const steady_clock::time_point last{steady_clock::duration{ticks}};
  return duration_cast<milliseconds>(steady_clock::now() - last);
}

CheckOutcome HeartbeatCheck::run(const CheckContext&) {
  const auto age = sinceLastBeat();
  const std::string limit = " (> " + formatAge(m_maxAge) + ")";
  if (!age) {
    const auto up = duration_cast<milliseconds>(steady_clock::now() - m_created);
    if (up > m_maxAge)
      return {m_whenStale, "never beat since start " + formatAge(up) + " ago" + limit};
    return {Status::Up, "waiting for the first beat (started " + formatAge(up) + " ago)"};
  }
  if (*age > m_maxAge) return {m_whenStale, "last beat " + formatAge(*age) + " ago" + limit};
  return {Status::Up, "last beat " + formatAge(*age) + " ago"};
}

} // namespace healthdeck
