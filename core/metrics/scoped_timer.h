#pragma once
// ScopedTimer: observes the seconds between its construction and destruction into a
// Histogram (steady clock). Not thread-safe itself (one scope, one thread); the histogram it
// feeds is. The Histogram must outlive the timer.

#include "healthdeck/metrics/histogram.h"

#include <chrono>

namespace healthdeck::metrics {

class ScopedTimer {
public:
  explicit ScopedTimer(Histogram& histogram) noexcept
      : m_histogram(&histogram), m_start(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() {
    if (m_histogram) m_histogram->observe(elapsedSeconds());
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

  /// Seconds since construction.
  double elapsedSeconds() const noexcept {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  }
  /// The destructor will not observe (e.g. the operation was abandoned).
  void cancel() noexcept { m_histogram = nullptr; }
  /// Observes now and returns the seconds; the destructor then does nothing.
  double stop() noexcept {
    const double seconds = elapsedSeconds();
    if (m_histogram) m_histogram->observe(seconds);
    m_histogram = nullptr;
    return seconds;
  }

private:
  Histogram* m_histogram;
  std::chrono::steady_clock::time_point m_start;
};

} // namespace healthdeck::metrics
