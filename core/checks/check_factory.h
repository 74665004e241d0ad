#pragma once
// Builds checks from config entries. Each check type registers a builder under its `type:`
// name. The config loader calls buildCheck() at load time (building does no I/O) so a bad
// entry fails fast with file, line and key; the exporter builds again when it starts and
// registers the result with HealthManager::add(checkSpec(cfg), check).
//
// Validation order in buildCheck(): type known → every param key accepted by the type →
// outside-service types refused on liveness unless allow_liveness → the type's own builder
// (required keys, values). Common keys (name, type, probe, critical, timeout, degraded_after,
// allow_liveness) are parsed by the loader and never appear in CheckConfig::params.
//
// Thread-safety: the registry holds the built-ins from first use; registerCheckType() must
// happen before concurrent lookups (at start-up). Adding a built-in type is one line in
// builtinCheckTypes() (check_factory.cpp) plus the type's own `CheckType xxxCheckType()`.

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/health/health_check.h"

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
/// Throws std::invalid_argument for an empty name, no builder, or a name already taken.
void registerCheckType(CheckType type);

/// Validates and builds; throws ConfigError for unknown type, unknown key or bad value.
std::shared_ptr<HealthCheck> buildCheck(const CheckConfig& cfg);

/// The registration policy of an entry (name, probe, critical, timeout, degraded_after).
CheckSpec checkSpec(const CheckConfig& cfg);

} // namespace healthdeck
