#pragma once
// TargetMetrics: everything the console derives from one server's /metrics pages. It owns the
// target's SeriesTable, parser and latest page, keeps for every series a rate is derived from
// the points of the last rate window (default one minute), so a counter's rate is PromQL's
// `rate(x[1m])` over the console's own scrapes — reset-aware, and steady for a counter that
// moves less often than it is polled (one that moves every 15 s polled every 5 s reads ~1/s,
// not 0/s between moves and 3/s at a move). While the series' history is younger than the
// window the rate covers the history it has (no under-extrapolation in the first minute); a
// poll interval longer than the window falls back to the last two scrapes.
// detects the MetricProfile when the page's families change, and turns each scrape into one
// TargetMetricsUpdate value struct: scrape status, the key metrics of the profile plus the
// user's pins, and on request the explorer rows (every family and series).
// It keeps no history of derived values: whoever shows them (MetricsHub) keeps the rings.
// Not thread-safe: one instance per target, used by one thread at a time (a worker thread).
// Units: times in ms since the Unix epoch; derived values in base units (see MetricUnit).

#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/client/parse/series_table.h"
#include "healthdeck/client/store/metric_health.h"
#include "healthdeck/client/store/metric_profile.h"
#include "healthdeck/client/store/metric_series.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace healthdeck::client {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

/// One derived number of one scrape.
struct KeyMetricSample {
  std::string id;    ///< stable: "<def id>" or "<def id>/<split value>" or "pin:<series key>"
  std::string title; ///< "Requests", "Launch failures ssh"
  MetricUnit unit = MetricUnit::Count;
  bool pinned = false;
  double value = kNoValue; ///< NaN: not derivable (first scrape, no observations, no series)
};

/// What one scrape looked like, from the page itself.
struct ScrapeStatus {
  std::int64_t atMs = 0;   ///< when the body arrived (the console's clock)
  std::uint64_t bytes = 0; ///< body size, uncompressed
  std::uint32_t samples = 0;
  std::uint32_t series = 0;   ///< distinct series seen so far (the table's size)
  std::uint32_t families = 0; ///< families on this page
  std::uint32_t warnings = 0;
  double parseMs = 0.0; ///< parse and derivation time on the worker thread
  std::string error;    ///< "line 3, column 17: ..." when the page did not parse
  std::string profile;  ///< MetricProfile::name
  /// From the exporter's own families (Healthdeck exporters only, else NaN / -1): scrapes it
  /// served to others (e.g. Prometheus) between the console's last two scrapes, and when the
  /// latest of those happened.
  double othersSinceLast = kNoValue;
  std::int64_t lastOtherScrapeMs = -1;
};

struct ExplorerSeries {
  std::string key;    ///< `name{labels}` as exposed (what a pin stores)
  std::string labels; ///< `a="1", b="2"` (empty for an unlabelled series)
  double value = kNoValue;
};

struct ExplorerFamily {
  std::string name;
  MetricType type = MetricType::Untyped;
  std::string help;
  std::string unit;
  std::vector<ExplorerSeries> series; ///< page order
};

struct TargetMetricsUpdate {
  ScrapeStatus status;
  std::vector<KeyMetricSample> metrics; ///< profile order, then pins in pin order
};

class TargetMetrics {
public:
  TargetMetrics();
  TargetMetrics(const TargetMetrics&) = delete;
  TargetMetrics& operator=(const TargetMetrics&) = delete;

  /// A rate over scrapes closer together than this (ms) is no rate yet (kNoValue): one
  /// request between two scrapes 9 ms apart is not 111 requests a second.
  static constexpr std::int64_t kMinRateSpanMs = 1000;
  /// The range of every rate (PromQL's `[range]`), in ms; 60 000 by default.
  void setRateWindow(std::int64_t windowMs) { m_rateWindowMs = windowMs; }
  std::int64_t rateWindow() const { return m_rateWindowMs; }

  /// Series keys the user pinned (`name{labels}`); derived from the next scrape on.
  void setPins(std::vector<std::string> seriesKeys);
  const std::vector<std::string>& pins() const { return m_pins; }

  /// Parses `body` received at `atMs` and derives the update. A page that does not parse
  /// yields status.error and NaN for every key metric of the current profile.
  TargetMetricsUpdate ingest(std::string_view body, std::int64_t atMs);

  /// Health read from the latest ingested page (its well-known up gauges and `rules`, as
  /// metricHealth() reads them) without parsing it again; document nullopt when that page did
  /// not parse.
  MetricHealthResult health(const QList<MetricRule>& rules) const;

  /// Every family and series of the latest page that parsed (empty before the first).
  std::vector<ExplorerFamily> explorer() const;

  const MetricProfile& profile() const { return m_profile; }
  /// Heap bytes held (table, page, previous values), for the memory figures.
  std::size_t memoryBytes() const noexcept;

private:
  struct Resolved {
    KeyMetricDef def;
    FamilyId family = kNoId;
    FamilyId denominator = kNoId;
    bool pinned = false;
  };
  void redetect();
  void resolvePins();
  void derive(const Resolved& r, std::int64_t atMs, std::vector<KeyMetricSample>& out);
  double rateOf(SeriesId id, double value, std::int64_t atMs);
  double firstValue(FamilyId family) const;
  void exporterStatus(ScrapeStatus& status);

  SeriesTable m_table;
  ExpositionParser m_parser;
  ExpositionPage m_page;
  bool m_hasGoodPage = false;
  /// Series a rate is derived from → their points of the last window (oldest first; at most
  /// one point at or before the window's start, so the range is known to be covered).
  std::unordered_map<SeriesId, std::vector<Point>> m_windows;
  std::int64_t m_rateWindowMs = 60'000;
  std::size_t m_seenSeries = 0; ///< table size at the previous scrape (new series: re-resolve pins)
  std::int64_t m_lastAtMs = -1;
  std::size_t m_detectedFamilies = static_cast<std::size_t>(-1);
  MetricProfile m_profile;
  std::vector<Resolved> m_resolved;
  std::vector<KeyMetricSample> m_lastShape; ///< the latest good update's metrics
  std::vector<std::string> m_pins;
  bool m_pinsDirty = false;
  double m_prevExporterScrapes = kNoValue;
  std::int64_t m_lastOtherScrapeMs = -1;
};

} // namespace healthdeck::client
