#pragma once
// Instruments: the standard metric families of DESIGN.md ("Standard metric families": auth,
// sessions, HTTP, vault, realtime, jobs, connections) created in one Registry, with typed
// helpers so call sites never spell a metric name or a label value.
//
// Contract:
// - The constructor creates every family (with the Registry's namespace prefix) and, for the
//   closed label sets, every series up front, so dashboards see zeros rather than gaps and
//   the helpers are array lookups plus one atomic operation. Constructing a second
//   Instruments on the same Registry throws std::invalid_argument (names taken).
// - Closed label sets are enums (AuthResult, HttpMethod, ...); open-but-bounded labels (route
//   template, stream name, job name) are bound once into a handle (HttpRoute, RealtimeStream,
//   Job) whose calls never look anything up. Binding takes a lock; bind at start-up. Never
//   bind ids, raw URLs or error text: each distinct value is a new series forever.
// - Every helper is thread-safe; handles are cheap to copy and stay valid while the
//   Registry and this Instruments live. Durations are seconds (double), timestamps are Unix
//   seconds.
// - Cost: the enum-indexed helpers are defined here, inline, so a call site compiles to one
//   array load and the atomic operation — the same as a bound Counter (bench_instruments,
//   docs/performance.md). Out of line they paid a call and return around the atomic add
//   (1.44x a raw relaxed add measured in issue 14).

#include "healthdeck/metrics/registry.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck::metrics {

enum class AuthResult { Success, Failure, Locked, MfaRequired, Error };
enum class PermissionResult { Granted, Denied, Error };
enum class HttpMethod { Get, Head, Post, Put, Patch, Delete, Options, Other };
enum class VaultOperation { Read, Write, Delete, List, Rotate };
enum class VaultResult { Success, NotFound, Denied, Error };
enum class SubscriptionAction { Subscribe, Unsubscribe };
enum class JobResult { Success, Failure, Timeout, Skipped };
/// Remote-access protocols the console can launch.
enum class Protocol { Ssh, Rdp, Vnc, Telnet, Kubernetes };
enum class LaunchResult { Success, Failure, Denied, Timeout };

/// The label value each enumerator is written as (lower snake case; HTTP methods upper case).
std::string_view labelValue(AuthResult value) noexcept;
std::string_view labelValue(PermissionResult value) noexcept;
std::string_view labelValue(HttpMethod value) noexcept;
std::string_view labelValue(VaultOperation value) noexcept;
std::string_view labelValue(VaultResult value) noexcept;
std::string_view labelValue(SubscriptionAction value) noexcept;
std::string_view labelValue(JobResult value) noexcept;
std::string_view labelValue(Protocol value) noexcept;
std::string_view labelValue(LaunchResult value) noexcept;

/// Default bucket upper bounds, in seconds.
namespace buckets {
/// HTTP requests: 5 ms .. 10 s (the Prometheus client defaults).
std::vector<double> httpLatency();
/// Vault operations: 1 ms .. 2.5 s (local crypto and a store round trip).
std::vector<double> vaultLatency();
/// User sessions: 10 s .. 1 day.
std::vector<double> sessionDuration();
/// Maintenance jobs: 100 ms .. 1 h.
std::vector<double> jobDuration();
} // namespace buckets

/// Handle for one (method, route template); observe() picks the status series by array index.
class HttpRoute {
public:
  /// `status` outside 100..599 is recorded as status="unknown".
  void observe(int status, double seconds) const;
  struct State;

private:
  friend class Instruments;
  explicit HttpRoute(State* state) noexcept : m_state(state) {}
  State* m_state;
};

struct HttpRoute::State {
  static constexpr std::size_t kUnknownStatus = 500; // index for codes outside 100..599
  HistogramFamily* family = nullptr;
  std::string method;
  std::string route;
  std::array<std::atomic<Histogram*>, kUnknownStatus + 1> byStatus{}; // index status - 100
};

/// Handle for one realtime stream.
class RealtimeStream {
public:
  void subscribed() const noexcept { m_subscribe->inc(); }
  void unsubscribed() const noexcept { m_unsubscribe->inc(); }
  void broadcast() const noexcept { m_broadcasts->inc(); }
  void sendFailed(std::uint64_t count = 1) const noexcept { m_sendFailures->inc(count); }
  void queueDropped(std::uint64_t count = 1) const noexcept { m_dropped->inc(count); }

private:
  friend class Instruments;
  RealtimeStream() = default;
  Counter* m_subscribe = nullptr;
  Counter* m_unsubscribe = nullptr;
  Counter* m_broadcasts = nullptr;
  Counter* m_sendFailures = nullptr;
  Counter* m_dropped = nullptr;
};

/// Handle for one maintenance job.
class Job {
public:
  /// Counts the run, observes its duration and, on success, sets the last-success timestamp
  /// to now.
  void run(JobResult result, double seconds) const noexcept {
    m_duration->observe(seconds);
    count(result);
  }
  /// The duration histogram, e.g. for a ScopedTimer (then record the result with count()).
  Histogram& duration() const noexcept { return *m_duration; }
  /// Counts the run without a duration (and sets the timestamp on success).
  void count(JobResult result) const noexcept {
    m_runs[static_cast<std::size_t>(result)]->inc();
    if (result == JobResult::Success) m_lastSuccess->setToCurrentTime();
  }

private:
  friend class Instruments;
  Job() = default;
  std::array<Counter*, 4> m_runs{};
  Histogram* m_duration = nullptr;
  Gauge* m_lastSuccess = nullptr;
};

class Instruments {
public:
  explicit Instruments(Registry& registry);
  ~Instruments();
  Instruments(const Instruments&) = delete;
  Instruments& operator=(const Instruments&) = delete;

  // auth
  void recordAuthAttempt(AuthResult result) noexcept { m_authAttempts[index(result)]->inc(); }
  void recordPermissionCheck(PermissionResult result) noexcept {
    m_permissionChecks[index(result)]->inc();
  }

  // sessions
  void sessionOpened() noexcept { m_sessionsActive.inc(); }
  void sessionClosed() noexcept { m_sessionsActive.dec(); }
  void setActiveSessions(std::size_t count) noexcept {
    m_sessionsActive.set(static_cast<double>(count));
  }
  void observeSessionDuration(double seconds) noexcept { m_sessionDuration.observe(seconds); }

  // HTTP
  /// Binds (method, route template), e.g. httpRoute(HttpMethod::Get, "/api/users/{id}").
  /// Throws std::invalid_argument for an empty route or one that is not valid UTF-8.
  HttpRoute httpRoute(HttpMethod method, std::string_view routeTemplate);
  /// Convenience that binds on every call (a map lookup under a lock): prefer httpRoute().
  void observeHttpRequest(HttpMethod method, std::string_view routeTemplate, int status,
                          double seconds);

  // vault
  void recordVaultOperation(VaultOperation operation, VaultResult result, double seconds) noexcept {
    m_vaultDuration[index(operation)]->observe(seconds);
    countVaultOperation(operation, result);
  }
  /// Counts an operation without observing a duration (pair with a ScopedTimer).
  void countVaultOperation(VaultOperation operation, VaultResult result) noexcept {
    m_vaultOps[index(operation)][index(result)]->inc();
  }
  Histogram& vaultDuration(VaultOperation operation) noexcept {
    return *m_vaultDuration[index(operation)];
  }

  // realtime
  void realtimeConnectionOpened() noexcept { m_realtimeConnections.inc(); }
  void realtimeConnectionClosed() noexcept { m_realtimeConnections.dec(); }
  void setRealtimeConnections(std::size_t count) noexcept {
    m_realtimeConnections.set(static_cast<double>(count));
  }
  void setRealtimeQueueDepth(std::size_t depth) noexcept {
    m_realtimeQueueDepth.set(static_cast<double>(depth));
  }
  /// Binds a stream name. Throws std::invalid_argument for an empty or non-UTF-8 name.
  RealtimeStream realtimeStream(std::string_view stream);

  // jobs
  /// Binds a job name. Throws std::invalid_argument for an empty or non-UTF-8 name.
  Job job(std::string_view name);
  /// Convenience that binds on every call: prefer job().
  void jobRun(std::string_view name, JobResult result, double seconds);

  // connections
  void recordConnectionLaunch(Protocol protocol, LaunchResult result) noexcept {
    m_launches[index(protocol)][index(result)]->inc();
  }
  void connectionOpened(Protocol protocol) noexcept { m_connectionsActive[index(protocol)]->inc(); }
  void connectionClosed(Protocol protocol) noexcept { m_connectionsActive[index(protocol)]->dec(); }

private:
  template <class E> static constexpr std::size_t index(E e) noexcept {
    return static_cast<std::size_t>(e);
  }

  static constexpr std::size_t kAuthResults = 5;
  static constexpr std::size_t kPermissionResults = 3;
  static constexpr std::size_t kVaultOperations = 5;
  static constexpr std::size_t kVaultResults = 4;
  static constexpr std::size_t kProtocols = 5;
  static constexpr std::size_t kLaunchResults = 4;

  std::array<Counter*, kAuthResults> m_authAttempts{};
  std::array<Counter*, kPermissionResults> m_permissionChecks{};
  Gauge& m_sessionsActive;
  Histogram& m_sessionDuration;
  HistogramFamily& m_httpDuration;
  std::array<std::array<Counter*, kVaultResults>, kVaultOperations> m_vaultOps{};
  std::array<Histogram*, kVaultOperations> m_vaultDuration{};
  Gauge& m_realtimeConnections;
  Gauge& m_realtimeQueueDepth;
  CounterFamily& m_realtimeSubscriptions;
  CounterFamily& m_realtimeBroadcasts;
  CounterFamily& m_realtimeSendFailures;
  CounterFamily& m_realtimeDropped;
  CounterFamily& m_jobRuns;
  HistogramFamily& m_jobDuration;
  GaugeFamily& m_jobLastSuccess;
  std::array<std::array<Counter*, kLaunchResults>, kProtocols> m_launches{};
  std::array<Gauge*, kProtocols> m_connectionsActive{};

  std::mutex m_bindMutex;
  std::deque<HttpRoute::State> m_routes;
  std::map<std::string, HttpRoute::State*, std::less<>> m_routeIndex; // "GET /route"
  std::map<std::string, RealtimeStream, std::less<>> m_streams;
  std::map<std::string, Job, std::less<>> m_jobs;
};

} // namespace healthdeck::metrics
