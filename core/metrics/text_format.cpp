#include "healthdeck/metrics/text_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace healthdeck::metrics::text {

std::string_view contentType(ExpositionFormat format) noexcept {
  return format == ExpositionFormat::OpenMetrics ? kOpenMetricsContentType : kText004ContentType;
}

namespace {

std::string_view trimmed(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

// Splits `s` at `sep` outside double quotes; calls f(piece) for each piece.
template <class F> void splitOutsideQuotes(std::string_view s, char sep, F&& f) {
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == sep && !quoted) {
      f(s.substr(start, i - start));
      start = i + 1;
    }
  }
  f(s.substr(start));
}

// RFC 9110 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]; anything else is invalid (-1).
double parseQValue(std::string_view v) noexcept {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return -1;
  if (v.size() > 1 && v[1] != '.') return -1;
  double q = v[0] - '0';
  double scale = 0.1;
  for (std::size_t i = 2; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return -1;
    q += (v[i] - '0') * scale;
    scale /= 10;
  }
  return q > 1.0 ? -1 : q;
}

} // namespace

ExpositionFormat negotiateFormat(std::string_view accept) noexcept {
  double openMetricsQ = 0.0;
  double textQ = 0.0;
  splitOutsideQuotes(accept, ',', [&](std::string_view element) {
    std::string_view range;
    double q = 1.0;
    std::string_view version;
    bool first = true;
    splitOutsideQuotes(element, ';', [&](std::string_view part) {
      part = trimmed(part);
      if (first) {
        range = part;
        first = false;
        return;
      }
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos) return;
      const std::string_view name = trimmed(part.substr(0, eq));
      std::string_view value = trimmed(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      if (equalsIgnoreCase(name, "q"))
        q = parseQValue(value);
      else if (equalsIgnoreCase(name, "version"))
        version = value;
    });
    if (q <= 0.0) return; // refused, or an invalid weight
    if (equalsIgnoreCase(range, "application/openmetrics-text")) {
      if (version.empty() || version == "1.0.0" || version == "0.0.1")
        openMetricsQ = std::max(openMetricsQ, q);
    } else if (equalsIgnoreCase(range, "text/plain") || equalsIgnoreCase(range, "text/*") ||
               equalsIgnoreCase(range, "*/*")) {
      textQ = std::max(textQ, q);
    }
  });
  return openMetricsQ > 0.0 && openMetricsQ >= textQ ? ExpositionFormat::OpenMetrics
                                                     : ExpositionFormat::Text004;
}

std::string_view unitOf(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 9> kUnits{
      "seconds", "bytes", "ratio", "volts", "amperes", "joules", "grams", "meters", "celsius"};
  const std::size_t us = name.rfind('_');
  if (us == std::string_view::npos || us == 0) return {};
  const std::string_view word = name.substr(us + 1);
  for (const std::string_view unit : kUnits)
    if (word == unit) return unit;
  return {};
}

std::string_view openMetricsCounterName(std::string_view name) noexcept {
  constexpr std::string_view kTotal = "_total";
  if (name.size() > kTotal.size() && name.ends_with(kTotal)) name.remove_suffix(kTotal.size());
  return name;
}

void appendUnsigned(std::string& out, std::uint64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void appendUnixSeconds(std::string& out, std::int64_t milliseconds) {
  if (milliseconds < 0) {
    out += '-';
    // -(x + 1) + 1 avoids negating INT64_MIN.
    const auto magnitude = static_cast<std::uint64_t>(-(milliseconds + 1)) + 1;
    appendUnsigned(out, magnitude / 1000);
    milliseconds = static_cast<std::int64_t>(magnitude % 1000);
  } else {
    appendUnsigned(out, static_cast<std::uint64_t>(milliseconds) / 1000);
    milliseconds %= 1000;
  }
  const char fraction[5] = {'.', static_cast<char>('0' + milliseconds / 100),
                            static_cast<char>('0' + milliseconds / 10 % 10),
                            static_cast<char>('0' + milliseconds % 10), '\0'};
  out += fraction;
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

const char* typeName(prometheus::MetricType type, ExpositionFormat format) {
  switch (type) {
  case prometheus::MetricType::Counter: return "counter";
  case prometheus::MetricType::Gauge: return "gauge";
  case prometheus::MetricType::Summary: return "summary";
  case prometheus::MetricType::Histogram: return "histogram";
  case prometheus::MetricType::Untyped: break;
  }
  return format == ExpositionFormat::OpenMetrics ? "unknown" : "untyped";
}

// Writes `name{a="x",extraName="extraValue"} value[ timestamp]\n` (timestamp in ms for
// text 0.0.4, in seconds for OpenMetrics).
void appendSample(std::string& out, ExpositionFormat format, std::string_view name,
                  std::string_view suffix, const prometheus::ClientMetric& metric, double value,
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
  if (metric.timestamp_ms != 0 && format == ExpositionFormat::OpenMetrics) {
    out += ' ';
    appendUnixSeconds(out, metric.timestamp_ms);
  } else if (metric.timestamp_ms != 0) {
    out += ' ';
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, metric.timestamp_ms);
    out.append(buf, result.ptr);
  }
  out += '\n';
}

} // namespace

void appendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families,
                    ExpositionFormat format) {
  const bool om = format == ExpositionFormat::OpenMetrics;
  for (const auto& family : families) {
    if (family.metric.empty()) continue;
    const bool counter = family.type == prometheus::MetricType::Counter;
    // OpenMetrics names a counter family without `_total` and every sample with it.
    const std::string_view name =
        om && counter ? openMetricsCounterName(family.name) : std::string_view(family.name);
    if (!family.help.empty()) {
      out += "# HELP ";
      out += name;
      out += ' ';
      if (om)
        appendEscapedLabelValue(out, family.help);
      else
        appendEscapedHelp(out, family.help);
      out += '\n';
    }
    out += "# TYPE ";
    out += name;
    out += ' ';
    out += typeName(family.type, format);
    out += '\n';
    if (om) {
      if (const std::string_view unit = unitOf(name); !unit.empty()) {
        out += "# UNIT ";
        out += name;
        out += ' ';
        out += unit;
        out += '\n';
      }
    }
    for (const auto& metric : family.metric) {
      switch (family.type) {
      case prometheus::MetricType::Counter:
        appendSample(out, format, name, om ? "_total" : "", metric, metric.counter.value);
        break;
      case prometheus::MetricType::Gauge:
        appendSample(out, format, name, {}, metric, metric.gauge.value);
        break;
      case prometheus::MetricType::Untyped:
        appendSample(out, format, name, {}, metric, metric.untyped.value);
        break;
      case prometheus::MetricType::Summary:
        for (const auto& q : metric.summary.quantile)
          appendSample(out, format, name, {}, metric, q.value, "quantile", q.quantile);
        appendSample(out, format, name, "_sum", metric, metric.summary.sample_sum);
        appendSample(out, format, name, "_count", metric,
                     static_cast<double>(metric.summary.sample_count));
        break;
      case prometheus::MetricType::Histogram: {
        bool sawInf = false;
        for (const auto& b : metric.histogram.bucket) {
          sawInf = sawInf || std::isinf(b.upper_bound);
          appendSample(out, format, name, "_bucket", metric,
                       static_cast<double>(b.cumulative_count), "le", b.upper_bound);
        }
        if (!sawInf)
          appendSample(out, format, name, "_bucket", metric,
                       static_cast<double>(metric.histogram.sample_count), "le",
                       std::numeric_limits<double>::infinity());
        appendSample(out, format, name, "_sum", metric, metric.histogram.sample_sum);
        appendSample(out, format, name, "_count", metric,
                     static_cast<double>(metric.histogram.sample_count));
        break;
      }
      }
    }
  }
}

} // namespace healthdeck::metrics::text
