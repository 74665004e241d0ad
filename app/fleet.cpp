// `healthdeck fleet --prometheus URL`: what the console would show for every target a
// Prometheus-compatible server scrapes, read in one refresh cycle of the PrometheusSource.
//
// Exit status: 0 every target up; 1 any degraded (or not scraped yet / not understood);
// 2 any down, unreachable or unauthorized; 3 the Prometheus server itself cannot be read (the
// reason on stderr). Usage errors exit 2, --help 0.
// JSON (--format json), one object: {"targets":[{"name","job","instance","labels":{…},
// "state","sentence","components":[{"component","probe","status"}]}]}.

#include "app/cli.h"
#include "app/commands.h"
#include "healthdeck/client/source/prometheus_source.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cstdio>
#include <memory>

namespace healthdeck::app {

namespace {

constexpr int kSourceExit = 3;

int exitCodeFor(TargetState s) {
  switch (s) {
  case TargetState::Up: return 0;
  case TargetState::Degraded:
  case TargetState::Disabled:
  case TargetState::Unknown: return 1;
  case TargetState::Down:
  case TargetState::Unreachable:
  case TargetState::Unauthorized: return 2;
  }
  return 1;
}

QString stateWord(const PrometheusTarget& t) {
  return t.stale ? QStringLiteral("stale") : toString(t.snapshot.state);
}

} // namespace

int runFleet(const Args& args) {
  std::unique_ptr<QCoreApplication> app;
  static int argc = 1;
  static char name[] = "healthdeck";
  static char* argv[] = {name, nullptr};
  if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(argc, argv);

  CommandLine cli(
      QStringLiteral("fleet"), QStringLiteral("--prometheus URL [options]"),
      QStringLiteral("What the console would show for every target a Prometheus-compatible "
                     "server scrapes. Exit 0 all up, 1 any degraded, 2 any down/unreachable, "
                     "3 Prometheus cannot be read."));
  cli.addOption({QStringLiteral("prometheus")}, QStringLiteral("Base URL of the Prometheus API."),
                QStringLiteral("URL"));
  cli.addOption({QStringLiteral("match")}, QStringLiteral("Label filter, e.g. 'job=~\"api|db\"'."),
                QStringLiteral("SELECTOR"));
  cli.addOption({QStringLiteral("format")}, QStringLiteral("Output format: text or json."),
                QStringLiteral("FORMAT"), QStringLiteral("text"));
  cli.addOption({QStringLiteral("timeout")}, QStringLiteral("Seconds per request."),
                QStringLiteral("S"), QStringLiteral("10"));
  cli.addOption({QStringLiteral("token-file")}, QStringLiteral("File holding a bearer token."),
                QStringLiteral("F"));
  cli.addOption({QStringLiteral("ca-file")},
                QStringLiteral("PEM CA file to trust instead of the system's."),
                QStringLiteral("F"));
  if (const auto exitNow = cli.parse(args)) return *exitNow;
  const auto usage = [&](const QString& message) { return cli.usageError(message); };
  const QString format = cli.value(QStringLiteral("format"));
  if (format != QLatin1String("text") && format != QLatin1String("json"))
    return usage(QStringLiteral("--format must be text or json"));
  if (!cli.isSet(QStringLiteral("prometheus")))
    return usage(QStringLiteral("--prometheus URL is required"));
  const QUrl url(cli.value(QStringLiteral("prometheus")), QUrl::StrictMode);
  if (!url.isValid() || url.host().isEmpty() ||
      (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
    return usage(QStringLiteral("not an http(s) URL: ") + cli.value(QStringLiteral("prometheus")));
  bool okTimeout = false;
  const double timeoutSeconds = cli.value(QStringLiteral("timeout")).toDouble(&okTimeout);
  if (!okTimeout || timeoutSeconds <= 0 || timeoutSeconds > 3600)
    return usage(QStringLiteral("--timeout must be a number of seconds"));

  PrometheusSourceConfig config;
  config.connection.id = QStringLiteral("fleet");
  config.connection.baseUrl = url;
  config.connection.timeout = std::chrono::milliseconds(static_cast<qint64>(timeoutSeconds * 1000));
  config.selector = cli.value(QStringLiteral("match"));
  if (cli.isSet(QStringLiteral("token-file"))) {
    config.connection.auth = AuthKind::Bearer;
    config.connection.secretRef = cli.value(QStringLiteral("token-file"));
  }
  if (cli.isSet(QStringLiteral("ca-file"))) {
    config.connection.tlsMode = TlsMode::CaFile;
    config.connection.caFile = cli.value(QStringLiteral("ca-file"));
  }
  // One cycle: no uptime or range queries, only what decides the states.
  PrometheusSource::Options options;
  options.uptimeEvery = 0;
  options.rangeEvery = 0;
  PrometheusSource source(config, options);
  if (!source.valid()) return usage(QStringLiteral("--match: ") + source.error());
  QEventLoop loop;
  QObject::connect(&source, &PrometheusSource::refreshed, &loop, &QEventLoop::quit);
  source.refresh();
  loop.exec();

  if (!source.status().ok()) {
    std::fprintf(stderr, "healthdeck fleet: %s\n", qUtf8Printable(source.status().sentence));
    return kSourceExit;
  }
  int code = 0;
  for (const auto& t : source.targets())
    code = std::max(code, exitCodeFor(t.snapshot.state));

  if (format == QLatin1String("json")) {
    QJsonArray targets;
    for (const auto& t : source.targets()) {
      QJsonObject labels;
      for (auto it = t.labels.begin(); it != t.labels.end(); ++it)
        labels.insert(it.key(), it.value());
      QJsonArray components;
      for (const auto& c : t.components)
        components.append(QJsonObject{{QStringLiteral("component"), c.component},
                                      {QStringLiteral("probe"), c.probe},
                                      {QStringLiteral("status"), c.status}});
      targets.append(QJsonObject{{QStringLiteral("name"), t.name},
                                 {QStringLiteral("job"), t.job},
                                 {QStringLiteral("instance"), t.instance},
                                 {QStringLiteral("labels"), labels},
                                 {QStringLiteral("state"), stateWord(t)},
                                 {QStringLiteral("sentence"), t.snapshot.sentence},
                                 {QStringLiteral("components"), components}});
    }
    std::fputs(QJsonDocument(QJsonObject{{QStringLiteral("targets"), targets}})
                   .toJson(QJsonDocument::Indented)
                   .constData(),
               stdout);
    return code;
  }

  std::array<int, 7> counts{};
  for (const auto& t : source.targets()) {
    ++counts[static_cast<std::size_t>(t.snapshot.state)];
    std::printf("%-12s %-16s %-32s %s\n", qUtf8Printable(stateWord(t)), qUtf8Printable(t.job),
                qUtf8Printable(t.name), qUtf8Printable(t.snapshot.sentence));
    for (const auto& c : t.components)
      if (c.status != QLatin1String("up"))
        std::printf("%-12s   %s/%s: %s\n", "", qUtf8Printable(c.probe), qUtf8Printable(c.component),
                    qUtf8Printable(c.status));
    for (const auto& a : t.alerts)
      std::printf("%-12s   alert %s (%s)%s%s\n", "", qUtf8Printable(a.name),
                  qUtf8Printable(a.state), a.summary.isEmpty() ? "" : ": ",
                  qUtf8Printable(a.summary));
  }
  QStringList parts;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0)
      parts << QStringLiteral("%1 %2").arg(counts[i]).arg(toString(static_cast<TargetState>(i)));
  std::printf("%zu targets%s%s\n", source.targets().size(), parts.isEmpty() ? "" : ": ",
              qUtf8Printable(parts.join(QStringLiteral(", "))));
  return code;
}

} // namespace healthdeck::app
