#pragma once
// HeartbeatCheck: "has my background job run recently?" for a service's own jobs.
//
// Contract: beat() is lock-free and wait-free (one atomic store) and may be called from any
// thread, as often as wanted; run() may be called from any thread. Before the first beat the
// check counts from its construction, so a freshly started service is not reported stale
// until maxAge has passed. Units: maxAge in milliseconds, ages measured on the steady clock.
// Ownership: plain object, usually held by shared_ptr by both the job and the HealthManager.

#include "healthdeck/health/health_check.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

namespace healthdeck {

class HeartbeatCheck : public HealthCheck {
public:
  explicit HeartbeatCheck(std::chrono::milliseconds maxAge, Status whenStale = Status::Down);

  /// Records that the job is alive now.
  void beat() noexcept;
  /// Time since the last beat, or empty if there was none yet.
  std::optional<std::chrono::milliseconds> sinceLastBeat() const noexcept;

  CheckOutcome run(const CheckContext& ctx) override;

private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
  std::chrono::milliseconds m_maxAge;
  Status m_whenStale;
  std::chrono::steady_clock::time_point m_created;
  std::atomic<std::int64_t> m_lastBeat{kNever}; // steady_clock ticks since epoch
  static_assert(std::atomic<std::int64_t>::is_always_lock_free);
};

} // namespace healthdeck
