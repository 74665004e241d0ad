#pragma once
// Poller: the one class that talks to monitored servers. It owns the QNetworkAccessManager,
// one timer per target, per-request timeouts, the body-size cap, the redirect cap and TLS
// policy (system trust, a CA file, or a pinned SHA-256 that is accepted only when the peer
// certificate's digest matches). Bodies are parsed on a worker thread; results come back as
// value structs through signals.
//
// Every request is built in one place (same User-Agent, redirect cap, credentials, extra
// headers and TLS for health and /metrics); a 401's realm and a 401/403/404 answer's first
// line are kept for the sentence, and a redirect that ends on a login page is Unauthorized.
// Per poll of a target it GETs the readiness and liveness paths (those configured) in
// parallel, builds one TargetSnapshot (state from readiness when configured, the worse of both
// documents when both parse), emits observationReady (raw), feeds it through its
// TargetStateMachine and emits snapshotReady (flap-controlled). The metrics path, when
// configured, is fetched in the same round and handed over raw through metricsReceived; a
// console that set a MetricsIngest gets scheduled pages there instead, parsed once for both
// its metrics views and the round's health from metrics.
//
// Threading: create and use from one thread with an event loop (the GUI thread). The parse
// thread is shared (parseThread(): the console's MetricsHub parses its pages there too, so a
// round's documents and page are parsed on one thread); the destructor waits for the Poller's
// own job on it to finish and the thread ends with its last user; in-flight requests are
// aborted.
// Secrets are resolved per request through the SecretResolver (default: read the file named by
// secretRef, trimmed); they are never stored in the Poller.

#include "healthdeck/client/store/metric_health.h"
#include "healthdeck/client/store/target_state_machine.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

class QThread;

namespace healthdeck {

class PlainHttpClient;

class Poller : public QObject {
  Q_OBJECT
public:
  struct Options {
    qint64 maxBodyBytes = 4 * 1024 * 1024; ///< larger answers: Unreachable, "response too large"
    qint64 maxMetricsBytes = 32 * 1024 * 1024;
    int maxRedirects = 5;
  };
  /// Resolves a TargetConfig::secretRef to the secret; nullopt if it cannot be read.
  using SecretResolver = std::function<std::optional<QByteArray>(const QString& secretRef)>;
  /// Why a secretRef gave no secret ("/run/x is not a regular file (a FIFO)"); shown in the
  /// target's sentence. Never the secret itself. An empty answer means "not read yet": the
  /// round is skipped without a snapshot, and the owner polls again once the secret is there.
  using SecretProblem = std::function<QString(const QString& secretRef)>;

  explicit Poller(QObject* parent = nullptr);
  Poller(Options options, QObject* parent = nullptr);
  ~Poller() override;

  void setSecretResolver(SecretResolver resolver, SecretProblem problem = {});

  /// Answers an ingest with the health read from the page; call it on this Poller's thread.
  using HealthReady = std::function<void(client::MetricHealthResult)>;
  /// Takes a scheduled round's /metrics page (the console: MetricsHub::ingestWithHealth) and
  /// parses it once, for its own use and for the round's health from metrics (the page's up
  /// gauges and `rules`), calling `healthReady` once with the result; the round finishes then.
  using MetricsIngest =
      std::function<void(const QString& targetId, const QByteArray& body, const QDateTime& at,
                         const QList<MetricRule>& rules, HealthReady healthReady)>;
  /// Scheduled rounds hand their /metrics page to `ingest` instead of emitting
  /// metricsReceived and parsing it on the Poller's worker (pollOnce and fetchOnce still parse
  /// their own). Empty: back to metricsReceived.
  void setMetricsIngest(MetricsIngest ingest);
  /// The thread health documents are parsed on, for a MetricsHub to parse pages on as well.
  std::shared_ptr<QThread> parseThread() const;

  /// Adds or replaces a target; an enabled target is polled at once, again after a stable
  /// per-target phase within one interval (so targets added together do not poll in step),
  /// and then every interval.
  void upsertTarget(const TargetConfig& config);
  void removeTarget(const QString& targetId);
  QList<TargetConfig> targets() const;

  /// Polls one target now (restarts its interval).
  void pollNow(const QString& targetId);
  void pollAll();
  /// One poll of a target that is not scheduled: emits observationReady only (no flap
  /// control, no snapshotReady). Used by `healthdeck check`.
  void pollOnce(const TargetConfig& config);
  /// Secrets for one request instead of the Poller's own resolver (the server dialog testing
  /// what is typed before anything is saved); an empty member means the Poller's.
  struct Credentials {
    SecretResolver resolver;
    SecretProblem problem;
  };
  /// One unscheduled poll answered through `done` (once, on this thread) instead of
  /// observationReady, with `credentials` for its secrets: how the server dialog's "Test" uses
  /// the console's one Poller without touching its resolver or its scheduled targets.
  void pollOnce(const TargetConfig& config, std::function<void(const TargetSnapshot&)> done,
                const Credentials& credentials = {});
  /// One GET of `path` on the target (its auth, extra headers, TLS, timeout, body cap), with
  /// the HTTP outcome classified like a status-code-only poll (Up for 2xx, Unauthorized,
  /// Disabled/not found, Unreachable, ... with the same sentences); emits fetchedOnce with
  /// the body (empty unless an HTTP answer arrived). For `healthdeck check --metrics` and
  /// `healthdeck scrape`, so they build their requests exactly as the console does.
  void fetchOnce(const TargetConfig& config, const QString& path);
  /// "Detect" in the add/edit dialog: GETs every candidate path on the target's base URL in
  /// parallel (its auth, TLS and timeout; no flap control, no observationReady) and emits
  /// readinessPathDetected once, with the first candidate in the given order whose answer
  /// parsed as a health document (a bare status code or plain text only when no candidate
  /// sent a document in a health dialect), or an empty path and, in `summary`, what each
  /// candidate answered. When none answered but the target's metricsPath does, `metricsOnly`
  /// is true: the dialog offers "metrics only" (no readiness/liveness path).
  void detectReadinessPath(const TargetConfig& config, const QStringList& candidates,
                           const Credentials& credentials = {});
  /// The paths "Detect" tries, in this order: /-/ready, /-/healthy (Prometheus family),
  /// /healthz, /livez, /readyz (Kubernetes style), /q/health/ready (Quarkus),
  /// /actuator/health/readiness, /actuator/health (Spring Boot), /health/ready, /health.
  static QStringList commonReadinessPaths();

  TargetStateMachine& stateMachine() { return *m_states; }

Q_SIGNALS:
  void observationReady(const healthdeck::TargetSnapshot& raw);
  void snapshotReady(const healthdeck::TargetSnapshot& shown);
  /// A scheduled round's /metrics page (only while no MetricsIngest is set).
  void metricsReceived(const QString& targetId, const QByteArray& body, const QDateTime& at);
  /// Every finished metrics request (after metricsReceived on success): how long it took and,
  /// when no body was delivered, why ("HTTP 404", "response larger than N bytes", the
  /// transport's words); `error` is empty on success.
  void metricsFetched(const QString& targetId, qint64 durationMs, const QString& error,
                      const QDateTime& at);
  /// Answer of fetchOnce.
  void fetchedOnce(const QString& targetId, const healthdeck::TargetSnapshot& outcome,
                   const QByteArray& body, const QByteArray& contentType);
  /// Answer of detectReadinessPath for `targetId`: `path` empty when nothing answered a health
  /// document; `summary` is one sentence for the dialog.
  void readinessPathDetected(const QString& targetId, const QString& path, const QString& summary,
                             bool metricsOnly);

private:
  struct Round;
  struct Impl;
  using RoundDone = std::function<void(const TargetSnapshot&)>;
  struct KeptAnswer {
    QByteArray body;
    QByteArray contentType;
  };
  /// `keep`: where the readiness leg's answer goes (fetchOnce: a /metrics page), or null.
  void startRound(const TargetConfig& config, bool scheduled, RoundDone done = {},
                  std::shared_ptr<KeptAnswer> keep = {}, const Credentials& credentials = {});
  void finishRound(const std::shared_ptr<Round>& round);
  /// What became of a /metrics request, whichever transport carried it.
  enum class FetchFailure { Timeout, TooLarge, Refused, HostNotFound, Other };
  /// The common end of a health leg's answer (readiness or liveness leg of `round`): login
  /// pages, 401/403/404 words, the kept body, parsing on the worker thread.
  void legAnswered(const std::shared_ptr<Round>& round, bool readiness, bool redirected);
  /// The common end of a /metrics answer: `error` empty when a page arrived (then `failure`
  /// is ignored), else the words for metricsFetched.
  void metricsAnswered(const std::shared_ptr<Round>& round, bool scheduled, qint64 tookMs, int http,
                       QByteArray body, const QString& error, FetchFailure failure,
                       const QUrl& url);
  bool usesPlainTransport(const QUrl& url) const;
  PlainHttpClient* plainClient();
  QNetworkAccessManager* managerFor(const TargetConfig& config);

  Options m_options;
  std::unique_ptr<Impl> m_impl;
  TargetStateMachine* m_states = nullptr;
};

} // namespace healthdeck
