#pragma once
// Registry: owns the metric families of one process (or one embedded module) and renders them
// in the Prometheus text exposition format 0.0.4 or in OpenMetrics 1.0 (text_format.h says
// how the two differ and negotiateFormat() picks one from an HTTP Accept header).
//
// Contract:
// - Family creation (counterFamily(), gaugeFamily(), histogramFamily() and the label-less
//   shortcuts) is thread-safe and takes a lock; it validates names (Prometheus rules) and
//   throws std::invalid_argument with the offending name on a bad name, a reserved label
//   (`le` on histograms, anything starting with `__`), bad buckets, or a name already taken
//   (including the `_bucket`/`_sum`/`_count` lines a histogram writes).
// - Updates through the returned handles (Counter&, Gauge&, Histogram&) are lock-free.
// - appendText(), text() and Collect() are thread-safe against concurrent updates, concurrent
//   scrapes and concurrent family creation.
// - Namespace rule: `ns` (may be empty) prefixes every family created here as `ns_name`
//   unless Prefix::None is passed: the standard instrument families, health_* and exporter_*
//   all carry it. Collectables added with addCollectable() (the process collector, a
//   service's own prometheus::Registry) are written as they name themselves, so process_*
//   never carries it.
// - Families and series are never removed; references stay valid until the Registry dies.
// - Output order: our families in creation order, then each collectable's in addition order.

#include "healthdeck/metrics/family.h"
#include "healthdeck/metrics/text_format.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace healthdeck::metrics {

/// Whether a family name gets the registry's namespace prefix.
enum class Prefix { Namespace, None };

class Registry final : public prometheus::Collectable {
public:
  /// HTTP Content-Type of appendText()'s output in text format 0.0.4.
  static constexpr std::string_view kContentType = text::kText004ContentType;
  /// HTTP Content-Type of a page in `format`.
  static std::string_view contentType(ExpositionFormat format) noexcept {
    return text::contentType(format);
  }

  /// Throws std::invalid_argument if `ns` is not empty and not a valid metric name.
  explicit Registry(std::string ns = {});
  ~Registry() override;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  const std::string& ns() const noexcept { return m_ns; }
  /// `ns_name`, or `name` when the namespace is empty.
  std::string qualifiedName(std::string_view name) const;

  CounterFamily& counterFamily(std::string_view name, std::string_view help,
                               std::vector<std::string> labelNames = {},
                               Prefix prefix = Prefix::Namespace);
  GaugeFamily& gaugeFamily(std::string_view name, std::string_view help,
                           std::vector<std::string> labelNames = {},
                           Prefix prefix = Prefix::Namespace);
  /// `buckets`: finite, strictly increasing upper bounds; +Inf is implicit (a trailing +Inf
  /// is accepted and dropped).
  HistogramFamily& histogramFamily(std::string_view name, std::string_view help,
                                   std::vector<std::string> labelNames, std::vector<double> buckets,
                                   Prefix prefix = Prefix::Namespace);

  /// Label-less shortcuts: create the family and return its only series.
  Counter& counter(std::string_view name, std::string_view help, Prefix prefix = Prefix::Namespace);
  Gauge& gauge(std::string_view name, std::string_view help, Prefix prefix = Prefix::Namespace);
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> buckets,
                       Prefix prefix = Prefix::Namespace);

  /// Foreign collectables, serialized after our own families on every scrape (slow path:
  /// they build prometheus::MetricFamily values each time). Null is rejected.
  void addCollectable(std::shared_ptr<prometheus::Collectable> collectable);

  /// Appends the whole exposition to `out`: text format 0.0.4 by default; OpenMetrics 1.0
  /// ends with `# EOF`.
  void appendText(std::string& out, ExpositionFormat format = ExpositionFormat::Text004) const;
  std::string text(ExpositionFormat format = ExpositionFormat::Text004) const;

  /// prometheus::Collectable: our families and every added collectable's, so this Registry
  /// can be handed to prometheus-cpp's Exposer or serializers.
  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  template <class F> F& addFamily(std::unique_ptr<F> family);
  std::string checkedName(std::string_view name, Prefix prefix) const;

  std::string m_ns;
  mutable std::shared_mutex m_mutex;
  std::vector<std::unique_ptr<detail::FamilyBase>> m_families;
  std::unordered_set<std::string> m_takenNames; // every sample name our families write
  std::vector<std::shared_ptr<prometheus::Collectable>> m_collectables;
  mutable std::atomic<std::size_t> m_lastSize{0}; // reserve hint for the next scrape
};

} // namespace healthdeck::metrics
