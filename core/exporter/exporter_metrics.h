#pragma once
// ExporterMetrics: the exporter's own families and health-as-metrics, created in the
// metrics::Registry (so they carry its namespace prefix, DESIGN.md "Standard metric families"):
//   exporter_scrapes_total, exporter_scrape_duration_seconds (histogram),
//   exporter_response_bytes_total, exporter_last_scrape_timestamp_seconds,
//   health_check_status{component,probe,status} (1 for the current status, 0 for the others),
//   health_check_duration_seconds{component,probe}.
//
// Contract: the families are created once per Registry (a second ExporterMetrics on the same
// Registry throws std::invalid_argument, the Registry refusing a taken name). Thread-safe:
// observeScrape() only touches lock-free handles; observeHealth() takes the families' locks
// to find the series, once per completed evaluation. Borrows the Registry, which must outlive
// it.

#include "healthdeck/health/status.h"

#include <chrono>
#include <cstddef>

namespace healthdeck::metrics {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <class Metric> class Family;
} // namespace healthdeck::metrics

namespace healthdeck::exporter {

class ExporterMetrics {
public:
  explicit ExporterMetrics(metrics::Registry& registry);
  ExporterMetrics(const ExporterMetrics&) = delete;
  ExporterMetrics& operator=(const ExporterMetrics&) = delete;

  /// One served scrape: its duration (request to last byte written) and body size on the wire.
  void observeScrape(std::chrono::nanoseconds duration, std::size_t responseBytes) noexcept;
  /// A completed HealthManager evaluation.
  void observeHealth(const ProbeResult& result);

private:
  metrics::Counter& m_scrapes;
  metrics::Histogram& m_scrapeDuration;
  metrics::Counter& m_responseBytes;
  metrics::Gauge& m_lastScrape;
  metrics::Family<metrics::Gauge>& m_healthStatus;
  metrics::Family<metrics::Gauge>& m_healthDuration;
};

} // namespace healthdeck::exporter
