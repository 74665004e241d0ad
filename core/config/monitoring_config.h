#pragma once
// MonitoringConfig: the `monitoring:` section of DESIGN.md as plain data, and the loader that
// reads it from YAML plus HEALTHDECK_* environment overrides.
//
// Contract: loadMonitoringConfig() either returns a fully validated config or throws
// ConfigError naming the file, line and key of the first problem. It never reads secret
// contents into the config: secret files are only checked for readability; the exporter
// reads them when it starts. Thread-safety: plain data, no shared state.

#include "healthdeck/exporter/web_config.h"
#include "healthdeck/health/status.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace healthdeck {

enum class ShowDetails : std::uint8_t { Always, WhenAuthorized, Never };

/// A problem in the configuration. what() is the full one-line message
/// "FILE:LINE: KEY: message" (LINE omitted when unknown, e.g. for an environment override,
/// where FILE is the variable name).
class ConfigError : public std::runtime_error {
public:
  ConfigError(std::string file, int line, std::string key, std::string message);
  const std::string& file() const noexcept { return m_file; }
  int line() const noexcept { return m_line; }              // 1-based; 0 when unknown
  const std::string& key() const noexcept { return m_key; } // dotted path, e.g. monitoring.listen
  const std::string& message() const noexcept { return m_message; }

private:
  std::string m_file;
  int m_line;
  std::string m_key;
  std::string m_message;
};

/// One scalar parameter of a check, with where it came from for error messages.
struct ConfigParam {
  std::string value;
  int line = 0;
};

/// One entry of `monitoring.checks`. Common keys are parsed here; the rest (address, file,
/// dsn_file, ...) stay in `params` for the check type to interpret and validate.
struct CheckConfig {
  std::string name;
  std::string type;
  Probe probe = Probe::Readiness;
  bool critical = true;
  std::chrono::milliseconds timeout{0}; // 0 → health_check.timeout
  std::chrono::milliseconds degradedAfter{0};
  bool allowLiveness = false;
  std::map<std::string, ConfigParam> params;
  std::string file; // source file, for errors the check type raises
  int line = 0;     // line of the list entry

  /// Throws ConfigError naming this entry's file/line and `checks[i].key`.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const ConfigParam* param(const std::string& key) const;
  std::string required(const std::string& key) const; // throws when missing/empty
  std::string optional(const std::string& key, std::string fallback = {}) const;
  std::chrono::milliseconds duration(const std::string& key,
                                     std::chrono::milliseconds fallback) const;
  double number(const std::string& key, double fallback) const;
  std::int64_t integer(const std::string& key, std::int64_t fallback) const;
  bool boolean(const std::string& key, bool fallback) const;
  int index = 0; // position in the list, for `checks[i]` in messages
};

/// Where a setting's value came from: a file and 1-based line, or an environment variable
/// (line 0). The built-in defaults have no entry.
struct ConfigSource {
  std::string file;
  int line = 0;
};

struct MonitoringConfig {
  std::string listen = "127.0.0.1:9797";
  // `listen` parsed: the host as written, its IPv4 address (hostnames are resolved at load;
  // civetweb here has no IPv6) and the port. Bind to listenAddress:listenPort.
  std::string listenHost = "127.0.0.1";
  std::string listenAddress = "127.0.0.1";
  std::uint16_t listenPort = 9797;

  struct Prometheus {
    bool enabled = true;
    std::string endpoint = "/metrics";
    std::string ns; // `namespace`: prefix for the standard instrument families
  } prometheus;

  struct HealthCheck {
    bool enabled = true;
    std::string healthPath = "/health";
    std::string livePath = "/health/live";
    std::string readyPath = "/health/ready";
    std::chrono::milliseconds timeout{2000};
    std::chrono::milliseconds cacheTtl{1000};
    // Also answer the Kubernetes paths /livez and /readyz (same answers as live/ready).
    bool kubernetesAliases = false;
  } health;

  struct Auth {
    std::string bearerTokenFile; // empty → no auth
    ShowDetails showDetails = ShowDetails::WhenAuthorized;
  } auth;

  struct Tls {
    std::string certFile;
    std::string keyFile;
  } tls;

  /// monitoring.web_config_file: the Prometheus exporter-toolkit web configuration file (TLS,
  /// client certificates, basic_auth_users, response headers); empty → none. Resolved against
  /// the config file's directory. `webConfig` is its content, parsed and validated at load;
  /// the exporter re-reads the file when it changes.
  std::string webConfigFile;
  std::optional<WebConfig> webConfig;

  std::vector<CheckConfig> checks;

  std::string sourceFile;            // where it was loaded from; empty for built-in defaults
  std::vector<std::string> warnings; // e.g. non-loopback bind without auth
  /// Dotted key ("monitoring.listen", "monitoring.checks[0].name") → where its value came from.
  std::map<std::string, ConfigSource> sources;

  /// True when listenAddress is in 127.0.0.0/8.
  bool listensOnLoopback() const;
  /// A ConfigError for `key` naming where its value came from (file and line, the environment
  /// variable, or "<defaults>"), for problems found after loading, e.g. a failed bind.
  ConfigError error(const std::string& key, const std::string& message) const;
};

/// Parses "250ms", "2s", "1.5s", "10m", "1h", "0s". Returns nullopt on anything else.
std::optional<std::chrono::milliseconds> parseDuration(const std::string& text);

/// Environment lookup, injectable for tests. Returns nullopt when the variable is unset.
using EnvLookup = std::optional<std::string> (*)(const char* name);
std::optional<std::string> processEnv(const char* name);

/// Names of the variables set in the environment, so unknown HEALTHDECK_MONITORING_* names
/// (typos) can be refused. Injectable for tests.
using EnvNames = std::vector<std::string> (*)();
std::vector<std::string> processEnvNames();

/// Loads `path`, then applies HEALTHDECK_MONITORING_* overrides, then validates. An empty
/// path loads defaultConfigPath() when that file exists, else the built-in defaults; an
/// explicit path that cannot be read is an error. `names` lists the variables to screen for
/// unknown HEALTHDECK_MONITORING_* names; nullptr means processEnvNames when `env` is
/// processEnv and no screening otherwise. Relative secret-file paths are resolved against the
/// directory of the config file.
MonitoringConfig loadMonitoringConfig(const std::string& path, EnvLookup env = processEnv,
                                      EnvNames names = nullptr);
/// Same from YAML text; `fileName` is used in messages and to resolve relative paths.
MonitoringConfig parseMonitoringConfig(const std::string& yaml, const std::string& fileName,
                                       EnvLookup env = processEnv, EnvNames names = nullptr);

/// The default config path: $XDG_CONFIG_HOME/healthdeck/monitoring.yaml, else
/// $HOME/.config/healthdeck/monitoring.yaml. Empty when neither variable is set.
std::string defaultConfigPath();
std::string defaultConfigPath(EnvLookup env);

/// Replaces monitoring.listen (e.g. from `serve --listen`), validated like the file's value;
/// errors name `origin` as the file. Recomputes the warnings.
void overrideListen(MonitoringConfig& config, const std::string& hostPort,
                    const std::string& origin = "--listen");

/// Binds a TCP socket to listenAddress:listenPort (SO_REUSEADDR) and releases it at once.
/// Throws ConfigError for monitoring.listen, e.g. "127.0.0.1:9797 is already in use".
void checkListenAvailable(const MonitoringConfig& config);

} // namespace healthdeck
