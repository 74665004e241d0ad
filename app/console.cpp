// The console: `healthdeck [--config F] [--no-exporter]`. Without a display it says so and
// runs `serve`, so the command is never a dead end.
#include "app/cli.h"
#include "app/commands.h"

#ifdef HEALTHDECK_WITH_UI
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/widgets/main_window.h"

#include <QApplication>
#include <QIcon>
#endif

#include <cstdio>
#include <cstdlib>
#include <string>

namespace healthdeck::app {

namespace {

bool hasDisplay() {
  const auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
  };
  return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

} // namespace

int runConsole(const Args& args) {
  CommandLine cli(QString(), QStringLiteral("[options]"),
                  QStringLiteral("The console: the servers you watch, with the embedded exporter "
                                 "listed as\n\"This host\". Without a display it starts the "
                                 "exporter only (as `healthdeck serve`)."));
  cli.addOption({QStringLiteral("config")},
                QStringLiteral("Monitoring configuration of the embedded exporter (YAML)."),
                QStringLiteral("FILE"));
  cli.addOption({QStringLiteral("no-exporter")},
                QStringLiteral("Do not start the embedded exporter."));
  if (const auto exitNow = cli.parse(args)) return *exitNow;
  const std::string config = cli.value(QStringLiteral("config")).toStdString();
  const bool exporter = !cli.isSet(QStringLiteral("no-exporter"));
  Args serveArgs{args.empty() ? std::string("healthdeck") : args[0]};
  if (!config.empty()) serveArgs.insert(serveArgs.end(), {"--config", config});
#ifdef HEALTHDECK_WITH_UI
  if (!hasDisplay()) {
    std::fputs("healthdeck: no display; starting the exporter only (healthdeck serve)\n", stderr);
    return runServe(serveArgs);
  }
  static int argc = 1;
  static std::string argv0 = args.empty() ? std::string("healthdeck") : args[0];
  static char* argv[] = {argv0.data(), nullptr};
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("healthdeck"));
  QApplication::setApplicationDisplayName(QStringLiteral("Healthdeck"));
  QApplication::setDesktopFileName(QStringLiteral("io.healthdeck.Healthdeck"));
  QApplication::setQuitOnLastWindowClosed(true);
  ConsoleOptions options;
  options.configPath = QString::fromStdString(config);
  options.exporter = exporter;
  ConsoleSession session(options);
  const QString error = session.start();
  if (!error.isEmpty()) {
    std::fprintf(stderr, "healthdeck: %s\n", error.toLocal8Bit().constData());
    return 2;
  }
  session.window().show();
  return QApplication::exec();
#else
  (void)exporter;
  (void)hasDisplay;
  std::fputs("healthdeck: built without the console; starting the exporter only "
             "(healthdeck serve)\n",
             stderr);
  return runServe(serveArgs);
#endif
}

} // namespace healthdeck::app
