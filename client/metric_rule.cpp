#include "healthdeck/client/metric_rule.h"

#include <cmath>

namespace healthdeck {

QString toString(MetricComparison c) {
  switch (c) {
  case MetricComparison::Greater: return QStringLiteral(">");
  case MetricComparison::GreaterOrEqual: return QStringLiteral(">=");
  case MetricComparison::Less: return QStringLiteral("<");
  case MetricComparison::LessOrEqual: return QStringLiteral("<=");
  case MetricComparison::Equal: return QStringLiteral("==");
  case MetricComparison::NotEqual: return QStringLiteral("!=");
  }
  return QStringLiteral(">");
}

std::optional<MetricComparison> metricComparisonFromString(const QString& s) {
  const QString t = s.trimmed();
  for (auto c :
       {MetricComparison::Greater, MetricComparison::GreaterOrEqual, MetricComparison::Less,
        MetricComparison::LessOrEqual, MetricComparison::Equal, MetricComparison::NotEqual})
    if (t == toString(c)) return c;
  return std::nullopt;
}

bool compare(double value, MetricComparison c, double threshold) noexcept {
  if (std::isnan(value) || std::isnan(threshold)) return false;
  switch (c) {
  case MetricComparison::Greater: return value > threshold;
  case MetricComparison::GreaterOrEqual: return value >= threshold;
  case MetricComparison::Less: return value < threshold;
  case MetricComparison::LessOrEqual: return value <= threshold;
  case MetricComparison::Equal: return value == threshold;
  case MetricComparison::NotEqual: return value != threshold;
  }
  return false;
}

} // namespace healthdeck
