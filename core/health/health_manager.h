#pragma once
// HealthManager: the liveness and readiness registries of checks, and the only thing that
// runs them.
//
// Contract:
// - add() is thread-safe and may be called while probes are being served; it starts the
//   check's worker thread. It throws std::invalid_argument for a null check, an empty name,
//   or a name already registered on the same probe (names are report keys).
// - evaluate() is thread-safe. Every check of the probe runs in parallel, each on its own
//   dedicated worker thread and under its own timeout, so a probe costs its slowest check,
//   not the sum. A check that passes its deadline is reported `down` ("no answer within 2 s")
//   and is not started again until its stuck call returns ("still running since ...").
//   A check that throws is `down` with the exception's message. A successful run slower than
//   spec.degradedAfter is `degraded` ("answered in 412 ms (> 250 ms)"). ComponentResult::since
//   is the timestamp of the first run that saw the current status.
// - Results are cached for cacheTtl; concurrent callers during a run wait for and share that
//   one run (even with cacheTtl 0), so a flood of probes is never a flood of dependency calls.
// - The destructor stops and joins the workers; a worker stuck in a check is detached and
//   its check object kept alive until the call returns.
// Units: durations in std::chrono; timestamps are system_clock (wall clock) for reports.

#include "healthdeck/health/health_check.h"
#include "healthdeck/health/status.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace healthdeck {

class HealthManager {
public:
  struct Options {
    std::chrono::milliseconds defaultTimeout{2000};
    std::chrono::milliseconds cacheTtl{1000};
  };

  HealthManager();
  explicit HealthManager(Options options);
  ~HealthManager();
  HealthManager(const HealthManager&) = delete;
  HealthManager& operator=(const HealthManager&) = delete;

  void add(CheckSpec spec, std::shared_ptr<HealthCheck> check);

  /// Runs (or returns the cached result of) every check registered for `probe`.
  ProbeResult evaluate(Probe probe);

  /// The most recent completed result without running anything (empty checks if never run).
  ProbeResult lastResult(Probe probe) const;

  /// Names of the registered checks of a probe, in registration order.
  std::vector<std::string> components(Probe probe) const;

  /// Called after every completed (non-cached) evaluation, from the evaluating thread.
  /// Used for health-as-metrics. Set before serving.
  void setResultObserver(std::function<void(const ProbeResult&)> observer);

  const Options& options() const noexcept { return m_options; }

private:
  struct Impl;
  Options m_options;
  std::unique_ptr<Impl> m_impl;
};

} // namespace healthdeck
