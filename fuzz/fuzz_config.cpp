// libFuzzer target for parseMonitoringConfig. Any input must end in a validated config or a
// ConfigError with a message; nothing else may escape, and nothing may crash.
//
// The environment is fixed: HEALTHDECK_MONITORING_LISTEN pins the listen address to a literal
// so the fuzzer never waits on DNS for a host name it invented (the file's listen value is
// still parsed and checked before the override replaces it).

#include "healthdeck/config/monitoring_config.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

std::optional<std::string> fuzzEnv(const char* name) {
  if (std::strcmp(name, "HEALTHDECK_MONITORING_LISTEN") == 0) return std::string("127.0.0.1:9797");
  return std::nullopt;
}

std::vector<std::string> fuzzNames() {
  return {"HEALTHDECK_MONITORING_LISTEN"};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    const healthdeck::MonitoringConfig c =
        healthdeck::parseMonitoringConfig(yaml, "fuzz.yaml", &fuzzEnv, &fuzzNames);
    // A config that validated keeps its invariants.
    if (c.listenPort == 0 || c.prometheus.endpoint.empty() ||
        c.prometheus.endpoint.front() != '/' || c.health.timeout.count() <= 0)
      __builtin_trap();
    for (const auto& check : c.checks)
      if (check.name.empty() || check.type.empty()) __builtin_trap();
  } catch (const healthdeck::ConfigError& e) {
    if (e.message().empty()) __builtin_trap(); // every refusal says why
  }
  return 0;
}
