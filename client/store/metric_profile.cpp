#include "healthdeck/client/store/metric_profile.h"

#include <algorithm>
#include <unordered_set>

namespace healthdeck::client {

namespace {

using Names = std::unordered_set<std::string_view>;

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

KeyMetricDef def(std::string id, std::string title, KeyMetricKind kind, std::string family,
                 MetricUnit unit) {
  KeyMetricDef d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.kind = kind;
  d.family = std::move(family);
  d.unit = unit;
  return d;
}

// Families that only a Healthdeck module exposes; any one of them identifies it. The
// exporter_* families count too: `healthdeck serve` with no instrumented code has only those.
constexpr std::string_view kHealthdeckMarkers[] = {
    "exporter_scrapes_total",    "sessions_active",
    "auth_attempts_total",       "realtime_connections_active",
    "connection_launches_total", "maintenance_job_last_success_timestamp_seconds",
    "health_check_status",
};

// The namespace of the first Healthdeck marker found, or nullopt.
bool findHealthdeck(const Names& names, std::string& prefix) {
  for (std::string_view marker : kHealthdeckMarkers) {
    for (std::string_view n : names) {
      if (n == marker) {
        prefix.clear();
        return true;
      }
      // "<ns>_<marker>": the namespace is validated by the registry, any non-empty prefix.
      if (n.size() > marker.size() + 1 && endsWith(n, marker) &&
          n[n.size() - marker.size() - 1] == '_') {
        prefix = std::string(n.substr(0, n.size() - marker.size()));
        return true;
      }
    }
  }
  return false;
}

void addProcess(const Names& names, std::vector<KeyMetricDef>& out) {
  if (names.contains("process_cpu_seconds_total"))
    out.push_back(def("process_cpu", "CPU (process)", KeyMetricKind::CounterRate,
                      "process_cpu_seconds_total", MetricUnit::Ratio));
  if (names.contains("process_resident_memory_bytes"))
    out.push_back(def("process_rss", "Memory (RSS)", KeyMetricKind::GaugeValue,
                      "process_resident_memory_bytes", MetricUnit::Bytes));
}

MetricProfile healthdeckProfile(const Names& names, const std::string& ns) {
  MetricProfile p;
  p.kind = ProfileKind::Healthdeck;
  p.name = "Healthdeck";
  p.namespace_ = ns;
  auto& m = p.metrics;
  const auto has = [&](std::string_view base) { return names.contains(ns + std::string(base)); };
  const auto fam = [&](std::string_view base) { return ns + std::string(base); };
  // Families a module registers are present even before their first observation, so a
  // profile shows the same tiles from the first scrape on.
  if (has("sessions_active"))
    m.push_back(def("sessions_active", "Active sessions", KeyMetricKind::GaugeValue,
                    fam("sessions_active"), MetricUnit::Count));
  if (has("auth_attempts_total")) {
    auto d = def("auth_failures", "Auth failures", KeyMetricKind::CounterRate,
                 fam("auth_attempts_total"), MetricUnit::PerSecond);
    d.matchers.push_back({"result", "failure", false});
    m.push_back(std::move(d));
  }
  if (has("http_request_duration_seconds")) {
    auto rate = def("request_rate", "Requests", KeyMetricKind::CounterRate,
                    fam("http_request_duration_seconds"), MetricUnit::PerSecond);
    rate.sampleSuffix = "_count";
    m.push_back(std::move(rate));
    auto p95 = def("request_p95", "p95 latency", KeyMetricKind::HistogramQuantile,
                   fam("http_request_duration_seconds"), MetricUnit::Seconds);
    p95.sampleSuffix = "_bucket";
    m.push_back(std::move(p95));
  }
  if (has("connection_launches_total")) {
    auto d = def("launch_failures", "Launch failures", KeyMetricKind::CounterRate,
                 fam("connection_launches_total"), MetricUnit::PerSecond);
    d.matchers.push_back({"result", "success", true});
    d.splitBy = "protocol";
    m.push_back(std::move(d));
  }
  if (has("realtime_connections_active"))
    m.push_back(def("realtime_connections", "Realtime connections", KeyMetricKind::GaugeValue,
                    fam("realtime_connections_active"), MetricUnit::Count));
  if (has("realtime_queue_dropped_total"))
    m.push_back(def("queue_drops", "Queue drops", KeyMetricKind::CounterRate,
                    fam("realtime_queue_dropped_total"), MetricUnit::PerSecond));
  if (has("maintenance_job_last_success_timestamp_seconds"))
    m.push_back(def("job_age", "Oldest job success", KeyMetricKind::TimestampAge,
                    fam("maintenance_job_last_success_timestamp_seconds"), MetricUnit::Seconds));
  if (has("exporter_scrapes_total"))
    m.push_back(def("scrape_rate", "Scrapes served", KeyMetricKind::CounterRate,
                    fam("exporter_scrapes_total"), MetricUnit::PerSecond));
  addProcess(names, m);
  return p;
}

MetricProfile nodeProfile(const Names& names) {
  MetricProfile p;
  p.kind = ProfileKind::NodeExporter;
  p.name = "node_exporter";
  auto& m = p.metrics;
  if (names.contains("node_cpu_seconds_total")) {
    auto d = def("cpu_busy", "CPU busy", KeyMetricKind::RateRatio, "node_cpu_seconds_total",
                 MetricUnit::Ratio);
    d.matchers.push_back({"mode", "idle", true});
    m.push_back(std::move(d));
  }
  if (names.contains("node_load1"))
    m.push_back(
        def("load1", "Load (1 min)", KeyMetricKind::GaugeValue, "node_load1", MetricUnit::Count));
  if (names.contains("node_memory_MemTotal_bytes") &&
      names.contains("node_memory_MemAvailable_bytes")) {
    auto d = def("memory_used", "Memory used", KeyMetricKind::GaugeDifference,
                 "node_memory_MemTotal_bytes", MetricUnit::Bytes);
    d.denominator = "node_memory_MemAvailable_bytes";
    m.push_back(std::move(d));
  }
  if (names.contains("node_filesystem_avail_bytes") &&
      names.contains("node_filesystem_size_bytes")) {
    auto d = def("root_free", "Disk free (/)", KeyMetricKind::GaugeRatio,
                 "node_filesystem_avail_bytes", MetricUnit::Ratio);
    d.denominator = "node_filesystem_size_bytes";
    d.matchers.push_back({"mountpoint", "/", false});
    m.push_back(std::move(d));
  }
  for (const auto& [family, id, title] :
       {std::tuple{"node_disk_read_bytes_total", "disk_read", "Disk read"},
        std::tuple{"node_disk_written_bytes_total", "disk_written", "Disk written"},
        std::tuple{"node_network_receive_bytes_total", "net_rx", "Network in"},
        std::tuple{"node_network_transmit_bytes_total", "net_tx", "Network out"}}) {
    if (!names.contains(family)) continue;
    auto d = def(id, title, KeyMetricKind::CounterRate, family, MetricUnit::BytesPerSecond);
    if (std::string_view(family).starts_with("node_network"))
      d.matchers.push_back({"device", "lo", true}); // loopback traffic is not the host's load
    m.push_back(std::move(d));
  }
  return p;
}

MetricProfile prometheusProfile(const Names& names) {
  MetricProfile p;
  p.kind = ProfileKind::PrometheusServer;
  p.name = "Prometheus server";
  auto& m = p.metrics;
  if (names.contains("prometheus_tsdb_head_series"))
    m.push_back(def("head_series", "Head series", KeyMetricKind::GaugeValue,
                    "prometheus_tsdb_head_series", MetricUnit::Count));
  if (names.contains("prometheus_tsdb_head_samples_appended_total"))
    m.push_back(def("ingest_rate", "Samples ingested", KeyMetricKind::CounterRate,
                    "prometheus_tsdb_head_samples_appended_total", MetricUnit::PerSecond));
  if (names.contains("prometheus_http_requests_total"))
    m.push_back(def("http_rate", "API requests", KeyMetricKind::CounterRate,
                    "prometheus_http_requests_total", MetricUnit::PerSecond));
  if (names.contains("prometheus_http_request_duration_seconds")) {
    auto d = def("http_p95", "API p95 latency", KeyMetricKind::HistogramQuantile,
                 "prometheus_http_request_duration_seconds", MetricUnit::Seconds);
    d.sampleSuffix = "_bucket";
    m.push_back(std::move(d));
  }
  if (names.contains("prometheus_rule_evaluation_failures_total"))
    m.push_back(def("rule_failures", "Rule failures", KeyMetricKind::CounterRate,
                    "prometheus_rule_evaluation_failures_total", MetricUnit::PerSecond));
  if (names.contains("prometheus_target_scrapes_exceeded_sample_limit_total"))
    m.push_back(def("sample_limit", "Scrapes over sample limit", KeyMetricKind::CounterRate,
                    "prometheus_target_scrapes_exceeded_sample_limit_total",
                    MetricUnit::PerSecond));
  if (names.contains("prometheus_config_last_reload_success_timestamp_seconds"))
    m.push_back(def("config_age", "Config loaded", KeyMetricKind::TimestampAge,
                    "prometheus_config_last_reload_success_timestamp_seconds",
                    MetricUnit::Seconds));
  addProcess(names, m);
  return p;
}

} // namespace

MetricProfile detectProfile(std::span<const std::string_view> familyNames) {
  const Names names(familyNames.begin(), familyNames.end());
  std::string ns;
  if (findHealthdeck(names, ns)) return healthdeckProfile(names, ns);
  if (names.contains("node_cpu_seconds_total") || names.contains("node_load1") ||
      names.contains("node_memory_MemAvailable_bytes"))
    return nodeProfile(names);
  if (names.contains("prometheus_tsdb_head_series") || names.contains("prometheus_build_info"))
    return prometheusProfile(names);
  MetricProfile p;
  p.name = "Generic";
  addProcess(names, p.metrics);
  return p;
}

KeyMetricDef pinDefinition(std::string_view seriesKey, std::string_view familyName,
                           MetricType type) {
  KeyMetricDef d;
  d.id = "pin:" + std::string(seriesKey);
  d.title = std::string(seriesKey);
  d.family = std::string(familyName);
  d.seriesKey = std::string(seriesKey);
  const std::string_view name = seriesKey.substr(0, seriesKey.find('{'));
  const bool histogramLike = type == MetricType::Histogram || type == MetricType::Summary ||
                             type == MetricType::GaugeHistogram;
  if (histogramLike && endsWith(name, "_bucket")) {
    d.kind = KeyMetricKind::HistogramQuantile;
    d.sampleSuffix = "_bucket";
    d.title = "p95 " + std::string(familyName);
    d.unit = endsWith(familyName, "_bytes") ? MetricUnit::Bytes : MetricUnit::Seconds;
    if (!endsWith(familyName, "_seconds") && !endsWith(familyName, "_bytes"))
      d.unit = MetricUnit::Count;
  } else if (type == MetricType::Counter ||
             (histogramLike && (endsWith(name, "_count") || endsWith(name, "_sum")))) {
    d.kind = KeyMetricKind::CounterRate;
    d.sampleSuffix = std::string(name.substr(std::min(name.size(), familyName.size())));
    d.title += "/s";
    if (endsWith(name, "_seconds_total") || endsWith(name, "_seconds_sum"))
      d.unit = MetricUnit::Ratio; // seconds per second: a share of one core or one worker
    else if (endsWith(name, "_bytes_total") || endsWith(name, "_bytes_sum"))
      d.unit = MetricUnit::BytesPerSecond;
    else
      d.unit = MetricUnit::PerSecond;
  } else {
    d.kind = KeyMetricKind::GaugeValue;
    d.sampleSuffix = std::string(name.substr(std::min(name.size(), familyName.size())));
    if (endsWith(name, "_timestamp_seconds")) {
      d.kind = KeyMetricKind::TimestampAge;
      d.unit = MetricUnit::Seconds;
    } else if (endsWith(name, "_seconds")) {
      d.unit = MetricUnit::Seconds;
    } else if (endsWith(name, "_bytes")) {
      d.unit = MetricUnit::Bytes;
    } else if (endsWith(name, "_ratio")) {
      d.unit = MetricUnit::Ratio;
    }
  }
  return d;
}

} // namespace healthdeck::client
