// The Poller's answer tails (internal to the client library): what happens to a health leg's
// or a /metrics request's answer once a transport (QNetworkAccessManager or PlainHttpClient,
// poller.cpp) has classified it — login pages, 401/403/404 words, the kept body, parsing on the
// worker thread, the metrics ingest — and the sentences both transports use for failures.

#include "healthdeck/client/source/poller.h"

#include "healthdeck/client/source/poller_private.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/parse/health_document_parser.h"
#include "healthdeck/client/store/metric_health.h"

#include <QRegularExpression>

namespace healthdeck {

namespace poller_detail {

QString hostPort(const QUrl& url) {
  const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
  return url.host() % QLatin1Char(':') % QString::number(port);
}

QString timeoutWords(std::chrono::milliseconds timeout) {
  return QStringLiteral("No answer within ") % durationText(timeout);
}

QString tooLargeWords(qint64 capBytes) {
  return QStringLiteral("Response too large (over %1 KiB)").arg(capBytes / 1024);
}

QString refusedWords(const QUrl& url) {
  return QStringLiteral("Connection refused (%1)").arg(hostPort(url));
}

QString hostNotFoundWords(const QUrl& url) {
  return QStringLiteral("Host not found: %1").arg(url.host());
}

QString closedWords() {
  return QStringLiteral("The server closed the connection without answering");
}

} // namespace poller_detail

using namespace poller_detail;

namespace {

/// A path that names a login page: /login, /signin, /sign_in, /auth/..., /sso, /oauth2/...
bool isLoginPath(const QString& path) {
  static const QRegularExpression re(
      QStringLiteral("(^|[/._-])(log-?in|sign-?in|sign_in|auth|authorize|oauth2?|sso|saml|cas)"
                     "([/._?-]|$)"),
      QRegularExpression::CaseInsensitiveOption);
  return re.match(path).hasMatch();
}

/// An HTML form that asks for a password (a login page served with 200 after a redirect).
bool hasPasswordField(QByteArrayView body) {
  static const QRegularExpression re(QStringLiteral("<input[^>]*type\\s*=\\s*[\"']?password"),
                                     QRegularExpression::CaseInsensitiveOption);
  return re
      .match(QString::fromUtf8(body.first(std::min<qsizetype>(body.size(), qsizetype{256} * 1024))))
      .hasMatch();
}

/// What a path of a redirect shows in a sentence: its path (and query), never a whole URL.
QString shownPath(const QUrl& url) {
  QString p = url.path(QUrl::FullyDecoded);
  if (p.isEmpty()) p = QStringLiteral("/");
  return p.left(120);
}

/// A /metrics page that only Healthdeck's monitoring module writes (its exporter families).
bool pageNamesHealthdeckModule(const QByteArray& page) {
  return page.contains("health_check_status{") ||
         page.contains("exporter_last_scrape_timestamp_seconds");
}

/// Options a target sets on how its health answers are read (TargetConfig), applied after
/// the dialect parser: status-code-only and "the body must contain".
struct ReadRules {
  bool statusCodeOnly = false;
  QString mustContain;
  bool regex = false;
};

/// Applies `rules` to a parsed answer; returns the mismatch sentence when the body lacks
/// what it must contain (the document is then down).
QString applyReadRules(const ReadRules& rules, int http, const QByteArray& body,
                       HealthParseResult& parsed) {
  const bool ok2xx = http >= 200 && http < 300;
  if (rules.statusCodeOnly && (ok2xx || http >= 500)) {
    HealthDocument doc;
    doc.dialect = HealthDialect::StatusCode;
    doc.overall = ok2xx ? Status::Up : Status::Down;
    if (parsed.document) doc.detail = parsed.document->detail;
    parsed.document = doc;
    parsed.error.clear();
  }
  if (rules.mustContain.isEmpty() || !ok2xx) return {};
  const QString text = QString::fromUtf8(body);
  bool found = false;
  if (rules.regex) {
    const QRegularExpression re(rules.mustContain);
    found = re.isValid() && re.match(text).hasMatch();
  } else {
    found = text.contains(rules.mustContain);
  }
  if (found) return {};
  HealthDocument doc;
  doc.dialect = parsed.document ? parsed.document->dialect : HealthDialect::StatusCode;
  doc.overall = Status::Down;
  parsed.document = doc;
  parsed.error.clear();
  return QStringLiteral("The answer does not %1 \"%2\"")
      .arg(rules.regex ? QStringLiteral("match") : QStringLiteral("contain"),
           rules.mustContain.left(80));
}

} // namespace

void Poller::legAnswered(const std::shared_ptr<Round>& round, bool readiness, bool redirected) {
  Round::Leg& l = readiness ? round->ready : round->live;
  Round::Leg* legPtr = &l;
  if (l.error == PollError::None && redirected &&
      (isLoginPath(l.finalUrl.path()) ||
       (l.http >= 200 && l.http < 300 && hasPasswordField(l.body)))) {
    // A login page is not a health answer, however it is served.
    l.error = PollError::LoginRedirect;
    l.errorDetail =
        QStringLiteral("Redirected to a login page (%1\u2192 %2)")
            .arg(l.redirectStatus > 0 ? QString::number(l.redirectStatus) + QLatin1Char(' ')
                                      : QString(),
                 shownPath(l.finalUrl));
  }
  if (l.error == PollError::None && (l.http == 401 || l.http == 403 || l.http == 404)) {
    // Not health answers, but what the server said about them is worth showing.
    l.answerLine = HealthDocumentParser::parse(l.http, l.contentType, l.body).rawFirstLine;
    l.moduleSays = l.http == 404 && l.body.contains("monitoring route is disabled");
  }
  if (round->keepBody && readiness && l.error == PollError::None)
    *round->keepBody = KeptAnswer{l.body, l.contentType};
  if (l.error != PollError::None || l.http == 401 || l.http == 403 || l.http == 404) {
    l.done = true;
    finishRound(round);
    return;
  }
  // Parse on the worker thread; the result comes back queued to this object.
  const int http = l.http;
  const QByteArray body = std::move(l.body);
  const QByteArray type = l.contentType;
  const ReadRules rules{round->config.statusCodeOnly, round->config.bodyMustContain,
                        round->config.bodyMustMatchRegex};
  l.body = QByteArray();
  QMetaObject::invokeMethod(
      m_impl->parserContext,
      [round, legPtr, http, body, type, rules, this] {
        HealthParseResult parsed = HealthDocumentParser::parse(http, type, body);
        QString mismatch = applyReadRules(rules, http, body, parsed);
        QMetaObject::invokeMethod(
            this,
            [round, legPtr, parsed = std::move(parsed), mismatch, this]() mutable {
              legPtr->parsed = std::move(parsed);
              legPtr->mismatch = mismatch;
              legPtr->done = true;
              finishRound(round);
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

void Poller::metricsAnswered(const std::shared_ptr<Round>& round, bool scheduled, qint64 tookMs,
                             int http, QByteArray body, const QString& error, FetchFailure failure,
                             const QUrl& url) {
  const QString id = round->config.id;
  const QDateTime now = QDateTime::currentDateTimeUtc();
  if (error.isEmpty() && pageNamesHealthdeckModule(body)) {
    auto it = m_impl->targets.find(id);
    if (it != m_impl->targets.end()) it->moduleSeen = true;
  }
  const MetricsIngest ingest = scheduled ? m_impl->metricsIngest : MetricsIngest{};
  const bool toIngest = static_cast<bool>(ingest);
  if (scheduled) {
    if (error.isEmpty() && !toIngest) Q_EMIT metricsReceived(id, body, now);
    Q_EMIT metricsFetched(id, tookMs, error, now);
  }
  // Health from metrics: classify the leg, read the page's up gauges and rules.
  Round::MetricsLeg& m = round->metrics;
  m.http = http;
  m.elapsedMs = round->clock.elapsed();
  if (error.isEmpty()) {
    const QList<MetricRule> rules = round->config.metricRules;
    if (toIngest) {
      // Parsed once, by the ingest (the console's metrics hub), for both.
      QPointer<Poller> self(this);
      ingest(id, body, now, rules, [self, round](client::MetricHealthResult r) {
        if (!self) return;
        round->metrics.health = std::move(r);
        round->metrics.done = true;
        self->finishRound(round);
      });
      return;
    }
    QMetaObject::invokeMethod(
        m_impl->parserContext,
        [this, round, page = std::move(body), rules] {
          client::MetricHealthResult r = client::metricHealth(
              std::string_view(page.constData(), static_cast<std::size_t>(page.size())), rules);
          QMetaObject::invokeMethod(
              this,
              [this, round, r = std::move(r)]() mutable {
                round->metrics.health = std::move(r);
                round->metrics.done = true;
                finishRound(round);
              },
              Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return;
  }
  const qint64 cap = m_options.maxMetricsBytes;
  if (failure == FetchFailure::Timeout) {
    m.error = PollError::Timeout;
    m.errorDetail = timeoutWords(round->config.timeout);
  } else if (failure == FetchFailure::TooLarge) {
    m.error = PollError::ResponseTooLarge;
    m.errorDetail = tooLargeWords(cap);
  } else if (failure == FetchFailure::Refused) {
    m.error = PollError::ConnectionRefused;
    m.errorDetail = refusedWords(url);
  } else if (failure == FetchFailure::HostNotFound) {
    m.error = PollError::HostNotFound;
    m.errorDetail = hostNotFoundWords(url);
  } else if (http == 0 || http == 200) { // no answer, or one cut short
    m.error = PollError::Network;
    m.errorDetail = QStringLiteral("Network error: ") % error;
  } else {
    m.error = PollError::HttpStatus;
    m.errorDetail = QStringLiteral("HTTP %1 from %2").arg(http).arg(url.path());
  }
  m.done = true;
  finishRound(round);
}

} // namespace healthdeck
