#pragma once
// MetricRule: one admin-written health rule over a server's /metrics page, e.g.
// "connections" = `pg_stat_activity_count{state="active"}` > 90 → degraded. The comparison
// describes trouble: when any series the selector matches compares true against the
// threshold, the rule's component takes the rule's severity. Plain value type, copyable, no
// locking; part of TargetConfig, persisted by ServerListFile, evaluated by MetricHealth.

#include "healthdeck/health/status.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace healthdeck {

enum class MetricComparison : std::uint8_t {
  Greater,        ///< `>`
  GreaterOrEqual, ///< `>=`
  Less,           ///< `<`
  LessOrEqual,    ///< `<=`
  Equal,          ///< `==`
  NotEqual,       ///< `!=`
};

struct MetricRule {
  QString name;     ///< the component name shown ("connections")
  QString selector; ///< PromQL instant selector: `name{label="v", l2!="v", l3=~"re", l4!~"re"}`
  MetricComparison comparison = MetricComparison::Greater;
  double threshold = 0.0;
  Status severity = Status::Degraded; ///< Degraded or Down (Up is read as Degraded)

  friend bool operator==(const MetricRule&, const MetricRule&) = default;
};

/// ">", ">=", "<", "<=", "==", "!=".
QString toString(MetricComparison c);
std::optional<MetricComparison> metricComparisonFromString(const QString& s);
/// Whether `value <op> threshold` holds (NaN never compares true, as in PromQL).
bool compare(double value, MetricComparison c, double threshold) noexcept;

} // namespace healthdeck
