#include "healthdeck/util/host_port.h"

#include <algorithm>
#include <charconv>

#include <arpa/inet.h>

namespace healthdeck {

namespace {

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && space(s.back()))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::string HostPort::text() const {
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool isValidHostName(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (const char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

std::optional<HostPort> parseHostPort(std::string_view raw, std::string* error, PortZero zero) {
  const auto failWith = [&](std::string message) -> std::optional<HostPort> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  const std::string_view text = trim(raw);
  const std::string range = zero == PortZero::Allowed ? "0-65535" : "1-65535";
  if (text.empty()) return failWith("expected HOST:PORT (e.g. 127.0.0.1:9797), got nothing");
  HostPort out;
  std::string_view host;
  std::string_view port;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return failWith("expected [IPV6]:PORT, got " + quoted(text));
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &a6) != 1)
      return failWith(quoted(host) + " is not a valid IPv6 address");
    out.ipv6 = true;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return failWith("expected HOST:PORT, got " + quoted(text) + " (the port is missing)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return failWith("an IPv6 address needs brackets: [" + std::string(host) +
                      "]:" + std::string(port));
  }
  if (host.empty())
    return failWith("expected HOST:PORT, got " + quoted(text) + " (the host is missing)");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535 ||
      (value == 0 && zero == PortZero::Refused))
    return failWith("invalid port " + quoted(port) + " (expected " + range + ")");
  if (!out.ipv6) {
    const bool numeric = std::all_of(host.begin(), host.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (numeric) {
      in_addr a4{};
      if (inet_pton(AF_INET, std::string(host).c_str(), &a4) != 1)
        return failWith(quoted(host) + " is not a valid IPv4 address");
    } else if (!isValidHostName(host)) {
      return failWith(quoted(host) + " is not a valid host name or IP address");
    }
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

} // namespace healthdeck
