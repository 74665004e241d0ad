#pragma once
// PrometheusSourceHub: the console's Prometheus sources, wired into the TargetStore beside
// the Poller. Each source's targets become rows (TargetConfig::sourceId set, group
// "<source> · <job>"), its snapshots go to the store through applySnapshots() with the store's
// stale flag set from the source's (its rows go stale when it cannot be read, not by age), and its
// own state (unreachable, 401, query rejected, truncated) is reported through statusChanged so the
// window can show one sentence per source. With a MetricsHub, each target's key-metric series
// (query_range: process CPU and RSS over 30 min) become that row's key metrics and sparkline,
// as a direct poll's would. Rows of other origins are left as they are.
// Threading: GUI thread. Owns its sources; the store must outlive the hub.

#include "healthdeck/client/source/prometheus_source.h"

#include <QHash>
#include <QObject>

namespace healthdeck {

class MetricsHub;
class TargetStore;

class PrometheusSourceHub : public QObject {
  Q_OBJECT
public:
  explicit PrometheusSourceHub(TargetStore& store, QObject* parent = nullptr);
  ~PrometheusSourceHub() override;

  void setSecretResolver(PrometheusSource::SecretResolver resolver);
  /// Where the targets' key-metric series go after every refresh (null: nowhere). The hub
  /// must outlive this object or be reset to null first.
  void setMetricsHub(MetricsHub* hub);
  /// Adds (and starts) or replaces a source.
  void upsertSource(const PrometheusSourceConfig& config);
  /// Removes a source and its rows.
  void removeSource(const QString& sourceId);
  QList<PrometheusSourceConfig> sources() const;
  const PrometheusSource* source(const QString& sourceId) const;
  /// The source a row came from, or null for a server the console polls itself.
  const PrometheusTarget* targetOf(const QString& targetId) const;

Q_SIGNALS:
  /// A source turned bad or changed its problem ("Lab: Prometheus unreachable: …"), or
  /// recovered (`ok` true). A source that stays healthy emits nothing.
  void statusChanged(const QString& sourceId, const QString& sentence, bool ok);

private:
  void replaceRows(const QString& sourceId);
  void apply(const QString& sourceId, const QList<TargetSnapshot>& snapshots);
  void sendSeries(const QString& sourceId);
  void sendSomeSeries();

  TargetStore& m_store;
  MetricsHub* m_metrics = nullptr;
  /// Targets whose series still go to the hub, a few hundred per event-loop turn (5,000 at
  /// once held the GUI thread for ~290 ms).
  QList<QPair<QString, QString>> m_seriesQueue; ///< (source id, target id)
  bool m_seriesScheduled = false;
  PrometheusSource::SecretResolver m_resolver;
  QList<QString> m_order;
  QHash<QString, PrometheusSource*> m_sources;
  QHash<QString, bool> m_lastOk;
};

} // namespace healthdeck
