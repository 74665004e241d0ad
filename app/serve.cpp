// `healthdeck serve`: the headless exporter until SIGINT/SIGTERM.

#include "app/cli.h"
#include "app/commands.h"

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/monitoring_module.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <pthread.h>
#include <stdexcept>
#include <string>

namespace healthdeck::app {

namespace {

struct ServeArgs {
  std::string config;
  std::optional<std::string> listen;
  std::optional<std::string> webConfigFile;
};

} // namespace

int runServe(const Args& args) {
  CommandLine cli(QStringLiteral("serve"), QStringLiteral("[options]"),
                  QStringLiteral("Serves /metrics and /health, /health/live, /health/ready (paths "
                                 "per the configuration)\nuntil SIGINT or SIGTERM. Exit status: 0 "
                                 "after a clean stop, 2 for a bad configuration,\na port in use or "
                                 "bad usage."));
  cli.addOption({QStringLiteral("config")}, QStringLiteral("Monitoring configuration (YAML)."),
                QStringLiteral("FILE"));
  cli.addOption({QStringLiteral("listen")},
                QStringLiteral("Listen address, overriding monitoring.listen."),
                QStringLiteral("HOST:PORT"));
  cli.addOption({QStringLiteral("web.config.file")},
                QStringLiteral("Prometheus web configuration file (TLS, client certificates, "
                               "basic auth, headers),\noverriding monitoring.web_config_file."),
                QStringLiteral("FILE"));
  if (const auto exitNow = cli.parse(args)) return *exitNow;
  ServeArgs parsedArgs;
  parsedArgs.config = cli.value(QStringLiteral("config")).toStdString();
  if (cli.isSet(QStringLiteral("config")) && parsedArgs.config.empty())
    return cli.usageError(QStringLiteral("--config needs a FILE"));
  if (cli.isSet(QStringLiteral("listen"))) {
    parsedArgs.listen = cli.value(QStringLiteral("listen")).toStdString();
    if (parsedArgs.listen->empty())
      return cli.usageError(QStringLiteral("--listen needs HOST:PORT"));
  }
  if (cli.isSet(QStringLiteral("web.config.file"))) {
    parsedArgs.webConfigFile = cli.value(QStringLiteral("web.config.file")).toStdString();
    if (parsedArgs.webConfigFile->empty())
      return cli.usageError(QStringLiteral("--web.config.file needs a FILE"));
  }
  const ServeArgs* parsed = &parsedArgs;

  // Block the stop signals before any thread exists so every thread inherits the mask and
  // only sigwait() below receives them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // Some checks use Qt drivers that expect an application object; no event loop is needed.
  int qtArgc = 1;
  std::string program = args.empty() ? std::string("healthdeck") : args[0];
  char* qtArgv[] = {program.data(), nullptr};
  QCoreApplication app(qtArgc, qtArgv);

  std::optional<MonitoringConfig> config;
  try {
    config = loadMonitoringConfig(parsed->config);
    if (parsed->listen) overrideListen(*config, *parsed->listen);
    if (parsed->webConfigFile) {
      // Read like node_exporter's flag: the file as given, errors "FILE:LINE: KEY: message".
      config->webConfigFile = *parsed->webConfigFile;
      config->webConfig = loadWebConfig(config->webConfigFile);
      if (config->webConfig->tls.enabled() && !config->tls.certFile.empty())
        throw std::runtime_error(
            "--web.config.file: TLS is configured twice: " + config->webConfigFile +
            " has tls_server_config and the configuration has monitoring.tls");
    }
    checkListenAvailable(*config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "healthdeck: %s\n", e.what());
    return 2;
  }
  const MonitoringConfig& cfg = *config;

  try {
    MonitoringModule module(cfg);
    module.start();
    for (const std::string& w : cfg.warnings)
      std::fprintf(stderr, "healthdeck: warning: %s\n", w.c_str());
    for (const std::string& url : module.urls())
      std::printf("%s\n", url.c_str());
    std::fflush(stdout);

    int received = 0;
    while (sigwait(&stopSignals, &received) != 0) {
    }
    module.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "healthdeck: %s\n", e.what());
    return 2;
  }
  return 0;
}

} // namespace healthdeck::app
