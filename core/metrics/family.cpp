#include "healthdeck/metrics/family.h"
#include "healthdeck/util/utf8.h"

#include "healthdeck/metrics/text_format.h"

#include <chrono>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace healthdeck::metrics {

namespace detail {

namespace {
const char* kindName(MetricKind kind) {
  switch (kind) {
  case MetricKind::Counter: return "counter";
  case MetricKind::Gauge: return "gauge";
  case MetricKind::Histogram: return "histogram";
  }
  return "untyped";
}
} // namespace

FamilyBase::FamilyBase(std::string name, std::string help, std::vector<std::string> labelNames,
                       MetricKind kind)
    : m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames)),
      m_kind(kind) {
  m_header = "# HELP " + m_name + ' ';
  text::appendEscapedHelp(m_header, m_help);
  m_header += "\n# TYPE " + m_name + ' ' + kindName(m_kind) + '\n';

  m_omName =
      m_kind == MetricKind::Counter ? std::string(text::openMetricsCounterName(m_name)) : m_name;
  if (!m_help.empty()) {
    m_omHeader = "# HELP " + m_omName + ' ';
    text::appendEscapedLabelValue(m_omHeader, m_help); // OpenMetrics escapes `"` in HELP too
    m_omHeader += '\n';
  }
  m_omHeader += "# TYPE " + m_omName + ' ' + kindName(m_kind) + '\n';
  if (const std::string_view unit = text::unitOf(m_omName); !unit.empty()) {
    m_omHeader += "# UNIT " + m_omName + ' ';
    m_omHeader += unit;
    m_omHeader += '\n';
  }
}

void FamilyBase::appendHeader(std::string& out) const {
  out += m_header;
}

std::string FamilyBase::renderLabels(std::span<const std::string_view> values) const {
  if (values.size() != m_labelNames.size())
    throw std::invalid_argument("metric '" + m_name + "' has " +
                                std::to_string(m_labelNames.size()) + " labels, got " +
                                std::to_string(values.size()) + " values");
  std::string inner;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!isValidUtf8(values[i]))
      throw std::invalid_argument("label '" + m_labelNames[i] + "' of metric '" + m_name +
                                  "' has a value that is not valid UTF-8");
    if (i > 0) inner += ',';
    inner += m_labelNames[i];
    inner += "=\"";
    text::appendEscapedLabelValue(inner, values[i]);
    inner += '"';
  }
  return inner;
}

std::string FamilyBase::seriesKey(std::span<const std::string_view> values) const {
  std::string key;
  for (const auto value : values) {
    key += std::to_string(value.size());
    key += ':';
    key += value;
  }
  return key;
}

} // namespace detail

namespace {

// A counter's value: exact digits while it has only counted whole numbers.
void appendCounterValue(std::string& out, const Counter& counter) {
  if (counter.isInteger())
    text::appendUnsigned(out, counter.integerValue());
  else
    text::appendDouble(out, counter.value());
}

// A histogram series' lines, the same in both formats: one per bucket (`ends` are the end
// offsets of each pre-rendered `name_bucket{...} ` prefix in `text`), then `_sum` and `_count`.
// Returns where the `_count` prefix starts in `text`.
std::uint32_t appendHistogramLines(std::string& out, const char* text,
                                   const std::vector<std::uint32_t>& ends,
                                   const std::vector<std::uint64_t>& cumulative, double sum) {
  std::uint32_t begin = 0;
  std::size_t i = 0;
  for (; i < cumulative.size(); ++i) {
    out.append(text + begin, ends[i] - begin);
    text::appendUnsigned(out, cumulative[i]);
    out += '\n';
    begin = ends[i];
  }
  out.append(text + begin, ends[i] - begin);
  text::appendDouble(out, sum);
  out += '\n';
  begin = ends[i];
  ++i;
  out.append(text + begin, ends[i] - begin);
  text::appendUnsigned(out, cumulative.back());
  out += '\n';
  return begin;
}

} // namespace

template <class Metric>
Family<Metric>::Family(std::string name, std::string help, std::vector<std::string> labelNames,
                       std::vector<double> bounds)
    : FamilyBase(std::move(name), std::move(help), std::move(labelNames),
                 std::is_same_v<Metric, Counter> ? MetricKind::Counter
                 : std::is_same_v<Metric, Gauge> ? MetricKind::Gauge
                                                 : MetricKind::Histogram) {
  if constexpr (std::is_same_v<Metric, Histogram>)
    m_bounds = std::make_shared<const std::vector<double>>(std::move(bounds));
}

template <class Metric>
Metric& Family<Metric>::withValues(std::span<const std::string_view> labelValues) {
  return create(labelValues).metric;
}

template <class Metric>
Metric& Family<Metric>::withValues(const std::vector<std::string>& labelValues) {
  std::vector<std::string_view> views(labelValues.begin(), labelValues.end());
  return create(views).metric;
}

template <class Metric> std::size_t Family<Metric>::size() const {
  const std::lock_guard lock(m_mutex);
  return m_series.size();
}

template <class Metric>
typename Family<Metric>::Series&
Family<Metric>::create(std::span<const std::string_view> labelValues) {
  std::string key = seriesKey(labelValues);
  const std::lock_guard lock(m_mutex);
  if (const auto it = m_index.find(key); it != m_index.end()) return *it->second;
  const std::string inner = renderLabels(labelValues); // validates before anything is added

  Series* series = nullptr;
  if constexpr (std::is_same_v<Metric, Histogram>)
    series = &m_series.emplace_back(m_bounds);
  else
    series = &m_series.emplace_back();
  series->labelValues.assign(labelValues.begin(), labelValues.end());
  series->createdMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();

  auto part = [&](std::string_view suffix, std::string_view le) {
    std::string& t = series->text;
    t += m_name;
    t += suffix;
    if (!inner.empty() || !le.empty()) {
      t += '{';
      t += inner;
      if (!le.empty()) {
        if (!inner.empty()) t += ',';
        t += "le=\"";
        t += le;
        t += '"';
      }
      t += '}';
    }
    t += ' ';
    series->ends.push_back(static_cast<std::uint32_t>(t.size()));
  };
  if constexpr (std::is_same_v<Metric, Histogram>) {
    for (const double bound : *m_bounds) {
      std::string le;
      text::appendDouble(le, bound);
      part("_bucket", le);
    }
    part("_bucket", "+Inf");
    part("_sum", {});
    part("_count", {});
  } else {
    part({}, {});
  }
  m_index.emplace(std::move(key), series);
  return *series;
}

template <class Metric> void Family<Metric>::appendText(std::string& out) const {
  const std::lock_guard lock(m_mutex);
  if (m_series.empty()) return;
  appendHeader(out);
  [[maybe_unused]] std::vector<std::uint64_t> cumulative;
  for (const Series& series : m_series) {
    const char* text = series.text.data();
    if constexpr (std::is_same_v<Metric, Counter>) {
      out.append(text, series.ends[0]);
      appendCounterValue(out, series.metric);
      out += '\n';
    } else if constexpr (std::is_same_v<Metric, Gauge>) {
      out.append(text, series.ends[0]);
      text::appendDouble(out, series.metric.value());
      out += '\n';
    } else {
      double sum = 0.0;
      series.metric.snapshotInto(cumulative, sum);
      appendHistogramLines(out, text, series.ends, cumulative, sum);
    }
  }
}

template <class Metric> void Family<Metric>::appendOpenMetrics(std::string& out) const {
  const std::lock_guard lock(m_mutex);
  if (m_series.empty()) return;
  out += m_omHeader;
  [[maybe_unused]] std::vector<std::uint64_t> cumulative;
  for (const Series& series : m_series) {
    const char* text = series.text.data();
    if constexpr (std::is_same_v<Metric, Gauge>) {
      out.append(text, series.ends[0]);
      text::appendDouble(out, series.metric.value());
      out += '\n';
    } else if constexpr (std::is_same_v<Metric, Counter>) {
      // The 0.0.4 prefix is `name{labels} `; its `{labels} ` part serves both lines.
      const std::string_view labels(text + m_name.size(), series.ends[0] - m_name.size());
      out += m_omName;
      out += "_total";
      out += labels;
      appendCounterValue(out, series.metric);
      out += "\n";
      out += m_omName;
      out += "_created";
      out += labels;
      text::appendUnixSeconds(out, series.createdMs);
      out += '\n';
    } else {
      double sum = 0.0;
      series.metric.snapshotInto(cumulative, sum);
      const std::uint32_t begin = appendHistogramLines(out, text, series.ends, cumulative, sum);
      const std::size_t i = cumulative.size() + 1; // the `_count` part
      // The last part is `name_count{labels} `.
      const std::size_t countPrefix = m_name.size() + std::string_view("_count").size();
      const std::string_view labels(text + begin + countPrefix,
                                    series.ends[i] - begin - countPrefix);
      out += m_omName;
      out += "_created";
      out += labels;
      text::appendUnixSeconds(out, series.createdMs);
      out += '\n';
    }
  }
}

template <class Metric> prometheus::MetricFamily Family<Metric>::collect() const {
  prometheus::MetricFamily family;
  family.name = m_name;
  family.help = m_help;
  family.type = std::is_same_v<Metric, Counter> ? prometheus::MetricType::Counter
                : std::is_same_v<Metric, Gauge> ? prometheus::MetricType::Gauge
                                                : prometheus::MetricType::Histogram;
  const std::lock_guard lock(m_mutex);
  family.metric.reserve(m_series.size());
  for (const Series& series : m_series) {
    prometheus::ClientMetric& metric = family.metric.emplace_back();
    metric.label.reserve(m_labelNames.size());
    for (std::size_t i = 0; i < m_labelNames.size(); ++i)
      metric.label.push_back({m_labelNames[i], series.labelValues[i]});
    if constexpr (std::is_same_v<Metric, Counter>) {
      metric.counter.value = series.metric.value();
    } else if constexpr (std::is_same_v<Metric, Gauge>) {
      metric.gauge.value = series.metric.value();
    } else {
      const Histogram::Snapshot snap = series.metric.snapshot();
      metric.histogram.sample_count = snap.count;
      metric.histogram.sample_sum = snap.sum;
      metric.histogram.bucket.reserve(snap.cumulative.size());
      for (std::size_t i = 0; i < snap.cumulative.size(); ++i)
        metric.histogram.bucket.push_back(
            {snap.cumulative[i],
             i < m_bounds->size() ? (*m_bounds)[i] : std::numeric_limits<double>::infinity()});
    }
  }
  return family;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

} // namespace healthdeck::metrics
