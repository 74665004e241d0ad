// embedded_service — a small C++ service that links the installed healthdeck::core:
//   its own API (ItemService) on --listen, and on --monitoring the embedded monitoring module
//   (healthdeck::MonitoringModule) serving /metrics (text 0.0.4 or OpenMetrics), /health,
//   /health/live and /health/ready with the service's own checks and the standard instruments.
//
// Usage: embedded_service --token-file FILE --data DIR [--listen HOST:PORT]
//                         [--monitoring HOST:PORT]
// --listen port 0 picks a free port for the API; the bound addresses are printed as one line
//   `api=http://HOST:PORT metrics=http://HOST:PORT/metrics`.
// SIGTERM or SIGINT stops it (exit 0). Exit 2 on bad arguments or configuration.

#include "item_service.h"
#include "storage_check.h"

#include <healthdeck/config/monitoring_config.h>
#include <healthdeck/exporter/monitoring_module.h>
#include <healthdeck/health/health_manager.h>
#include <healthdeck/health/heartbeat_check.h>
#include <healthdeck/health/queue_depth_check.h>
#include <healthdeck/metrics/instruments.h>

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <map>
#include <unistd.h>

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int) {
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

std::string readToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

} // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  std::map<std::string, std::string> args{{"--listen", "127.0.0.1:8080"},
                                          {"--monitoring", "127.0.0.1:9797"}};
  for (int i = 1; i + 1 < argc; i += 2)
    args[argv[i]] = argv[i + 1];
  if (args["--token-file"].empty() || args["--data"].empty()) {
    std::cerr << "usage: embedded_service --token-file FILE --data DIR [--listen HOST:PORT] "
                 "[--monitoring HOST:PORT]\n";
    return 2;
  }
  const std::string token = readToken(args["--token-file"]);
  if (token.empty()) {
    std::cerr << "embedded_service: --token-file " << args["--token-file"]
              << ": unreadable or empty\n";
    return 2;
  }

  // The monitoring module, configured in code (a service may instead load a monitoring.yaml
  // with healthdeck::loadMonitoringConfig()).
  healthdeck::MonitoringConfig config;
  config.prometheus.ns = "embedded";
  try {
    healthdeck::overrideListen(config, args["--monitoring"], "--monitoring");
  } catch (const healthdeck::ConfigError& e) {
    std::cerr << "embedded_service: " << e.what() << '\n';
    return 2;
  }
  healthdeck::MonitoringModule monitoring(config);
  healthdeck::metrics::Instruments instruments(monitoring.registry());

  // The service's own checks, next to the module's default `process` liveness check.
  auto purgeHeartbeat = std::make_shared<healthdeck::HeartbeatCheck>(std::chrono::seconds(10));
  auto realtimeQueue = std::make_shared<healthdeck::QueueDepthCheck>(
      healthdeck::QueueDepthCheck::Thresholds{1000, 10000});
  const QString dataDir = QString::fromStdString(args["--data"]);
  healthdeck::HealthManager& health = monitoring.health();
  health.add({.name = "item_store"}, std::make_shared<StorageCheck>(args["--data"]));
  health.add({.name = "session_purge"}, purgeHeartbeat);
  health.add({.name = "realtime_queue", .critical = false}, realtimeQueue);

  ItemService service(instruments, token, dataDir, purgeHeartbeat, realtimeQueue);
  const std::string listen = args["--listen"];
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos ||
      !service.listen(QHostAddress(QString::fromStdString(listen.substr(0, colon))),
                      static_cast<quint16>(std::stoi(listen.substr(colon + 1))))) {
    std::cerr << "embedded_service: --listen " << listen << ": "
              << service.errorString().toStdString() << '\n';
    return 2;
  }
  try {
    monitoring.start();
  } catch (const healthdeck::ConfigError& e) {
    std::cerr << "embedded_service: " << e.what() << '\n';
    return 2;
  }

  if (::pipe2(g_signalPipe, O_CLOEXEC) != 0) return 1;
  QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
  QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);

  std::cout << "api=http://" << listen.substr(0, colon) << ':' << service.port()
            << " metrics=" << monitoring.urls().front() << std::endl;
  const int rc = app.exec();
  monitoring.stop();
  return rc;
}
