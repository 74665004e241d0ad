#include "healthdeck/client/store/history_reader.h"

#include "healthdeck/client/store/worker_thread.h"

#include <QDateTime>
#include <QFileInfo>
#include <QMutex>
#include <QThread>

#include <algorithm>
#include <functional>
#include <optional>

namespace healthdeck {

using namespace history;

class HistoryReader::Worker : public QObject {
public:
  explicit Worker(QString path) : m_path(std::move(path)) {}

  /// Runs `job` on the worker thread with an open database (opened lazily: the writer may
  /// create the file after the reader starts). Jobs of the same `kind` coalesce.
  void post(int kind, std::function<void(HistoryDb*)> job) {
    {
      QMutexLocker lock(&m_mutex);
      const bool queued = m_pending.contains(kind);
      m_pending.insert(kind, std::move(job));
      if (queued) return;
    }
    QMetaObject::invokeMethod(this, [this, kind] {
      std::function<void(HistoryDb*)> run;
      {
        QMutexLocker lock(&m_mutex);
        run = m_pending.take(kind);
      }
      if (run) run(database());
    });
  }

  void close() { m_db.reset(); }

private:
  HistoryDb* database() {
    if (m_db && m_db->isOpen()) return m_db.get();
    if (!QFileInfo::exists(m_path)) return nullptr;
    m_db = std::make_unique<HistoryDb>();
    if (!m_db->open(m_path, HistoryDb::Mode::Read).ok) {
      m_db.reset();
      return nullptr;
    }
    return m_db.get();
  }

  QString m_path;
  std::unique_ptr<HistoryDb> m_db;
  QMutex m_mutex;
  QHash<int, std::function<void(HistoryDb*)>> m_pending;
};

HistoryReader::HistoryReader(QString path, QObject* parent)
    : QObject(parent), m_worker(std::make_unique<Worker>(std::move(path))) {
  qRegisterMetaType<healthdeck::ServerHistory>();
  qRegisterMetaType<healthdeck::EventQuery>();
  auto* thread = new QThread;
  thread->setObjectName(QStringLiteral("healthdeck-history-read"));
  m_worker->moveToThread(thread);
  thread->start();
}

HistoryReader::~HistoryReader() {
  Worker* w = m_worker.get();
  finishWorkerThread(w, [w] { w->close(); });
}

void HistoryReader::requestUptime() {
  // Answers are posted to this object: if it is gone first, Qt drops them (the destructor
  // joins the worker, so no job outlives the pointer).
  HistoryReader* self = this;
  m_worker->post(0, [self](HistoryDb* db) {
    QHash<QString, UptimeSet> result;
    if (db) {
      const qint64 now = QDateTime::currentMSecsSinceEpoch();
      for (int i = 0; i < UptimeSet::kPeriods; ++i) {
        const qint64 span = UptimeSet::kPeriodMs[static_cast<std::size_t>(i)];
        const auto durations = db->durations(now - span, now, now);
        for (auto it = durations.cbegin(); it != durations.cend(); ++it)
          result[it.key()].periods[static_cast<std::size_t>(i)] = figuresOf(it.value(), span);
      }
    }
    QMetaObject::invokeMethod(self, [self, result] {
      self->m_uptime = result;
      Q_EMIT self->uptimeReady();
    });
  });
}

void HistoryReader::requestServerHistory(const QString& serverKey, qint64 from, qint64 to,
                                         qint64 cellMs) {
  // Answers are posted to this object: if it is gone first, Qt drops them (the destructor
  // joins the worker, so no job outlives the pointer).
  HistoryReader* self = this;
  m_worker->post(1, [self, serverKey, from, to, cellMs](HistoryDb* db) {
    ServerHistory h;
    h.serverKey = serverKey;
    h.from = from;
    h.to = to;
    h.cellMs = cellMs;
    if (db) {
      const qint64 now = QDateTime::currentMSecsSinceEpoch();
      h.cells = db->cells(serverKey, from, to, cellMs, now);
      h.figures = figuresOf(db->durations(from, to, now, serverKey).value(serverKey), to - from);
      h.annotations = db->annotations(from, to, serverKey);
      const bool maintained =
          std::any_of(h.annotations.begin(), h.annotations.end(), [](const AnnotationRow& a) {
            return a.kind == QLatin1String(AnnotationRow::kMaintenance);
          });
      h.outsideMaintenance =
          maintained ? figuresOf(db->durationsOutside(serverKey, from, to, now,
                                                      QLatin1String(AnnotationRow::kMaintenance)),
                                 to - from)
                     : h.figures;
      for (const auto& [component, d] : db->componentDurations(serverKey, from, to, now))
        h.components.emplace_back(component, figuresOf(d, to - from));
      h.events = db->events(from, to, serverKey);
    }
    QMetaObject::invokeMethod(self, [self, h] { Q_EMIT self->serverHistoryReady(h); });
  });
}

void HistoryReader::requestEvents(const EventQuery& query) {
  // Answers are posted to this object: if it is gone first, Qt drops them (the destructor
  // joins the worker, so no job outlives the pointer).
  HistoryReader* self = this;
  m_worker->post(2, [self, query](HistoryDb* db) {
    std::vector<StoredEvent> events;
    if (db) events = db->events(query.from, query.to, query.serverKey, 5000);
    QMetaObject::invokeMethod(self,
                              [self, query, events] { Q_EMIT self->eventsReady(query, events); });
  });
}

} // namespace healthdeck
