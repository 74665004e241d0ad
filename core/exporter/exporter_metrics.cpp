#include "healthdeck/exporter/exporter_metrics.h"

#include "healthdeck/metrics/registry.h"

#include <array>
#include <string>

namespace healthdeck::exporter {

namespace {
constexpr std::array<Status, 3> kStatuses{Status::Up, Status::Degraded, Status::Down};
}

ExporterMetrics::ExporterMetrics(metrics::Registry& registry)
    : m_scrapes(registry.counter("exporter_scrapes_total", "Scrapes of the metrics route served.")),
      // From 100 µs: a page is served in well under a millisecond; one that waits for a
      // health refresh can take as long as the slowest check timeout.
      m_scrapeDuration(
          registry.histogram("exporter_scrape_duration_seconds",
                             "Time to serve one scrape, from request to last byte written.",
                             {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                              0.25, 0.5, 1, 2.5, 5, 10})),
      m_responseBytes(
          registry.counter("exporter_response_bytes_total",
                           "Bytes of metrics response bodies sent, after compression.")),
      m_lastScrape(registry.gauge("exporter_last_scrape_timestamp_seconds",
                                  "Unix time of the last served scrape.")),
      m_healthStatus(registry.gaugeFamily(
          "health_check_status", "1 for the current status of a health check, 0 for the others.",
          {"component", "probe", "status"})),
      m_healthDuration(registry.gaugeFamily("health_check_duration_seconds",
                                            "Duration of the last run of a health check.",
                                            {"component", "probe"})) {}

void ExporterMetrics::observeScrape(std::chrono::nanoseconds duration,
                                    std::size_t responseBytes) noexcept {
  m_scrapes.inc();
  m_scrapeDuration.observe(std::chrono::duration<double>(duration).count());
  m_responseBytes.inc(static_cast<std::uint64_t>(responseBytes));
  m_lastScrape.setToCurrentTime();
}

void ExporterMetrics::observeHealth(const ProbeResult& result) {
  const std::string_view probe = toString(result.probe);
  for (const ComponentResult& c : result.checks) {
    for (Status s : kStatuses)
      m_healthStatus.with({c.component, probe, toString(s)}).set(c.status == s ? 1.0 : 0.0);
    m_healthDuration.with({c.component, probe})
        .set(std::chrono::duration<double>(c.duration).count());
  }
}

} // namespace healthdeck::exporter
