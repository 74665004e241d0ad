#pragma once
// Exporter: one civetweb server answering the metrics route and the three health routes
// (DESIGN.md "Health wire format"), with optional bearer-token auth and TLS.
//
// Contract:
// - The Exporter borrows the metrics::Registry and the HealthManager; both must outlive it.
//   The constructor registers the exporter's own families in the registry (as a collectable
//   that stays there) and installs the HealthManager's result observer (health-as-metrics),
//   so construct it before the manager serves probes and install no other observer.
// - start() reads the token file, checks the TLS files and binds; it throws ExporterError
//   naming the configuration key at fault (monitoring.listen, monitoring.auth.*,
//   monitoring.tls.*, monitoring.*.endpoint). stop() (also run by the destructor) closes
//   the listener and joins every worker; it blocks at most as long as the slowest request
//   in flight (bounded by the request timeout and the check timeouts).
// - start()/stop()/listeningPort()/urls() are to be called from one owning thread; requests
//   are served concurrently by civetweb's worker threads.
// - Limits: a fixed pool of `threads` workers, each connection owning one while it is open;
//   a request must arrive whole within `requestTimeout`; headers beyond `maxRequestBytes`
//   are answered 400 and the connection is closed; idle keep-alive connections are closed
//   after `keepAliveTimeout`.
// Units: std::chrono durations; ports are TCP port numbers (0 → an ephemeral port).

#include "healthdeck/config/monitoring_config.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace healthdeck {

class HealthManager;
namespace metrics {
class Registry;
}

struct ExporterOptions {
  std::string listen = "127.0.0.1:9797"; // IPv4 HOST:PORT; "0.0.0.0" = all; port 0 = ephemeral
  bool metricsEnabled = true;
  std::string metricsPath = "/metrics";
  bool healthEnabled = true;
  std::string healthPath = "/health";
  std::string livePath = "/health/live";
  std::string readyPath = "/health/ready";
  std::string bearerTokenFile; // empty → no auth
  ShowDetails showDetails = ShowDetails::WhenAuthorized;
  std::string tlsCertFile; // PEM; may hold the key too
  std::string tlsKeyFile;  // empty or equal to tlsCertFile → the key is in tlsCertFile
  int threads = 64;
  std::chrono::milliseconds requestTimeout{10000};
  std::chrono::milliseconds keepAliveTimeout{5000};
  std::size_t maxRequestBytes = 8192;
  /// Evaluate both probes before each scrape (cached by the HealthManager) so the
  /// health_check_* series exist even when nobody calls the health routes.
  bool refreshHealthOnScrape = true;

  static ExporterOptions fromConfig(const MonitoringConfig& config);
};

/// A start failure. what() is one line "KEY: reason", key() the configuration key.
class ExporterError : public std::runtime_error {
public:
  ExporterError(std::string key, const std::string& message);
  const std::string& key() const noexcept { return m_key; }

private:
  std::string m_key;
};

class Exporter {
public:
  Exporter(ExporterOptions options, metrics::Registry& registry, HealthManager& health);
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  void start();
  void stop();
  bool isRunning() const noexcept;

  /// The bound TCP port (the real one when listen asked for port 0); 0 when not running.
  int listeningPort() const noexcept;
  /// "http(s)://HOST:PORT/path" for every enabled route, metrics first; empty when stopped.
  std::vector<std::string> urls() const;

  const ExporterOptions& options() const noexcept;

  struct Impl;

private:
  std::unique_ptr<Impl> m_impl;
};

} // namespace healthdeck
