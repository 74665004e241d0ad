#pragma once
// Family<Metric>: one metric family (name, help, type, label names) and its series, one per
// distinct tuple of label values. CounterFamily, GaugeFamily and HistogramFamily are the
// three instantiations; the Registry creates and owns them.
//
// Contract: with()/withValues() are thread-safe; they take the family's mutex and create the
// series on first use, so call them once and keep the returned reference (a "handle") for the
// hot path, which then never locks or looks anything up. The reference stays valid for the
// Registry's lifetime. Label values may be any UTF-8 text (invalid UTF-8 or a wrong number of
// values throws std::invalid_argument). Each series renders its `name{labels} ` prefixes once
// at creation, so a scrape only formats numbers. Counter and histogram series remember their
// creation time (Unix seconds), written as `_created` in OpenMetrics.

#include "healthdeck/metrics/counter.h"
#include "healthdeck/metrics/gauge.h"
#include "healthdeck/metrics/histogram.h"

#include <prometheus/metric_family.h>

#include <deque>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace healthdeck::metrics {

class Registry;

enum class MetricKind { Counter, Gauge, Histogram };

namespace detail {

class FamilyBase {
public:
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const noexcept { return m_name; }
  const std::string& help() const noexcept { return m_help; }
  const std::vector<std::string>& labelNames() const noexcept { return m_labelNames; }
  MetricKind kind() const noexcept { return m_kind; }

  /// Appends `# HELP`, `# TYPE` and every series in text format 0.0.4. Thread-safe.
  virtual void appendText(std::string& out) const = 0;
  /// The same in OpenMetrics 1.0: `# HELP`, `# TYPE`, `# UNIT` (when the name ends in a base
  /// unit) under the OpenMetrics family name (a counter's without `_total`), samples with
  /// `_total` on counters, and `_created` for counters and histograms. Thread-safe.
  virtual void appendOpenMetrics(std::string& out) const = 0;
  /// The same data as a prometheus-cpp MetricFamily (for Collectable interop). Thread-safe.
  virtual prometheus::MetricFamily collect() const = 0;

protected:
  FamilyBase(std::string name, std::string help, std::vector<std::string> labelNames,
             MetricKind kind);
  /// Validates label values and renders `{a="x",b="y"}` (empty string for no labels).
  std::string renderLabels(std::span<const std::string_view> values) const;
  std::string seriesKey(std::span<const std::string_view> values) const;
  void appendHeader(std::string& out) const;

  std::string m_name;
  std::string m_help;
  std::vector<std::string> m_labelNames;
  MetricKind m_kind;
  std::string m_header;   // rendered # HELP / # TYPE lines
  std::string m_omName;   // OpenMetrics family name (counters: without `_total`)
  std::string m_omHeader; // rendered OpenMetrics # HELP / # TYPE / # UNIT lines
};

} // namespace detail

template <class Metric> class Family final : public detail::FamilyBase {
public:
  /// The series for these label values (in label-name order), created on first use.
  Metric& with(std::initializer_list<std::string_view> labelValues) {
    return withValues(std::span<const std::string_view>(labelValues.begin(), labelValues.size()));
  }
  Metric& withValues(std::span<const std::string_view> labelValues);
  Metric& withValues(const std::vector<std::string>& labelValues);

  /// Number of series created so far.
  std::size_t size() const;

  void appendText(std::string& out) const override;
  void appendOpenMetrics(std::string& out) const override;
  prometheus::MetricFamily collect() const override;

private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> labelNames,
         std::vector<double> bounds);

  struct Series {
    template <class... Args>
    explicit Series(Args&&... args) : metric(std::forward<Args>(args)...) {}
    std::vector<std::string> labelValues;
    std::string text;                // the fixed parts of every line of this series
    std::vector<std::uint32_t> ends; // end offset of each part in `text`
    std::int64_t createdMs = 0;      // Unix ms at creation (OpenMetrics `_created`)
    Metric metric;
  };
  Series& create(std::span<const std::string_view> labelValues);

  std::shared_ptr<const std::vector<double>> m_bounds; // histograms only
  mutable std::mutex m_mutex;
  std::deque<Series> m_series; // deque: stable addresses on growth
  std::unordered_map<std::string, Series*> m_index;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

} // namespace healthdeck::metrics
