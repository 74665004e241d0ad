#pragma once
// HistoryDb: the console's history database ($XDG_DATA_HOME/healthdeck/history.sqlite) through
// Qt SQL's QSQLITE driver — schema, migrations, writes, roll-ups, retention and every query the
// console and `healthdeck history` ask. Uptime arithmetic itself lives in uptime.h.
//
// Tables (schema version in PRAGMA user_version, see migrate()): servers (stable key, name,
// removed time), sessions (console runs: start, last heartbeat, clean end), polls (one row per
// poll: time, state, latency, interval; kept `rawDays`), events (shown-state changes with the
// evidence as JSON), rollup_minute / rollup_hour (time per state and latency count, min, max,
// sum, p50, p95 per bucket; kept `minuteDays` / `hourDays`), rollup_day (UTC days summed from
// the hours), component_states (each component's changes: "readiness:database" from t on is
// up/degraded/down/absent; kept `hourDays`), annotations (what the admin decided, as spans:
// "maintenance" while a window covered the server, "acknowledged" while a problem was
// acknowledged, with who and why; kept `hourDays`), meta (roll-up watermarks, the imported
// events file).
//
// Threading: a QSqlDatabase connection belongs to the thread that opened it; create, use and
// destroy a HistoryDb on one thread. Several HistoryDb (threads, processes) may open one file:
// WAL mode lets readers run while one writer writes. Only one process may write: the
// HistoryWriter holds a lock file for that (see history_writer.h).
// Errors: open() reports why a file could not be used; write calls return false and set
// lastError() (a full disk: "database or disk is full"); nothing throws.
// Units: times are ms since the Unix epoch (UTC); durations ms.

#include "healthdeck/client/store/uptime.h"
#include "healthdeck/client/target_snapshot.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace healthdeck {

struct TargetEvent;

namespace history {

/// How long each resolution is kept (a setting; defaults as the issue asks).
struct Retention {
  int rawDays = 7;
  int minuteDays = 90;
  int hourDays = 730;
};

/// One poll to store (what the writer batches).
struct PollRow {
  QString serverKey;
  QString serverName;
  qint64 t = 0;
  int state = 0; ///< 0..7 (uptime.h)
  qint64 latency = 0;
  qint64 interval = 0;
};

/// One shown-state change to store, with what the server said.
struct EventRow {
  QString serverKey;
  QString serverName;
  qint64 t = 0;
  int from = 0;
  int to = 0;
  bool flapping = false;
  QString sentence;
  QJsonObject evidence; ///< evidence_json.h shape; empty when none (imported events)
};

/// One component's change to store: from `t` on, `component` ("readiness:database", probe and
/// path as in evidence_format.h) was `state` (0..2, or kComponentAbsent).
struct ComponentRow {
  QString serverKey;
  QString serverName;
  QString component;
  qint64 t = 0;
  int state = kComponentAbsent;
};

/// A span of the admin's decisions about a server. Stored by (server, kind, from): writing the
/// same span again with a later `to` extends it (the writer does so while it lasts).
struct AnnotationRow {
  static constexpr char kMaintenance[] = "maintenance";
  static constexpr char kAcknowledged[] = "acknowledged";
  QString serverKey;
  QString serverName;
  QString kind; ///< kMaintenance or kAcknowledged
  qint64 from = 0;
  qint64 to = 0;
  QString by;   ///< who (acknowledgements)
  QString note; ///< why; plain text
};

struct ServerInfo {
  int id = 0;
  QString key;
  QString name;
  qint64 removedMs = 0; ///< 0 while listed
};

struct StoredEvent {
  qint64 id = 0;
  QString serverKey;
  QString serverName;
  qint64 t = 0;
  int from = 0;
  int to = 0;
  bool flapping = false;
  QString sentence;
  QJsonObject evidence;
};

/// One cell of a status strip or latency chart.
struct HistoryCell {
  qint64 start = 0;
  qint64 end = 0;
  StateDurations durations;
  int worstState = -1;   ///< -1: nothing observed in the cell (a grey gap)
  qint64 count = 0;      ///< polls with a latency
  double latencyP50 = 0; ///< ms; exact for a cell that is one roll-up bucket or raw polls,
  double latencyP95 = 0; ///< otherwise the count-weighted mean of its buckets' percentiles
};

class HistoryDb {
public:
  enum class Mode {
    Write, ///< create when missing, migrate; an unusable file is moved aside
    Read,  ///< must exist; never creates, migrates or writes
  };
  /// 2: per-day roll-ups; 3: component states and annotations
  static constexpr int kSchemaVersion = 3;

  struct OpenResult {
    bool ok = false;
    QString error;   ///< why the file could not be used (also set when a fresh one started)
    QString movedTo; ///< where an unusable file was moved, empty if none
  };

  HistoryDb();
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  /// Opens `path`. Write mode: a file that is corrupt, from a newer schema or not writable is
  /// renamed to "<path>.unusable-<UTC time>" (with its -wal/-shm), never deleted, and a fresh
  /// database is created; result.ok with result.movedTo and result.error saying why.
  OpenResult open(const QString& path, Mode mode);
  bool isOpen() const;
  QString path() const { return m_path; }
  QString lastError() const { return m_lastError; }
  QSqlDatabase& connection() { return m_db; }

  // Writes (Write mode). Each returns false on failure and sets lastError().
  bool writeBatch(const std::vector<PollRow>& polls, const std::vector<EventRow>& events,
                  qint64 heartbeatMs, const std::vector<ComponentRow>& components = {},
                  const std::vector<AnnotationRow>& annotations = {});
  /// Starts a session at `nowMs`; a previous session that never ended is closed at its last
  /// heartbeat (so the time since is a gap).
  bool beginSession(qint64 nowMs);
  bool endSession(qint64 nowMs);
  /// Marks servers not in `listedKeys` as removed (they keep their history) and listed ones
  /// as present again.
  bool syncServers(const QHash<QString, QString>& listedKeyToName, qint64 nowMs);
  /// Deletes every row of a server (the user's "purge").
  bool purgeServer(const QString& key);
  /// Rolls up every complete minute and hour older than `nowMs - lagMs` not rolled up yet,
  /// then every UTC day whose hours are all rolled up.
  bool rollupUntil(qint64 nowMs, qint64 lagMs);
  /// Deletes rows older than the retention allows.
  bool applyRetention(qint64 nowMs, const Retention& retention);
  /// Imports a JSON-lines events file (TargetEvent) once per path; returns rows imported
  /// (0 when already imported or missing), -1 on a database error.
  int importEventsFile(const QString& path);

  // Reads.
  std::vector<ServerInfo> servers();
  std::optional<ServerInfo> server(const QString& keyOrName);
  std::vector<Span> sessions(qint64 from, qint64 to);
  /// Time per state of every server (by key) in [from, to), from the finest data kept:
  /// raw polls where kept and not rolled up, day, hour and minute roll-ups elsewhere (the
  /// coarsest whole buckets that fit). Range edges older than the raw retention are rounded to
  /// the minute.
  QHash<QString, StateDurations> durations(qint64 from, qint64 to, qint64 nowMs,
                                           const QString& serverKey = QString());
  std::vector<StoredEvent> events(qint64 from, qint64 to, const QString& serverKey = QString(),
                                  int limit = 10000);
  /// Cells of `cellMs` (a multiple of a minute) over [from, to) for one server.
  std::vector<HistoryCell> cells(const QString& serverKey, qint64 from, qint64 to, qint64 cellMs,
                                 qint64 nowMs);
  /// Time per state of each component of one server in [from, to) (see uptime.h: the
  /// server's answered time split by the component's changes), by component key.
  std::map<QString, StateDurations> componentDurations(const QString& serverKey, qint64 from,
                                                       qint64 to, qint64 nowMs);
  /// Annotations overlapping [from, to), oldest first; `kind` empty: every kind.
  std::vector<AnnotationRow> annotations(qint64 from, qint64 to,
                                         const QString& serverKey = QString(),
                                         const QString& kind = QString());
  /// One server's time per state in [from, to) outside its annotations of `kind` (uptime
  /// "without maintenance").
  StateDurations durationsOutside(const QString& serverKey, qint64 from, qint64 to, qint64 nowMs,
                                  const QString& kind);
  qint64 pollCount();
  qint64 metaInt(const QString& key, qint64 fallback = 0);

private:
  bool exec(const QString& sql);
  void rollback();
  bool migrate(QString* error);
  bool setMeta(const QString& key, const QString& value);
  int serverId(const QString& key, const QString& name);
  std::vector<PollPoint> pollsOf(int serverId, qint64 from, qint64 to);
  /// Every server's polls in [from, to), each in time order; nullopt (lastError set) on failure.
  std::optional<std::map<int, std::vector<PollPoint>>> pollsByServer(qint64 from, qint64 to);
  bool rollupResolution(const QString& table, qint64 bucketMs, qint64 from, qint64 to,
                        qint64 nowMs);
  void addRaw(QHash<int, StateDurations>& out, qint64 from, qint64 to, qint64 nowMs, int only);
  void addRollup(QHash<int, StateDurations>& out, const QString& table, qint64 from, qint64 to,
                 int only);
  /// How far each roll-up reaches (meta rollup_*_until) and since when raw polls are kept.
  struct RollupMarks {
    qint64 day = 0;
    qint64 hour = 0;
    qint64 minute = 0;
    qint64 rawFrom = 0;
  };
  /// Adds [from, to) (all rolled up to the minute) from level 0 = days, 1 = hours, 2 = minutes
  /// (and raw edges), each level's whole buckets and the edges from the next finer level.
  void addRolledUp(QHash<int, StateDurations>& out, const RollupMarks& marks, int level,
                   qint64 from, qint64 to, qint64 nowMs, int only);
  bool rollupDays();
  /// When server `id` answered in [from, to): exact from raw polls where kept, the answered
  /// share of minute (then hour) roll-up buckets before that.
  std::vector<AnsweredPiece> answeredOf(int id, qint64 from, qint64 to, qint64 nowMs);
  qint64 maxInterval();

  QSqlDatabase m_db;
  QString m_connection;
  QString m_path;
  QString m_lastError;
  Mode m_mode = Mode::Read;
  QHash<QString, int> m_serverIds;
};

/// "healthdeck/history.sqlite" under $XDG_DATA_HOME (QStandardPaths::GenericDataLocation).
QString defaultHistoryPath();

} // namespace history
} // namespace healthdeck
