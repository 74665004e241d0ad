#pragma once
// FreshnessMonitor: decides when what the console shows is too old to be current, and when
// everything must be polled again at once.
//
// - Stale: a target whose last result is older than 2x its interval (one missed poll is
//   normal jitter, two are not) is marked stale in the TargetStore
//   (TargetStore::setStale); a new snapshot makes it fresh. Disabled targets never go stale.
//   A target that was never polled is "unknown", not stale. Rows fed by a source (a
//   Prometheus server; TargetConfig::sourceId set) are left to it: their polledAt is the
//   engine's last scrape, which a healthy source does not resend while nothing changed, and the
//   source marks them stale itself when it cannot be read (PrometheusSourceHub).
// - Resume from sleep: a suspended machine stops the monotonic clock but not the wall clock.
//   A periodic tick compares how far each advanced; a gap larger than `jumpThreshold` means the
//   machine slept (or the clock was set) and emits resumeDetected once.
// - Network change: where Qt has a QNetworkInformation backend (NetworkManager on Linux), a
//   change of reachability or transport emits networkChanged.
// The ConsoleSession connects both to Poller::pollAll.
// Clocks are replaceable for tests. Not thread-safe: GUI thread.

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace healthdeck {

class TargetStore;

class FreshnessMonitor : public QObject {
  Q_OBJECT
public:
  using WallClock = std::function<QDateTime()>;
  using MonotonicClock = std::function<qint64()>; ///< milliseconds, any epoch

  explicit FreshnessMonitor(TargetStore& store, QObject* parent = nullptr);

  /// How often staleness and the clocks are checked (default 5 s).
  void setTickInterval(std::chrono::milliseconds interval);
  /// Wall-clock advance beyond the monotonic one that counts as a resume (default 30 s).
  void setJumpThreshold(std::chrono::milliseconds threshold) { m_jumpThreshold = threshold; }
  void setClocks(WallClock wall, MonotonicClock monotonic);
  /// Watches QNetworkInformation when a backend loads; false when none is available.
  bool watchNetwork();

  /// Re-evaluates every target now (also done on each tick).
  void check();

  /// The age beyond which a target polled at this interval is stale (2x the interval).
  static std::chrono::milliseconds staleAfter(std::chrono::milliseconds interval);

Q_SIGNALS:
  /// The wall clock jumped ahead of the monotonic clock by `gapMs` (sleep, or a clock change).
  void resumeDetected(qint64 gapMs);
  void networkChanged();

private:
  void tick();

  TargetStore& m_store;
  QTimer m_timer;
  WallClock m_wall;
  MonotonicClock m_mono;
  qint64 m_lastWall = 0;
  qint64 m_lastMono = 0;
  std::chrono::milliseconds m_jumpThreshold{30000};
};

} // namespace healthdeck
