#include "ui/embedded_exporter.h"

#include "core/checks/check_factory.h"
#include "core/exporter/exporter.h"
#include "core/health/health_check.h"
#include "core/health/health_manager.h"
#include "core/metrics/process_collector.h"
#include "core/metrics/registry.h"

#include <stdexcept>

namespace healthdeck {

namespace {

/// Liveness: the manager's worker ran this check, so the process can still run checks. It
/// depends on no outside service, as liveness must not.
class WorkerResponsiveCheck final : public HealthCheck {
public:
  CheckOutcome run(const CheckContext&) override { return {Status::Up, "console responsive"}; }
};

} // namespace

EmbeddedExporter::EmbeddedExporter() = default;

EmbeddedExporter::~EmbeddedExporter() {
  stop();
}

QString EmbeddedExporter::start(const MonitoringConfig& config) {
  stop();
  try {
    m_registry = std::make_unique<metrics::Registry>(config.prometheus.ns);
    m_registry->addCollectable(std::make_shared<metrics::ProcessCollector>());
    HealthManager::Options ho;
    ho.defaultTimeout = config.health.timeout;
    ho.cacheTtl = config.health.cacheTtl;
    m_health = std::make_unique<HealthManager>(ho);
    m_health->add(CheckSpec{"process", Probe::Liveness, true, {}, {}},
                  std::make_shared<WorkerResponsiveCheck>());
    for (const auto& c : config.checks) {
      CheckSpec spec;
      spec.name = c.name;
      spec.probe = c.probe;
      spec.critical = c.critical;
      spec.timeout = c.timeout;
      spec.degradedAfter = c.degradedAfter;
      m_health->add(spec, buildCheck(c));
    }
    m_exporter =
        std::make_unique<Exporter>(ExporterOptions::fromConfig(config), *m_registry, *m_health);
    m_exporter->start();
  } catch (const std::exception& e) {
    const QString reason = QString::fromStdString(e.what());
    stop();
    return reason;
  }
  m_host = QString::fromStdString(config.listenAddress);
  if (m_host == QLatin1String("0.0.0.0")) m_host = QStringLiteral("127.0.0.1");
  m_tls = !config.tls.certFile.empty();
  return {};
}

void EmbeddedExporter::stop() {
  // The exporter borrows the manager and registry: stop and destroy it first.
  m_exporter.reset();
  m_health.reset();
  m_registry.reset();
}

bool EmbeddedExporter::isRunning() const {
  return m_exporter && m_exporter->isRunning();
}

QUrl EmbeddedExporter::baseUrl() const {
  if (!isRunning()) return {};
  QUrl u;
  u.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
  u.setHost(m_host);
  u.setPort(m_exporter->listeningPort());
  return u;
}

QString EmbeddedExporter::address() const {
  return isRunning() ? QStringLiteral("%1:%2").arg(m_host).arg(m_exporter->listeningPort())
                     : QString{};
}

} // namespace healthdeck
