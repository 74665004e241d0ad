#include "healthdeck/client/parse/exposition_types.h"

namespace healthdeck::client {

std::string_view toString(MetricType type) noexcept {
  switch (type) {
  case MetricType::Untyped: return "untyped";
  case MetricType::Counter: return "counter";
  case MetricType::Gauge: return "gauge";
  case MetricType::Histogram: return "histogram";
  case MetricType::Summary: return "summary";
  case MetricType::GaugeHistogram: return "gaugehistogram";
  case MetricType::StateSet: return "stateset";
  case MetricType::Info: return "info";
  }
  return "untyped";
}

std::optional<MetricType> metricTypeFromString(std::string_view name) noexcept {
  if (name == "counter") return MetricType::Counter;
  if (name == "gauge") return MetricType::Gauge;
  if (name == "histogram") return MetricType::Histogram;
  if (name == "summary") return MetricType::Summary;
  if (name == "untyped" || name == "unknown") return MetricType::Untyped;
  if (name == "gaugehistogram") return MetricType::GaugeHistogram;
  if (name == "stateset") return MetricType::StateSet;
  if (name == "info") return MetricType::Info;
  return std::nullopt;
}

std::string ParseIssue::toString() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

void ExpositionPage::clear() noexcept {
  samples.clear();
  families.clear();
  warnings.clear();
  error.reset();
  openMetrics = false;
  bytes = 0;
  lines = 0;
  newSeries = 0;
}

} // namespace healthdeck::client
