#include "healthdeck/client/store/metric_profile.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

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

// Pairs of families that together only a Healthdeck module exposes (core/exporter/
// exporter_metrics.cpp registers both of each pair on every exporter). One family alone is not
// proof: redis_exporter writes `redis_exporter_scrapes_total`, postgres_exporter
// `pg_exporter_scrapes_total`, and either would read as "exporter_scrapes_total" under a
// namespace. `healthdeck serve` with no instrumented code still has both pairs.
constexpr std::pair<std::string_view, std::string_view> kHealthdeckMarkers[] = {
    {"exporter_scrapes_total", "exporter_last_scrape_timestamp_seconds"},
    {"health_check_status", "health_check_duration_seconds"},
};

// The namespace ("" or "app_") under which a whole marker pair was found.
bool findHealthdeck(const Names& names, std::string& prefix) {
  for (const auto& [first, second] : kHealthdeckMarkers) {
    for (std::string_view n : names) {
      if (!endsWith(n, first)) continue;
      const std::string_view ns = n.substr(0, n.size() - first.size());
      // "<ns>_<marker>": the namespace is validated by the registry, any prefix ending in '_'.
      if (!ns.empty() && ns.back() != '_') continue;
      if (!names.contains(std::string(ns) + std::string(second))) continue;
      prefix = std::string(ns);
      return true;
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

// The programs whose pages need no logic of their own: what marks a page as theirs, and one
// row per key metric (added when its family is on the page). A HistogramQuantile row reads the
// family's buckets; a row with `label` keeps only series with that label value.
struct MetricRow {
  const char* id;
  const char* title;
  KeyMetricKind kind;
  const char* family;
  MetricUnit unit;
  const char* label = nullptr;
  const char* value = nullptr;
};

struct StaticProfile {
  ProfileKind kind;
  const char* name;
  std::vector<const char*> markers; ///< any of these families makes a page this program's
  std::vector<MetricRow> rows;
  bool process = true; ///< false: process_* on the page is an exporter's, not the program's
};

using K = KeyMetricKind;
using U = MetricUnit;

const std::vector<StaticProfile>& staticProfiles() {
  static const std::vector<StaticProfile> kProfiles{
      {ProfileKind::PrometheusServer,
       "Prometheus server",
       {"prometheus_tsdb_head_series", "prometheus_build_info"},
       {{"head_series", "Head series", K::GaugeValue, "prometheus_tsdb_head_series", U::Count},
        {"ingest_rate", "Samples ingested", K::CounterRate,
         "prometheus_tsdb_head_samples_appended_total", U::PerSecond},
        {"http_rate", "API requests", K::CounterRate, "prometheus_http_requests_total",
         U::PerSecond},
        {"http_p95", "API p95 latency", K::HistogramQuantile,
         "prometheus_http_request_duration_seconds", U::Seconds},
        {"rule_failures", "Rule failures", K::CounterRate,
         "prometheus_rule_evaluation_failures_total", U::PerSecond},
        {"sample_limit", "Scrapes over sample limit", K::CounterRate,
         "prometheus_target_scrapes_exceeded_sample_limit_total", U::PerSecond},
        {"config_age", "Config loaded", K::TimestampAge,
         "prometheus_config_last_reload_success_timestamp_seconds", U::Seconds}}},
      {ProfileKind::Etcd,
       "etcd",
       {"etcd_server_has_leader", "etcd_server_version"},
       {{"has_leader", "Has leader", K::GaugeValue, "etcd_server_has_leader", U::Count},
        {"client_requests", "Client requests", K::CounterRate, "etcd_server_client_requests_total",
         U::PerSecond},
        {"proposals_committed", "Proposals committed", K::CounterRate,
         "etcd_server_proposals_committed_total", U::PerSecond},
        {"proposals_failed", "Proposals failed", K::CounterRate,
         "etcd_server_proposals_failed_total", U::PerSecond},
        {"leader_changes", "Leader changes", K::CounterRate,
         "etcd_server_leader_changes_seen_total", U::PerSecond},
        {"db_size", "Database size", K::GaugeValue, "etcd_mvcc_db_total_size_in_bytes", U::Bytes},
        {"wal_fsync_p95", "WAL fsync p95", K::HistogramQuantile,
         "etcd_disk_wal_fsync_duration_seconds", U::Seconds}}},
      {ProfileKind::RedisExporter,
       "redis_exporter",
       {"redis_up", "redis_exporter_build_info"},
       {{"commands", "Commands", K::CounterRate, "redis_commands_processed_total", U::PerSecond},
        {"clients", "Clients", K::GaugeValue, "redis_connected_clients", U::Count},
        {"memory_used", "Memory used", K::GaugeValue, "redis_memory_used_bytes", U::Bytes},
        {"keys", "Keys", K::GaugeValue, "redis_db_keys", U::Count},
        {"hits", "Keyspace hits", K::CounterRate, "redis_keyspace_hits_total", U::PerSecond},
        {"misses", "Keyspace misses", K::CounterRate, "redis_keyspace_misses_total", U::PerSecond},
        {"evicted", "Evicted keys", K::CounterRate, "redis_evicted_keys_total", U::PerSecond},
        {"rejected", "Rejected connections", K::CounterRate, "redis_rejected_connections_total",
         U::PerSecond}},
       false},
      {ProfileKind::PostgresExporter,
       "postgres_exporter",
       {"pg_up", "pg_exporter_scrapes_total"},
       {{"commits", "Commits", K::CounterRate, "pg_stat_database_xact_commit", U::PerSecond},
        {"rollbacks", "Rollbacks", K::CounterRate, "pg_stat_database_xact_rollback", U::PerSecond},
        {"backends", "Connections", K::GaugeValue, "pg_stat_database_numbackends", U::Count},
        {"active", "Active queries", K::GaugeValue, "pg_stat_activity_count", U::Count, "state",
         "active"},
        {"deadlocks", "Deadlocks", K::CounterRate, "pg_stat_database_deadlocks", U::PerSecond},
        {"db_size", "Database size", K::GaugeValue, "pg_database_size_bytes", U::Bytes}},
       false},
      {ProfileKind::HAProxy,
       "HAProxy",
       {"haproxy_process_build_info", "haproxy_frontend_status"},
       {{"requests", "Requests", K::CounterRate, "haproxy_frontend_http_requests_total",
         U::PerSecond},
        {"errors_5xx", "5xx responses", K::CounterRate, "haproxy_frontend_http_responses_total",
         U::PerSecond, "code", "5xx"},
        {"sessions", "Current sessions", K::GaugeValue, "haproxy_frontend_current_sessions",
         U::Count},
        {"bytes_in", "Bytes in", K::CounterRate, "haproxy_frontend_bytes_in_total",
         U::BytesPerSecond},
        {"bytes_out", "Bytes out", K::CounterRate, "haproxy_frontend_bytes_out_total",
         U::BytesPerSecond},
        {"servers_up", "Active backend servers", K::GaugeValue, "haproxy_backend_active_servers",
         U::Count},
        {"connection_errors", "Backend connection errors", K::CounterRate,
         "haproxy_backend_connection_errors_total", U::PerSecond}},
       false},
      {ProfileKind::Alertmanager,
       "Alertmanager",
       {"alertmanager_build_info", "alertmanager_alerts"},
       {{"alerts_active", "Active alerts", K::GaugeValue, "alertmanager_alerts", U::Count, "state",
         "active"},
        {"alerts_suppressed", "Suppressed alerts", K::GaugeValue, "alertmanager_alerts", U::Count,
         "state", "suppressed"},
        {"notifications", "Notifications", K::CounterRate, "alertmanager_notifications_total",
         U::PerSecond},
        {"notifications_failed", "Failed notifications", K::CounterRate,
         "alertmanager_notifications_failed_total", U::PerSecond},
        {"silences", "Active silences", K::GaugeValue, "alertmanager_silences", U::Count, "state",
         "active"},
        {"config_age", "Config loaded", K::TimestampAge,
         "alertmanager_config_last_reload_success_timestamp_seconds", U::Seconds}}},
      // A /probe page (the metrics path points at /probe?target=...) shows the probe's own
      // result; the exporter's own /metrics page its reloads.
      {ProfileKind::BlackboxExporter,
       "blackbox_exporter",
       {"blackbox_exporter_build_info", "probe_success"},
       {{"probe_success", "Probe success", K::GaugeValue, "probe_success", U::Count},
        {"probe_duration", "Probe duration", K::GaugeValue, "probe_duration_seconds", U::Seconds},
        {"probe_status", "HTTP status", K::GaugeValue, "probe_http_status_code", U::Count},
        {"config_ok", "Config reload successful", K::GaugeValue,
         "blackbox_exporter_config_last_reload_successful", U::Count},
        {"unknown_modules", "Unknown-module probes", K::CounterRate,
         "blackbox_module_unknown_total", U::PerSecond},
        {"config_age", "Config loaded", K::TimestampAge,
         "blackbox_exporter_config_last_reload_success_timestamp_seconds", U::Seconds}}},
      {ProfileKind::Caddy,
       "Caddy",
       {"caddy_http_requests_total", "caddy_admin_http_requests_total"},
       {{"requests", "Requests", K::CounterRate, "caddy_http_requests_total", U::PerSecond},
        {"request_p95", "p95 latency", K::HistogramQuantile, "caddy_http_request_duration_seconds",
         U::Seconds},
        {"in_flight", "Requests in flight", K::GaugeValue, "caddy_http_requests_in_flight",
         U::Count},
        {"admin_requests", "Admin API requests", K::CounterRate, "caddy_admin_http_requests_total",
         U::PerSecond}}},
  };
  return kProfiles;
}

MetricProfile fromTable(const Names& names, const StaticProfile& table) {
  MetricProfile p;
  p.kind = table.kind;
  p.name = table.name;
  for (const MetricRow& row : table.rows) {
    if (!names.contains(row.family)) continue;
    KeyMetricDef d = def(row.id, row.title, row.kind, row.family, row.unit);
    if (row.kind == K::HistogramQuantile) d.sampleSuffix = "_bucket";
    if (row.label) d.matchers.push_back({row.label, row.value, false});
    p.metrics.push_back(std::move(d));
  }
  if (table.process) addProcess(names, p.metrics);
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
  for (const StaticProfile& table : staticProfiles())
    if (std::any_of(table.markers.begin(), table.markers.end(),
                    [&](const char* marker) { return names.contains(marker); }))
      return fromTable(names, table);
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
