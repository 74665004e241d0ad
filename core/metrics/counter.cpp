#include "healthdeck/metrics/counter.h"

#include <cmath>

namespace healthdeck::metrics {

void Counter::add(double amount) noexcept {
  if (!(amount > 0.0) || std::isinf(amount)) return;
  m_fraction.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::value() const noexcept {
  return static_cast<double>(m_integer.load(std::memory_order_relaxed)) +
         m_fraction.load(std::memory_order_relaxed);
}

} // namespace healthdeck::metrics
