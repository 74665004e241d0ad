#pragma once
// MonitoringModule: the whole monitoring module of one host assembled from a MonitoringConfig —
// the metrics registry with the process collector, the health manager with every configured
// check (plus the default `process` liveness check when no liveness check is configured), and
// the exporter serving them. `healthdeck serve`, the console's embedded exporter and a C++
// service that wants the stock set-up all build it the same way.
//
// Contract: the constructor validates and builds everything but binds nothing; start() binds
// and throws ConfigError naming the file, line and key of the setting that failed (the listen
// address, a TLS file). The exporter borrows the registry and the manager, so they live exactly
// as long as the module. Not copyable; stop() and the destructor are idempotent. A service that
// adds its own instruments uses registry() before or after start().

#include "healthdeck/config/monitoring_config.h"

#include <memory>
#include <string>
#include <vector>

namespace healthdeck {

class Exporter;
class HealthManager;
namespace metrics {
class Registry;
}

class MonitoringModule {
public:
  explicit MonitoringModule(const MonitoringConfig& config);
  ~MonitoringModule();
  MonitoringModule(const MonitoringModule&) = delete;
  MonitoringModule& operator=(const MonitoringModule&) = delete;

  void start();
  void stop();
  bool isRunning() const;
  /// One URL per served route, with the bound port ("http://127.0.0.1:9797/metrics").
  std::vector<std::string> urls() const;
  /// The bound port (useful with port 0), 0 when not running.
  int port() const;

  metrics::Registry& registry() { return *m_registry; }
  HealthManager& health() { return *m_health; }
  const MonitoringConfig& config() const { return m_config; }

private:
  MonitoringConfig m_config;
  std::unique_ptr<metrics::Registry> m_registry;
  std::unique_ptr<HealthManager> m_health;
  std::unique_ptr<Exporter> m_exporter;
};

} // namespace healthdeck
