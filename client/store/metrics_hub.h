#pragma once
// MetricsHub: the console's metrics pipeline between a source of raw /metrics bodies (the
// Poller's metricsReceived) and the models. Bodies are parsed and derived on one worker
// thread (a client::TargetMetrics per target); the value structs come back through queued
// calls and the hub keeps, per target, the latest scrape status, the key metrics with a
// bounded history ring each (MetricSeries, `historyPoints` points), and — for the one target
// the explorer shows — every family and series. A target whose previous body is still being
// parsed has its newer body held back (latest wins), so a slow worker never queues up work.
//
// Pins: series keys per target, persisted in the QSettings given to setPinStorage() under
// "metrics/pins/<percent-encoded target id>" (a string list of `name{labels}` keys).
// GUI thread only. The worker thread is its own, or one shared with the Poller
// (Options::parseThread) so a round's health documents and page are parsed on one thread; the
// destructor waits for the hub's job there to finish. Times: ms since epoch.

#include "healthdeck/client/store/metric_series.h"
#include "healthdeck/client/store/target_metrics.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QSettings;
class QThread;

namespace healthdeck {

class MetricsHub : public QObject {
  Q_OBJECT
public:
  struct Options {
    std::size_t historyPoints = 360; ///< derived values kept per key metric (30 min at 5 s)
    int sparklinePoints = 60;        ///< values the list and tiles draw
    /// Parse on this thread (Poller::parseThread()); null: a thread of the hub's own.
    std::shared_ptr<QThread> parseThread;
  };

  struct KeyMetric {
    QString id;
    QString title;
    client::MetricUnit unit = client::MetricUnit::Count;
    bool pinned = false;
    double value = client::kNoValue;
    const client::MetricSeries* history = nullptr; ///< owned by the hub, valid until removal
  };

  struct TargetMetricsState {
    client::ScrapeStatus status;    ///< of the latest body
    QDateTime fetchedAt;            ///< when the latest body or fetch error arrived
    qint64 fetchMs = -1;            ///< request duration, when the source reports it
    QString fetchError;             ///< the latest fetch failure, empty after a success
    std::vector<KeyMetric> metrics; ///< latest update's order
    std::vector<client::ExplorerFamily> explorer; ///< only for the explorer target
    QList<double> sparkline;                      ///< main metric's last values, for list rows
    QString sparklineTitle;
    std::size_t parserBytes = 0; ///< worker-side memory of this target
    /// The values are not current: the latest fetch failed after a good page. They are the
    /// last good page's, from `lastGoodAt`; views grey them and show their age.
    bool stale = false;
    QDateTime lastGoodAt; ///< when the latest page that parsed arrived (invalid: never)
  };

  explicit MetricsHub(QObject* parent = nullptr);
  explicit MetricsHub(Options options, QObject* parent = nullptr);
  ~MetricsHub() override;

  /// A key metric some other source already holds as a series (the Prometheus source's
  /// query_range answers): points in time order, ms since epoch.
  struct ExternalSeries {
    QString id;    ///< as a profile's ("process_cpu", "process_rss")
    QString title; ///< "CPU (process)"
    client::MetricUnit unit = client::MetricUnit::Count;
    std::vector<std::pair<qint64, double>> points;
  };
  /// Replaces a target's key metrics with `series` (no /metrics page is parsed for it):
  /// points not newer than a ring's latest are skipped, so the same range may come again.
  /// The status names `profile` ("Prometheus"). Emits metricsUpdated and returns true only
  /// when a point was added.
  bool applySeries(const QString& targetId, const std::vector<ExternalSeries>& series,
                   const QString& profile);

  /// A raw body arrived (connect Poller::metricsReceived here).
  void ingest(const QString& targetId, const QByteArray& body, const QDateTime& at);
  /// Called with the health read from an ingested page, on this hub's thread.
  using HealthReady = std::function<void(client::MetricHealthResult)>;
  /// ingest(), and health from metrics read from the same parse (the page's up gauges and
  /// `rules`): what Poller::setMetricsIngest hands scheduled pages to, so each scrape is
  /// parsed once. `healthReady` is called exactly once, unless the hub is destroyed first;
  /// when a newer body of the target replaces one still waiting, both callbacks are answered
  /// from the newer body.
  void ingestWithHealth(const QString& targetId, const QByteArray& body, const QDateTime& at,
                        const QList<MetricRule>& rules, HealthReady healthReady);
  /// The source finished a fetch: its duration and, when it failed, why (metricsUpdated is
  /// emitted for a failure; a success is announced once its body has been parsed).
  void recordFetch(const QString& targetId, qint64 durationMs, const QString& error,
                   const QDateTime& at);
  void removeTarget(const QString& targetId);
  /// Whether the source fetches /metrics of the target at all (false: no metrics path), so
  /// the key-metrics block says so instead of waiting forever.
  void setMetricsPolled(const QString& targetId, bool polled);

  /// The one sentence the key-metrics block shows instead of (or above) its tiles, empty
  /// while current values are shown: the first scrape pending, no metrics path, the route
  /// answering 404, a fetch or parse failure, a page that matched no profile, or stale values
  /// with their age at `now`.
  QString statusSentence(const QString& targetId, const QDateTime& now) const;

  /// The target whose explorer rows are kept (others drop theirs); empty for none.
  void setExplorerTarget(const QString& targetId);
  QString explorerTarget() const { return m_explorerTarget; }

  void setPinStorage(QSettings* settings);
  QStringList pins(const QString& targetId) const { return m_pins.value(targetId); }
  void setPinned(const QString& targetId, const QString& seriesKey, bool pinned);

  /// Null until the first body or fetch of the target.
  const TargetMetricsState* state(const QString& targetId) const;
  QStringList targetIds() const { return m_states.keys(); }
  const Options& options() const { return m_options; }

  /// The thread bodies are parsed on (shared with the Poller when Options::parseThread).
  QThread* workerThread() const { return m_thread.get(); }
  /// Bodies handed to the worker and not answered yet (0 when idle).
  int pendingJobs() const { return static_cast<int>(m_inFlight.size()); }
  /// Memory: derived-value rings on this side and parser state on the worker, all targets.
  std::size_t historyBytes() const;
  std::size_t parserBytes() const;

Q_SIGNALS:
  void metricsUpdated(const QString& targetId);
  void explorerUpdated(const QString& targetId);
  void pinsChanged(const QString& targetId);

private:
  struct Worker;
  struct Entry {
    TargetMetricsState state;
    QHash<QString, client::MetricSeries*> rings;
    std::vector<std::unique_ptr<client::MetricSeries>> ringStore;
  };
  struct Waiting {
    QByteArray body;
    qint64 atMs = 0;
    QList<MetricRule> rules;
    std::vector<HealthReady> healthReady;
  };
  void post(const QString& targetId, Waiting job);
  void apply(const QString& targetId, client::TargetMetricsUpdate update,
             std::vector<client::ExplorerFamily> explorer, bool hasExplorer,
             std::size_t parserBytes);
  void sendPins(const QString& targetId);
  /// A target's ring for `id`, made with `capacity` points (0: Options::historyPoints).
  client::MetricSeries* ring(Entry& e, const QString& id, std::size_t capacity = 0);
  /// The list row's sparkline from `st.metrics`: the first rate, else the first metric.
  void updateSparkline(TargetMetricsState& st) const;

  Options m_options;
  std::shared_ptr<QThread> m_thread;
  QObject* m_context = nullptr; ///< lives on the worker thread; jobs run in its event loop
  std::shared_ptr<Worker> m_worker;
  QHash<QString, std::shared_ptr<Entry>> m_states;
  QHash<QString, bool> m_inFlight;
  QHash<QString, Waiting> m_waiting;
  QHash<QString, QStringList> m_pins;
  QSettings* m_settings = nullptr;
  QSet<QString> m_unpolled;
  QString m_explorerTarget;
};

} // namespace healthdeck
