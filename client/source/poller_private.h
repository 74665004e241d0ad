#pragma once
// Poller's private parts, shared by poller.cpp (targets, timers, requests on both transports),
// poller_answers.cpp (what happens to an answer), poller_detect.cpp ("Detect") and
// poller_verdict.cpp (a round's snapshot). Internal to the client library.

#include "healthdeck/client/parse/health_document_parser.h"
#include "healthdeck/client/source/file_cache.h"
#include "healthdeck/client/source/plain_http_client.h"
#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/source/request_deadlines.h"
#include "healthdeck/client/store/metric_health.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslError>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace healthdeck {

namespace poller_detail {
/// The default SecretResolver: the file a "file:" (or bare path) reference names, read with
/// readSecretFile's rules; nullopt when it cannot be read.
std::optional<QByteArray> readSecretRef(const QString& ref);
/// `config` asking only for `path` by its status code (fetchOnce, Detect's /metrics probe):
/// no liveness or metrics leg, no body requirement.
inline TargetConfig onePathConfig(TargetConfig config, const QString& path) {
  config.readyPath = path;
  config.livePath.clear();
  config.metricsPath.clear();
  config.statusCodeOnly = true;
  config.bodyMustContain.clear();
  return config;
}
/// "host:port" of a URL (the scheme's default port when it names none).
QString hostPort(const QUrl& url);
/// The sentences a failed request gets, whichever transport carried it (poller_answers.cpp).
QString timeoutWords(std::chrono::milliseconds timeout); ///< "No answer within 5 s"
QString tooLargeWords(qint64 capBytes);                  ///< "Response too large (over N KiB)"
QString refusedWords(const QUrl& url);                   ///< "Connection refused (host:port)"
QString hostNotFoundWords(const QUrl& url);              ///< "Host not found: host"
QString closedWords(); ///< the server closed the connection without answering
} // namespace poller_detail

struct Poller::Round {
  struct Leg {
    bool wanted = false;
    bool done = false;
    QUrl url;
    QPointer<QNetworkReply> reply;
    QByteArray body;
    QByteArray contentType;
    int http = 0;
    qint64 elapsedMs = 0;
    bool timedOut = false;
    bool tooLarge = false;
    PollError error = PollError::None;
    QString errorDetail;
    QList<QSslError> sslErrors;
    std::optional<PeerCertificate> peer;
    std::optional<QDateTime> certificateExpiry;
    std::optional<HealthParseResult> parsed;
    QString realm;           ///< WWW-Authenticate realm of a 401
    QString answerLine;      ///< first line of a 401/403/404 answer
    bool moduleSays = false; ///< a 404 body in which the exporter says the route is disabled
    int redirectStatus = 0;  ///< status of the first redirect followed, 0 if none
    QUrl finalUrl;           ///< where the answer came from after redirects
    QString mismatch;        ///< "The answer does not contain ..." (TargetConfig rules)
    Evidence evidence;
  };
  TargetConfig config;
  bool scheduled = false;
  bool finished = false;
  quint64 generation = 0;
  RoundDone done;                       ///< set: deliver here instead of the signals (detection)
  std::shared_ptr<KeptAnswer> keepBody; ///< set: the readiness leg's answer is kept here
  qint64 bodyCap = 0;                   ///< larger answers: "response too large"
  Leg ready;
  Leg live;
  // --- health from metrics: the /metrics leg of the round ---
  struct MetricsLeg {
    bool wanted = false;
    bool done = false;
    int http = 0;
    qint64 elapsedMs = 0;
    PollError error = PollError::None; ///< why no page was read (None: a page arrived)
    QString errorDetail;
    std::optional<client::MetricHealthResult> health; ///< set when a page arrived
  } metrics;
  // --- end health from metrics ---
  QElapsedTimer clock;
};

struct Poller::Impl {
  struct Scheduled {
    TargetConfig config;
    QTimer* timer = nullptr;
    int periodMs = 0; ///< the interval; the timer's first tick comes at a per-target phase
    quint64 generation = 0;
    bool inFlight = false;
    bool moduleSeen = false; ///< its /metrics showed Healthdeck's exporter families
  };
  QNetworkAccessManager* nam = nullptr; // system trust
  /// Qt shares connections and their TLS context per host and port inside one manager,
  /// whatever a request's SSL configuration says; so each distinct trust decision (CA file,
  /// pin) gets a manager of its own and never rides on a connection verified another way.
  QHash<QString, QNetworkAccessManager*> trustNams;
  std::shared_ptr<QThread> worker;  ///< the parse thread (shared with the MetricsHub)
  QObject* parserContext = nullptr; // lives in `worker`
  QHash<QString, Scheduled> targets;
  FileCache* files = nullptr;            // CA bundles
  RequestDeadlines* deadlines = nullptr; // every request's time limit, one timer
  SecretResolver resolver = poller_detail::readSecretRef;
  SecretProblem problem;
  MetricsIngest metricsIngest; ///< where scheduled rounds' /metrics pages go, when set
  quint64 nextGeneration = 1;
  /// Plain http:// requests (PlainHttpClient's header says why); made on first use.
  std::unique_ptr<PlainHttpClient> plain;
  /// False when a proxy is configured in the environment (QNAM honours it; the plain client
  /// does not) or HEALTHDECK_HTTP_TRANSPORT=qt asks for QNAM (to compare the two).
  bool plainAllowed =
      !qEnvironmentVariableIsSet("http_proxy") && !qEnvironmentVariableIsSet("HTTP_PROXY") &&
      !qEnvironmentVariableIsSet("all_proxy") && !qEnvironmentVariableIsSet("ALL_PROXY") &&
      qEnvironmentVariable("HEALTHDECK_HTTP_TRANSPORT") != QLatin1String("qt");
};

} // namespace healthdeck
