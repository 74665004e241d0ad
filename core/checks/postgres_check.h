#pragma once
// PostgresCheck (`type: postgres`): does the database accept our login and answer a trivial
// query, right now?
//
// Contract: construction does no I/O. The connection string comes from dsn_file (libpq
// keyword/value or URI form), read at each (re)connect and never put in a message. libpq was
// chosen over Qt's QPSQL driver because its asynchronous API gives clean deadlines: the
// connect (PQconnectStartParams + PQconnectPoll) and the query (PQsendQuery +
// PQconsumeInput) are driven with poll() on the time left, so a hung server costs at most the
// timeout; a query still running at the deadline is cancelled (PQcancel on a helper thread,
// at most one in flight) and the connection dropped. One connection is kept between runs and
// replaced when it fails; a kept connection the server closed is replaced within the same run.
// Outcomes are `down` with one of: connection refused, authentication failed, no answer within
// the timeout (connect or query), query failed (with the server's message); `up` with the
// latency ("SELECT 1 in 0.8 ms"). Not thread-safe against itself (the HealthManager never
// overlaps runs). Depends on an outside service: refused on liveness unless allow_liveness.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <atomic>
#include <memory>
#include <string>

namespace healthdeck {

class PostgresCheck : public HealthCheck {
public:
  struct Options {
    std::string dsnFile;
    std::string query = "SELECT 1";
  };

  explicit PostgresCheck(Options options);
  ~PostgresCheck() override;
  PostgresCheck(const PostgresCheck&) = delete;
  PostgresCheck& operator=(const PostgresCheck&) = delete;

  CheckOutcome run(const CheckContext& ctx) override;

  /// Connections opened so far (for tests and diagnostics).
  int connectionsOpened() const noexcept { return m_connectionsOpened; }

private:
  struct Connection;
  enum class Attempt { Done, Retry };
  bool connect(const CheckContext& ctx, CheckOutcome& outcome);
  Attempt query(const CheckContext& ctx, bool reused, CheckOutcome& outcome);
  void cancelRunningQuery();

  Options m_options;
  std::unique_ptr<Connection> m_connection;
  int m_connectionsOpened = 0;
  std::shared_ptr<std::atomic<bool>> m_cancelInFlight;
};

/// Registry entry for `type: postgres` (keys: dsn_file, query).
CheckType postgresCheckType();

} // namespace healthdeck
