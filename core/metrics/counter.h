#pragma once
// Counter: one monotonically increasing series of a counter family.
//
// Contract: every member is thread-safe and lock-free. inc() is a single relaxed integer
// fetch_add, so a bound Counter costs what a raw std::atomic add costs; fractional amounts
// (add(double)) go to a separate floating-point cell so integer counting stays exact.
// A Counter is owned by its Family (and so by the Registry); references stay valid for the
// Registry's lifetime. Units are whatever the family name says (`_total`, `_bytes_total`).

#include <atomic>
#include <cstdint>

namespace healthdeck::metrics {

class Counter {
public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void inc() noexcept { m_integer.fetch_add(1, std::memory_order_relaxed); }
  void inc(std::uint64_t amount) noexcept {
    m_integer.fetch_add(amount, std::memory_order_relaxed);
  }
  /// Adds a non-integral amount. Negative, zero, infinite and NaN amounts are ignored:
  /// a counter never goes down and never becomes unparsable.
  void add(double amount) noexcept;

  double value() const noexcept;
  /// True while only integer increments happened (the value is exactly integerValue()).
  bool isInteger() const noexcept { return m_fraction.load(std::memory_order_relaxed) == 0.0; }
  std::uint64_t integerValue() const noexcept { return m_integer.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> m_integer{0};
  std::atomic<double> m_fraction{0.0};
};

} // namespace healthdeck::metrics
