#pragma once
// Exporter: the HTTP/1.1 server (Boost.Asio, TLS through OpenSSL 3) answering the metrics route
// and the three health routes (DESIGN.md "Health wire format"), with bearer-token and HTTP
// basic authentication, TLS (optionally with client certificates) and the response headers of
// the Prometheus web configuration file. docs/exporter.md says why this engine.
//
// Contract:
// - The Exporter borrows the metrics::Registry and the HealthManager; both must outlive it.
//   The constructor registers the exporter's own families in the registry (as a collectable
//   that stays there) and installs the HealthManager's result observer (health-as-metrics),
//   so construct it before the manager serves probes and install no other observer.
// - start() reads the token file, builds the TLS context and binds; it throws ExporterError
//   naming the configuration key at fault (monitoring.listen, monitoring.auth.*,
//   monitoring.tls.* or tls_server_config.*, monitoring.*.endpoint). stop() (also run by the
//   destructor) closes the listener and every connection and joins every thread; it blocks
//   at most as long as the slowest handler in flight (bounded by the check timeouts).
// - start()/stop()/listeningPort()/urls() are to be called from one owning thread.
// - Threads: one I/O thread runs every socket, TLS handshake and timer (so an idle or slow
//   connection costs a socket, not a thread); `threads` worker threads render pages and run
//   health evaluations, which may block.
// - Requests are screened by parseRequestHead (http_request.h) before routing: whatever RFC
//   9112 says to reject is answered 400/414/431/505 and the connection closed. Request bodies
//   are never read: a request announcing one is answered and the connection closed after a
//   bounded drain (`lingerTimeout`), so a body is never taken for the next request.
// - Limits: at most `maxConnections` open connections (further ones wait in the listen
//   backlog); a request head must arrive whole within `requestTimeout` and within
//   `maxRequestBytes`; idle keep-alive connections are closed after `keepAliveTimeout`; a TLS
//   handshake must finish within `requestTimeout`.
// Units: std::chrono durations; ports are TCP port numbers (0 → an ephemeral port).

#include "healthdeck/config/monitoring_config.h"

#include "healthdeck/exporter/tls_options.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
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
  /// HTTP basic authentication: called with the user and password of a `Basic` header, from
  /// worker threads; must be thread-safe and constant-time in what it compares (the web
  /// config's bcrypt verifier). Empty → basic credentials are not accepted.
  std::function<bool(std::string_view user, std::string_view password)> basicAuth;
  TlsServerOptions tls; // certFile empty → plain HTTP
  /// Added to every response, e.g. Strict-Transport-Security (web config
  /// http_server_config.headers). Names must be tokens and values free of CR/LF/NUL.
  std::vector<std::pair<std::string, std::string>> responseHeaders;
  /// Also answer the Kubernetes paths /livez and /readyz (and /livez/NAME, /readyz/NAME).
  bool kubernetesAliases = false;
  int threads = 8; // worker threads for handlers
  std::size_t maxConnections = 512;
  std::chrono::milliseconds requestTimeout{10000};
  std::chrono::milliseconds keepAliveTimeout{5000};
  std::chrono::milliseconds lingerTimeout{1000}; // drain after an answer that closes
  std::size_t maxRequestBytes = 8192;
  /// Evaluate both probes before each scrape (cached by the HealthManager) so the
  /// health_check_* series exist even when nobody calls the health routes.
  bool refreshHealthOnScrape = true;

  static ExporterOptions fromConfig(const MonitoringConfig& config);
};

struct WebConfig;
/// Applies a Prometheus web configuration file (tls_server_config, basic_auth_users with a
/// bcrypt verifier, http_server_config.headers) to `options`; start() names TLS problems
/// with the key `tls_server_config.*`.
void applyWebConfig(ExporterOptions& options, const WebConfig& web);

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
