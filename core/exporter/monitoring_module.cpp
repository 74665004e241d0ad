#include "healthdeck/exporter/monitoring_module.h"

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/exporter/exporter.h"
#include "healthdeck/exporter/process_liveness_check.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/metrics/process_collector.h"
#include "healthdeck/metrics/registry.h"

#include <algorithm>

namespace healthdeck {

MonitoringModule::MonitoringModule(const MonitoringConfig& config)
    : m_config(config), m_registry(std::make_unique<metrics::Registry>(config.prometheus.ns)),
      m_health(std::make_unique<HealthManager>(
          HealthManager::Options{config.health.timeout, config.health.cacheTtl})) {
  m_registry->addCollectable(std::make_shared<metrics::ProcessCollector>());
  bool hasLiveness = false;
  bool processNameTaken = false;
  for (const CheckConfig& c : config.checks) {
    m_health->add(checkSpec(c), buildCheck(c));
    hasLiveness = hasLiveness || c.probe == Probe::Liveness;
    processNameTaken = processNameTaken || c.name == "process";
  }
  // Liveness must answer something honest even with no configuration: that a fresh worker
  // can run and the process still has file descriptors left.
  if (!hasLiveness && !processNameTaken) {
    CheckSpec spec;
    spec.name = "process";
    spec.probe = Probe::Liveness;
    m_health->add(spec, std::make_shared<ProcessLivenessCheck>());
  }
  m_exporter =
      std::make_unique<Exporter>(ExporterOptions::fromConfig(config), *m_registry, *m_health);
}

MonitoringModule::~MonitoringModule() {
  stop();
}

void MonitoringModule::start() {
  try {
    m_exporter->start();
  } catch (const ExporterError& e) {
    // ExporterError reads "KEY: reason"; point the reason at where that key was set.
    const std::string what = e.what();
    const std::string reason = what.substr(std::min(what.size(), e.key().size() + 2));
    // TLS settings of the web configuration file are named as that file's keys.
    if (e.key().starts_with("tls_server_config") && !m_config.webConfigFile.empty())
      throw ConfigError(m_config.webConfigFile, 0, e.key(), reason);
    throw m_config.error(e.key(), reason);
  }
}

void MonitoringModule::stop() {
  if (m_exporter) m_exporter->stop();
}

bool MonitoringModule::isRunning() const {
  return m_exporter && m_exporter->isRunning();
}

std::vector<std::string> MonitoringModule::urls() const {
  return isRunning() ? m_exporter->urls() : std::vector<std::string>{};
}

int MonitoringModule::port() const {
  return isRunning() ? m_exporter->listeningPort() : 0;
}

} // namespace healthdeck
