#pragma once
// Builds checks from config entries. Each check type registers a builder under its `type:`
// name; the config loader calls validate() at load time so a bad entry fails fast with file,
// line and key, and the exporter calls build() when it starts.
//
// Thread-safety: the registry is filled once at static-initialisation time via
// registerBuiltinChecks() and only read afterwards.

#include "core/config/monitoring_config.h"
#include "core/health/health_check.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace healthdeck {

struct CheckType {
  std::string type;            // "tcp", "disk", ...
  std::set<std::string> keys;  // type-specific keys it accepts (beyond the common ones)
  bool outsideService = false; // true → refused on liveness unless allow_liveness
  /// Validates params (throws ConfigError via cfg.fail) and returns a ready check.
  std::function<std::shared_ptr<HealthCheck>(const CheckConfig& cfg)> build;
};

/// All known check types, built-ins registered on first use.
const std::vector<CheckType>& checkTypes();
const CheckType* findCheckType(const std::string& type);
/// Adds a type (for services that bring their own). Not thread-safe against lookups.
void registerCheckType(CheckType type);

/// Validates and builds; throws ConfigError for unknown type, unknown key or bad value.
std::shared_ptr<HealthCheck> buildCheck(const CheckConfig& cfg);

} // namespace healthdeck
