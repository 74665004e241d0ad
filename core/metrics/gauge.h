#pragma once
// Gauge: one series of a gauge family, a value that goes up and down.
//
// Contract: every member is thread-safe and lock-free (set is a relaxed store, inc/dec a
// floating-point fetch_add). Owned by its Family; references stay valid for the Registry's
// lifetime. Units follow the family name (`_seconds`, `_bytes`, plain counts).

#include <atomic>

namespace healthdeck::metrics {

class Gauge {
public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void set(double value) noexcept { m_value.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) noexcept { m_value.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) noexcept { m_value.fetch_sub(amount, std::memory_order_relaxed); }
  /// Sets the value to the current wall-clock time in seconds since the Unix epoch.
  void setToCurrentTime() noexcept;

  double value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
  std::atomic<double> m_value{0.0};
};

} // namespace healthdeck::metrics
