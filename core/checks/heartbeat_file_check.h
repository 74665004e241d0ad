#pragma once
// HeartbeatFileCheck (`type: heartbeat`): a periodic job touches a file when it succeeds; the
// check reports `down` when the file's modification time is older than maxAge, or when the
// file does not exist (the job never ran).
//
// Contract: construction does no I/O; run() does one stat(). Ages use the wall clock because
// file times are wall-clock; a modification time in the future counts as "just now".
// Thread-safe (no state besides configuration).

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <chrono>
#include <string>

namespace healthdeck {

class HeartbeatFileCheck : public HealthCheck {
public:
  HeartbeatFileCheck(std::string file, std::chrono::milliseconds maxAge);
  CheckOutcome run(const CheckContext& ctx) override;

private:
  std::string m_file;
  std::chrono::milliseconds m_maxAge;
};

/// Registry entry for `type: heartbeat` (keys: file, max_age).
CheckType heartbeatFileCheckType();

} // namespace healthdeck
