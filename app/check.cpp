// `healthdeck check URL`: the console's client in one shot, Nagios-plugin style.
//
// URL rule: a URL whose path is empty or ends with '/' is a base URL, and the probe path is
// appended ("health/ready" or "health/live"): http://h:9797 → http://h:9797/health/ready,
// https://h/app/ → https://h/app/health/ready. Any other path is the full probe URL and is
// used as is (http://h:8080/actuator/health/readiness); --probe then only names it.
// Exit status: 0 up, 1 degraded, 2 down/unreachable/unauthorized, 3 unknown/disabled and
// usage errors (Nagios: OK, WARNING, CRITICAL, UNKNOWN).

#include "app/check_tls.h"
#include "app/commands.h"
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

int usageError(const QString& message) {
  std::fprintf(stderr,
               "healthdeck check: %s\n"
               "usage: healthdeck check URL [--probe ready|live] [--timeout S] "
               "[--token-file F] [--ca-file F] [--pin SHA256] [--cert-warn DAYS] "
               "[--cert-crit DAYS] [--format text|json]\n",
               qUtf8Printable(message));
  return kUnknownExit;
}

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
    if (c.duration)
      o.insert(QStringLiteral("duration_ns"), static_cast<qint64>(c.duration->count()));
    components.append(o);
  }
  return {{QStringLiteral("status"), statusText(doc.overall)},
          {QStringLiteral("dialect"), toString(doc.dialect)},
          {QStringLiteral("details_hidden"), doc.detailsHidden},
          {QStringLiteral("components"), components}};
}

} // namespace

int runCheck(const Args& args) {
  QString url;
  QString probe = QStringLiteral("ready");
  QString tokenFile;
  QString format = QStringLiteral("text");
  double timeoutSeconds = 10;
  CheckTlsOptions tls;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const QString a = QString::fromStdString(args[i]);
    auto value = [&](QString* out) {
      if (i + 1 >= args.size()) return false;
      *out = QString::fromStdString(args[++i]);
      return true;
    };
    QString v;
    QString tlsError;
    const OptionResult tlsOption = parseCheckTlsOption(a, value, tls, &tlsError);
    if (tlsOption == OptionResult::Error) return usageError(tlsError);
    if (tlsOption == OptionResult::Taken) continue;
    if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
      usageError(QStringLiteral("help"));
      return kUnknownExit;
    } else if (a == QLatin1String("--probe")) {
      if (!value(&probe) || (probe != QLatin1String("ready") && probe != QLatin1String("live")))
        return usageError(QStringLiteral("--probe takes ready or live"));
    } else if (a == QLatin1String("--timeout")) {
      bool ok = false;
      if (value(&v)) timeoutSeconds = v.toDouble(&ok);
      if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(QStringLiteral("--timeout takes seconds between 0 and 3600"));
    } else if (a == QLatin1String("--token-file")) {
      if (!value(&tokenFile)) return usageError(QStringLiteral("--token-file takes a path"));
    } else if (a == QLatin1String("--format")) {
      if (!value(&format) || (format != QLatin1String("text") && format != QLatin1String("json")))
        return usageError(QStringLiteral("--format takes text or json"));
    } else if (a.startsWith(QLatin1Char('-'))) {
      return usageError(QStringLiteral("unknown option ") + a);
    } else if (url.isEmpty()) {
      url = a;
    } else {
      return usageError(QStringLiteral("more than one URL"));
    }
  }
  if (url.isEmpty()) return usageError(QStringLiteral("a URL is required"));
  QUrl parsed(url, QUrl::StrictMode);
  if (!parsed.isValid() || parsed.host().isEmpty() ||
      (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
    return usageError(QStringLiteral("not an http(s) URL: ") + url);
  if (!tokenFile.isEmpty()) {
    QFile f(tokenFile);
    if (!f.open(QIODevice::ReadOnly) || f.read(64 * 1024).trimmed().isEmpty())
      return usageError(QStringLiteral("cannot read a token from ") + tokenFile);
  }

  std::unique_ptr<QCoreApplication> app;
  static int argc = 1;
  static char name[] = "healthdeck";
  static char* argv[] = {name, nullptr};
  if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(argc, argv);

  TargetConfig config;
  config.id = QStringLiteral("check");
  config.name = parsed.host();
  const bool isBase = parsed.path().isEmpty() || parsed.path().endsWith(QLatin1Char('/'));
  QUrl full = parsed;
  if (isBase)
    full.setPath(parsed.path() + (probe == QLatin1String("ready") ? QStringLiteral("health/ready")
                                                                  : QStringLiteral("health/live")));
  if (!full.path().startsWith(QLatin1Char('/'))) full.setPath(QLatin1Char('/') + full.path());
  config.baseUrl = full;
  config.readyPath.clear();
  config.livePath.clear();
  config.metricsPath.clear();
  (probe == QLatin1String("ready") ? config.readyPath : config.livePath) =
      full.toString(QUrl::FullyEncoded);
  config.timeout = std::chrono::milliseconds(static_cast<qint64>(timeoutSeconds * 1000));
  if (!tokenFile.isEmpty()) {
    config.auth = AuthKind::Bearer;
    config.secretRef = tokenFile;
  }

  applyCheckTls(tls, config);

  Poller poller;
  TargetSnapshot result;
  QEventLoop loop;
  QObject::connect(&poller, &Poller::observationReady, &loop, [&](const TargetSnapshot& s) {
    result = s;
    loop.quit();
  });
  poller.pollOnce(config);
  loop.exec();

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
  if (format == QLatin1String("json")) {
    QJsonObject o{{QStringLiteral("url"), full.toString()},
                  {QStringLiteral("probe"), probe == QLatin1String("ready")
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
    if (result.state == TargetState::Disabled)
      o.insert(QStringLiteral("help"), QString::fromLatin1(kEnableMonitoringDocs));
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    return code;
  }

  // Line 1 is the verdict; then every component that is not up, by name, with its reason.
  QString line = QString::fromLatin1(nagiosWord(code)) % QStringLiteral(": ") %
                 toString(result.state) % QStringLiteral(" - ") % result.sentence;
  if (!certText.isEmpty()) line += QStringLiteral("; ") % certText;
  if (result.httpStatus > 0 &&
      (result.error == PollError::None || result.error == PollError::HttpStatus))
    line += QStringLiteral(" | time=%1s")
                .arg(static_cast<double>(result.latency.count()) / 1000.0, 0, 'f', 3);
  std::printf("%s\n", qUtf8Printable(line));
  if (doc) {
    for (const auto& c : doc->components) {
      if (c.status == Status::Up) continue;
      QString l = QStringLiteral("  ") % c.path.join(QLatin1Char('/')) % QStringLiteral(": ") %
                  statusText(c.status);
      if (!c.details.isEmpty()) l += QStringLiteral(" - ") % c.details;
      std::printf("%s\n", qUtf8Printable(l));
    }
  }
  if (!result.rawFirstLine.isEmpty() && result.state == TargetState::Unknown)
    std::printf("  first line of the answer: %s\n", qUtf8Printable(result.rawFirstLine));
  if (result.state == TargetState::Disabled)
    std::printf("  how to enable: %s\n", kEnableMonitoringDocs);
  return code;
}

} // namespace healthdeck::app
