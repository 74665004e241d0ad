#include "healthdeck/client/store/metric_series.h"

#include <algorithm>

namespace healthdeck::client {

std::size_t MetricSeries::capacityFor(std::chrono::milliseconds window,
                                      std::chrono::milliseconds interval) noexcept {
  if (interval.count() <= 0) return 2;
  const auto n = static_cast<std::size_t>(window.count() / interval.count()) + 1;
  return std::max<std::size_t>(n, 2);
}

MetricSeries::MetricSeries(std::size_t capacity) : m_points(std::max<std::size_t>(capacity, 1)) {}

bool MetricSeries::append(std::int64_t timestampMs, double value) {
  if (m_size > 0 && timestampMs <= latest().timestampMs) return false;
  if (m_size < m_points.size()) {
    m_points[(m_head + m_size) % m_points.size()] = Point{timestampMs, value};
    ++m_size;
  } else {
    m_points[m_head] = Point{timestampMs, value};
    m_head = (m_head + 1) % m_points.size();
  }
  return true;
}

void MetricSeries::range(std::int64_t startMs, std::int64_t endMs, std::vector<Point>& out) const {
  out.clear();
  // Points are ordered by time: binary search the first one inside the range.
  std::size_t lo = 0;
  std::size_t hi = m_size;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (at(mid).timestampMs < startMs)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (std::size_t i = lo; i < m_size && at(i).timestampMs <= endMs; ++i)
    out.push_back(at(i));
}

void MetricSeries::clear() noexcept {
  m_head = 0;
  m_size = 0;
}

} // namespace healthdeck::client
