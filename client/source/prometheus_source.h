#pragma once
// PrometheusSource: the console's second source beside the Poller. Instead of polling every
// server itself it reads a Prometheus-compatible HTTP API (Prometheus, Thanos,
// VictoriaMetrics, Mimir) that already scrapes them, and turns every active scrape target into
// a row: a TargetConfig (sourceId set, so the session never polls it directly) and a
// TargetSnapshot with the same value structs the Poller emits, so the store and the models do
// not know which source fed them.
//
// One refresh cycle (every `interval`, default 15 s) sends, in parallel and batched (one
// request per question for all targets, never one per target):
//   GET /api/v1/targets?state=active
//   GET /api/v1/query  up{SEL}
//   GET /api/v1/query  {__name__=~"health_check_status|.+_health_check_status",SEL} == 1
//   GET /api/v1/query  probe_success{SEL}
//   GET /api/v1/alerts
// every `uptimeEvery` cycles:  avg_over_time(up{SEL}[24h|7d|30d])        (3 queries)
// every `rangeEvery` cycles, per job: query_range over the last 30 min, step 60 s, of the key
//   metrics rate(process_cpu_seconds_total[2m]) and process_resident_memory_bytes (2 per job).
// SEL is the label filter; it is also applied to the target list locally.
//
// State of a target: Prometheus's `up` (and the target's health and last error), then the
// target's own health_check_status components (readiness and liveness documents, as a direct
// poll would read them), then probe_success for blackbox targets. Prometheus's last scrape
// error is the sentence of a target it cannot scrape. A down component makes the target Down:
// the metric does not say whether the check is critical (see docs/operations/prometheus-source.md).
//
// Errors of the source itself (unreachable, 401/403, a query rejected, a body over the size cap,
// an answer that is not the API) set status() and emit statusChanged; when the target list or
// `up` could not be read the targets keep their last state, marked stale (stale(), sentence
// "Stale: …"), never down.
//
// Threading: create and use from one thread with an event loop (the GUI thread). JSON is parsed
// and joined on an internal worker thread; results come back queued. Secrets are resolved per
// cycle (TargetConfig::secretRef, a file) and never stored. Units: intervals milliseconds,
// uptime a fraction 0..1, series points (unix ms, value).

#include "healthdeck/client/parse/label_selector.h"
#include "healthdeck/client/parse/prometheus_api_parser.h"
#include "healthdeck/client/source/prometheus_source_config.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace healthdeck {

/// One firing or pending alert, attached to the targets whose job and instance it names.
struct PrometheusAlert {
  QString name;  ///< alertname
  QString state; ///< "firing" | "pending"
  QString summary;
  QDateTime activeAt;
  LabelSet labels;
};

/// A component as Prometheus saw it: health_check_status{component,probe,status} == 1.
struct PrometheusComponent {
  QString component;
  QString probe;  ///< "readiness" | "liveness"
  QString status; ///< "up" | "degraded" | "down"
};

/// Everything the source knows about one scrape target.
struct PrometheusTarget {
  QString id;   ///< TargetConfig::id of its row: "<sourceId>/<job>/<instance>[#<hash>]"
  QString name; ///< instance (plus its distinguishing labels when two share job and instance)
  QString job;
  QString instance;
  QString group; ///< value of the group label
  LabelSet labels;
  QString scrapePool;
  QString scrapeUrl;
  QString health; ///< Prometheus's: "up" | "down" | "unknown"
  QString lastError;
  QDateTime lastScrape;
  double lastScrapeDurationSeconds = 0;
  std::optional<double> up;
  std::optional<double> probeSuccess;
  std::vector<PrometheusComponent> components; ///< sorted by probe, then component
  std::vector<PrometheusAlert> alerts;
  std::optional<double> uptime24h, uptime7d, uptime30d; ///< 0..1, from avg_over_time(up)
  /// Key metric → points over the last 30 min ("cpu": cores, "rss": bytes).
  QHash<QString, std::vector<std::pair<qint64, double>>> keySeries;
  bool stale = false; ///< the source could not be read; state is the last one known
  TargetSnapshot snapshot;
};

/// The state of the source itself.
struct PrometheusSourceStatus {
  enum class Kind : std::uint8_t {
    NotRead, ///< no cycle finished yet
    Ok,
    Unreachable,   ///< connect error, timeout, TLS
    Unauthorized,  ///< HTTP 401/403, or the secret could not be read
    QueryRejected, ///< the API answered status "error" (bad_data, execution, limits) or 4xx/5xx
    Truncated,     ///< an answer larger than the size cap
    NotUnderstood, ///< not the Prometheus API (HTML, other JSON)
  };
  Kind kind = Kind::NotRead;
  QString sentence;     ///< "Prometheus unreachable: Connection refused (127.0.0.1:9090)"
  QStringList warnings; ///< the API's own warnings of the last cycle
  QDateTime at;         ///< when the last cycle finished
  bool ok() const { return kind == Kind::Ok; }
};

QString toString(PrometheusSourceStatus::Kind kind); ///< "ok", "unreachable", …

class PrometheusSource : public QObject {
  Q_OBJECT
public:
  struct Options {
    qint64 maxBodyBytes = 64 * 1024 * 1024; ///< larger answers: Truncated
    int uptimeEvery = 20; ///< uptime queries every N cycles (5 min at 15 s); 0 = never
    int rangeEvery = 4;   ///< key-metric range queries every N cycles; 0 = never
  };
  using SecretResolver = std::function<std::optional<QByteArray>(const QString& secretRef)>;

  /// Fails (valid() false, error() says why) when the selector does not parse.
  explicit PrometheusSource(PrometheusSourceConfig config, QObject* parent = nullptr);
  PrometheusSource(PrometheusSourceConfig config, Options options, QObject* parent = nullptr);
  ~PrometheusSource() override;

  bool valid() const { return m_selector.has_value(); }
  QString error() const { return m_configError; }
  const PrometheusSourceConfig& config() const { return m_config; }
  void setSecretResolver(SecretResolver resolver);

  /// Refreshes now and then every interval.
  void start();
  void stop();
  /// One cycle now (ignored while one is in flight). Ends with refreshed().
  void refresh();

  const std::vector<PrometheusTarget>& targets() const { return m_targets; }
  const PrometheusTarget* target(const QString& id) const;
  /// Rows for the store, in display order (group, then name).
  QList<TargetConfig> targetConfigs() const;
  std::vector<PrometheusAlert> alerts() const { return m_alerts; }
  const PrometheusSourceStatus& status() const { return m_status; }
  /// Requests sent by the last cycle (for the docs' load figures and tests).
  int lastCycleRequests() const { return m_lastCycleRequests; }

Q_SIGNALS:
  /// The set of targets (ids, names, groups) changed: re-read targetConfigs().
  void targetsChanged();
  /// Snapshots that changed in this cycle (all of them on the first cycle, and when turning
  /// stale or fresh again).
  void snapshotsReady(const QList<healthdeck::TargetSnapshot>& snapshots);
  void statusChanged(const healthdeck::PrometheusSourceStatus& status);
  /// End of every cycle, after the signals above.
  void refreshed();

private:
  struct Cycle;
  struct Built;
  void finishCycle(const std::shared_ptr<Cycle>& cycle);
  void apply(Built built, const std::shared_ptr<Cycle>& cycle);
  void markStale(const PrometheusSourceStatus& status);

  PrometheusSourceConfig m_config;
  Options m_options;
  std::optional<LabelSelector> m_selector;
  QString m_configError;
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::vector<PrometheusTarget> m_targets;
  QHash<QString, std::size_t> m_index;
  std::vector<PrometheusAlert> m_alerts;
  PrometheusSourceStatus m_status;
  int m_cycles = 0;
  int m_lastCycleRequests = 0;
  bool m_inFlight = false;
};

} // namespace healthdeck

Q_DECLARE_METATYPE(healthdeck::PrometheusSourceStatus)
