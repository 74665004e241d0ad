#pragma once
// Helpers of the dependency-check suites: build a check the way the config loader does
// (through the registry, so key validation is exercised too), run it under a budget and
// measure how long it took.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace healthdeck::testing {

inline std::shared_ptr<HealthCheck> buildTyped(const std::string& type,
                                               const std::map<std::string, std::string>& params,
                                               Probe probe = Probe::Readiness) {
  CheckConfig cfg;
  cfg.name = type;
  cfg.type = type;
  cfg.probe = probe;
  cfg.file = "<test>";
  for (const auto& [k, v] : params)
    cfg.params[k] = ConfigParam{v, 1};
  return buildCheck(cfg);
}

/// Config params are std::string; fixtures hand out QStrings.
inline std::string s(const QString& q) {
  return q.toStdString();
}

struct TimedOutcome {
  CheckOutcome outcome;
  std::chrono::milliseconds took{0};
  QString details() const { return QString::fromStdString(outcome.details); }
};

inline TimedOutcome runWithin(HealthCheck& check, std::chrono::milliseconds timeout) {
  const auto started = std::chrono::steady_clock::now();
  TimedOutcome r;
  r.outcome = check.run(CheckContext{started + timeout, timeout});
  r.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
  return r;
}

} // namespace healthdeck::testing
