#include "healthdeck/checks/postgres_check.h"

#include "healthdeck/checks/system_error_text.h"
#include "healthdeck/util/duration_text.h"
#include "healthdeck/util/secret_file.h"

#include <libpq-fe.h>

#include <cerrno>
#include <chrono>
#include <string_view>
#include <thread>

#include <poll.h>

namespace healthdeck {

namespace {

using Clock = std::chrono::steady_clock;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept {
    if (r) PQclear(r);
  }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq messages span lines ("...failed: FATAL:  password ...\n\tIs the server running...");
// a check detail is one sentence.
std::string oneLine(const char* raw) {
  std::string out;
  bool space = false;
  for (const char* p = raw ? raw : ""; *p; ++p) {
    const char c = *p;
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

enum class Wait { Ready, TimedOut, Failed };

Wait waitFor(int fd, short events, Clock::time_point deadline, int& error) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Wait::TimedOut;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return Wait::Failed;
    }
    if (n == 0) return Wait::TimedOut;
    return Wait::Ready;
  }
}

std::string shortQuery(const std::string& query) {
  const std::string text = oneLine(query.c_str());
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

} // namespace

struct PostgresCheck::Connection {
  PGconn* conn = nullptr;
  ~Connection() {
    if (conn) PQfinish(conn);
  }
  std::string where() const {
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    std::string out = host && *host ? host : "localhost";
    if (port && *port) out += std::string(":") + port;
    return out;
  }
};

PostgresCheck::PostgresCheck(Options options)
    : m_options(std::move(options)), m_cancelInFlight(std::make_shared<std::atomic<bool>>(false)) {}

PostgresCheck::~PostgresCheck() = default;

bool PostgresCheck::connect(const CheckContext& ctx, CheckOutcome& outcome) {
  m_connection.reset();
  std::string error;
  const auto dsn = readSecretFile(m_options.dsnFile, &error);
  if (!dsn) {
    outcome = {Status::Down, "dsn_file: " + error};
    return false;
  }
  // expand_dbname: the file may hold "host=... user=..." or a postgresql:// URI. The fallback
  // application name marks our session in pg_stat_activity without overriding the DSN's.
  const char* const keys[] = {"dbname", "fallback_application_name", nullptr};
  const char* const values[] = {dsn->c_str(), "healthdeck", nullptr};
  auto connection = std::make_unique<Connection>();
  connection->conn = PQconnectStartParams(keys, values, 1);
  if (!connection->conn) {
    outcome = {Status::Down, "cannot allocate a PostgreSQL connection"};
    return false;
  }
  PGconn* conn = connection->conn;
  const auto classify = [&]() -> CheckOutcome {
    const std::string message = oneLine(PQerrorMessage(conn));
    if (contains(message, "Connection refused"))
      return {Status::Down, "connection refused by " + connection->where() +
                                " (is the server running and accepting TCP connections?)"};
    if (contains(message, "password authentication failed") ||
        contains(message, "no password supplied") || contains(message, "authentication failed") ||
        contains(message, "SCRAM"))
      return {Status::Down,
              "authentication failed at " + connection->where() + ": " +
                  std::string(message.substr(
                      message.rfind("FATAL:") == std::string::npos ? 0 : message.rfind("FATAL:")))};
    if (message.empty()) return {Status::Down, "cannot connect to " + connection->where()};
    return {Status::Down, "cannot connect: " + message};
  };
  if (PQstatus(conn) == CONNECTION_BAD) {
    outcome = classify();
    return false;
  }
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) {
      outcome = classify();
      return false;
    }
    // The socket may change between calls (another host or address is tried): ask each time.
    const int fd = PQsocket(conn);
    int waitError = 0;
    const Wait w = fd < 0 ? Wait::Failed
                          : waitFor(fd, state == PGRES_POLLING_READING ? POLLIN : POLLOUT,
                                    ctx.deadline, waitError);
    if (w == Wait::TimedOut) {
      outcome = {Status::Down, "no answer from " + connection->where() + " within " +
                                   formatLatency(ctx.timeout) + " (connect)"};
      return false;
    }
    if (w == Wait::Failed) {
      outcome = {Status::Down,
                 "cannot connect to " + connection->where() + ": " +
                     (fd < 0 ? oneLine(PQerrorMessage(conn)) : systemErrorText(waitError))};
      return false;
    }
    state = PQconnectPoll(conn);
  }
  // Non-blocking from here on: sends and PQfinish never wait on a stuck peer.
  PQsetnonblocking(conn, 1);
  ++m_connectionsOpened;
  m_connection = std::move(connection);
  return true;
}

void PostgresCheck::cancelRunningQuery() {
  PGcancel* cancel = PQgetCancel(m_connection->conn);
  if (!cancel) return;
  // PQcancel opens a blocking connection of its own; against a hung host that can take long,
  // so it runs aside, and only one at a time per check.
  if (m_cancelInFlight->exchange(true)) {
    PQfreeCancel(cancel);
    return;
  }
  std::thread([cancel, flag = m_cancelInFlight] {
    char buf[256];
    PQcancel(cancel, buf, sizeof buf);
    PQfreeCancel(cancel);
    flag->store(false);
  }).detach();
}

PostgresCheck::Attempt PostgresCheck::query(const CheckContext& ctx, bool reused,
                                            CheckOutcome& outcome) {
  PGconn* conn = m_connection->conn;
  const std::string where = m_connection->where();
  const auto lost = [&](const std::string& what) {
    const bool bad = PQstatus(conn) == CONNECTION_BAD;
    const std::string message = oneLine(PQerrorMessage(conn));
    m_connection.reset();
    if (reused && bad) return Attempt::Retry; // closed while idle (restart): reconnect now
    outcome = {Status::Down, what + (message.empty() ? std::string() : ": " + message)};
    return Attempt::Done;
  };
  const auto timedOut = [&]() {
    cancelRunningQuery();
    m_connection.reset();
    outcome = {Status::Down, "no answer to " + shortQuery(m_options.query) + " from " + where +
                                 " within " + formatLatency(ctx.timeout) + " (query cancelled)"};
    return Attempt::Done;
  };

  const auto started = Clock::now();
  if (!PQsendQuery(conn, m_options.query.c_str())) return lost("cannot send the query");
  for (;;) {
    const int flushed = PQflush(conn);
    if (flushed == 0) break;
    if (flushed < 0) return lost("cannot send the query");
    int waitError = 0;
    const Wait w = waitFor(PQsocket(conn), POLLOUT | POLLIN, ctx.deadline, waitError);
    if (w == Wait::TimedOut) return timedOut();
    if (w == Wait::Failed) return lost("cannot send the query: " + systemErrorText(waitError));
    if (!PQconsumeInput(conn)) return lost("connection lost");
  }

  std::string failure;
  for (;;) {
    while (PQisBusy(conn)) {
      int waitError = 0;
      const Wait w = waitFor(PQsocket(conn), POLLIN, ctx.deadline, waitError);
      if (w == Wait::TimedOut) return timedOut();
      if (w == Wait::Failed) return lost("connection lost: " + systemErrorText(waitError));
      if (!PQconsumeInput(conn)) return lost("connection lost");
    }
    Result result(PQgetResult(conn));
    if (!result) break;
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_FATAL_ERROR && failure.empty()) {
      if (PQstatus(conn) == CONNECTION_BAD) return lost("connection lost");
      const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
      const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
      failure = "query failed: " + oneLine(primary ? primary : PQresultErrorMessage(result.get()));
      if (state) failure += std::string(" (SQLSTATE ") + state + ')';
    } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      m_connection.reset();
      outcome = {Status::Down, "query failed: COPY is not a health check query"};
      return Attempt::Done;
    }
  }
  const auto latency = Clock::now() - started;
  if (PQstatus(conn) == CONNECTION_BAD) return lost("connection lost");
  if (!failure.empty()) {
    outcome = {Status::Down, failure};
    return Attempt::Done;
  }
  outcome = {Status::Up, shortQuery(m_options.query) + " in " + formatLatency(latency)};
  return Attempt::Done;
}

CheckOutcome PostgresCheck::run(const CheckContext& ctx) {
  CheckOutcome outcome;
  for (int round = 0; round < 2; ++round) {
    const bool reused = m_connection != nullptr;
    if (!reused && !connect(ctx, outcome)) return outcome;
    if (query(ctx, reused, outcome) == Attempt::Done) return outcome;
  }
  return outcome;
}

CheckType postgresCheckType() {
  return CheckType{"postgres",
                   {"dsn_file", "query"},
                   true,
                   [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                     PostgresCheck::Options o;
                     o.dsnFile = cfg.required("dsn_file");
                     if (cfg.param("query")) o.query = cfg.required("query");
                     return std::make_shared<PostgresCheck>(std::move(o));
                   }};
}

} // namespace healthdeck
