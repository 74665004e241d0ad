// monitoring.listen: HOST:PORT, the IPv4 address it binds, `serve --listen`, and the
// port-in-use check at start.

#include "healthdeck/config/listen_address.h"

#include "healthdeck/config/config_loader.h"
#include "healthdeck/config/config_text.h"
#include "healthdeck/util/host_port.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace healthdeck {

namespace {

using config_text::inQuotes;
using config_text::trimmed;

// The IPv4 address `host` stands for, or an error message.
std::string resolveIpv4(const std::string& host, std::string& address) {
  in_addr addr{};
  if (inet_pton(AF_INET, host.c_str(), &addr) == 1) {
    address = host;
    return {};
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || !result)
    return "cannot resolve host " + inQuotes(host) + " to an IPv4 address: " + gai_strerror(rc);
  char buffer[INET_ADDRSTRLEN] = {};
  sockaddr_in sin{};
  std::memcpy(&sin, result->ai_addr, sizeof sin);
  freeaddrinfo(result);
  inet_ntop(AF_INET, &sin.sin_addr, buffer, sizeof buffer);
  address = buffer;
  return {};
}

} // namespace

std::string parseListen(const std::string& raw, ListenParts& parts) {
  const std::string text = trimmed(raw);
  const std::string example = " (e.g. 127.0.0.1:9797, or 0.0.0.0:9797 for every interface)";
  if (!text.empty() && (text.front() == '[' || std::count(text.begin(), text.end(), ':') > 1))
    return inQuotes(text) +
           " looks like an IPv6 address: IPv6 is not supported (the embedded HTTP server is "
           "built without it); use an IPv4 address such as 127.0.0.1 or 0.0.0.0";
  std::string error;
  const auto hp = parseHostPort(text, &error);
  if (!hp) return error + example;
  parts.host = hp->host;
  parts.port = hp->port;
  return {};
}

void resolveListen(MonitoringConfig& config) {
  std::string address;
  const std::string problem = resolveIpv4(config.listenHost, address);
  if (!problem.empty()) throw config.error("monitoring.listen", problem);
  config.listenAddress = address;
}

bool MonitoringConfig::listensOnLoopback() const {
  in_addr addr{};
  if (inet_pton(AF_INET, listenAddress.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

void overrideListen(MonitoringConfig& config, const std::string& hostPort,
                    const std::string& origin) {
  ListenParts parts;
  const std::string problem = parseListen(hostPort, parts);
  if (!problem.empty()) throw ConfigError(origin, 0, "monitoring.listen", problem);
  MonitoringConfig updated = config;
  updated.listen = trimmed(hostPort);
  updated.listenHost = parts.host;
  updated.listenPort = parts.port;
  updated.sources["monitoring.listen"] = ConfigSource{origin, 0};
  resolveListen(updated);
  updated.warnings.clear();
  addWarnings(updated);
  config = std::move(updated);
}

void checkListenAvailable(const MonitoringConfig& config) {
  const std::string where = config.listenAddress + ':' + std::to_string(config.listenPort);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(config.listenPort);
  if (inet_pton(AF_INET, config.listenAddress.c_str(), &sin.sin_addr) != 1)
    throw config.error("monitoring.listen",
                       inQuotes(config.listenAddress) + " is not an IPv4 address");
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw config.error("monitoring.listen",
                       std::string("cannot create a socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr* addr = reinterpret_cast<sockaddr*>(&sin);
  const int rc = ::bind(fd, addr, sizeof sin);
  const int err = errno;
  ::close(fd);
  if (rc == 0) return;
  std::string message;
  switch (err) {
  case EADDRINUSE: message = where + " is already in use"; break;
  case EACCES:
    message = "permission denied binding " + where +
              " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
    break;
  case EADDRNOTAVAIL: message = config.listenAddress + " is not an address of this host"; break;
  default: message = "cannot bind " + where + ": " + std::strerror(err); break;
  }
  throw config.error("monitoring.listen", message);
}

} // namespace healthdeck
