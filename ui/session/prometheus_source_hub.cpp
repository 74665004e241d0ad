#include "healthdeck/ui/session/prometheus_source_hub.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/target_store.h"

#include <QTimer>

#include <algorithm>

namespace healthdeck {

PrometheusSourceHub::PrometheusSourceHub(TargetStore& store, QObject* parent)
    : QObject(parent), m_store(store) {}

PrometheusSourceHub::~PrometheusSourceHub() {
  qDeleteAll(m_sources);
}

void PrometheusSourceHub::setSecretResolver(PrometheusSource::SecretResolver resolver) {
  m_resolver = std::move(resolver);
  for (auto* s : std::as_const(m_sources))
    s->setSecretResolver(m_resolver);
}

void PrometheusSourceHub::setMetricsHub(MetricsHub* hub) {
  m_metrics = hub;
  for (const QString& id : std::as_const(m_order))
    sendSeries(id);
}

void PrometheusSourceHub::sendSeries(const QString& sourceId) {
  const PrometheusSource* s = m_sources.value(sourceId);
  if (!m_metrics || !s) return;
  // Latest wins: this source's targets not sent yet are queued again with the rest.
  m_seriesQueue.erase(std::remove_if(m_seriesQueue.begin(), m_seriesQueue.end(),
                                     [&](const auto& e) { return e.first == sourceId; }),
                      m_seriesQueue.end());
  for (const PrometheusTarget& t : s->targets())
    if (!t.keySeries.isEmpty()) m_seriesQueue.append({sourceId, t.id});
  if (m_seriesScheduled || m_seriesQueue.isEmpty()) return;
  m_seriesScheduled = true;
  QTimer::singleShot(0, this, &PrometheusSourceHub::sendSomeSeries);
}

void PrometheusSourceHub::sendSomeSeries() {
  m_seriesScheduled = false;
  // The profile's names for the same two metrics, so a source row reads like a polled one.
  static const struct {
    const char* key;
    const char* id;
    const char* title;
    client::MetricUnit unit;
  } kSeries[] = {{"cpu", "process_cpu", "CPU (process)", client::MetricUnit::Ratio},
                 {"rss", "process_rss", "Memory (RSS)", client::MetricUnit::Bytes}};
  constexpr qsizetype kPerTurn = 250;
  std::vector<MetricsHub::ExternalSeries> series;
  const qsizetype n = std::min(kPerTurn, m_seriesQueue.size());
  for (qsizetype i = 0; i < n && m_metrics; ++i) {
    const auto& [sourceId, targetId] = m_seriesQueue.at(i);
    const PrometheusSource* s = m_sources.value(sourceId);
    const PrometheusTarget* t = s ? s->target(targetId) : nullptr;
    if (!t) continue;
    series.clear();
    for (const auto& k : kSeries) {
      const auto it = t->keySeries.constFind(QLatin1String(k.key));
      if (it == t->keySeries.cend() || it->empty()) continue;
      series.push_back({QLatin1String(k.id), QLatin1String(k.title), k.unit, *it});
    }
    if (!series.empty()) m_metrics->applySeries(t->id, series, QStringLiteral("Prometheus"));
  }
  m_seriesQueue.remove(0, n);
  if (!m_seriesQueue.isEmpty()) {
    m_seriesScheduled = true;
    QTimer::singleShot(0, this, &PrometheusSourceHub::sendSomeSeries);
  }
}

void PrometheusSourceHub::upsertSource(const PrometheusSourceConfig& config) {
  const QString id = config.connection.id;
  if (PrometheusSource* old = m_sources.take(id)) delete old;
  if (!m_order.contains(id)) m_order << id;
  auto* source = new PrometheusSource(config);
  if (m_resolver) source->setSecretResolver(m_resolver);
  m_sources.insert(id, source);
  connect(source, &PrometheusSource::targetsChanged, this, [this, id] { replaceRows(id); });
  connect(source, &PrometheusSource::snapshotsReady, this,
          [this, id](const QList<TargetSnapshot>& snapshots) { apply(id, snapshots); });
  connect(source, &PrometheusSource::refreshed, this, [this, id] { sendSeries(id); });
  connect(source, &PrometheusSource::statusChanged, this,
          [this, id, name = config.connection.name](const PrometheusSourceStatus& st) {
            // Problems, and the recovery from one; a healthy source stays quiet.
            const bool wasOk = m_lastOk.value(id, true);
            m_lastOk.insert(id, st.ok());
            if (st.ok() && wasOk) return;
            Q_EMIT statusChanged(id, name + QStringLiteral(": ") + st.sentence, st.ok());
          });
  if (!source->valid()) {
    Q_EMIT statusChanged(id, config.connection.name + QStringLiteral(": ") + source->error(),
                         false);
    return;
  }
  source->start();
}

void PrometheusSourceHub::removeSource(const QString& sourceId) {
  delete m_sources.take(sourceId);
  m_order.removeAll(sourceId);
  m_lastOk.remove(sourceId);
  replaceRows(sourceId);
}

QList<PrometheusSourceConfig> PrometheusSourceHub::sources() const {
  QList<PrometheusSourceConfig> out;
  for (const QString& id : m_order)
    if (const auto* s = m_sources.value(id)) out << s->config();
  return out;
}

const PrometheusSource* PrometheusSourceHub::source(const QString& sourceId) const {
  return m_sources.value(sourceId);
}

const PrometheusTarget* PrometheusSourceHub::targetOf(const QString& targetId) const {
  const TargetConfig* row = m_store.target(targetId);
  if (!row || row->sourceId.isEmpty()) return nullptr;
  const PrometheusSource* s = m_sources.value(row->sourceId);
  return s ? s->target(targetId) : nullptr;
}

void PrometheusSourceHub::replaceRows(const QString& sourceId) {
  // Rows of this source go where its first row was (or at the end), in the source's order.
  QList<TargetConfig> rows;
  int insertAt = -1;
  for (const auto& t : m_store.targets()) {
    if (t.sourceId == sourceId) {
      if (insertAt < 0) insertAt = static_cast<int>(rows.size());
      continue;
    }
    rows << t;
  }
  if (insertAt < 0) insertAt = static_cast<int>(rows.size());
  QList<TargetSnapshot> snapshots;
  if (const PrometheusSource* s = m_sources.value(sourceId)) {
    const QList<TargetConfig> mine = s->targetConfigs();
    for (qsizetype i = 0; i < mine.size(); ++i)
      rows.insert(insertAt + i, mine.at(i));
    for (const auto& t : s->targets())
      snapshots << t.snapshot;
  }
  m_store.setTargets(rows);
  // New rows start with what the source knows, not with "not polled yet".
  apply(sourceId, snapshots);
}

void PrometheusSourceHub::apply(const QString& sourceId, const QList<TargetSnapshot>& snapshots) {
  if (snapshots.isEmpty()) return;
  m_store.applySnapshots(snapshots); // a new snapshot makes a row fresh in the store ...
  const PrometheusSource* s = m_sources.value(sourceId);
  if (!s) return;
  for (const TargetSnapshot& snap : snapshots) // ... unless the source could not be read
    if (const PrometheusTarget* t = s->target(snap.targetId); t && t->stale)
      m_store.setStale(snap.targetId, true);
}

} // namespace healthdeck
