#include "healthdeck/client/store/promql.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace healthdeck::client::promql {
namespace {

std::optional<double> extrapolated(std::span<const Point> points, std::int64_t rangeStartMs,
                                   std::int64_t rangeEndMs, bool isCounter, bool isRate) {
  if (points.size() < 2) return std::nullopt;
  const Point& first = points.front();
  const Point& last = points.back();
  double result = last.value - first.value;
  if (isCounter) {
    double previous = first.value;
    for (const Point& p : points.subspan(1)) {
      if (p.value < previous) result += previous; // a reset: the counter restarted at 0
      previous = p.value;
    }
  }
  double durationToStart = static_cast<double>(first.timestampMs - rangeStartMs) / 1000.0;
  const double durationToEnd = static_cast<double>(rangeEndMs - last.timestampMs) / 1000.0;
  const double sampledInterval = static_cast<double>(last.timestampMs - first.timestampMs) / 1000.0;
  const double averageGap = sampledInterval / static_cast<double>(points.size() - 1);
  if (isCounter && result > 0 && first.value >= 0) {
    // A counter cannot go below zero: don't extrapolate past the point where it was zero.
    const double durationToZero = sampledInterval * (first.value / result);
    durationToStart = std::min(durationToStart, durationToZero);
  }
  const double threshold = averageGap * 1.1;
  double interval = sampledInterval;
  interval += durationToStart < threshold ? durationToStart : averageGap / 2;
  interval += durationToEnd < threshold ? durationToEnd : averageGap / 2;
  double factor = interval / sampledInterval;
  if (isRate) factor /= static_cast<double>(rangeEndMs - rangeStartMs) / 1000.0;
  return result * factor;
}

std::optional<double> overSeries(const MetricSeries& series, std::int64_t rangeMs,
                                 std::int64_t atMs, bool isRate) {
  std::vector<Point> points;
  series.range(atMs - rangeMs, atMs, points);
  return extrapolated(points, atMs - rangeMs, atMs, true, isRate);
}

} // namespace

std::optional<double> increase(std::span<const Point> points, std::int64_t rangeStartMs,
                               std::int64_t rangeEndMs) {
  return extrapolated(points, rangeStartMs, rangeEndMs, true, false);
}

std::optional<double> rate(std::span<const Point> points, std::int64_t rangeStartMs,
                           std::int64_t rangeEndMs) {
  return extrapolated(points, rangeStartMs, rangeEndMs, true, true);
}

std::optional<double> delta(std::span<const Point> points, std::int64_t rangeStartMs,
                            std::int64_t rangeEndMs) {
  return extrapolated(points, rangeStartMs, rangeEndMs, false, false);
}

std::optional<double> rate(const MetricSeries& series, std::int64_t rangeMs, std::int64_t atMs) {
  return overSeries(series, rangeMs, atMs, true);
}

std::optional<double> increase(const MetricSeries& series, std::int64_t rangeMs,
                               std::int64_t atMs) {
  return overSeries(series, rangeMs, atMs, false);
}

double histogramQuantile(double q, std::vector<Bucket> buckets) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  if (buckets.empty()) return kNaN;
  std::sort(buckets.begin(), buckets.end(),
            [](const Bucket& a, const Bucket& b) { return a.upperBound < b.upperBound; });
  if (!std::isinf(buckets.back().upperBound) || buckets.back().upperBound < 0) return kNaN;

  // Merge buckets with the same bound (e.g. "1" and "1.0" exposed side by side).
  std::vector<Bucket> merged;
  merged.reserve(buckets.size());
  for (const Bucket& b : buckets) {
    if (!merged.empty() && merged.back().upperBound == b.upperBound)
      merged.back().count += b.count;
    else
      merged.push_back(b);
  }
  // Counts scraped at slightly different moments can decrease: make them monotonic.
  double max = -kInf;
  for (Bucket& b : merged) {
    if (b.count > max)
      max = b.count;
    else if (b.count < max)
      b.count = max;
  }
  if (merged.size() < 2) return kNaN;
  const double observations = merged.back().count;
  if (observations == 0) return kNaN;
  double rank = q * observations;
  // The first bucket (the +Inf one excluded) whose cumulative count reaches the rank.
  std::size_t b = 0;
  while (b < merged.size() - 1 && !(merged[b].count >= rank))
    ++b;
  if (b == merged.size() - 1) return merged[merged.size() - 2].upperBound;
  if (b == 0 && merged[0].upperBound <= 0) return merged[0].upperBound;
  double bucketStart = 0;
  const double bucketEnd = merged[b].upperBound;
  double count = merged[b].count;
  if (b > 0) {
    bucketStart = merged[b - 1].upperBound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

} // namespace healthdeck::client::promql
