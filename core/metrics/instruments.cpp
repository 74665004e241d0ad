#include "healthdeck/metrics/instruments.h"
#include "healthdeck/util/utf8.h"

#include "healthdeck/metrics/text_format.h"

#include <stdexcept>

namespace healthdeck::metrics {

std::string_view labelValue(AuthResult value) noexcept {
  switch (value) {
  case AuthResult::Success: return "success";
  case AuthResult::Failure: return "failure";
  case AuthResult::Locked: return "locked";
  case AuthResult::MfaRequired: return "mfa_required";
  case AuthResult::Error: break;
  }
  return "error";
}

std::string_view labelValue(PermissionResult value) noexcept {
  switch (value) {
  case PermissionResult::Granted: return "granted";
  case PermissionResult::Denied: return "denied";
  case PermissionResult::Error: break;
  }
  return "error";
}

std::string_view labelValue(HttpMethod value) noexcept {
  switch (value) {
  case HttpMethod::Get: return "GET";
  case HttpMethod::Head: return "HEAD";
  case HttpMethod::Post: return "POST";
  case HttpMethod::Put: return "PUT";
  case HttpMethod::Patch: return "PATCH";
  case HttpMethod::Delete: return "DELETE";
  case HttpMethod::Options: return "OPTIONS";
  case HttpMethod::Other: break;
  }
  return "OTHER";
}

std::string_view labelValue(VaultOperation value) noexcept {
  switch (value) {
  case VaultOperation::Read: return "read";
  case VaultOperation::Write: return "write";
  case VaultOperation::Delete: return "delete";
  case VaultOperation::List: return "list";
  case VaultOperation::Rotate: break;
  }
  return "rotate";
}

std::string_view labelValue(VaultResult value) noexcept {
  switch (value) {
  case VaultResult::Success: return "success";
  case VaultResult::NotFound: return "not_found";
  case VaultResult::Denied: return "denied";
  case VaultResult::Error: break;
  }
  return "error";
}

std::string_view labelValue(SubscriptionAction value) noexcept {
  return value == SubscriptionAction::Subscribe ? "subscribe" : "unsubscribe";
}

std::string_view labelValue(JobResult value) noexcept {
  switch (value) {
  case JobResult::Success: return "success";
  case JobResult::Failure: return "failure";
  case JobResult::Timeout: return "timeout";
  case JobResult::Skipped: break;
  }
  return "skipped";
}

std::string_view labelValue(Protocol value) noexcept {
  switch (value) {
  case Protocol::Ssh: return "ssh";
  case Protocol::Rdp: return "rdp";
  case Protocol::Vnc: return "vnc";
  case Protocol::Telnet: return "telnet";
  case Protocol::Kubernetes: break;
  }
  return "kubernetes";
}

std::string_view labelValue(LaunchResult value) noexcept {
  switch (value) {
  case LaunchResult::Success: return "success";
  case LaunchResult::Failure: return "failure";
  case LaunchResult::Denied: return "denied";
  case LaunchResult::Timeout: break;
  }
  return "timeout";
}

namespace buckets {
std::vector<double> httpLatency() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
std::vector<double> vaultLatency() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}
std::vector<double> sessionDuration() {
  return {10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400};
}
std::vector<double> jobDuration() {
  return {0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600};
}
} // namespace buckets

namespace {

template <class E> E enumAt(std::size_t i) {
  return static_cast<E>(i);
}

void checkBoundValue(std::string_view what, std::string_view value) {
  if (value.empty()) throw std::invalid_argument(std::string(what) + " must not be empty");
  if (!isValidUtf8(value)) throw std::invalid_argument(std::string(what) + " is not valid UTF-8");
}

constexpr std::size_t kJobResults = 4;

} // namespace

void HttpRoute::observe(int status, double seconds) const {
  const std::size_t index = status >= 100 && status <= 599 ? static_cast<std::size_t>(status - 100)
                                                           : State::kUnknownStatus;
  Histogram* histogram = m_state->byStatus[index].load(std::memory_order_acquire);
  if (!histogram) [[unlikely]] {
    // First request with this status on this route: bind once. A racing thread binds the same
    // series (with() is idempotent), so both stores write the same pointer.
    const std::string code =
        index == State::kUnknownStatus ? std::string("unknown") : std::to_string(status);
    histogram = &m_state->family->with({m_state->method, m_state->route, code});
    m_state->byStatus[index].store(histogram, std::memory_order_release);
  }
  histogram->observe(seconds);
}

Instruments::Instruments(Registry& registry)
    : m_sessionsActive(registry.gauge("sessions_active", "Sessions currently open.")),
      m_sessionDuration(registry.histogram("session_duration_seconds",
                                           "Duration of closed sessions in seconds.",
                                           buckets::sessionDuration())),
      m_httpDuration(registry.histogramFamily(
          "http_request_duration_seconds",
          "HTTP request latency in seconds, by method, route template and status code.",
          {"method", "route", "status"}, buckets::httpLatency())),
      m_realtimeConnections(registry.gauge("realtime_connections_active",
                                           "Realtime (push) connections currently open.")),
      m_realtimeQueueDepth(
          registry.gauge("realtime_queue_depth", "Messages waiting in the realtime send queue.")),
      m_realtimeSubscriptions(registry.counterFamily(
          "realtime_subscriptions_total", "Realtime stream subscriptions and unsubscriptions.",
          {"stream", "action"})),
      m_realtimeBroadcasts(registry.counterFamily(
          "realtime_broadcasts_total", "Messages broadcast on a realtime stream.", {"stream"})),
      m_realtimeSendFailures(registry.counterFamily(
          "realtime_send_failures_total", "Realtime messages that could not be sent to a client.",
          {"stream"})),
      m_realtimeDropped(registry.counterFamily(
          "realtime_queue_dropped_total",
          "Realtime messages dropped because a client's queue was full.", {"stream"})),
      m_jobRuns(registry.counterFamily("maintenance_job_runs_total",
                                       "Maintenance job runs by job and result.",
                                       {"job", "result"})),
      m_jobDuration(registry.histogramFamily("maintenance_job_duration_seconds",
                                             "Maintenance job run duration in seconds.", {"job"},
                                             buckets::jobDuration())),
      m_jobLastSuccess(registry.gaugeFamily(
          "maintenance_job_last_success_timestamp_seconds",
          "Unix time of the last successful run of a maintenance job.", {"job"})) {
  auto& auth = registry.counterFamily("auth_attempts_total", "Authentication attempts by result.",
                                      {"result"});
  for (std::size_t i = 0; i < kAuthResults; ++i)
    m_authAttempts[i] = &auth.with({labelValue(enumAt<AuthResult>(i))});

  auto& permission =
      registry.counterFamily("permission_checks_total", "Permission checks by result.", {"result"});
  for (std::size_t i = 0; i < kPermissionResults; ++i)
    m_permissionChecks[i] = &permission.with({labelValue(enumAt<PermissionResult>(i))});

  auto& vaultOps =
      registry.counterFamily("vault_operations_total", "Vault operations by operation and result.",
                             {"operation", "result"});
  auto& vaultDuration = registry.histogramFamily("vault_operation_duration_seconds",
                                                 "Vault operation duration in seconds.",
                                                 {"operation"}, buckets::vaultLatency());
  for (std::size_t op = 0; op < kVaultOperations; ++op) {
    const auto opLabel = labelValue(enumAt<VaultOperation>(op));
    for (std::size_t r = 0; r < kVaultResults; ++r)
      m_vaultOps[op][r] = &vaultOps.with({opLabel, labelValue(enumAt<VaultResult>(r))});
    m_vaultDuration[op] = &vaultDuration.with({opLabel});
  }

  auto& launches = registry.counterFamily("connection_launches_total",
                                          "Remote connection launches by protocol and result.",
                                          {"protocol", "result"});
  auto& active = registry.gaugeFamily(
      "connections_active", "Remote connections currently open, by protocol.", {"protocol"});
  for (std::size_t p = 0; p < kProtocols; ++p) {
    const auto protocol = labelValue(enumAt<Protocol>(p));
    for (std::size_t r = 0; r < kLaunchResults; ++r)
      m_launches[p][r] = &launches.with({protocol, labelValue(enumAt<LaunchResult>(r))});
    m_connectionsActive[p] = &active.with({protocol});
  }
}

Instruments::~Instruments() = default;

HttpRoute Instruments::httpRoute(HttpMethod method, std::string_view routeTemplate) {
  checkBoundValue("HTTP route template", routeTemplate);
  std::string key(labelValue(method));
  key += ' ';
  key += routeTemplate;
  const std::lock_guard lock(m_bindMutex);
  if (const auto it = m_routeIndex.find(key); it != m_routeIndex.end())
    return HttpRoute(it->second);
  HttpRoute::State& state = m_routes.emplace_back();
  state.family = &m_httpDuration;
  state.method = std::string(labelValue(method));
  state.route = std::string(routeTemplate);
  m_routeIndex.emplace(std::move(key), &state);
  return HttpRoute(&state);
}

void Instruments::observeHttpRequest(HttpMethod method, std::string_view routeTemplate, int status,
                                     double seconds) {
  httpRoute(method, routeTemplate).observe(status, seconds);
}

RealtimeStream Instruments::realtimeStream(std::string_view stream) {
  checkBoundValue("realtime stream name", stream);
  const std::lock_guard lock(m_bindMutex);
  if (const auto it = m_streams.find(stream); it != m_streams.end()) return it->second;
  RealtimeStream handle;
  handle.m_subscribe =
      &m_realtimeSubscriptions.with({stream, labelValue(SubscriptionAction::Subscribe)});
  handle.m_unsubscribe =
      &m_realtimeSubscriptions.with({stream, labelValue(SubscriptionAction::Unsubscribe)});
  handle.m_broadcasts = &m_realtimeBroadcasts.with({stream});
  handle.m_sendFailures = &m_realtimeSendFailures.with({stream});
  handle.m_dropped = &m_realtimeDropped.with({stream});
  m_streams.emplace(std::string(stream), handle);
  return handle;
}

Job Instruments::job(std::string_view name) {
  checkBoundValue("maintenance job name", name);
  const std::lock_guard lock(m_bindMutex);
  if (const auto it = m_jobs.find(name); it != m_jobs.end()) return it->second;
  Job handle;
  for (std::size_t r = 0; r < kJobResults; ++r)
    handle.m_runs[r] = &m_jobRuns.with({name, labelValue(enumAt<JobResult>(r))});
  handle.m_duration = &m_jobDuration.with({name});
  handle.m_lastSuccess = &m_jobLastSuccess.with({name});
  m_jobs.emplace(std::string(name), handle);
  return handle;
}

void Instruments::jobRun(std::string_view name, JobResult result, double seconds) {
  job(name).run(result, seconds);
}

} // namespace healthdeck::metrics
