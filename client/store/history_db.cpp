// HistoryDb: the file (open, move aside, migrate), the schema and the writes. Roll-ups and
// retention are in history_rollup.cpp, reads over time in history_query.cpp.

#include "healthdeck/client/store/history_db.h"

#include "healthdeck/client/store/history_db_detail.h"
#include "healthdeck/client/store/target_event.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

#include <algorithm>
#include <atomic>
#include <climits>
#include <map>

namespace healthdeck::history {

using namespace detail;

namespace {

QString newConnectionName() {
  static std::atomic<int> counter{0};
  return QStringLiteral("healthdeck-history-%1").arg(counter.fetch_add(1));
}

QString rollupTableSql(const QString& name) {
  return QStringLiteral("CREATE TABLE %1 (bucket_ms INTEGER NOT NULL, server INTEGER NOT NULL, "
                        "ms_up INTEGER NOT NULL, ms_degraded INTEGER NOT NULL, "
                        "ms_down INTEGER NOT NULL, ms_unreachable INTEGER NOT NULL, "
                        "ms_unauthorized INTEGER NOT NULL, ms_disabled INTEGER NOT NULL, "
                        "ms_unknown INTEGER NOT NULL, ms_offline INTEGER NOT NULL, "
                        "n INTEGER NOT NULL, lat_min INTEGER NOT NULL, lat_max INTEGER NOT NULL, "
                        "lat_sum INTEGER NOT NULL, lat_p50 INTEGER NOT NULL, "
                        "lat_p95 INTEGER NOT NULL, PRIMARY KEY (bucket_ms, server)) WITHOUT ROWID")
      .arg(name);
}

QString compactJson(const QJsonObject& o) {
  if (o.isEmpty()) return {};
  return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

QString defaultHistoryPath() {
  return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) %
         QStringLiteral("/healthdeck/history.sqlite");
}

HistoryDb::HistoryDb() = default;

HistoryDb::~HistoryDb() {
  if (m_connection.isEmpty()) return;
  m_db.close();
  m_db = QSqlDatabase();
  QSqlDatabase::removeDatabase(m_connection);
}

bool HistoryDb::isOpen() const {
  return m_db.isValid() && m_db.isOpen();
}

void HistoryDb::rollback() {
  // Keeps lastError(): after SQLITE_FULL SQLite has already rolled back, and "no transaction
  // is active" must not hide why.
  QSqlQuery q(m_db);
  q.exec(QStringLiteral("ROLLBACK"));
}

bool HistoryDb::exec(const QString& sql) {
  QSqlQuery q(m_db);
  if (q.exec(sql)) return true;
  m_lastError = errorOf(q);
  return false;
}

HistoryDb::OpenResult HistoryDb::open(const QString& path, Mode mode) {
  OpenResult result;
  m_path = path;
  m_mode = mode;
  m_serverIds.clear();
  auto closeConnection = [this] {
    if (m_connection.isEmpty()) return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
  };
  // Opens the file and checks that it is a usable history database; `why` says what is wrong.
  auto attempt = [&](QString& why) -> bool {
    closeConnection();
    m_connection = newConnectionName();
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    const bool writable = mode == Mode::Write || QFileInfo(path).isWritable();
    // Read mode still opens read-write when it may: SQLite can only read a WAL database
    // read-only when its -shm file exists. query_only keeps it from ever writing.
    m_db.setConnectOptions(writable ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000")
                                    : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;"
                                                     "QSQLITE_OPEN_READONLY"));
    if (!m_db.open()) {
      why = m_db.lastError().text();
      return false;
    }
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
      why = errorOf(q);
      return false;
    }
    const int version = q.value(0).toInt();
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next()) {
      why = errorOf(q);
      return false;
    }
    const int objects = q.value(0).toInt();
    q.finish();
    if (version > kSchemaVersion) {
      why = QStringLiteral("written by a newer Healthdeck (schema %1, this one reads up to %2)")
                .arg(version)
                .arg(kSchemaVersion);
      return false;
    }
    if (version == 0 && objects > 0) {
      why = QStringLiteral("not a Healthdeck history database");
      return false;
    }
    if (mode == Mode::Read) {
      if (version == 0) {
        why = QStringLiteral("empty database (the console has not recorded anything yet)");
        return false;
      }
      exec(QStringLiteral("PRAGMA query_only=1"));
      return true;
    }
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
        q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
      why = q.lastError().isValid() ? errorOf(q) : QStringLiteral("cannot switch to WAL mode");
      return false;
    }
    q.finish(); // an open statement would block COMMIT below
    // WAL + NORMAL: a committed transaction survives the process being killed; only a power
    // loss may drop the last commits, and neither ever corrupts the file.
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (!migrate(&why)) return false;
    // A file that opens but cannot be written (read-only disk or file) is no use to a writer.
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")) ||
        !exec(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES('opened', "
                             "strftime('%s','now'))")) ||
        !exec(QStringLiteral("COMMIT"))) {
      why = m_lastError;
      rollback();
      return false;
    }
    return true;
  };

  if (mode == Mode::Read && !QFileInfo::exists(path)) {
    result.error = QStringLiteral("%1: no history database (has the console run?)").arg(path);
    return result;
  }
  if (mode == Mode::Write) QDir().mkpath(QFileInfo(path).absolutePath());
  QString why;
  if (attempt(why)) {
    result.ok = true;
    return result;
  }
  closeConnection();
  if (mode == Mode::Read) {
    result.error = QStringLiteral("%1: cannot read the history database: %2").arg(path, why);
    return result;
  }
  // Never delete what we cannot read: move it aside (with its WAL and shared-memory files)
  // and start a fresh one, saying where the old one went.
  const QString stamp =
      QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
  QString aside = path % QStringLiteral(".unusable-") % stamp;
  for (int n = 2; QFileInfo::exists(aside); ++n)
    aside = path % QStringLiteral(".unusable-") % stamp % QLatin1Char('-') % QString::number(n);
  if (QFileInfo::exists(path) && !QFile::rename(path, aside)) {
    result.error = QStringLiteral("%1 cannot be used (%2) and cannot be moved aside; history is "
                                  "not kept")
                       .arg(path, why);
    return result;
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    const QString side = path + QLatin1String(suffix);
    if (QFileInfo::exists(side)) QFile::rename(side, aside + QLatin1String(suffix));
  }
  result.movedTo = QFileInfo::exists(aside) ? aside : QString();
  result.error = result.movedTo.isEmpty()
                     ? QStringLiteral("%1 cannot be used (%2)").arg(path, why)
                     : QStringLiteral("%1 could not be used (%2); moved to %3 and a fresh history "
                                      "started")
                           .arg(path, why, aside);
  QString again;
  if (attempt(again)) {
    result.ok = true;
    return result;
  }
  closeConnection();
  result.ok = false;
  result.error = QStringLiteral("%1 cannot be created: %2; history is not kept").arg(path, again);
  return result;
}

bool HistoryDb::migrate(QString* error) {
  QSqlQuery q(m_db);
  if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
    *error = errorOf(q);
    return false;
  }
  int version = q.value(0).toInt();
  q.finish();
  if (version == kSchemaVersion) return true;
  // Step N takes the file from user_version N to N + 1 in its own transaction, so an
  // interrupted upgrade resumes where it stopped. New versions append a step; an old step is
  // never edited.
  const std::vector<QStringList> steps{
      // 0 → 1: the first schema.
      {
          QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)"),
          QStringLiteral("CREATE TABLE servers (id INTEGER PRIMARY KEY, key TEXT NOT NULL "
                         "UNIQUE, name TEXT NOT NULL, removed_ms INTEGER)"),
          QStringLiteral("CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_ms INTEGER NOT "
                         "NULL, heartbeat_ms INTEGER NOT NULL, ended_ms INTEGER)"),
          QStringLiteral("CREATE TABLE polls (server INTEGER NOT NULL, t_ms INTEGER NOT NULL, "
                         "state INTEGER NOT NULL, latency_ms INTEGER NOT NULL, interval_ms "
                         "INTEGER NOT NULL, PRIMARY KEY (server, t_ms)) WITHOUT ROWID"),
          QStringLiteral("CREATE INDEX polls_by_time ON polls (t_ms)"),
          QStringLiteral("CREATE TABLE events (id INTEGER PRIMARY KEY, server INTEGER NOT NULL, "
                         "t_ms INTEGER NOT NULL, from_state INTEGER NOT NULL, to_state INTEGER "
                         "NOT NULL, flapping INTEGER NOT NULL, sentence TEXT NOT NULL, evidence "
                         "TEXT)"),
          QStringLiteral("CREATE INDEX events_by_server ON events (server, t_ms)"),
          QStringLiteral("CREATE INDEX events_by_time ON events (t_ms)"),
          rollupTableSql(QStringLiteral("rollup_minute")),
          rollupTableSql(QStringLiteral("rollup_hour")),
          QStringLiteral("CREATE INDEX rollup_minute_by_server ON rollup_minute (server, "
                         "bucket_ms)"),
          QStringLiteral("CREATE INDEX rollup_hour_by_server ON rollup_hour (server, "
                         "bucket_ms)"),
      },
      // 1 → 2: per-day roll-ups (UTC days, summed from the hour roll-ups) for long ranges.
      {
          rollupTableSql(QStringLiteral("rollup_day")),
          QStringLiteral("CREATE INDEX rollup_day_by_server ON rollup_day (server, bucket_ms)"),
      },
      // 2 → 3: per-component changes (per-component uptime) and the admin's decisions as
      // spans (maintenance, acknowledgements).
      {
          QStringLiteral("CREATE TABLE component_states (server INTEGER NOT NULL, component TEXT "
                         "NOT NULL, t_ms INTEGER NOT NULL, state INTEGER NOT NULL, PRIMARY KEY "
                         "(server, component, t_ms)) WITHOUT ROWID"),
          QStringLiteral("CREATE INDEX component_states_by_time ON component_states (t_ms)"),
          QStringLiteral("CREATE TABLE annotations (id INTEGER PRIMARY KEY, server INTEGER NOT "
                         "NULL, kind TEXT NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT "
                         "NULL, by_user TEXT, note TEXT, UNIQUE (server, kind, from_ms))"),
          QStringLiteral("CREATE INDEX annotations_by_end ON annotations (to_ms)"),
      },
  };
  static_assert(kSchemaVersion == 3, "append a migration step with the new version");
  for (; version >= 0 && version < kSchemaVersion; ++version) {
    if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) {
      *error = m_lastError;
      return false;
    }
    QStringList sql = steps[static_cast<std::size_t>(version)];
    sql << QStringLiteral("PRAGMA user_version = %1").arg(version + 1);
    for (const QString& statement : sql)
      if (!exec(statement)) {
        *error = m_lastError;
        rollback();
        return false;
      }
    if (!exec(QStringLiteral("COMMIT"))) {
      *error = m_lastError;
      return false;
    }
  }
  return version == kSchemaVersion;
}

bool HistoryDb::setMeta(const QString& key, const QString& value) {
  QSqlQuery q(m_db);
  q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
  q.addBindValue(key);
  q.addBindValue(value);
  if (q.exec()) return true;
  m_lastError = errorOf(q);
  return false;
}

qint64 HistoryDb::metaInt(const QString& key, qint64 fallback) {
  QSqlQuery q(m_db);
  q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
  q.addBindValue(key);
  if (!q.exec() || !q.next()) return fallback;
  bool ok = false;
  const qint64 v = q.value(0).toLongLong(&ok);
  return ok ? v : fallback;
}

int HistoryDb::serverId(const QString& key, const QString& name) {
  auto it = m_serverIds.constFind(key);
  if (it != m_serverIds.cend()) return *it;
  QSqlQuery q(m_db);
  q.prepare(QStringLiteral("SELECT id, name FROM servers WHERE key = ?"));
  q.addBindValue(key);
  if (q.exec() && q.next()) {
    const int id = q.value(0).toInt();
    if (!name.isEmpty() && q.value(1).toString() != name) {
      QSqlQuery u(m_db);
      u.prepare(QStringLiteral("UPDATE servers SET name = ? WHERE id = ?"));
      u.addBindValue(name);
      u.addBindValue(id);
      u.exec();
    }
    m_serverIds.insert(key, id);
    return id;
  }
  QSqlQuery ins(m_db);
  ins.prepare(QStringLiteral("INSERT INTO servers(key, name) VALUES(?, ?)"));
  ins.addBindValue(key);
  ins.addBindValue(name.isEmpty() ? key : name);
  if (!ins.exec()) {
    m_lastError = errorOf(ins);
    return 0;
  }
  const int id = ins.lastInsertId().toInt();
  m_serverIds.insert(key, id);
  return id;
}

bool HistoryDb::writeBatch(const std::vector<PollRow>& polls, const std::vector<EventRow>& events,
                           qint64 heartbeatMs, const std::vector<ComponentRow>& components,
                           const std::vector<AnnotationRow>& annotations) {
  if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
  auto abandon = [this] {
    rollback();
    m_serverIds.clear(); // ids inserted in the rolled-back transaction are gone
    return false;
  };
  auto fail = [this, &abandon](const QSqlQuery& q) {
    m_lastError = errorOf(q);
    return abandon();
  };
  // Each kind of row: one prepared statement, the server's id first, then the row's values.
  bool ok = true;
  auto insertAll = [&](const char* sql, const auto& rows, auto values) {
    if (!ok || rows.empty()) return;
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(sql));
    for (const auto& row : rows) {
      const int id = serverId(row.serverKey, row.serverName);
      if (id == 0) {
        ok = false;
        return;
      }
      q.bindValue(0, id);
      int column = 1;
      for (const QVariant& v : values(row))
        q.bindValue(column++, v);
      if (!q.exec()) {
        m_lastError = errorOf(q);
        ok = false;
        return;
      }
    }
  };
  insertAll("INSERT OR REPLACE INTO polls(server, t_ms, state, latency_ms, interval_ms) "
            "VALUES(?, ?, ?, ?, ?)",
            polls, [](const PollRow& p) {
              return QVariantList{p.t, p.state, p.latency, p.interval};
            });
  insertAll("INSERT INTO events(server, t_ms, from_state, to_state, flapping, sentence, evidence) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)",
            events, [](const EventRow& e) {
              const QString ev = compactJson(e.evidence);
              return QVariantList{e.t,        e.from,
                                  e.to,       e.flapping ? 1 : 0,
                                  e.sentence, ev.isEmpty() ? QVariant() : QVariant(ev)};
            });
  insertAll("INSERT OR REPLACE INTO component_states(server, component, t_ms, state) "
            "VALUES(?, ?, ?, ?)",
            components, [](const ComponentRow& c) {
              return QVariantList{c.component, c.t, c.state};
            });
  // The same span written again (a later `to`) extends it.
  insertAll("INSERT INTO annotations(server, kind, from_ms, to_ms, by_user, note) VALUES(?, ?, "
            "?, ?, ?, ?) ON CONFLICT(server, kind, from_ms) DO UPDATE SET to_ms = max(to_ms, "
            "excluded.to_ms), by_user = excluded.by_user, note = excluded.note",
            annotations, [](const AnnotationRow& a) {
              return QVariantList{a.kind, a.from, std::max(a.from, a.to), a.by, a.note};
            });
  if (!ok) return abandon();
  qint64 maxIv = 0;
  for (const PollRow& p : polls)
    maxIv = std::max(maxIv, p.interval);
  if (maxIv > 0) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES('max_interval_ms', ?) ON "
                             "CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), "
                             "CAST(excluded.value AS INTEGER))"));
    q.addBindValue(maxIv);
    if (!q.exec()) return fail(q);
  }
  if (heartbeatMs > 0) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE sessions SET heartbeat_ms = max(heartbeat_ms, ?) WHERE id = "
                             "(SELECT value FROM meta WHERE key = 'session')"));
    q.addBindValue(heartbeatMs);
    if (!q.exec()) return fail(q);
  }
  if (!exec(QStringLiteral("COMMIT"))) return abandon();
  return true;
}

bool HistoryDb::beginSession(qint64 nowMs) {
  if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
  // A session that never said goodbye (crash, kill, power loss) ended at its last heartbeat:
  // the time from there to now is a gap.
  QSqlQuery q(m_db);
  bool ok = q.exec(QStringLiteral("UPDATE sessions SET ended_ms = heartbeat_ms WHERE ended_ms IS "
                                  "NULL"));
  if (ok) {
    q.prepare(QStringLiteral("INSERT INTO sessions(started_ms, heartbeat_ms) VALUES(?, ?)"));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    ok = q.exec();
  }
  if (ok) ok = setMeta(QStringLiteral("session"), q.lastInsertId().toString());
  if (!ok) {
    if (m_lastError.isEmpty()) m_lastError = errorOf(q);
    rollback();
    return false;
  }
  return exec(QStringLiteral("COMMIT"));
}

bool HistoryDb::endSession(qint64 nowMs) {
  QSqlQuery q(m_db);
  q.prepare(QStringLiteral("UPDATE sessions SET ended_ms = ?, heartbeat_ms = max(heartbeat_ms, ?) "
                           "WHERE id = (SELECT value FROM meta WHERE key = 'session')"));
  q.addBindValue(nowMs);
  q.addBindValue(nowMs);
  if (!q.exec()) {
    m_lastError = errorOf(q);
    return false;
  }
  return true;
}

bool HistoryDb::syncServers(const QHash<QString, QString>& listed, qint64 nowMs) {
  if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
  for (auto it = listed.cbegin(); it != listed.cend(); ++it) {
    const int id = serverId(it.key(), it.value());
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE servers SET removed_ms = NULL WHERE id = ?"));
    q.addBindValue(id);
    if (id == 0 || !q.exec()) {
      rollback();
      m_serverIds.clear();
      return false;
    }
  }
  QSqlQuery q(m_db);
  q.exec(QStringLiteral("SELECT id, key FROM servers WHERE removed_ms IS NULL"));
  QList<int> gone;
  while (q.next())
    if (!listed.contains(q.value(1).toString())) gone << q.value(0).toInt();
  for (int id : gone) {
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE servers SET removed_ms = ? WHERE id = ?"));
    u.addBindValue(nowMs);
    u.addBindValue(id);
    u.exec();
  }
  return exec(QStringLiteral("COMMIT"));
}

bool HistoryDb::purgeServer(const QString& key) {
  const auto info = server(key);
  if (!info) return true;
  if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) return false;
  for (const char* table : {"polls", "events", "rollup_minute", "rollup_hour", "rollup_day",
                            "component_states", "annotations"}) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM %1 WHERE server = ?").arg(QLatin1String(table)));
    q.addBindValue(info->id);
    if (!q.exec()) {
      m_lastError = errorOf(q);
      rollback();
      return false;
    }
  }
  QSqlQuery q(m_db);
  q.prepare(QStringLiteral("DELETE FROM servers WHERE id = ?"));
  q.addBindValue(info->id);
  q.exec();
  m_serverIds.remove(info->key);
  return exec(QStringLiteral("COMMIT"));
}

qint64 HistoryDb::maxInterval() {
  return std::max<qint64>(metaInt(QStringLiteral("max_interval_ms"), 0), 1000);
}

std::optional<std::map<int, std::vector<PollPoint>>> HistoryDb::pollsByServer(qint64 from,
                                                                              qint64 to) {
  // One pass over the time index, grouped by server, each server's polls in time order.
  std::map<int, std::vector<PollPoint>> byServer;
  QSqlQuery q(m_db);
  q.setForwardOnly(true);
  q.prepare(QStringLiteral("SELECT server, t_ms, state, latency_ms, interval_ms FROM polls "
                           "WHERE t_ms >= ? AND t_ms < ?"));
  q.addBindValue(from);
  q.addBindValue(to);
  if (!q.exec()) {
    m_lastError = errorOf(q);
    return std::nullopt;
  }
  while (q.next())
    byServer[q.value(0).toInt()].push_back({q.value(1).toLongLong(), q.value(2).toInt(),
                                            q.value(3).toLongLong(), q.value(4).toLongLong()});
  for (auto& [id, polls] : byServer)
    std::sort(polls.begin(), polls.end(),
              [](const PollPoint& a, const PollPoint& b) { return a.t < b.t; });
  return byServer;
}

std::vector<PollPoint> HistoryDb::pollsOf(int id, qint64 from, qint64 to) {
  std::vector<PollPoint> out;
  QSqlQuery q(m_db);
  q.setForwardOnly(true);
  q.prepare(QStringLiteral("SELECT t_ms, state, latency_ms, interval_ms FROM polls WHERE server = "
                           "? AND t_ms >= ? AND t_ms < ? ORDER BY t_ms"));
  q.addBindValue(id);
  q.addBindValue(from);
  q.addBindValue(to);
  if (!q.exec()) return out;
  while (q.next())
    out.push_back({q.value(0).toLongLong(), q.value(1).toInt(), q.value(2).toLongLong(),
                   q.value(3).toLongLong()});
  return out;
}

std::vector<Span> HistoryDb::sessions(qint64 from, qint64 to) {
  std::vector<Span> out;
  QSqlQuery q(m_db);
  q.setForwardOnly(true);
  q.prepare(QStringLiteral("SELECT started_ms, coalesce(ended_ms, heartbeat_ms) AS e FROM sessions "
                           "WHERE e > ? AND started_ms < ? ORDER BY started_ms"));
  q.addBindValue(from);
  q.addBindValue(to);
  if (!q.exec()) return out;
  while (q.next())
    out.push_back({q.value(0).toLongLong(), q.value(1).toLongLong()});
  return out;
}

int HistoryDb::importEventsFile(const QString& path) {
  const QString key = QStringLiteral("imported:") % QFileInfo(path).absoluteFilePath();
  if (metaInt(key, 0) != 0) return 0;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return 0;
  std::vector<EventRow> rows;
  while (!f.atEnd()) {
    const QByteArray line = f.readLine().trimmed();
    if (line.isEmpty()) continue;
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject()) continue; // a torn last line of a crashed console: skip it
    const auto ev = TargetEvent::fromJson(doc.object());
    if (!ev) continue;
    EventRow r;
    r.serverKey = ev->targetId;
    r.serverName = ev->targetName;
    r.t = ev->at.toMSecsSinceEpoch();
    r.from = static_cast<int>(ev->from);
    r.to = static_cast<int>(ev->to);
    r.flapping = ev->flapping;
    r.sentence = ev->sentence;
    rows.push_back(std::move(r));
  }
  if (!writeBatch({}, rows, 0)) return -1;
  if (!setMeta(key, QString::number(QDateTime::currentMSecsSinceEpoch()))) return -1;
  return static_cast<int>(rows.size());
}

std::vector<ServerInfo> HistoryDb::servers() {
  std::vector<ServerInfo> out;
  QSqlQuery q(m_db);
  if (!q.exec(QStringLiteral("SELECT id, key, name, coalesce(removed_ms, 0) FROM servers ORDER "
                             "BY name COLLATE NOCASE, key")))
    return out;
  while (q.next())
    out.push_back({q.value(0).toInt(), q.value(1).toString(), q.value(2).toString(),
                   q.value(3).toLongLong()});
  return out;
}

std::optional<ServerInfo> HistoryDb::server(const QString& keyOrName) {
  // By key (UNIQUE, so indexed), else the first of that name in servers()' order. One row, not
  // the whole table: the history view asks once per cell.
  for (const QString& where : {QStringLiteral("key = ?"), QStringLiteral("name = ?")}) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, key, name, coalesce(removed_ms, 0) FROM servers WHERE ") %
              where % QStringLiteral(" ORDER BY name COLLATE NOCASE, key LIMIT 1"));
    q.addBindValue(keyOrName);
    if (q.exec() && q.next())
      return ServerInfo{q.value(0).toInt(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toLongLong()};
  }
  return std::nullopt;
}

qint64 HistoryDb::pollCount() {
  QSqlQuery q(m_db);
  if (!q.exec(QStringLiteral("SELECT count(*) FROM polls")) || !q.next()) return -1;
  return q.value(0).toLongLong();
}

} // namespace healthdeck::history
