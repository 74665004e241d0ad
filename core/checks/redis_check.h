#pragma once
// RedisCheck (`type: redis`): does the Redis server answer PING, as the configured user?
//
// Contract: construction does no I/O. run() keeps one hiredis connection between runs (a 1 s
// probe interval never opens a connection per probe) and drops it on any error; a kept
// connection that turns out dead (server restarted) is replaced once within the same run.
// Connect, AUTH, SELECT and PING are bounded by ctx.deadline (connect timeout, then socket
// timeouts of the time left). The password is read from password_file at each (re)connect.
// Outcomes: `up` ("PONG in 0.4 ms"); `down` for refused, timeout, NOAUTH / WRONGPASS,
// LOADING (unless degradeOnLoading) and protocol errors; `degraded` for LOADING with
// degradeOnLoading, and for a read-only replica with degradeOnReplica (asks INFO replication).
// run() blocks SIGPIPE on the calling thread (hiredis writes with write(); a closed peer must
// not kill the process). Not thread-safe against itself (the HealthManager never overlaps
// runs). Depends on an outside service, so it is refused on liveness unless allow_liveness.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/checks/tcp_check.h"
#include "healthdeck/health/health_check.h"

#include <memory>
#include <string>

namespace healthdeck {

class RedisCheck : public HealthCheck {
public:
  struct Options {
    TcpCheck::Address address;
    std::string passwordFile; // empty → no AUTH
    std::string username;     // empty → AUTH with the password only (the default user)
    int db = 0;
    bool degradeOnLoading = false;
    bool degradeOnReplica = false;
  };

  explicit RedisCheck(Options options);
  ~RedisCheck() override;
  RedisCheck(const RedisCheck&) = delete;
  RedisCheck& operator=(const RedisCheck&) = delete;

  CheckOutcome run(const CheckContext& ctx) override;

  /// Connections opened so far (for tests and diagnostics).
  int connectionsOpened() const noexcept { return m_connectionsOpened; }

private:
  struct Connection;
  enum class Attempt { Done, Retry };
  Attempt attempt(const CheckContext& ctx, bool reused, CheckOutcome& outcome);
  bool connect(const CheckContext& ctx, CheckOutcome& outcome);

  Options m_options;
  std::unique_ptr<Connection> m_connection;
  int m_connectionsOpened = 0;
};

/// Registry entry for `type: redis` (keys: address, password_file, username, db,
/// degrade_on_loading, degrade_on_replica).
CheckType redisCheckType();

} // namespace healthdeck
