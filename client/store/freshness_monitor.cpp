#include "healthdeck/client/store/freshness_monitor.h"

#include "healthdeck/client/store/target_store.h"

#include <QElapsedTimer>
#include <QNetworkInformation>

namespace healthdeck {

FreshnessMonitor::FreshnessMonitor(TargetStore& store, QObject* parent)
    : QObject(parent), m_store(store), m_wall([] { return QDateTime::currentDateTimeUtc(); }),
      m_mono([] {
        static QElapsedTimer clock = [] {
          QElapsedTimer t;
          t.start();
          return t;
        }();
        return clock.elapsed();
      }) {
  m_lastWall = m_wall().toMSecsSinceEpoch();
  m_lastMono = m_mono();
  m_timer.setObjectName(QStringLiteral("FreshnessMonitor: check"));
  m_timer.setInterval(5000);
  connect(&m_timer, &QTimer::timeout, this, &FreshnessMonitor::tick);
  m_timer.start();
  // A fresh snapshot or a new target list can change the answer before the next tick.
  connect(&m_store, &TargetStore::targetsReset, this, &FreshnessMonitor::check);
}

void FreshnessMonitor::setTickInterval(std::chrono::milliseconds interval) {
  m_timer.start(static_cast<int>(interval.count()));
}

void FreshnessMonitor::setClocks(WallClock wall, MonotonicClock monotonic) {
  m_wall = std::move(wall);
  m_mono = std::move(monotonic);
  m_lastWall = m_wall().toMSecsSinceEpoch();
  m_lastMono = m_mono();
}

bool FreshnessMonitor::watchNetwork() {
  if (!QNetworkInformation::instance() && !QNetworkInformation::loadDefaultBackend()) return false;
  QNetworkInformation* info = QNetworkInformation::instance();
  if (!info) return false;
  connect(info, &QNetworkInformation::reachabilityChanged, this,
          [this](QNetworkInformation::Reachability r) {
            if (r == QNetworkInformation::Reachability::Online ||
                r == QNetworkInformation::Reachability::Site)
              Q_EMIT networkChanged();
          });
  connect(info, &QNetworkInformation::transportMediumChanged, this,
          &FreshnessMonitor::networkChanged);
  return true;
}

std::chrono::milliseconds FreshnessMonitor::staleAfter(std::chrono::milliseconds interval) {
  return 2 * interval;
}

void FreshnessMonitor::check() {
  const QDateTime now = m_wall();
  for (const auto& t : m_store.targets()) {
    if (!t.sourceId.isEmpty()) continue; // its source says when its rows are stale
    const TargetSnapshot* s = m_store.findSnapshot(t.id);
    bool stale = false;
    if (t.enabled && s && s->polledAt.isValid())
      stale = s->polledAt.msecsTo(now) > staleAfter(t.interval).count();
    m_store.setStale(t.id, stale);
  }
}

void FreshnessMonitor::tick() {
  const qint64 wall = m_wall().toMSecsSinceEpoch();
  const qint64 mono = m_mono();
  const qint64 gap = (wall - m_lastWall) - (mono - m_lastMono);
  m_lastWall = wall;
  m_lastMono = mono;
  check();
  if (gap > m_jumpThreshold.count()) Q_EMIT resumeDetected(gap);
}

} // namespace healthdeck
