#pragma once
// MetricSeries: the bounded history of one tracked series — a ring buffer of
// (timestamp, value) points, oldest overwritten first. Sized by capacityFor(window,
// interval): the default keeps one hour at the poll interval (16 bytes a point plus the
// object, so 240 points = 3.8 KiB at 15 s). Timestamps are milliseconds since the Unix
// epoch and must increase: a point not newer than the latest is refused (a replayed or
// clock-skewed scrape must not corrupt rate()). Not thread-safe; a value type.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace healthdeck::client {

struct Point {
  std::int64_t timestampMs = 0;
  double value = 0.0;
};

class MetricSeries {
public:
  /// Points needed to cover `window` at one point per `interval` (at least 2).
  static std::size_t capacityFor(std::chrono::milliseconds window,
                                 std::chrono::milliseconds interval) noexcept;

  explicit MetricSeries(std::size_t capacity);

  /// Appends a point; returns false (and keeps nothing) if it is not newer than latest().
  bool append(std::int64_t timestampMs, double value);

  std::size_t size() const noexcept { return m_size; }
  std::size_t capacity() const noexcept { return m_points.size(); }
  bool empty() const noexcept { return m_size == 0; }
  /// i = 0 is the oldest point kept.
  const Point& at(std::size_t i) const noexcept { return m_points[(m_head + i) % m_points.size()]; }
  const Point& latest() const noexcept { return at(m_size - 1); }

  /// Copies the points with startMs <= t <= endMs (PromQL 2.x range selection) to `out`
  /// (replaced; its capacity is reused).
  void range(std::int64_t startMs, std::int64_t endMs, std::vector<Point>& out) const;

  void clear() noexcept;

  /// Heap bytes held by the buffer.
  std::size_t memoryBytes() const noexcept { return m_points.capacity() * sizeof(Point); }

private:
  std::vector<Point> m_points;
  std::size_t m_head = 0; // index of the oldest point
  std::size_t m_size = 0;
};

} // namespace healthdeck::client
