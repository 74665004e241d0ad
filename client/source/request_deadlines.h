#pragma once
// RequestDeadlines: the Poller's time limits for requests in flight, kept by one coarse timer
// instead of a QTimer per request. At 1,000 servers every 5 s the console has up to 3,000
// requests in flight and started (and stopped) 600 per-request timers a second, each a sorted
// insert into Qt's timer list; here a request costs a map insert and the timer fires at most
// once per `granularity`.
//
// Semantics: `onTimeout` runs on the owner's thread once `limit` has passed since add(), at
// most `granularity` late (the console's time limits are seconds; 25 ms late is below what a
// person or a test can tell), unless the reply finished or was destroyed first — then nothing
// runs and the entry is dropped when its time comes. Not thread-safe: the Poller's thread.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <map>

class QNetworkReply;

namespace healthdeck {

class RequestDeadlines : public QObject {
public:
  explicit RequestDeadlines(std::chrono::milliseconds granularity = std::chrono::milliseconds(25),
                            QObject* parent = nullptr);

  /// Calls `onTimeout` when `reply` is still running `limit` from now.
  void add(QNetworkReply* reply, std::chrono::milliseconds limit, std::function<void()> onTimeout);
  /// Requests whose deadline has not come yet (finished ones included until then).
  std::size_t pending() const { return m_deadlines.size(); }

private:
  struct Entry {
    QPointer<QNetworkReply> reply;
    std::function<void()> onTimeout;
  };
  void arm();
  void expire();

  std::chrono::milliseconds m_granularity;
  QElapsedTimer m_clock;
  QTimer m_timer;
  qint64 m_armedFor = -1; ///< clock time the timer fires at, -1 when idle
  std::multimap<qint64, Entry> m_deadlines;
};

} // namespace healthdeck
