#include "healthdeck/checks/sqlite_check.h"

#include "healthdeck/checks/system_error_text.h"
#include "healthdeck/util/duration_text.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>

#include <sys/stat.h>

namespace healthdeck {

namespace {

using Clock = std::chrono::steady_clock;

int stopAtDeadline(void* deadline) {
  return Clock::now() >= *static_cast<const Clock::time_point*>(deadline) ? 1 : 0;
}

} // namespace

struct SqliteCheck::Handle {
  sqlite3* db = nullptr;
  dev_t device = 0;
  ino_t inode = 0;
  Clock::time_point deadline;
  ~Handle() {
    if (db) sqlite3_close_v2(db);
  }
};

SqliteCheck::SqliteCheck(Options options) : m_options(std::move(options)) {}

SqliteCheck::~SqliteCheck() = default;

CheckOutcome SqliteCheck::run(const CheckContext& ctx) {
  struct stat st {};
  if (::stat(m_options.path.c_str(), &st) != 0) {
    const int error = errno;
    m_handle.reset();
    if (error == ENOENT) return {Status::Down, m_options.path + " does not exist"};
    return {Status::Down, "cannot open " + m_options.path + ": " + systemErrorText(error)};
  }
  if (m_handle && (m_handle->device != st.st_dev || m_handle->inode != st.st_ino))
    m_handle.reset(); // the path names another file now: check that one

  if (!m_handle) {
    auto handle = std::make_unique<Handle>();
    const int rc = sqlite3_open_v2(m_options.path.c_str(), &handle->db,
                                   SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = handle->db ? sqlite3_errmsg(handle->db) : sqlite3_errstr(rc);
      return {Status::Down, "cannot open " + m_options.path + " read-only: " + why};
    }
    handle->device = st.st_dev;
    handle->inode = st.st_ino;
    sqlite3_progress_handler(handle->db, 1000, stopAtDeadline, &handle->deadline);
    m_handle = std::move(handle);
  }

  sqlite3* db = m_handle->db;
  m_handle->deadline = ctx.deadline;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(ctx.deadline - Clock::now());
  sqlite3_busy_timeout(db, static_cast<int>(std::max<std::int64_t>(1, left.count())));

  const std::string sql = m_options.quickCheck      ? std::string("PRAGMA quick_check")
                          : m_options.query.empty() ? std::string("PRAGMA schema_version")
                                                    : m_options.query;
  const auto started = Clock::now();
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::string firstValue;
  int rows = 0;
  if (rc == SQLITE_OK && !stmt) rc = SQLITE_MISUSE; // only whitespace or comments
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW && rows++ == 0 && sqlite3_column_count(stmt.get()) > 0) {
      const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
      firstValue = text ? reinterpret_cast<const char*>(text) : "";
    }
  }
  const auto latency = Clock::now() - started;
  if (rc != SQLITE_DONE) {
    const int code = sqlite3_errcode(db);
    std::string why = sqlite3_errmsg(db);
    stmt.reset();
    if (code == SQLITE_INTERRUPT || Clock::now() >= ctx.deadline)
      return {Status::Down, "no result within " + formatLatency(ctx.timeout) + " (" + why + ")"};
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_IOERR)
      m_handle.reset(); // reopen next time: the file may be restored
    return {Status::Down, m_options.path + ": " + why};
  }
  if (m_options.quickCheck) {
    if (firstValue != "ok")
      return {Status::Down, "quick_check found problems: " + firstValue +
                                (rows > 1 ? " (and " + std::to_string(rows - 1) + " more)" : "")};
    return {Status::Up, "quick_check ok in " + formatLatency(latency)};
  }
  return {Status::Up, "read in " + formatLatency(latency)};
}

CheckType sqliteCheckType() {
  return CheckType{"sqlite",
                   {"path", "quick_check", "query"},
                   false,
                   [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                     SqliteCheck::Options o;
                     o.path = cfg.required("path");
                     o.quickCheck = cfg.boolean("quick_check", false);
                     if (cfg.param("query")) {
                       if (o.quickCheck)
                         cfg.fail("query", "set either quick_check: true or a query, not both");
                       o.query = cfg.required("query");
                     }
                     return std::make_shared<SqliteCheck>(std::move(o));
                   }};
}

} // namespace healthdeck
