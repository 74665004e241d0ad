#pragma once
// ProcessLivenessCheck: the default liveness check of `healthdeck serve` and the embedded
// exporter when no liveness check is configured. That it runs at all shows the process can
// still schedule work on a fresh thread and answer; it also reads the one resource whose
// exhaustion breaks a server without crashing it — file descriptors — and reports `degraded`
// at 90 % of the soft RLIMIT_NOFILE and `down` when none are left.
//
// Contract: HealthCheck::run() semantics (called from one manager worker at a time); reads
// /proc/self/fd and getrlimit only. No outside service.

#include "healthdeck/health/health_check.h"

#include <string>

namespace healthdeck {

class ProcessLivenessCheck final : public HealthCheck {
public:
  explicit ProcessLivenessCheck(std::string fdDir = "/proc/self/fd");
  CheckOutcome run(const CheckContext& ctx) override;

private:
  std::string m_fdDir;
};

} // namespace healthdeck
