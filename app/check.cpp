// `healthdeck check URL`: the console's client in one shot, Nagios-plugin style.
//
// URL rule: a URL whose path is empty or ends with '/' is a base URL, and the probe path is
// appended ("health/ready" or "health/live"; with --metrics "metrics"): http://h:9797 →
// http://h:9797/health/ready, https://h/app/ → https://h/app/health/ready. Any other path is
// the full probe URL and is used as is (http://h:8080/actuator/health/readiness); --probe then
// only names it. The first line names the URL actually probed.
// Output (text): line 1 "<NAGIOS WORD>: <state> - <sentence>; probed <url> | time=<s>s" (the
// perfdata on every verdict, also on failures: the time until the verdict); then every
// component that is not up, by name, with its reason.
// Exit status: 0 up, 1 degraded, 2 down/unreachable/unauthorized, 3 unknown/disabled/not
// found and usage errors (Nagios: OK, WARNING, CRITICAL, UNKNOWN). --help exits 0.
// --metrics: the /metrics page must parse and no well-known "up" gauge (`up`, `<ns>_up`,
// `probe_success`, `etcd_server_has_leader`) may be 0: 0, else 2 naming the gauge; 2 when
// unreachable or refused; 3 when not found or not a metrics page.

#include "app/check_tls.h"
#include "app/cli.h"
#include "app/commands.h"
#include "app/request_options.h"
#include "healthdeck/client/parse/exposition_gzip.h"
#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/state_presentation.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace healthdeck::app {

namespace {

constexpr int kUnknownExit = 3;

int exitCodeFor(TargetState s) {
  switch (s) {
  case TargetState::Up: return 0;
  case TargetState::Degraded: return 1;
  case TargetState::Down:
  case TargetState::Unreachable:
  case TargetState::Unauthorized: return 2;
  case TargetState::Disabled:
  case TargetState::Unknown: return kUnknownExit;
  }
  return kUnknownExit;
}

const char* nagiosWord(int exitCode) {
  switch (exitCode) {
  case 0: return "OK";
  case 1: return "WARNING";
  case 2: return "CRITICAL";
  default: return "UNKNOWN";
  }
}

QString statusText(Status s) {
  const auto v = toString(s);
  return QString::fromLatin1(v.data(), static_cast<qsizetype>(v.size()));
}

QJsonObject toJson(const HealthDocument& doc) {
  QJsonArray components;
  for (const auto& c : doc.components) {
    QJsonObject o{{QStringLiteral("name"), c.name},
                  {QStringLiteral("path"), QJsonArray::fromStringList(c.path)},
                  {QStringLiteral("status"), statusText(c.status)},
                  {QStringLiteral("details"), c.details}};
    if (!c.statusWord.isEmpty()) o.insert(QStringLiteral("status_word"), c.statusWord);
    if (c.duration)
      o.insert(QStringLiteral("duration_ns"), static_cast<qint64>(c.duration->count()));
    components.append(o);
  }
  QJsonObject o{{QStringLiteral("status"), statusText(doc.overall)},
                {QStringLiteral("dialect"), toString(doc.dialect)},
                {QStringLiteral("details_hidden"), doc.detailsHidden},
                {QStringLiteral("components"), components}};
  if (!doc.statusWord.isEmpty()) o.insert(QStringLiteral("status_word"), doc.statusWord);
  if (!doc.detail.isEmpty()) o.insert(QStringLiteral("detail"), doc.detail);
  return o;
}

/// A well-known "up" gauge: `up`, `<one-word namespace>_up` (redis_up, pg_up), probe_success,
/// etcd_server_has_leader.
bool isUpGauge(std::string_view name) {
  if (name == "up" || name == "probe_success" || name == "etcd_server_has_leader") return true;
  if (name.size() <= 3 || name.substr(name.size() - 3) != "_up") return false;
  const std::string_view ns = name.substr(0, name.size() - 3);
  return ns.find('_') == std::string_view::npos && !ns.empty();
}

/// Reads a /metrics page for --metrics: the up gauges at 0 (as "name{labels}"), or why the
/// page is not a metrics page.
struct MetricsVerdict {
  bool parsed = false;
  QString error;
  QStringList zeroGauges;
  int upGauges = 0;
  std::size_t samples = 0;
};

MetricsVerdict readMetrics(const QByteArray& body) {
  MetricsVerdict v;
  std::string text(body.constData(), static_cast<std::size_t>(body.size()));
  if (client::looksGzipped(text)) {
    std::string plain;
    std::string err;
    if (!client::gunzip(text, plain, err)) {
      v.error = QStringLiteral("gzip: ") + QString::fromStdString(err);
      return v;
    }
    text.swap(plain);
  }
  client::SeriesTable table;
  client::ExpositionParser parser(table);
  client::ExpositionPage page;
  if (!parser.parse(text, page)) {
    v.error = page.error ? QString::fromStdString(page.error->toString())
                         : QStringLiteral("not a metrics page");
    return v;
  }
  v.parsed = true;
  v.samples = page.samples.size();
  for (const auto& sample : page.samples) {
    const auto& series = table.series(sample.series);
    if (!isUpGauge(series.name())) continue;
    ++v.upGauges;
    if (sample.value == 0) v.zeroGauges << QString::fromStdString(std::string(series.key));
  }
  return v;
}

} // namespace

int runCheck(const Args& args) {
  CommandLine cli(
      QStringLiteral("check"), QStringLiteral("URL [options]"),
      QStringLiteral(
          "One probe, Nagios-plugin style: exit 0 up, 1 degraded, 2 down/unreachable/"
          "unauthorized, 3 unknown/not found. A URL whose path is empty or ends in / gets "
          "health/ready (health/live with --probe live, metrics with --metrics) appended."),
      kUnknownExit);
  cli.addOption({QStringLiteral("probe")},
                QStringLiteral("ready or live: the path appended to a base URL."),
                QStringLiteral("ready|live"), QStringLiteral("ready"));
  cli.addOption({QStringLiteral("metrics")},
                QStringLiteral("Probe a /metrics page: it must parse and no \"up\" gauge may be "
                               "0 (exit 2 naming it; 3 when not found)."));
  cli.addOption({QStringLiteral("timeout")}, QStringLiteral("Whole request, in seconds."),
                QStringLiteral("S"), QStringLiteral("10"));
  cli.addOption({QStringLiteral("status-only")},
                QStringLiteral("Any 2xx means up, 5xx down; the body is not read."));
  cli.addOption({QStringLiteral("contains")},
                QStringLiteral("The body must contain TEXT, else down."), QStringLiteral("TEXT"));
  addRequestOptions(cli);
  cli.addOption({QStringLiteral("format")}, QStringLiteral("text or json."),
                QStringLiteral("text|json"), QStringLiteral("text"));
  // TLS trust and certificate expiry (check_tls.h parses and checks their values).
  cli.addOption({QStringLiteral("ca-file")}, QStringLiteral("Trust this CA bundle (PEM)."),
                QStringLiteral("F"));
  cli.addOption({QStringLiteral("pin")},
                QStringLiteral("Trust only the certificate with this SHA-256 fingerprint."),
                QStringLiteral("SHA256"));
  cli.addOption({QStringLiteral("cert-warn")},
                QStringLiteral("WARNING when the certificate expires within DAYS."),
                QStringLiteral("DAYS"), QString::number(kDefaultCertWarnDays));
  cli.addOption({QStringLiteral("cert-crit")},
                QStringLiteral("CRITICAL when the certificate expires within DAYS."),
                QStringLiteral("DAYS"), QString::number(kDefaultCertCritDays));
  cli.setPositionals(1, 1);
  if (const auto exit = cli.parse(args)) return *exit;
  const auto usageError = [&cli](const QString& message) { return cli.usageError(message); };
  CheckTlsOptions tls;
  for (const char* name : {"ca-file", "pin", "cert-warn", "cert-crit"}) {
    const QString option = QLatin1String(name);
    if (!cli.isSet(option)) continue;
    QString value = cli.value(option);
    QString tlsError;
    const auto next = [&value](QString* out) {
      *out = value;
      return true;
    };
    if (parseCheckTlsOption(QStringLiteral("--") + option, next, tls, &tlsError) ==
        OptionResult::Error)
      return usageError(tlsError);
  }

  const QString probeName = cli.value(QStringLiteral("probe"));
  if (probeName != QLatin1String("ready") && probeName != QLatin1String("live"))
    return usageError(QStringLiteral("--probe takes ready or live"));
  bool ok = false;
  const double timeoutSeconds = cli.value(QStringLiteral("timeout")).toDouble(&ok);
  if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
    return usageError(QStringLiteral("--timeout takes seconds between 0 and 3600"));
  const QString formatName = cli.value(QStringLiteral("format"));
  if (formatName != QLatin1String("text") && formatName != QLatin1String("json"))
    return usageError(QStringLiteral("--format takes text or json"));
  const QStringList positional = cli.positionals();
  const QString url = positional.first();
  QUrl parsed(url, QUrl::StrictMode);
  if (!parsed.isValid() || parsed.host().isEmpty() ||
      (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
    return usageError(QStringLiteral("not an http(s) URL: ") + url);

  TargetConfig config;
  if (const QString error = applyRequestOptions(cli, config); !error.isEmpty())
    return usageError(error);

  std::unique_ptr<QCoreApplication> app;
  static int argc = 1;
  static char name[] = "healthdeck";
  static char* appArgv[] = {name, nullptr};
  if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(argc, appArgv);

  const bool metricsMode = cli.isSet(QStringLiteral("metrics"));
  config.id = QStringLiteral("check");
  config.name = parsed.host();
  const bool isBase = parsed.path().isEmpty() || parsed.path().endsWith(QLatin1Char('/'));
  QUrl full = parsed;
  if (isBase) {
    const QString appended = metricsMode                           ? QStringLiteral("metrics")
                             : probeName == QLatin1String("ready") ? QStringLiteral("health/ready")
                                                                   : QStringLiteral("health/live");
    full.setPath(parsed.path() + appended);
  }
  if (!full.path().startsWith(QLatin1Char('/'))) full.setPath(QLatin1Char('/') + full.path());
  config.baseUrl = full;
  config.readyPath.clear();
  config.livePath.clear();
  config.metricsPath.clear();
  const QString probeUrl = full.toString(QUrl::FullyEncoded);
  if (!metricsMode)
    (probeName == QLatin1String("ready") ? config.readyPath : config.livePath) = probeUrl;
  config.timeout = std::chrono::milliseconds(static_cast<qint64>(timeoutSeconds * 1000));
  config.statusCodeOnly = cli.isSet(QStringLiteral("status-only"));
  config.bodyMustContain = cli.value(QStringLiteral("contains"));
  applyCheckTls(tls, config);
  Poller poller;
  poller.setSecretResolver(requestSecretResolver(cli));
  TargetSnapshot result;
  QByteArray metricsBody;
  QEventLoop loop;
  QObject::connect(&poller, &Poller::observationReady, &loop, [&](const TargetSnapshot& s) {
    result = s;
    loop.quit();
  });
  QObject::connect(
      &poller, &Poller::fetchedOnce, &loop,
      [&](const QString&, const TargetSnapshot& s, const QByteArray& body, const QByteArray&) {
        result = s;
        metricsBody = body;
        loop.quit();
      });
  if (metricsMode)
    poller.fetchOnce(config, probeUrl);
  else
    poller.pollOnce(config);
  loop.exec();

  MetricsVerdict mv;
  if (metricsMode && result.state == TargetState::Up) {
    // The page answered: now it must be a metrics page whose up gauges are all non-zero.
    result.readiness.reset();
    mv = readMetrics(metricsBody);
    if (!mv.parsed) {
      result.state = TargetState::Unknown;
      result.error = PollError::NotUnderstood;
      result.sentence = QStringLiteral("Not a metrics page: ") + mv.error;
    } else if (!mv.zeroGauges.isEmpty()) {
      result.state = TargetState::Down;
      result.sentence = mv.zeroGauges.first() + QStringLiteral(" is 0");
      if (mv.zeroGauges.size() > 1)
        result.sentence += QStringLiteral(" (+%1 more)").arg(mv.zeroGauges.size() - 1);
    } else {
      result.sentence =
          QStringLiteral("%1 samples, %2 up gauges, none 0").arg(mv.samples).arg(mv.upGauges);
    }
  }

  int code = exitCodeFor(result.state);
  // Only a certificate that was accepted has an expiry worth reporting; a refused one is
  // already the verdict ("Self-signed certificate, not trusted").
  if (result.error == PollError::TlsFailure) result.certificateExpiry.reset();
  // Certificate expiry raises an answer that is otherwise fine (never lowers one).
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const int certCode = certificateExitCode(tls, result.certificateExpiry, now);
  if (code < kUnknownExit && certCode > code) code = certCode;
  const QString certText =
      result.certificateExpiry ? certificateSentence(*result.certificateExpiry, now) : QString();
  const HealthDocument* doc = result.primaryDocument();
  const double seconds = static_cast<double>(result.latency.count()) / 1000.0;
  if (formatName == QLatin1String("json")) {
    QJsonObject o{{QStringLiteral("url"), full.toString()},
                  {QStringLiteral("probe"), metricsMode ? QStringLiteral("metrics")
                                            : probeName == QLatin1String("ready")
                                                ? QStringLiteral("readiness")
                                                : QStringLiteral("liveness")},
                  {QStringLiteral("state"), toString(result.state)},
                  {QStringLiteral("exit_code"), code},
                  {QStringLiteral("sentence"), result.sentence},
                  {QStringLiteral("http_status"), result.httpStatus},
                  {QStringLiteral("latency_ms"), static_cast<qint64>(result.latency.count())},
                  {QStringLiteral("polled_at"), result.polledAt.toString(Qt::ISODate)},
                  {QStringLiteral("error"), toString(result.error)}};
    if (!result.errorDetail.isEmpty()) o.insert(QStringLiteral("error_detail"), result.errorDetail);
    if (result.certificateExpiry) {
      o.insert(QStringLiteral("certificate_expiry"),
               result.certificateExpiry->toString(Qt::ISODate));
      o.insert(QStringLiteral("certificate_days_left"),
               certificateDaysLeft(*result.certificateExpiry, now));
    }
    if (!result.rawFirstLine.isEmpty())
      o.insert(QStringLiteral("raw_first_line"), result.rawFirstLine);
    if (doc) o.insert(QStringLiteral("document"), toJson(*doc));
    if (metricsMode && !mv.zeroGauges.isEmpty())
      o.insert(QStringLiteral("zero_up_gauges"), QJsonArray::fromStringList(mv.zeroGauges));
    if (presentation(result).helpLink.size() > 0)
      o.insert(QStringLiteral("help"), presentation(result).helpLink);
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    return code;
  }

  // Line 1 is the verdict, the certificate's expiry, the URL probed and the perfdata; then
  // every component not up.
  QString line = QString::fromLatin1(nagiosWord(code)) % QStringLiteral(": ") %
                 toString(result.state) % QStringLiteral(" - ") % result.sentence;
  if (!certText.isEmpty()) line += QStringLiteral("; ") % certText;
  line += QStringLiteral("; probed ") % full.toString() %
          QStringLiteral(" | time=%1s").arg(seconds, 0, 'f', 3);
  std::printf("%s\n", qUtf8Printable(line));
  if (doc) {
    for (const auto& c : doc->components) {
      if (c.status == Status::Up) continue;
      QString l = QStringLiteral("  ") % c.path.join(QLatin1Char('/')) % QStringLiteral(": ") %
                  (c.statusWord.isEmpty() ? statusText(c.status) : c.statusWord);
      if (!c.details.isEmpty()) l += QStringLiteral(" - ") % c.details;
      std::printf("%s\n", qUtf8Printable(l));
    }
  }
  for (qsizetype i = 1; i < mv.zeroGauges.size(); ++i)
    std::printf("  %s is 0\n", qUtf8Printable(mv.zeroGauges.at(i)));
  if (!result.rawFirstLine.isEmpty() && result.state == TargetState::Unknown)
    std::printf("  first line of the answer: %s\n", qUtf8Printable(result.rawFirstLine));
  const QString helpLink = presentation(result).helpLink;
  if (result.state == TargetState::Disabled && !helpLink.isEmpty())
    std::printf("  how to enable: %s\n", qUtf8Printable(helpLink));
  return code;
}

} // namespace healthdeck::app
