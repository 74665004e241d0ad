#include "healthdeck/metrics/text_format.h"

#include <charconv>
#include <cmath>

namespace healthdeck::metrics::text {

void appendUnsigned(std::string& out, std::uint64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void appendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  // Integral values below 2^63 are written as integers: exact, and what people expect to
  // read for counts (`1000000`, not `1e+06`).
  if (value == std::trunc(value) && std::fabs(value) < 9.2e18) {
    const auto result = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(value));
    out.append(buf, result.ptr);
    return;
  }
  const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general);
  out.append(buf, result.ptr);
}

void appendEscapedHelp(std::string& out, std::string_view help) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < help.size(); ++i) {
    const char c = help[i];
    if (c != '\\' && c != '\n') continue;
    out.append(help.substr(start, i - start));
    out += c == '\\' ? "\\\\" : "\\n";
    start = i + 1;
  }
  out.append(help.substr(start));
}

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '\\' && c != '\n' && c != '"') continue;
    out.append(value.substr(start, i - start));
    out += c == '\\' ? "\\\\" : c == '"' ? "\\\"" : "\\n";
    start = i + 1;
  }
  out.append(value.substr(start));
}

namespace {
bool isAlpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}
} // namespace

bool isValidMetricName(std::string_view name) noexcept {
  if (name.empty() || isDigit(name.front())) return false;
  for (const char c : name)
    if (!isAlpha(c) && !isDigit(c) && c != '_' && c != ':') return false;
  return true;
}

bool isValidLabelName(std::string_view name) noexcept {
  if (name.empty() || isDigit(name.front())) return false;
  for (const char c : name)
    if (!isAlpha(c) && !isDigit(c) && c != '_') return false;
  return true;
}


namespace {

const char* typeName(prometheus::MetricType type) {
  switch (type) {
  case prometheus::MetricType::Counter: return "counter";
  case prometheus::MetricType::Gauge: return "gauge";
  case prometheus::MetricType::Summary: return "summary";
  case prometheus::MetricType::Histogram: return "histogram";
  case prometheus::MetricType::Untyped: break;
  }
  return "untyped";
}

// Writes `name{a="x",extraName="extraValue"} value[ timestamp]\n`.
void appendSample(std::string& out, const std::string& name, std::string_view suffix,
                  const prometheus::ClientMetric& metric, double value,
                  std::string_view extraName = {}, double extraValue = 0.0) {
  out += name;
  out += suffix;
  if (!metric.label.empty() || !extraName.empty()) {
    out += '{';
    bool first = true;
    for (const auto& label : metric.label) {
      if (!first) out += ',';
      first = false;
      out += label.name;
      out += "=\"";
      appendEscapedLabelValue(out, label.value);
      out += '"';
    }
    if (!extraName.empty()) {
      if (!first) out += ',';
      out += extraName;
      out += "=\"";
      appendDouble(out, extraValue);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  appendDouble(out, value);
  if (metric.timestamp_ms != 0) {
    out += ' ';
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, metric.timestamp_ms);
    out.append(buf, result.ptr);
  }
  out += '\n';
}

} // namespace

void appendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families) {
  for (const auto& family : families) {
    if (family.metric.empty()) continue;
    if (!family.help.empty()) {
      out += "# HELP ";
      out += family.name;
      out += ' ';
      appendEscapedHelp(out, family.help);
      out += '\n';
    }
    out += "# TYPE ";
    out += family.name;
    out += ' ';
    out += typeName(family.type);
    out += '\n';
    for (const auto& metric : family.metric) {
      switch (family.type) {
      case prometheus::MetricType::Counter:
        appendSample(out, family.name, {}, metric, metric.counter.value);
        break;
      case prometheus::MetricType::Gauge:
        appendSample(out, family.name, {}, metric, metric.gauge.value);
        break;
      case prometheus::MetricType::Untyped:
        appendSample(out, family.name, {}, metric, metric.untyped.value);
        break;
      case prometheus::MetricType::Summary:
        for (const auto& q : metric.summary.quantile)
          appendSample(out, family.name, {}, metric, q.value, "quantile", q.quantile);
        appendSample(out, family.name, "_sum", metric, metric.summary.sample_sum);
        appendSample(out, family.name, "_count", metric,
                     static_cast<double>(metric.summary.sample_count));
        break;
      case prometheus::MetricType::Histogram: {
        bool sawInf = false;
        for (const auto& b : metric.histogram.bucket) {
          sawInf = sawInf || std::isinf(b.upper_bound);
          appendSample(out, family.name, "_bucket", metric, static_cast<double>(b.cumulative_count),
                       "le", b.upper_bound);
        }
        if (!sawInf)
          appendSample(out, family.name, "_bucket", metric,
                       static_cast<double>(metric.histogram.sample_count), "le",
                       std::numeric_limits<double>::infinity());
        appendSample(out, family.name, "_sum", metric, metric.histogram.sample_sum);
        appendSample(out, family.name, "_count", metric,
                     static_cast<double>(metric.histogram.sample_count));
        break;
      }
      }
    }
  }
}

} // namespace healthdeck::metrics::text
