#include "healthdeck/client/store/history_writer.h"

#include "healthdeck/client/store/worker_thread.h"

#include "healthdeck/client/store/evidence_format.h"
#include "healthdeck/client/store/target_event.h"

#include <QDateTime>
#include <QHostAddress>
#include <QLockFile>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <QPointer>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <vector>

namespace healthdeck {

using namespace history;

/// Lives on its own thread; owns the database connection.
class HistoryWriter::Worker : public QObject {
public:
  explicit Worker(Options options) : m_options(std::move(options)) {}

  /// Rows waiting for a commit.
  struct Batch {
    std::vector<PollRow> polls;
    std::vector<EventRow> events;
    std::vector<ComponentRow> components;
    std::vector<AnnotationRow> annotations;

    template <typename Row> std::vector<Row>& rowsOf() {
      if constexpr (std::is_same_v<Row, PollRow>)
        return polls;
      else if constexpr (std::is_same_v<Row, EventRow>)
        return events;
      else if constexpr (std::is_same_v<Row, ComponentRow>)
        return components;
      else {
        static_assert(std::is_same_v<Row, AnnotationRow>, "a row kind the batch does not hold");
        return annotations;
      }
    }
    bool empty() const {
      return polls.empty() && events.empty() && components.empty() && annotations.empty();
    }
    /// Puts `older` in front of these rows.
    void prepend(Batch&& older) {
      auto front = [](auto& mine, auto& theirs) {
        theirs.insert(theirs.end(), std::make_move_iterator(mine.begin()),
                      std::make_move_iterator(mine.end()));
        mine = std::move(theirs);
      };
      front(polls, older.polls);
      front(events, older.events);
      front(components, older.components);
      front(annotations, older.annotations);
    }
  };

  // Queue, filled from the GUI thread.
  template <typename Row> void push(Row row) {
    QMutexLocker lock(&m_mutex);
    m_queue.rowsOf<Row>().push_back(std::move(row));
  }

  // Everything below runs on the worker thread.
  Status open() {
    Status s;
    m_lock = std::make_unique<QLockFile>(m_options.path + QStringLiteral(".lock"));
    m_lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (!m_lock->tryLock(0)) {
      qint64 pid = 0;
      QString host, app;
      m_lock->getLockInfo(&pid, &host, &app);
      s.readOnly = true;
      s.message = QStringLiteral("Another Healthdeck console (process %1) is recording history; "
                                 "this one shows it but does not write")
                      .arg(pid);
      m_lock.reset();
      return s;
    }
    const HistoryDb::OpenResult r = m_db->open(m_options.path, HistoryDb::Mode::Write);
    s.message = r.error;
    if (!r.ok) return s;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!m_db->beginSession(now)) {
      s.message = QStringLiteral("History not kept: ") % m_db->lastError();
      return s;
    }
    if (!m_options.importEventsFile.isEmpty()) m_db->importEventsFile(m_options.importEventsFile);
    m_db->applyRetention(now, m_options.retention);
    s.writing = true;
    m_flushTimer = new QTimer(this);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
    m_flushTimer->start(static_cast<int>(m_options.flushInterval.count()));
    m_rollupTimer = new QTimer(this);
    connect(m_rollupTimer, &QTimer::timeout, this, [this] { maintain(); });
    m_rollupTimer->start(static_cast<int>(m_options.rollupInterval.count()));
    m_writing = true;
    return s;
  }

  void flush() {
    if (!m_writing) return;
    Batch batch;
    {
      QMutexLocker lock(&m_mutex);
      std::swap(batch, m_queue);
    }
    if (!m_failed.empty()) {
      batch.prepend(std::move(m_failed));
      m_failed = Batch{};
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_db->writeBatch(batch.polls, batch.events, now, batch.components, batch.annotations)) {
      if (m_failing) {
        m_failing = false;
        if (m_onRecovered) m_onRecovered();
      }
      return;
    }
    // Keep the rows for the next try (a full disk may get space back); drop the oldest polls
    // beyond the bound rather than grow without limit. Events, component changes and
    // annotations are few and kept.
    std::vector<PollRow>& polls = batch.polls;
    if (polls.size() > kMaxPending)
      polls.erase(polls.begin(),
                  polls.begin() + static_cast<std::ptrdiff_t>(polls.size() - kMaxPending));
    m_failed = std::move(batch);
    if (!m_failing) {
      m_failing = true;
      if (m_onFailed) m_onFailed(m_db->lastError());
    }
  }

  void maintain() {
    if (!m_writing) return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_db->rollupUntil(now, 0);
    if (now - m_lastRetention >= 3600 * 1000) {
      m_lastRetention = now;
      m_db->applyRetention(now, m_options.retention);
    }
  }

  void close() {
    if (m_writing) {
      flush();
      m_db->endSession(QDateTime::currentMSecsSinceEpoch());
      m_writing = false;
    }
    delete m_flushTimer;
    delete m_rollupTimer;
    m_flushTimer = m_rollupTimer = nullptr;
    m_db.reset(); // the connection is closed on the thread that opened it
    m_lock.reset();
  }

  HistoryDb& db() { return *m_db; }
  Options& options() { return m_options; }
  std::function<void(const QString&)> m_onFailed;
  std::function<void()> m_onRecovered;

private:
  Options m_options;
  std::unique_ptr<HistoryDb> m_db = std::make_unique<HistoryDb>();
  std::unique_ptr<QLockFile> m_lock;
  QMutex m_mutex;
  Batch m_queue;
  Batch m_failed;
  QTimer* m_flushTimer = nullptr;
  QTimer* m_rollupTimer = nullptr;
  bool m_writing = false;
  bool m_failing = false;
  qint64 m_lastRetention = 0;
};

HistoryWriter::HistoryWriter(Options options, QObject* parent)
    : QObject(parent), m_options(std::move(options)) {
  if (m_options.path.isEmpty()) m_options.path = defaultHistoryPath();
  m_options.flushInterval = std::clamp(m_options.flushInterval, std::chrono::milliseconds(10),
                                       std::chrono::milliseconds(1000));
  m_worker = std::make_unique<Worker>(m_options);
  auto* thread = new QThread;
  thread->setObjectName(QStringLiteral("healthdeck-history"));
  m_worker->moveToThread(thread);
  thread->start();
  QPointer<HistoryWriter> self(this);
  m_worker->m_onFailed = [self](const QString& message) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, message] {
          if (self) Q_EMIT self->writeFailed(message);
        },
        Qt::QueuedConnection);
  };
  m_worker->m_onRecovered = [self] {
    QMetaObject::invokeMethod(
        self.data(),
        [self] {
          if (self) Q_EMIT self->writeRecovered();
        },
        Qt::QueuedConnection);
  };
}

HistoryWriter::~HistoryWriter() {
  Worker* w = m_worker.get();
  // The connection and timers belong to the worker's thread: it is handed back before the
  // thread ends, so it is destroyed (below) without touching a dead thread's objects.
  finishWorkerThread(w, [w] { w->close(); });
  m_worker.reset();
}

HistoryWriter::Status HistoryWriter::start() {
  Worker* w = m_worker.get();
  Status s;
  QMetaObject::invokeMethod(
      w, [w, &s] { s = w->open(); }, Qt::BlockingQueuedConnection);
  m_status = s;
  return s;
}

void HistoryWriter::recordPoll(const TargetSnapshot& raw, const TargetConfig& target,
                               std::optional<TargetState> observed) {
  if (!m_status.writing) return;
  const TargetState state = observed.value_or(raw.state);
  const QString host = target.baseUrl.host();
  const bool loopback = host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
  const bool unseen = m_networkDown && !loopback;
  PollRow row;
  row.serverKey = target.id;
  row.serverName = target.name;
  row.t =
      (raw.polledAt.isValid() ? raw.polledAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch();
  row.state = unseen ? kNotObserved : static_cast<int>(state);
  row.latency = raw.latency.count();
  row.interval = target.interval.count();
  const qint64 t = row.t;
  m_worker->push(std::move(row));
  if (!unseen && answered(static_cast<int>(state)) && raw.primaryDocument())
    recordComponents(raw, target, t);
  if (state == TargetState::Up && !unseen) {
    TargetSnapshot keep;
    keep.readiness = raw.readiness;
    keep.liveness = raw.liveness;
    m_lastGood.insert(raw.targetId, std::move(keep));
  }
}

void HistoryWriter::recordComponents(const TargetSnapshot& snapshot, const TargetConfig& target,
                                     qint64 t) {
  const QMap<QString, healthdeck::Status> now = componentStatuses(snapshot);
  QHash<QString, int>& last = m_components[target.id];
  auto changed = [&](const QString& component, int state) {
    const auto it = last.constFind(component);
    if (it != last.cend() && *it == state) return;
    last.insert(component, state);
    m_worker->push(ComponentRow{target.id, target.name, component, t, state});
  };
  for (auto it = now.cbegin(); it != now.cend(); ++it)
    changed(it.key(), static_cast<int>(it.value()));
  for (const QString& gone : last.keys())
    if (!now.contains(gone)) changed(gone, kComponentAbsent);
}

void HistoryWriter::recordAnnotation(history::AnnotationRow row) {
  if (!m_status.writing) return;
  m_worker->push(std::move(row));
}

void HistoryWriter::recordEvent(const TargetEvent& event, const TargetSnapshot& snapshot) {
  if (!m_status.writing) return;
  EventRow row;
  row.serverKey = event.targetId;
  row.serverName = event.targetName;
  row.t = event.at.toMSecsSinceEpoch();
  row.from = static_cast<int>(event.from);
  row.to = static_cast<int>(event.to);
  row.flapping = event.flapping;
  row.sentence = event.sentence;
  const auto good = m_lastGood.constFind(event.targetId);
  const QStringList diff = componentDiff(good == m_lastGood.cend() ? nullptr : &*good, snapshot);
  row.evidence = evidenceToJson(snapshot.evidence, diff);
  m_worker->push(std::move(row));
}

void HistoryWriter::setServers(const QHash<QString, QString>& keyToName) {
  if (!m_status.writing) return;
  Worker* w = m_worker.get();
  QMetaObject::invokeMethod(w, [w, keyToName] {
    w->flush();
    w->db().syncServers(keyToName, QDateTime::currentMSecsSinceEpoch());
  });
}

void HistoryWriter::purgeServer(const QString& key) {
  if (!m_status.writing) return;
  Worker* w = m_worker.get();
  QMetaObject::invokeMethod(w, [w, key] {
    w->flush();
    w->db().purgeServer(key);
  });
}

void HistoryWriter::setLocalNetworkDown(bool down) {
  m_networkDown = down;
}

void HistoryWriter::setRetention(const history::Retention& retention) {
  m_options.retention = retention;
  Worker* w = m_worker.get();
  QMetaObject::invokeMethod(w, [w, retention] { w->options().retention = retention; });
}

void HistoryWriter::flushNow() {
  if (!m_status.writing) return;
  Worker* w = m_worker.get();
  QMetaObject::invokeMethod(
      w, [w] { w->flush(); }, Qt::BlockingQueuedConnection);
}

} // namespace healthdeck
