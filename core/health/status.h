#pragma once
// Value types shared by the health manager, the checks, the report writers and the console.
// Plain data: copyable, no locking, no Qt.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck {

/// Health of one component or of a whole probe. Ordered from best to worst so that
/// aggregation can take the maximum.
enum class Status : std::uint8_t { Up = 0, Degraded = 1, Down = 2 };

/// Which registry a check belongs to. Liveness: "is this process able to work at all"
/// (never outside services). Readiness: "should traffic be sent here now".
enum class Probe : std::uint8_t { Liveness, Readiness };

std::string_view toString(Status s) noexcept;     // "up" | "degraded" | "down"
std::string_view toIetfString(Status s) noexcept; // "pass" | "warn" | "fail"
std::string_view toString(Probe p) noexcept;      // "liveness" | "readiness"
std::optional<Status> statusFromString(std::string_view s) noexcept;
std::optional<Probe> probeFromString(std::string_view s) noexcept; // also "live"/"ready"

/// What one run of a check says, before the manager adds timing and identity.
struct CheckOutcome {
  Status status = Status::Up;
  std::string details; // one human sentence or a short fact ("SELECT 1", "42 items queued")
};

/// One component's line in a probe result.
struct ComponentResult {
  std::string component;
  Status status = Status::Up;
  std::string details;
  std::chrono::nanoseconds duration{0};
  bool critical = true;
  /// Wall-clock time the component entered its current status (first run that saw it).
  std::chrono::system_clock::time_point since{};
};

/// The aggregate answer of one probe.
struct ProbeResult {
  Probe probe = Probe::Readiness;
  Status status = Status::Up;
  std::chrono::system_clock::time_point timestamp{};
  std::vector<ComponentResult> checks;

  /// 200 for up/degraded, 503 for down (DESIGN.md "Health wire format").
  int httpStatus() const noexcept { return status == Status::Down ? 503 : 200; }
};

/// Aggregation rule of DESIGN.md: a critical `down` makes the probe `down`; a non-critical
/// `down` or any `degraded` makes it `degraded`; otherwise `up`. An empty list is `up`.
Status aggregate(const std::vector<ComponentResult>& checks) noexcept;

} // namespace healthdeck
