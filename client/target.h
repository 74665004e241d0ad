#pragma once
// TargetConfig: what the console knows about one server it polls. Plain value type, copyable,
// no locking; read by the Poller and edited by the UI. It never holds a secret: `secretRef`
// names where the secret lives (today an absolute path of a file; the keychain comes later),
// and the Poller resolves it at request time.
// Units: intervals and timeouts are std::chrono::milliseconds; paths are URL paths relative to
// the base URL ("/health/ready"), an empty path means "do not poll this route".

#include "healthdeck/client/metric_rule.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <cstdint>

namespace healthdeck {

/// How requests to a target authenticate.
enum class AuthKind : std::uint8_t {
  None,
  Bearer, ///< `Authorization: Bearer <token>`; the secret is the token
  Basic,  ///< `Authorization: Basic ...`; the secret is "user:password"
};

/// Which certificates a TLS target may present.
enum class TlsMode : std::uint8_t {
  System, ///< the system trust store
  CaFile, ///< only certificates issued by the CA(s) in `caFile` (PEM)
  Pinned, ///< exactly the certificate whose SHA-256 digest is `pinnedSha256`, trusted or not
};

/// Flap control of one target (see TargetStateMachine).
struct FlapPolicy {
  int failuresToDown = 2; ///< consecutive failed polls before a good target turns bad
  int successesToUp = 2;  ///< consecutive good polls before a bad target turns good
  int flapChanges = 6;    ///< good<->bad changes within `flapWindow` that mark it flapping
  std::chrono::milliseconds flapWindow{10 * 60 * 1000};
  /// At most one notification per target per this interval (flapping start always counts).
  std::chrono::milliseconds notifyMinInterval{5 * 60 * 1000};
};

/// One extra request header (e.g. Syncthing's `X-API-Key`). The value is either written
/// here (`value`, for harmless headers) or, for secrets, named by `secretRef` and read at
/// request time like the target's own secret (a file path, or a keychain reference).
struct RequestHeader {
  QByteArray name;   ///< token characters only (RFC 9110 5.1); validated on input
  QString value;     ///< used when secretRef is empty
  QString secretRef; ///< where the value lives; never the value itself
  bool operator==(const RequestHeader&) const = default;
};

/// Whether `name` may be sent as an extra header: an RFC 9110 token, and not one the Poller
/// owns (Host, Authorization, Content-Length, Connection, Transfer-Encoding, Accept-Encoding).
bool isAllowedExtraHeader(const QByteArray& name);

struct TargetConfig {
  QString id;    ///< stable key (unique per console), never shown
  QString name;  ///< what the admin sees ("gateway-eu-1")
  QString group; ///< list grouping ("Production"); empty = ungrouped
  QUrl baseUrl;  ///< scheme://host:port[/prefix]; paths are appended to its path

  QString readyPath = QStringLiteral("/health/ready");
  QString livePath = QStringLiteral("/health/live");
  QString metricsPath = QStringLiteral("/metrics");

  std::chrono::milliseconds interval{15000};
  std::chrono::milliseconds timeout{5000}; ///< whole request, connect to last byte

  AuthKind auth = AuthKind::None;
  QString secretRef; ///< where the token / "user:password" lives; never the secret itself

  TlsMode tlsMode = TlsMode::System;
  QString caFile;          ///< PEM file, for TlsMode::CaFile
  QByteArray pinnedSha256; ///< 32 raw bytes, for TlsMode::Pinned

  QList<RequestHeader> extraHeaders; ///< sent with every request to this target

  /// "Any 2xx means up": the body is not read; 2xx up, 5xx down, other statuses as usual.
  bool statusCodeOnly = false;
  /// "The body must contain": when not empty, a health answer whose body lacks it is down
  /// ("The answer does not contain ..."). A regular expression when `bodyMustMatchRegex`.
  QString bodyMustContain;
  bool bodyMustMatchRegex = false;
  // --- health from metrics (metric_health.h) ---
  /// The admin's rules over the /metrics page, each a component of the metrics health (the
  /// well-known up gauges need no rule). Evaluated only when metricsPath is set.
  QList<MetricRule> metricRules;
  // --- end health from metrics ---

  bool enabled = true; ///< false: not polled, shown as Disabled by the admin's choice
  /// The sentence of a target that is not polled, when the console knows why better than
  /// "Polling is switched off" ("The embedded exporter is off (--no-exporter)"). Not saved.
  QString disabledReason;
  FlapPolicy flap;

  // Triage (issue 12).
  QStringList tags; ///< free words the filter matches ("db", "eu"); never shown as markup
  QString parentId; ///< id of the server in front of this one (gateway, bastion); empty = none
  /// Certificate expiry thresholds in days; -1 = the console's setting (21 and 7 by default).
  int certWarnDays = -1;
  int certCritDays = -1;
  // --- Prometheus source (issue 13) ---
  /// Empty: a server the console polls itself. Otherwise the id of the PrometheusSource that
  /// feeds this row; the Poller never polls it (the row's "Open direct" polls a copy).
  QString sourceId;

  /// baseUrl with `path` appended (an absolute `path` that is a full URL is returned as is).
  QUrl urlFor(const QString& path) const;
};

} // namespace healthdeck
