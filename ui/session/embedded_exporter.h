#pragma once
// EmbeddedExporter: the monitoring module of the host the console runs on — the metrics
// registry with the process collector, the health manager with the configured checks and the
// exporter serving them (a MonitoringModule, as `healthdeck serve` builds it) — started from a
// MonitoringConfig, so "This host" has live data with no set-up.
// Owned by the GUI thread; the exporter serves on its own worker threads.

#include "healthdeck/config/monitoring_config.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace healthdeck {

class MonitoringModule;

class EmbeddedExporter {
public:
  EmbeddedExporter();
  ~EmbeddedExporter();
  EmbeddedExporter(const EmbeddedExporter&) = delete;
  EmbeddedExporter& operator=(const EmbeddedExporter&) = delete;

  /// Builds the checks and binds. Returns the reason on failure ("monitoring.listen:
  /// 127.0.0.1:9797 is already in use"), empty on success.
  QString start(const MonitoringConfig& config);
  void stop();
  bool isRunning() const;
  /// "http://127.0.0.1:9797" (the bound port), empty when not running.
  QUrl baseUrl() const;
  /// "127.0.0.1:9797".
  QString address() const;

private:
  std::unique_ptr<MonitoringModule> m_module;
  QString m_host;
  bool m_tls = false;
};

} // namespace healthdeck
