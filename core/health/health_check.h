#pragma once
// The interface every check implements, in-process helpers and config-built checks alike.
//
// Contract: the HealthManager gives each registered check a thread of its own and calls
// run() only from that thread, never concurrently with itself, so a check may keep a
// connection between runs without locking (and thread-affine handles such as a QSqlDatabase
// are safe). run() should honour ctx.deadline (pass it on as socket/driver timeouts); if it
// does not, the manager still answers at the deadline with `down` and does not call run()
// again until the stuck call returns. Throwing is allowed: the manager turns an exception
// into `down` with its message.

#include "healthdeck/health/status.h"

#include <chrono>
#include <memory>
#include <string>

namespace healthdeck {

struct CheckContext {
  std::chrono::steady_clock::time_point deadline;
  std::chrono::milliseconds timeout{0}; // the same budget as a duration, for APIs that want one
};

class HealthCheck {
public:
  virtual ~HealthCheck() = default;
  virtual CheckOutcome run(const CheckContext& ctx) = 0;
};

/// How a check is registered: identity and policy, independent of what it probes.
struct CheckSpec {
  std::string name; // component name in reports and metric labels
  Probe probe = Probe::Readiness;
  bool critical = true;
  std::chrono::milliseconds timeout{0}; // 0 → the manager's default
  /// A successful run slower than this is reported `degraded` ("answered in 412 ms > 250 ms").
  std::chrono::milliseconds degradedAfter{0}; // 0 → off
};

} // namespace healthdeck
