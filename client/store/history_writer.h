#pragma once
// HistoryWriter: records what the console observes into the history database, off the GUI
// thread. The GUI thread hands over polls and events (cheap: a lock and a vector push); a
// worker thread with its own connection commits them in one transaction at least every
// `flushInterval` (so a kill -9 loses at most that much), rolls up complete minutes and hours
// every minute, and applies the retention every hour.
//
// One writer per database file: start() takes "<path>.lock" (QLockFile; a lock left by a
// killed console is recognised as stale). When another console holds it, this one does not
// write — status().readOnly, with a message — and the window shows history read-only.
// Each start opens a console session row; the time between the previous session's last
// heartbeat and now is therefore a gap ("not observed"). While setLocalNetworkDown(true),
// polls are stored as not observed.
//
// A database that cannot be opened is moved aside by HistoryDb (never deleted) and a fresh
// one started; status().message says so. Write failures (a full disk) emit writeFailed once
// and keep the pending rows (up to kMaxPending) to retry; polling is never blocked.
// Threading: all public functions from the owning (GUI) thread. Destruction flushes, ends the
// session and joins the worker.

#include "healthdeck/client/store/history_db.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QHash>
#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace healthdeck {

struct TargetEvent;

class HistoryWriter : public QObject {
  Q_OBJECT
public:
  static constexpr std::size_t kMaxPending = 500000; ///< rows kept while writes fail

  struct Options {
    QString path; ///< empty: history::defaultHistoryPath()
    history::Retention retention;
    std::chrono::milliseconds flushInterval{500};
    std::chrono::milliseconds rollupInterval{60 * 1000};
    QString importEventsFile; ///< JSON-lines events file imported once, if set
  };
  struct Status {
    bool writing = false;  ///< this console records history
    bool readOnly = false; ///< another console holds the lock
    QString message;       ///< for the window: why not writing, or a file moved aside
  };

  explicit HistoryWriter(Options options, QObject* parent = nullptr);
  ~HistoryWriter() override;

  /// Takes the lock, opens (migrating, importing, starting a session) on the worker thread and
  /// waits for it. Call once.
  Status start();
  const Status& status() const { return m_status; }
  QString path() const { return m_options.path; }

  /// One poll result. `observed`: the state the poll itself saw (before flap control) when
  /// `snapshot` is the flap-controlled one; default: snapshot.state. A poll that answered with
  /// a health document also records each component whose state differs from the last one
  /// recorded in this session (the first answer of a session records them all). While the console's
  /// own network is down, polls of targets that are not on loopback are stored as not observed.
  void recordPoll(const TargetSnapshot& snapshot, const TargetConfig& target,
                  std::optional<TargetState> observed = std::nullopt);
  /// One span of the admin's decisions (maintenance, acknowledgement) that covers the server
  /// now; written again with a later `to` while it lasts (see history::AnnotationRow).
  void recordAnnotation(history::AnnotationRow row);
  /// One shown-state change, with the snapshot that caused it (its evidence is stored, with
  /// the component diff against the last good answer seen through recordPoll).
  void recordEvent(const TargetEvent& event, const TargetSnapshot& snapshot);
  /// The servers listed now (key → name); others are marked removed but keep their history.
  void setServers(const QHash<QString, QString>& keyToName);
  void purgeServer(const QString& key);
  void setLocalNetworkDown(bool down);
  bool localNetworkDown() const { return m_networkDown; }
  void setRetention(const history::Retention& retention);
  /// Commits everything handed over so far and waits (tests, shutdown).
  void flushNow();

Q_SIGNALS:
  /// A commit failed (e.g. "database or disk is full"); emitted once until writes recover.
  void writeFailed(const QString& message);
  void writeRecovered();

private:
  void recordComponents(const TargetSnapshot& snapshot, const TargetConfig& target, qint64 t);

  class Worker;
  Options m_options;
  Status m_status;
  std::unique_ptr<Worker> m_worker;
  QHash<QString, TargetSnapshot> m_lastGood; ///< documents of the last up answer, per target
  /// Component states last recorded this session, per target (key → state code).
  QHash<QString, QHash<QString, int>> m_components;
  bool m_networkDown = false;
};

} // namespace healthdeck
