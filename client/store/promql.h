#pragma once
// PromQL's derivations over the console's own series, computed exactly as Prometheus 2.x
// does (promql/functions.go: extrapolatedRate, bucketQuantile), so a number in the console
// matches the same query against a Prometheus server that scraped the same points.
// Pure functions, thread-safe. Times in milliseconds, rates per second.

#include "healthdeck/client/store/metric_series.h"

#include <optional>
#include <span>
#include <vector>

namespace healthdeck::client::promql {

/// increase(v[range]) evaluated at `rangeEndMs` over the points with
/// rangeStartMs <= t <= rangeEndMs (pass them in time order): the counter's growth with
/// resets (a drop) treated as a restart from zero, extrapolated towards the range's ends
/// (to at most half an average sample gap beyond the first/last point, and never below the
/// counter's zero). No result with fewer than two points.
std::optional<double> increase(std::span<const Point> points, std::int64_t rangeStartMs,
                               std::int64_t rangeEndMs);
/// rate(v[range]) = increase / range in seconds.
std::optional<double> rate(std::span<const Point> points, std::int64_t rangeStartMs,
                           std::int64_t rangeEndMs);
/// delta(v[range]) for gauges: like increase without reset handling or the zero clamp.
std::optional<double> delta(std::span<const Point> points, std::int64_t rangeStartMs,
                            std::int64_t rangeEndMs);

/// The same over a series' history: the range (atMs - rangeMs, atMs] as Prometheus 2.x
/// selects it, i.e. both ends included.
std::optional<double> rate(const MetricSeries& series, std::int64_t rangeMs, std::int64_t atMs);
std::optional<double> increase(const MetricSeries& series, std::int64_t rangeMs, std::int64_t atMs);

struct Bucket {
  double upperBound = 0.0; // the `le` label
  double count = 0.0;      // cumulative count (or its rate)
};

/// histogram_quantile(q, buckets) over classic buckets, any order: NaN for q NaN, -Inf for
/// q < 0, +Inf for q > 1; NaN without a +Inf bucket, with fewer than two distinct bounds or
/// no observations. Buckets of equal bound are merged, counts made monotonic, the result
/// interpolated linearly within the bucket (from 0 for the first bucket when its bound is
/// positive); a rank in the +Inf bucket answers the highest finite bound.
double histogramQuantile(double q, std::vector<Bucket> buckets);

} // namespace healthdeck::client::promql
