#pragma once
// Metric profiles: which few numbers the console shows for a server ("key metrics"), chosen
// from the metric families its /metrics page exposes. detectProfile() is a pure function of
// the family names present: the Healthdeck standard families (with or without a namespace
// prefix) win — recognised only by family pairs no other program writes (its exporter's
// scrapes counter together with its last-scrape timestamp gauge, or health_check_status with
// health_check_duration_seconds; redis_exporter's `redis_exporter_scrapes_total` alone is not
// enough) — then node_exporter, a Prometheus server, etcd, redis_exporter, postgres_exporter,
// HAProxy's built-in exporter, Alertmanager, blackbox_exporter (its own page or a /probe
// page) and Caddy, each by a family only that program exposes; else a generic profile built
// from the process_* families when they exist. The key metrics were chosen from pages
// captured from the Debian 12 programs (tests/data/fleet/). Each KeyMetricDef says how to derive
// one number from a scrape and the one before it, the way PromQL would (gauge value, rate of a
// counter, histogram quantile of bucket rates, age of a Unix-time gauge, ratios). Plain value
// types, no Qt, thread-safe (no shared state). Units: see MetricUnit.

#include "healthdeck/client/parse/exposition_types.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck::client {

/// How a derived number is read. Values are always in base units (seconds, bytes); Ratio is a
/// fraction (0.42 is shown as 42 %).
enum class MetricUnit : std::uint8_t { Count, PerSecond, Seconds, Bytes, BytesPerSecond, Ratio };

enum class KeyMetricKind : std::uint8_t {
  GaugeValue,        ///< sum of the matching series' values
  CounterRate,       ///< sum of the matching series' per-second rates between two scrapes
  HistogramQuantile, ///< histogram_quantile(quantile, sum by (le) of bucket rates)
  TimestampAge,      ///< scrape time minus the oldest non-zero Unix-time value (seconds)
  RateRatio,         ///< sum of matching rates / sum of all rates of the family
  GaugeRatio,        ///< sum(family) / sum(denominator family), both with the matchers
  GaugeDifference,   ///< sum(family) - sum(denominator family), both with the matchers
};

struct LabelMatcher {
  std::string name;
  std::string value;
  bool negate = false; ///< `name!="value"`
};

struct KeyMetricDef {
  std::string id;    ///< stable within a profile ("request_rate"); pins use "pin:<series key>"
  std::string title; ///< what the admin reads ("Requests")
  KeyMetricKind kind = KeyMetricKind::GaugeValue;
  std::string family; ///< the family as named on the page (namespace included)
  std::string
      sampleSuffix; ///< "_bucket", "_count", ... of the samples used; empty: the family's own
  std::string denominator; ///< second family of GaugeRatio/GaugeDifference
  std::vector<LabelMatcher> matchers;
  std::string seriesKey;  ///< pins: only this exact series (a bucket: its whole histogram)
  std::string splitBy;    ///< one value per value of this label (e.g. "protocol"); empty: one
  double quantile = 0.95; ///< HistogramQuantile
  MetricUnit unit = MetricUnit::Count;
};

enum class ProfileKind : std::uint8_t {
  Healthdeck,
  NodeExporter,
  PrometheusServer,
  Etcd,
  RedisExporter,
  PostgresExporter,
  HAProxy,
  Alertmanager,
  BlackboxExporter,
  Caddy,
  Generic,
};

struct MetricProfile {
  ProfileKind kind = ProfileKind::Generic;
  std::string name; ///< "Healthdeck", "node_exporter", "Prometheus server", "etcd", ..., "Generic"
  std::string namespace_; ///< the prefix found before the Healthdeck families ("" or "app_")
  std::vector<KeyMetricDef> metrics;
};

/// The profile for a page exposing exactly `familyNames` (any order, duplicates allowed).
MetricProfile detectProfile(std::span<const std::string_view> familyNames);

/// The key metric a user pin of series `seriesKey` (`name{labels}` as exposed) derives:
/// counters (and histogram/summary _count/_sum) as a rate, a histogram bucket as the p95 of
/// its histogram, anything else as its value. `type` is the declared type of its family.
KeyMetricDef pinDefinition(std::string_view seriesKey, std::string_view familyName,
                           MetricType type);

} // namespace healthdeck::client
