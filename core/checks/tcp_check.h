#pragma once
// TcpCheck (`type: tcp`): can a TCP connection to a dependency be opened right now?
//
// Contract: construction does no I/O. run() resolves the host (a numeric address is used as
// is; a name is resolved on a helper thread so a slow resolver cannot outlive the deadline),
// then tries each address with a non-blocking connect bounded by ctx.deadline and closes the
// connection at once. Not thread-safe against itself (the HealthManager never overlaps runs).
// Depends on an outside service, so it is refused on liveness unless allow_liveness.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <cstdint>
#include <optional>
#include <string>

namespace healthdeck {

class TcpCheck : public HealthCheck {
public:
  struct Address {
    std::string host; // without IPv6 brackets
    std::uint16_t port = 0;
  };
  /// "host:port" or "[v6addr]:port"; nullopt with `error` set when malformed.
  static std::optional<Address> parseAddress(const std::string& text, std::string* error);

  explicit TcpCheck(Address address);
  CheckOutcome run(const CheckContext& ctx) override;

private:
  Address m_address;
};

/// Registry entry for `type: tcp` (keys: address).
CheckType tcpCheckType();

} // namespace healthdeck
