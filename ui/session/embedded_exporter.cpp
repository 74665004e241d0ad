#include "healthdeck/ui/session/embedded_exporter.h"

#include "healthdeck/exporter/monitoring_module.h"

#include <stdexcept>

namespace healthdeck {

EmbeddedExporter::EmbeddedExporter() = default;

EmbeddedExporter::~EmbeddedExporter() {
  stop();
}

QString EmbeddedExporter::start(const MonitoringConfig& config) {
  stop();
  try {
    m_module = std::make_unique<MonitoringModule>(config);
    m_module->start();
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
  m_module.reset();
}

bool EmbeddedExporter::isRunning() const {
  return m_module && m_module->isRunning();
}

QUrl EmbeddedExporter::baseUrl() const {
  if (!isRunning()) return {};
  QUrl u;
  u.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
  u.setHost(m_host);
  u.setPort(m_module->port());
  return u;
}

QString EmbeddedExporter::address() const {
  return isRunning() ? QStringLiteral("%1:%2").arg(m_host).arg(m_module->port()) : QString{};
}

} // namespace healthdeck
