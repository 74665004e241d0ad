#pragma once
// The one HOST:PORT parser: the exporter's listen address, tcp/redis check addresses, the
// console's embedded-exporter setting. Accepts `host:port`, `1.2.3.4:port` and `[ipv6]:port`;
// an IPv6 address without brackets, a missing host or port, a port outside 1-65535 (0 only
// where PortZero::Allowed), a malformed IPv4 literal or host name is refused with one sentence
// naming what is wrong. Syntax only: nothing is resolved. Pure function, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace healthdeck {

struct HostPort {
  std::string host; ///< without brackets ("::1", "127.0.0.1", "db.example")
  std::uint16_t port = 0;
  bool ipv6 = false; ///< host is an IPv6 literal
  /// "host:port", or "[host]:port" for IPv6.
  std::string text() const;
};

enum class PortZero { Refused, Allowed };

/// Parses `text` (surrounding white space ignored); nullopt with a sentence in `error`
/// ("expected HOST:PORT, got \"x\" (the port is missing)").
std::optional<HostPort> parseHostPort(std::string_view text, std::string* error,
                                      PortZero zero = PortZero::Refused);

/// A DNS host name (letters, digits, '-', '_', dot-separated labels of 1-63, total ≤ 253).
bool isValidHostName(std::string_view host) noexcept;

} // namespace healthdeck
