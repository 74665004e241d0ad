#pragma once
// QueueDepthCheck: reports a work queue as degraded or down when it backs up.
//
// Contract: the depth comes either from a source function called on every run (from the
// HealthManager's worker thread for this check, so the source must be safe to call from
// there) or from set(), which is lock-free and callable from any thread. A depth at or above
// a threshold trips it; a threshold of 0 is off. Units: items.

#include "healthdeck/health/health_check.h"

#include <atomic>
#include <cstddef>
#include <functional>

namespace healthdeck {

class QueueDepthCheck : public HealthCheck {
public:
  struct Thresholds {
    std::size_t degradedAt = 0; // 0 → never degraded
    std::size_t downAt = 0;     // 0 → never down
  };

  /// Depth pushed with set().
  explicit QueueDepthCheck(Thresholds thresholds);
  /// Depth pulled from `source` on every run.
  QueueDepthCheck(Thresholds thresholds, std::function<std::size_t()> source);

  void set(std::size_t depth) noexcept { m_depth.store(depth, std::memory_order_relaxed); }

  CheckOutcome run(const CheckContext& ctx) override;

private:
  Thresholds m_thresholds;
  std::function<std::size_t()> m_source;
  std::atomic<std::size_t> m_depth{0};
};

} // namespace healthdeck
