#include "healthdeck/client/source/request_deadlines.h"

#include <QNetworkReply>

#include <algorithm>

namespace healthdeck {

RequestDeadlines::RequestDeadlines(std::chrono::milliseconds granularity, QObject* parent)
    : QObject(parent), m_granularity(std::max(granularity, std::chrono::milliseconds(1))) {
  m_clock.start();
  m_timer.setSingleShot(true);
  m_timer.setTimerType(Qt::PreciseTimer); // the granularity is the slack, not Qt's 5 %
  connect(&m_timer, &QTimer::timeout, this, [this] { expire(); });
}

void RequestDeadlines::add(QNetworkReply* reply, std::chrono::milliseconds limit,
                           std::function<void()> onTimeout) {
  const qint64 due = m_clock.elapsed() + std::max<qint64>(limit.count(), 1);
  m_deadlines.emplace(due, Entry{reply, std::move(onTimeout)});
  arm();
}

void RequestDeadlines::arm() {
  if (m_deadlines.empty()) {
    m_timer.stop();
    m_armedFor = -1;
    return;
  }
  const qint64 now = m_clock.elapsed();
  // Fire for the earliest deadline, but never sooner than `granularity` after the last time
  // the timer was set: deadlines close together are handled in one pass.
  const qint64 at = std::max(m_deadlines.begin()->first, now + m_granularity.count());
  if (m_armedFor >= 0 && m_timer.isActive() && m_armedFor <= at) return; // fires early enough
  m_armedFor = at;
  m_timer.start(static_cast<int>(std::max<qint64>(at - now, 0)));
}

void RequestDeadlines::expire() {
  m_armedFor = -1;
  const qint64 now = m_clock.elapsed();
  // Take the due entries out first: a callback may add new requests.
  std::vector<Entry> due;
  auto end = m_deadlines.upper_bound(now);
  for (auto it = m_deadlines.begin(); it != end; ++it)
    due.push_back(std::move(it->second));
  m_deadlines.erase(m_deadlines.begin(), end);
  for (Entry& e : due)
    if (e.reply && e.reply->isRunning()) e.onTimeout();
  arm();
}

} // namespace healthdeck
