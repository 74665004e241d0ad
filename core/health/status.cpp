#include "healthdeck/health/status.h"

namespace healthdeck {

std::string_view toString(Status s) noexcept {
  switch (s) {
  case Status::Up: return "up";
  case Status::Degraded: return "degraded";
  case Status::Down: return "down";
  }
  return "down";
}

std::string_view toIetfString(Status s) noexcept {
  switch (s) {
  case Status::Up: return "pass";
  case Status::Degraded: return "warn";
  case Status::Down: return "fail";
  }
  return "fail";
}

std::string_view toString(Probe p) noexcept {
  return p == Probe::Liveness ? "liveness" : "readiness";
}

std::optional<Status> statusFromString(std::string_view s) noexcept {
  if (s == "up") return Status::Up;
  if (s == "degraded") return Status::Degraded;
  if (s == "down") return Status::Down;
  return std::nullopt;
}

std::optional<Probe> probeFromString(std::string_view s) noexcept {
  if (s == "liveness" || s == "live") return Probe::Liveness;
  if (s == "readiness" || s == "ready") return Probe::Readiness;
  return std::nullopt;
}

Status aggregate(const std::vector<ComponentResult>& checks) noexcept {
  Status worst = Status::Up;
  for (const auto& c : checks) {
    Status effective = c.status;
    if (effective == Status::Down && !c.critical) effective = Status::Degraded;
    if (effective > worst) worst = effective;
  }
  return worst;
}

} // namespace healthdeck
