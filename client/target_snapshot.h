#pragma once
// Value types the Poller emits and the store, models, tray, notifications and `healthdeck
// check` consume: the normalised health document of any dialect the console understands, and
// one TargetSnapshot per poll. Plain data: copyable, no locking, safe to pass through queued
// signals (registered with Q_DECLARE_METATYPE below).
// Units: durations std::chrono (nanoseconds for components, milliseconds for HTTP latency);
// timestamps QDateTime in UTC.

#include "healthdeck/health/status.h"

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace healthdeck {

/// What the console shows for a target. Exactly the states of DESIGN.md; `flapping` is a flag
/// on the snapshot, not a state.
enum class TargetState : std::uint8_t {
  Up,
  Degraded,
  Down,         ///< the server says so
  Unreachable,  ///< connect error, DNS, timeout, TLS failure, reset, too large, redirects
  Unauthorized, ///< HTTP 401/403
  Disabled,     ///< HTTP 404 on a monitoring route, or polling switched off
  Unknown,      ///< not polled yet, or the answer was not understood
};

/// Which wire format a health document was written in.
enum class HealthDialect : std::uint8_t {
  None,           ///< nothing parsed (transport failure, or body not understood)
  Healthdeck,     ///< the seed schema of DESIGN.md {"success","status","checks":[...]}
  IetfHealthJson, ///< application/health+json (pass|warn|fail)
  SpringBoot,     ///< Spring Boot Actuator 2.x/3.x (UP/DOWN/OUT_OF_SERVICE/UNKNOWN)
  AspNetText,     ///< ASP.NET Core plain text (Healthy/Degraded/Unhealthy)
  AspNetJson,     ///< ASP.NET Core HealthChecks.UI JSON ({"status","entries":{...}})
  KubernetesText, ///< Kubernetes `?verbose` text ("[+]name ok")
  StatusCode,     ///< no body worth reading: the HTTP status is the answer
  PlainText,      ///< text or HTML in no health format: the status code decides, text is detail
  Etcd,           ///< etcd /health {"health":"true","reason":""}
  MicroProfile,   ///< MicroProfile Health {"status":"UP","checks":[{"name","status","data"}]}
  Elasticsearch,  ///< Elasticsearch/OpenSearch _cluster/health (green/yellow/red)
  JsonStatus,     ///< any other JSON object whose "status" is a well-known word ("OK", "pass")
  Metrics,        ///< components read from a /metrics page (up gauges, rules: metric_health.h)
};

/// Why a poll did not produce a document (or why its state is what it is).
enum class PollError : std::uint8_t {
  None,
  ConnectionRefused,
  HostNotFound,
  Timeout,
  ConnectionReset,
  TlsFailure,
  TooManyRedirects,
  InsecureRedirect,
  ResponseTooLarge,
  HttpStatus,             ///< an HTTP status that decides the state (401/403/404/5xx/other)
  NotUnderstood,          ///< a body in no dialect the console reads
  CredentialsUnavailable, ///< the secret reference could not be read
  Network,                ///< any other transport error (detail in errorDetail)
  LoginRedirect,          ///< redirected to a login page (a 3xx to /login, or a password form)
  BodyMismatch,           ///< the answer lacks what the admin said it must contain
};

/// One component of a health document. `path` is the nesting path (Spring composite
/// components, IETF "component:measurement" keys, Kubernetes "poststarthook/x"); the last
/// element equals `name`.
struct HealthComponent {
  QString name;
  Status status = Status::Up;
  /// The server's own status word when it says more than `status` ("OUT_OF_SERVICE",
  /// "UNKNOWN", a custom word); empty when it is just up/degraded/down in some spelling.
  QString statusWord;
  QString details; ///< one line; empty when the server hides details
  std::optional<std::chrono::nanoseconds> duration;
  QStringList path;
};

struct HealthDocument {
  Status overall = Status::Up;
  std::vector<HealthComponent> components; ///< depth-first order, parents before children
  HealthDialect dialect = HealthDialect::None;
  bool detailsHidden = false; ///< the server answered a status but withheld its components
  /// The server's own status word when it says more than `overall` ("OUT_OF_SERVICE",
  /// "yellow"); empty otherwise.
  QString statusWord;
  /// The server's own words when it has no components: the first meaningful line of a text
  /// answer, an HTML page's <title> (or first heading), etcd's reason, a Spring single
  /// indicator's details. One line, plain text (never markup), at most 500 characters.
  QString detail;
};

/// The certificate a TLS peer presented, for "Trust this certificate" (pin) dialogs.
struct PeerCertificate {
  QString subject;
  QString issuer;
  QDateTime notBefore;
  QDateTime notAfter;
  QByteArray sha256; ///< 32 raw bytes
};

/// What the server actually said on one request: kept with every state change in the history
/// database and shown (as plain text, never rendered) in the Events timeline. Filled by the
/// Poller from the deciding request; empty (url invalid) when no request was made.
/// Units: timings in milliseconds since the request started, -1 when Qt did not report them.
struct Evidence {
  static constexpr qsizetype kBodyLimit = 8 * 1024; ///< bytes of body kept

  QUrl url; ///< the request that was made (no credentials in it)
  QString method = QStringLiteral("GET");
  QStringList requestHeaders; ///< "Name: value"; Authorization masked ("Bearer ****")
  QString caFile;             ///< TLS: the CA file the request trusted, empty = system store
  bool pinned = false;        ///< TLS: trusted by a pinned SHA-256 instead of a chain

  int httpStatus = 0; ///< 0: no HTTP answer
  QString reason;     ///< the status line's reason phrase ("Service Unavailable")
  /// Selected response headers (Content-Type, Server, Date, WWW-Authenticate, Location),
  /// "Name: value", in the order received.
  QStringList headers;
  QString body;               ///< first kBodyLimit bytes, decoded as UTF-8 (lossy), plain text
  bool bodyTruncated = false; ///< the body was longer than kBodyLimit
  QString transportError;     ///< the transport's words when there was no answer
  std::optional<PeerCertificate> certificate; ///< TLS peer, whenever one was presented

  qint64 connectStartMs = -1; ///< socket started connecting (-1: reused connection)
  qint64 tlsDoneMs = -1;      ///< TLS handshake finished
  qint64 requestSentMs = -1;
  qint64 firstByteMs = -1; ///< response headers arrived
  qint64 totalMs = -1;     ///< finished (or failed)

  bool isEmpty() const { return !url.isValid(); }
};

struct TargetSnapshot {
  QString targetId;
  TargetState state = TargetState::Unknown;
  bool flapping = false;
  QString sentence; ///< the one sentence that explains the state (see state_presentation.h)

  std::optional<HealthDocument> readiness;
  std::optional<HealthDocument> liveness;
  /// Metrics health: the up gauges and the admin's rules read from this round's /metrics page
  /// (client/store/metric_health.h); nullopt when no page was read. Its worst component
  /// makes an up/degraded target worse, and it is the whole answer of a metrics-only target.
  std::optional<HealthDocument> metricsHealth;

  int httpStatus = 0; ///< of the deciding probe; 0 when no HTTP answer
  std::chrono::milliseconds latency{0};
  QDateTime polledAt; ///< UTC, when the poll finished
  PollError error = PollError::None;
  QString errorDetail;  ///< the transport's own words, for the event log
  QString rawFirstLine; ///< first line of a body that was not understood (at most 200 chars),
                        ///< or of a 401/403 answer ("CSRF Error"); HTML: its title, never markup
  QString probedPath;   ///< URL path of the deciding request ("/health/ready", "/metrics")
  QString authRealm;    ///< realm of a 401's WWW-Authenticate header, when it names one
  /// The server is known to run Healthdeck's monitoring module (a route or its /metrics says
  /// so): only then does a 404 read "Monitoring disabled on this server".
  bool monitoringModuleKnown = false;
  std::optional<PeerCertificate> peerCertificate; ///< set on TLS failures
  /// HTTPS only: the earliest notAfter (UTC) over the certificate chain the peer presented,
  /// unset for plain HTTP or when no chain was seen (see certificate_expiry.h).
  std::optional<QDateTime> certificateExpiry;
  Evidence evidence; ///< of the deciding request (readiness when configured)

  /// The document that decided the state: readiness if polled, else liveness.
  const HealthDocument* primaryDocument() const {
    if (readiness) return &*readiness;
    if (liveness) return &*liveness;
    return nullptr;
  }
};

QString toString(TargetState s);   ///< "up", "degraded", ... (stable, for JSON and logs)
QString toString(HealthDialect d); ///< "healthdeck", "ietf-health+json", "spring-boot", ...
QString toString(PollError e);     ///< "connection-refused", ...
std::optional<TargetState> targetStateFromString(const QString& s);

/// Severity order used for "worst state" (group headers, tray): Up < Disabled < Unknown <
/// Degraded < Unauthorized < Unreachable < Down. Higher is worse.
int severity(TargetState s) noexcept;

} // namespace healthdeck

Q_DECLARE_METATYPE(healthdeck::TargetSnapshot)
Q_DECLARE_METATYPE(healthdeck::HealthDocument)
