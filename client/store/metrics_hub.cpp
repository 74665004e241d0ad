#include "healthdeck/client/store/metrics_hub.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/store/worker_thread.h"

#include <QSettings>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace healthdeck {

namespace {

// Target ids may hold '/' (a group separator to QSettings): keys carry them percent-encoded.
QString pinKey(const QString& targetId) {
  return QStringLiteral("metrics/pins/") % QString::fromLatin1(QUrl::toPercentEncoding(targetId));
}

QString fromStd(const std::string& s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

// Worker-side state: touched only by jobs running on the worker thread, except the
// destructor, which runs after the thread has been joined.
struct MetricsHub::Worker {
  std::unordered_map<std::string, std::unique_ptr<client::TargetMetrics>> targets;

  client::TargetMetrics& target(const QString& id) {
    auto& t = targets[id.toStdString()];
    if (!t) t = std::make_unique<client::TargetMetrics>();
    return *t;
  }
};

MetricsHub::MetricsHub(QObject* parent) : MetricsHub(Options{}, parent) {}

MetricsHub::MetricsHub(Options options, QObject* parent)
    : QObject(parent), m_options(options), m_worker(std::make_shared<Worker>()) {
  m_thread = m_options.parseThread ? m_options.parseThread
                                   : startSharedThread(QStringLiteral("metrics-worker"));
  m_context = new QObject;
  m_context->moveToThread(m_thread.get());
}

MetricsHub::~MetricsHub() {
  // The job running on the context finishes; jobs still queued for it are dropped with it.
  retireContext(m_context);
  m_context = nullptr;
  m_thread.reset();
}

void MetricsHub::ingest(const QString& targetId, const QByteArray& body, const QDateTime& at) {
  ingestWithHealth(targetId, body, at, {}, {});
}

void MetricsHub::ingestWithHealth(const QString& targetId, const QByteArray& body,
                                  const QDateTime& at, const QList<MetricRule>& rules,
                                  HealthReady healthReady) {
  Waiting job{body, at.toMSecsSinceEpoch(), rules, {}};
  if (healthReady) job.healthReady.push_back(std::move(healthReady));
  if (m_inFlight.contains(targetId)) {
    // Latest wins; the callbacks of a body it replaces are answered from it.
    auto it = m_waiting.find(targetId);
    if (it != m_waiting.end())
      for (HealthReady& f : it->healthReady)
        job.healthReady.push_back(std::move(f));
    m_waiting.insert(targetId, std::move(job));
    return;
  }
  post(targetId, std::move(job));
}

void MetricsHub::post(const QString& targetId, Waiting job) {
  m_inFlight.insert(targetId, true);
  const bool wantExplorer = targetId == m_explorerTarget;
  const bool wantHealth = !job.healthReady.empty();
  std::shared_ptr<Worker> worker = m_worker;
  QMetaObject::invokeMethod(m_context, [this, worker, targetId, job = std::move(job), wantExplorer,
                                        wantHealth]() mutable {
    client::TargetMetrics& t = worker->target(targetId);
    client::TargetMetricsUpdate u =
        t.ingest(std::string_view(job.body.constData(), static_cast<std::size_t>(job.body.size())),
                 job.atMs);
    std::vector<client::ExplorerFamily> explorer;
    if (wantExplorer) explorer = t.explorer();
    client::MetricHealthResult health;
    if (wantHealth) {
      health = t.health(job.rules);
      if (!u.status.error.empty()) health.error = fromStd(u.status.error);
    }
    const std::size_t bytes = t.memoryBytes();
    QMetaObject::invokeMethod(
        this,
        [this, targetId, u = std::move(u), explorer = std::move(explorer), wantExplorer, bytes,
         health = std::move(health), callbacks = std::move(job.healthReady)]() mutable {
          m_inFlight.remove(targetId);
          apply(targetId, std::move(u), std::move(explorer), wantExplorer, bytes);
          for (HealthReady& f : callbacks)
            f(health);
          auto waiting = m_waiting.find(targetId);
          if (waiting != m_waiting.end()) {
            Waiting next = std::move(*waiting);
            m_waiting.erase(waiting);
            post(targetId, std::move(next));
          }
        },
        Qt::QueuedConnection);
  });
}

client::MetricSeries* MetricsHub::ring(Entry& e, const QString& id, std::size_t capacity) {
  auto it = e.rings.find(id);
  if (it != e.rings.end()) return *it;
  auto series =
      std::make_unique<client::MetricSeries>(capacity > 0 ? capacity : m_options.historyPoints);
  client::MetricSeries* raw = series.get();
  e.ringStore.push_back(std::move(series));
  e.rings.insert(id, raw);
  return raw;
}

void MetricsHub::apply(const QString& targetId, client::TargetMetricsUpdate update,
                       std::vector<client::ExplorerFamily> explorer, bool hasExplorer,
                       std::size_t parserBytes) {
  auto& slot = m_states[targetId];
  if (!slot) slot = std::make_shared<Entry>();
  Entry& e = *slot;
  TargetMetricsState& st = e.state;
  const qint64 atMs = update.status.atMs;
  st.status = std::move(update.status);
  st.fetchedAt = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC);
  st.fetchError.clear();
  st.parserBytes = parserBytes;
  st.stale = false;
  if (st.status.error.empty()) st.lastGoodAt = st.fetchedAt;

  QSet<QString> present;
  st.metrics.clear();
  st.metrics.reserve(update.metrics.size());
  for (const client::KeyMetricSample& m : update.metrics) {
    const QString id = fromStd(m.id);
    present.insert(id);
    client::MetricSeries* r = ring(e, id);
    r->append(atMs, m.value);
    st.metrics.push_back({id, fromStd(m.title), m.unit, m.pinned, m.value, r});
  }
  // A metric that vanished (a split value gone, a page that did not parse) gets a gap.
  for (auto it = e.rings.begin(); it != e.rings.end(); ++it)
    if (!present.contains(it.key())) (*it)->append(atMs, client::kNoValue);

  updateSparkline(st);

  if (hasExplorer && targetId == m_explorerTarget) {
    // A page that did not parse keeps the rows of the last good one.
    if (!explorer.empty() || st.status.error.empty()) st.explorer = std::move(explorer);
    Q_EMIT explorerUpdated(targetId);
  } else if (targetId != m_explorerTarget) {
    st.explorer.clear();
  }
  Q_EMIT metricsUpdated(targetId);
}

void MetricsHub::updateSparkline(TargetMetricsState& st) const {
  const KeyMetric* main = nullptr;
  const auto rate = std::find_if(st.metrics.cbegin(), st.metrics.cend(), [](const KeyMetric& m) {
    return m.unit == client::MetricUnit::PerSecond;
  });
  if (rate != st.metrics.cend())
    main = &*rate;
  else if (!st.metrics.empty())
    main = &st.metrics.front();
  st.sparkline.clear();
  st.sparklineTitle.clear();
  if (!main) return;
  st.sparklineTitle = main->title;
  const std::size_t n = main->history->size();
  const std::size_t first =
      n > static_cast<std::size_t>(m_options.sparklinePoints) ? n - m_options.sparklinePoints : 0;
  for (std::size_t i = first; i < n; ++i)
    st.sparkline.append(main->history->at(i).value);
}

bool MetricsHub::applySeries(const QString& targetId, const std::vector<ExternalSeries>& series,
                             const QString& profile) {
  auto& slot = m_states[targetId];
  if (!slot) slot = std::make_shared<Entry>();
  Entry& e = *slot;
  bool added = false;
  std::vector<KeyMetric> metrics;
  qint64 latestMs = -1;
  for (const ExternalSeries& s : series) {
    // A range answer covers its own window: a ring twice its size, not 360 points per metric.
    client::MetricSeries* r = ring(e, s.id, std::max<std::size_t>(64, 2 * s.points.size()));
    for (const auto& [t, v] : s.points)
      added = r->append(t, v) || added;
    double value = client::kNoValue;
    if (!r->empty()) {
      value = r->latest().value;
      latestMs = std::max<qint64>(latestMs, r->latest().timestampMs);
    }
    metrics.push_back({s.id, s.title, s.unit, false, value, r});
  }
  if (!added) return false;
  m_unpolled.remove(targetId);
  TargetMetricsState& st = e.state;
  st.metrics = std::move(metrics);
  st.status = {};
  st.status.atMs = latestMs;
  st.status.profile = profile.toStdString();
  st.fetchedAt = QDateTime::fromMSecsSinceEpoch(latestMs, Qt::UTC);
  st.lastGoodAt = st.fetchedAt;
  st.fetchError.clear();
  st.stale = false;
  updateSparkline(st);
  Q_EMIT metricsUpdated(targetId);
  return true;
}

void MetricsHub::recordFetch(const QString& targetId, qint64 durationMs, const QString& error,
                             const QDateTime& at) {
  auto& slot = m_states[targetId];
  if (!slot) slot = std::make_shared<Entry>();
  TargetMetricsState& st = slot->state;
  st.fetchMs = durationMs;
  st.fetchError = error;
  if (!error.isEmpty()) {
    st.fetchedAt = at;
    // What is on screen is now the last good page's, not the server's current state.
    st.stale = st.lastGoodAt.isValid();
    Q_EMIT metricsUpdated(targetId);
  }
}

void MetricsHub::removeTarget(const QString& targetId) {
  m_states.remove(targetId);
  // A round waiting on a held-back body still gets its one answer.
  if (auto it = m_waiting.find(targetId); it != m_waiting.end()) {
    const std::vector<HealthReady> callbacks = std::move(it->healthReady);
    m_waiting.erase(it);
    client::MetricHealthResult dropped;
    dropped.error = QStringLiteral("the server was removed");
    for (const HealthReady& f : callbacks)
      f(dropped);
  }
  std::shared_ptr<Worker> worker = m_worker;
  QMetaObject::invokeMethod(m_context,
                            [worker, id = targetId.toStdString()] { worker->targets.erase(id); });
  Q_EMIT metricsUpdated(targetId);
}

void MetricsHub::setMetricsPolled(const QString& targetId, bool polled) {
  const bool was = !m_unpolled.contains(targetId);
  if (polled)
    m_unpolled.remove(targetId);
  else
    m_unpolled.insert(targetId);
  if (was != polled) Q_EMIT metricsUpdated(targetId);
}

QString MetricsHub::statusSentence(const QString& targetId, const QDateTime& now) const {
  if (m_unpolled.contains(targetId))
    return QStringLiteral("Metrics are not polled for this server (no metrics path configured).");
  const TargetMetricsState* st = state(targetId);
  if (!st || (!st->fetchedAt.isValid() && st->fetchError.isEmpty()))
    return QStringLiteral("No metrics yet: waiting for the first /metrics scrape.");
  if (st->stale) {
    const double age = static_cast<double>(st->lastGoodAt.msecsTo(now)) / 1000.0;
    return QStringLiteral("Stale: values of the last good scrape, ") %
           formatMetric(std::max(0.0, age), client::MetricUnit::Seconds) %
           QStringLiteral(" ago — /metrics fails now (") % st->fetchError % QStringLiteral(").");
  }
  if (!st->fetchError.isEmpty()) {
    if (st->fetchError == QLatin1String("HTTP 404"))
      return QStringLiteral("No metrics: the metrics route answers HTTP 404 (disabled on the "
                            "server, or served at another path).");
    return QStringLiteral("No metrics: /metrics could not be read (") % st->fetchError %
           QStringLiteral(").");
  }
  if (!st->status.error.empty())
    return QStringLiteral("The /metrics page did not parse: ") %
           QString::fromStdString(st->status.error);
  if (st->metrics.empty() && st->status.profile != "Generic")
    // e.g. redis_exporter while Redis is down: the exporter's page, without Redis's numbers.
    return QStringLiteral("The %1 page has none of its key metrics now (%2 families): pin "
                          "series from the Metrics explorer to see them here.")
        .arg(QString::fromStdString(st->status.profile))
        .arg(st->status.families);
  if (st->metrics.empty())
    return QStringLiteral("The /metrics page (%1 families) matches no known profile: pin series "
                          "from the Metrics explorer to see them here.")
        .arg(st->status.families);
  return {};
}

void MetricsHub::setExplorerTarget(const QString& targetId) {
  if (targetId == m_explorerTarget) return;
  if (auto old = m_states.value(m_explorerTarget)) old->state.explorer.clear();
  m_explorerTarget = targetId;
  if (targetId.isEmpty()) return;
  std::shared_ptr<Worker> worker = m_worker;
  QMetaObject::invokeMethod(m_context, [this, worker, targetId] {
    auto it = worker->targets.find(targetId.toStdString());
    std::vector<client::ExplorerFamily> rows;
    if (it != worker->targets.end()) rows = it->second->explorer();
    QMetaObject::invokeMethod(
        this,
        [this, targetId, rows = std::move(rows)]() mutable {
          if (targetId != m_explorerTarget) return;
          auto& slot = m_states[targetId];
          if (!slot) slot = std::make_shared<Entry>();
          slot->state.explorer = std::move(rows);
          Q_EMIT explorerUpdated(targetId);
        },
        Qt::QueuedConnection);
  });
}

void MetricsHub::setPinStorage(QSettings* settings) {
  m_settings = settings;
  if (!m_settings) return;
  m_settings->beginGroup(QStringLiteral("metrics/pins"));
  const QStringList ids = m_settings->childKeys();
  QHash<QString, QStringList> loaded;
  for (const QString& id : ids)
    loaded.insert(QUrl::fromPercentEncoding(id.toLatin1()), m_settings->value(id).toStringList());
  m_settings->endGroup();
  for (auto it = loaded.begin(); it != loaded.end(); ++it) {
    m_pins.insert(it.key(), it.value());
    sendPins(it.key());
    Q_EMIT pinsChanged(it.key());
  }
}

void MetricsHub::setPinned(const QString& targetId, const QString& seriesKey, bool pinned) {
  QStringList& list = m_pins[targetId];
  const bool has = list.contains(seriesKey);
  if (has == pinned) return;
  if (pinned)
    list.append(seriesKey);
  else
    list.removeAll(seriesKey);
  if (m_settings) {
    if (list.isEmpty())
      m_settings->remove(pinKey(targetId));
    else
      m_settings->setValue(pinKey(targetId), list);
  }
  sendPins(targetId);
  Q_EMIT pinsChanged(targetId);
}

void MetricsHub::sendPins(const QString& targetId) {
  std::vector<std::string> keys;
  for (const QString& k : m_pins.value(targetId))
    keys.push_back(k.toStdString());
  std::shared_ptr<Worker> worker = m_worker;
  QMetaObject::invokeMethod(m_context, [worker, targetId, keys = std::move(keys)]() mutable {
    worker->target(targetId).setPins(std::move(keys));
  });
}

const MetricsHub::TargetMetricsState* MetricsHub::state(const QString& targetId) const {
  auto it = m_states.find(targetId);
  return it == m_states.end() ? nullptr : &(*it)->state;
}

std::size_t MetricsHub::historyBytes() const {
  std::size_t total = 0;
  for (const auto& e : m_states)
    for (const auto& r : e->ringStore)
      total += r->memoryBytes() + sizeof(client::MetricSeries);
  return total;
}

std::size_t MetricsHub::parserBytes() const {
  std::size_t total = 0;
  for (const auto& e : m_states)
    total += e->state.parserBytes;
  return total;
}

} // namespace healthdeck
