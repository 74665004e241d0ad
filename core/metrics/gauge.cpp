#include "healthdeck/metrics/gauge.h"

#include <chrono>

namespace healthdeck::metrics {

void Gauge::setToCurrentTime() noexcept {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  set(std::chrono::duration<double>(now).count());
}

} // namespace healthdeck::metrics
