#include "healthdeck/health/queue_depth_check.h"

#include <stdexcept>

namespace healthdeck {

QueueDepthCheck::QueueDepthCheck(Thresholds thresholds) : m_thresholds(thresholds) {
  if (thresholds.degradedAt > 0 && thresholds.downAt > 0 &&
      thresholds.degradedAt > thresholds.downAt)
    throw std::invalid_argument("QueueDepthCheck: degradedAt is above downAt");
}

QueueDepthCheck::QueueDepthCheck(Thresholds thresholds, std::function<std::size_t()> source)
    : QueueDepthCheck(thresholds) {
  if (!source) throw std::invalid_argument("QueueDepthCheck: empty depth source");
  m_source = std::move(source);
}

CheckOutcome QueueDepthCheck::run(const CheckContext&) {
  const std::size_t depth = m_source ? m_source() : m_depth.load(std::memory_order_relaxed);
  const std::string queued = std::to_string(depth) + (depth == 1 ? " item" : " items") + " queued";
  if (m_thresholds.downAt > 0 && depth >= m_thresholds.downAt)
    return {Status::Down, queued + " (>= " + std::to_string(m_thresholds.downAt) + ")"};
  if (m_thresholds.degradedAt > 0 && depth >= m_thresholds.degradedAt)
    return {Status::Degraded, queued + " (>= " + std::to_string(m_thresholds.degradedAt) + ")"};
  return {Status::Up, queued};
}

} // namespace healthdeck
