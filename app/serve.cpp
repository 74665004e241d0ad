// `healthdeck serve`: the headless exporter until SIGINT/SIGTERM.

#include "app/commands.h"

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/monitoring_module.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <pthread.h>
#include <string>

namespace healthdeck::app {

namespace {

void printServeUsage(std::FILE* out) {
  std::fputs("usage: healthdeck serve [--config FILE] [--listen HOST:PORT]\n"
             "  Serves /metrics and /health, /health/live, /health/ready (paths per the\n"
             "  configuration) until SIGINT or SIGTERM. Exit status: 0 after a clean stop,\n"
             "  2 for a bad configuration, a port in use or bad usage.\n",
             out);
}

struct ServeArgs {
  std::string config;
  std::optional<std::string> listen;
};

/// Returns nullopt after printing the problem (exit 2), or an exit code via `exitNow`.
std::optional<ServeArgs> parseArgs(const Args& args, int& exitNow) {
  ServeArgs out;
  exitNow = -1;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&](const std::string& name) -> std::optional<std::string> {
      if (a.starts_with(name + "=")) return a.substr(name.size() + 1);
      if (a == name && i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (a == "--help" || a == "-h") {
      printServeUsage(stdout);
      exitNow = 0;
      return std::nullopt;
    }
    if (a == "--config" || a.starts_with("--config=")) {
      auto v = value("--config");
      if (!v || v->empty()) {
        std::fputs("healthdeck: --config needs a FILE\n", stderr);
        printServeUsage(stderr);
        exitNow = 2;
        return std::nullopt;
      }
      out.config = *v;
      continue;
    }
    if (a == "--listen" || a.starts_with("--listen=")) {
      auto v = value("--listen");
      if (!v || v->empty()) {
        std::fputs("healthdeck: --listen needs HOST:PORT\n", stderr);
        printServeUsage(stderr);
        exitNow = 2;
        return std::nullopt;
      }
      out.listen = *v;
      continue;
    }
    std::fprintf(stderr, "healthdeck: unknown option '%s'\n", a.c_str());
    printServeUsage(stderr);
    exitNow = 2;
    return std::nullopt;
  }
  return out;
}

} // namespace

int runServe(const Args& args) {
  int exitNow = -1;
  const auto parsed = parseArgs(args, exitNow);
  if (!parsed) return exitNow;

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
