#include "healthdeck/metrics/registry.h"

#include "healthdeck/metrics/text_format.h"

#include <cmath>
#include <mutex>
#include <stdexcept>

namespace healthdeck::metrics {

Registry::Registry(std::string ns) : m_ns(std::move(ns)) {
  if (!m_ns.empty() && !text::isValidMetricName(m_ns))
    throw std::invalid_argument("invalid metrics namespace '" + m_ns +
                                "': must match [a-zA-Z_:][a-zA-Z0-9_:]*");
}

Registry::~Registry() = default;

std::string Registry::qualifiedName(std::string_view name) const {
  if (m_ns.empty()) return std::string(name);
  std::string full = m_ns;
  full += '_';
  full += name;
  return full;
}

std::string Registry::checkedName(std::string_view name, Prefix prefix) const {
  std::string full = prefix == Prefix::Namespace ? qualifiedName(name) : std::string(name);
  if (!text::isValidMetricName(full))
    throw std::invalid_argument("invalid metric name '" + full +
                                "': must match [a-zA-Z_:][a-zA-Z0-9_:]*");
  return full;
}

namespace {

void checkLabelNames(const std::string& metric, const std::vector<std::string>& labels,
                     bool histogram) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    if (!text::isValidLabelName(label))
      throw std::invalid_argument("invalid label name '" + label + "' on metric '" + metric +
                                  "': must match [a-zA-Z_][a-zA-Z0-9_]*");
    if (label.starts_with("__"))
      throw std::invalid_argument("label name '" + label + "' on metric '" + metric +
                                  "' is reserved (names starting with __ are internal)");
    if (histogram && label == "le")
      throw std::invalid_argument("label name 'le' on histogram '" + metric +
                                  "' is reserved for bucket bounds");
    for (std::size_t j = 0; j < i; ++j)
      if (labels[j] == label)
        throw std::invalid_argument("label name '" + label + "' appears twice on metric '" +
                                    metric + "'");
  }
}

std::vector<double> checkedBuckets(const std::string& metric, std::vector<double> buckets) {
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]))
      throw std::invalid_argument("histogram '" + metric +
                                  "': bucket bounds must be finite (+Inf is implicit)");
    if (i > 0 && !(buckets[i - 1] < buckets[i]))
      throw std::invalid_argument("histogram '" + metric +
                                  "': bucket bounds must be strictly increasing");
  }
  return buckets;
}

} // namespace

template <class F> F& Registry::addFamily(std::unique_ptr<F> family) {
  std::vector<std::string> names{family->name()};
  if (family->kind() == MetricKind::Histogram) {
    names.push_back(family->name() + "_bucket");
    names.push_back(family->name() + "_sum");
    names.push_back(family->name() + "_count");
  }
  const std::unique_lock lock(m_mutex);
  for (const auto& name : names)
    if (m_takenNames.contains(name))
      throw std::invalid_argument(name == family->name()
                                      ? "metric '" + name + "' is already registered"
                                      : "metric '" + family->name() + "' would write '" + name +
                                            "', which is already registered");
  m_takenNames.insert(names.begin(), names.end());
  F& ref = *family;
  m_families.push_back(std::move(family));
  return ref;
}

CounterFamily& Registry::counterFamily(std::string_view name, std::string_view help,
                                       std::vector<std::string> labelNames, Prefix prefix) {
  std::string full = checkedName(name, prefix);
  checkLabelNames(full, labelNames, false);
  return addFamily(std::unique_ptr<CounterFamily>(
      new CounterFamily(std::move(full), std::string(help), std::move(labelNames), {})));
}

GaugeFamily& Registry::gaugeFamily(std::string_view name, std::string_view help,
                                   std::vector<std::string> labelNames, Prefix prefix) {
  std::string full = checkedName(name, prefix);
  checkLabelNames(full, labelNames, false);
  return addFamily(std::unique_ptr<GaugeFamily>(
      new GaugeFamily(std::move(full), std::string(help), std::move(labelNames), {})));
}

HistogramFamily& Registry::histogramFamily(std::string_view name, std::string_view help,
                                           std::vector<std::string> labelNames,
                                           std::vector<double> buckets, Prefix prefix) {
  std::string full = checkedName(name, prefix);
  checkLabelNames(full, labelNames, true);
  buckets = checkedBuckets(full, std::move(buckets));
  return addFamily(std::unique_ptr<HistogramFamily>(new HistogramFamily(
      std::move(full), std::string(help), std::move(labelNames), std::move(buckets))));
}

Counter& Registry::counter(std::string_view name, std::string_view help, Prefix prefix) {
  return counterFamily(name, help, {}, prefix).with({});
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, Prefix prefix) {
  return gaugeFamily(name, help, {}, prefix).with({});
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::vector<double> buckets, Prefix prefix) {
  return histogramFamily(name, help, {}, std::move(buckets), prefix).with({});
}

void Registry::addCollectable(std::shared_ptr<prometheus::Collectable> collectable) {
  if (!collectable) throw std::invalid_argument("Registry::addCollectable: null collectable");
  if (collectable.get() == this)
    throw std::invalid_argument("Registry::addCollectable: a Registry cannot collect itself");
  const std::unique_lock lock(m_mutex);
  m_collectables.push_back(std::move(collectable));
}

void Registry::appendText(std::string& out, ExpositionFormat format) const {
  const bool om = format == ExpositionFormat::OpenMetrics;
  const std::size_t start = out.size();
  const std::size_t hint = m_lastSize.load(std::memory_order_relaxed);
  out.reserve(start + hint + hint / 8);
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
  {
    const std::shared_lock lock(m_mutex);
    for (const auto& family : m_families)
      om ? family->appendOpenMetrics(out) : family->appendText(out);
    collectables = m_collectables;
  }
  // Foreign collectables run outside our lock: they may be slow or take their own locks.
  for (const auto& collectable : collectables)
    text::appendFamilies(out, collectable->Collect(), format);
  if (om) out += "# EOF\n";
  m_lastSize.store(out.size() - start, std::memory_order_relaxed);
}

std::string Registry::text(ExpositionFormat format) const {
  std::string out;
  appendText(out, format);
  return out;
}

std::vector<prometheus::MetricFamily> Registry::Collect() const {
  std::vector<prometheus::MetricFamily> result;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables;
  {
    const std::shared_lock lock(m_mutex);
    result.reserve(m_families.size());
    for (const auto& family : m_families) {
      prometheus::MetricFamily collected = family->collect();
      if (!collected.metric.empty()) result.push_back(std::move(collected));
    }
    collectables = m_collectables;
  }
  for (const auto& collectable : collectables) {
    auto more = collectable->Collect();
    result.insert(result.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  }
  return result;
}

} // namespace healthdeck::metrics
