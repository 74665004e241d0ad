// libFuzzer target for parseWebConfig. Any input ends in a validated WebConfig or a
// ConfigError with a message; named files are not opened (checkFiles=false) so the run
// depends on the input alone.

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/web_config.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    const healthdeck::WebConfig c = healthdeck::parseWebConfig(yaml, "/etc/fuzz/web.yml", false);
    // A config that validated keeps its invariants.
    if (c.tls.enabled() && c.tls.certFile.empty() && c.tls.certPem.empty()) __builtin_trap();
    if (static_cast<int>(c.tls.minVersion) > static_cast<int>(c.tls.maxVersion)) __builtin_trap();
    for (const auto& [user, hash] : c.basicAuthUsers)
      if (hash.size() != 60) __builtin_trap();
    for (const auto& [name, value] : c.http.headers)
      if (value.find('\n') != std::string::npos || value.find('\r') != std::string::npos)
        __builtin_trap();
  } catch (const healthdeck::ConfigError& e) {
    if (e.message().empty()) __builtin_trap(); // every refusal says why
  }
  return 0;
}
