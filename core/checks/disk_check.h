#pragma once
// DiskCheck (`type: disk`): free space on the filesystem holding `path` (statvfs).
//
// Contract: construction does no I/O. run() reports `down` below minFreePercent, `degraded`
// below warnFreePercent (if set), otherwise `up`; "free" is the space available to an
// unprivileged process (f_bavail), which is what a service running as a user can still write.
// Units: percent of the filesystem size. Thread-safe (no state besides configuration).

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <optional>
#include <string>

namespace healthdeck {

class DiskCheck : public HealthCheck {
public:
  DiskCheck(std::string path, double minFreePercent, std::optional<double> warnFreePercent);
  CheckOutcome run(const CheckContext& ctx) override;

  /// "12.3 GiB", "100 GiB", "512 MiB", "0 B".
  static std::string formatBytes(double bytes);

private:
  std::string m_path;
  double m_minFreePercent;
  std::optional<double> m_warnFreePercent;
};

/// Registry entry for `type: disk` (keys: path, min_free_percent, warn_free_percent).
CheckType diskCheckType();

} // namespace healthdeck
