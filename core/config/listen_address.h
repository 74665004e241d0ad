#pragma once
// monitoring.listen: HOST:PORT syntax, resolving the host to the IPv4 address to bind, and
// the loopback test the warnings use. (overrideListen and checkListenAvailable, the public
// entry points, are declared in monitoring_config.h and live in listen_address.cpp too.)
//
// Contract: parseListen() is pure; resolveListen() may block on DNS for a host name and throws
// ConfigError for monitoring.listen. Thread-safe.

#include "healthdeck/config/monitoring_config.h"

#include <cstdint>
#include <string>

namespace healthdeck {

struct ListenParts {
  std::string host;
  std::uint16_t port = 0;
};

/// Splits and checks HOST:PORT. Returns an empty string and fills `parts`, or the problem.
std::string parseListen(const std::string& raw, ListenParts& parts);

/// Sets config.listenAddress from config.listenHost (an IPv4 literal, or a name resolved to
/// IPv4). Throws ConfigError for monitoring.listen when it cannot.
void resolveListen(MonitoringConfig& config);

} // namespace healthdeck
