#include "healthdeck/checks/tcp_check.h"

#include "healthdeck/util/host_port.h"

#include "healthdeck/checks/system_error_text.h"
#include "healthdeck/util/duration_text.h"

#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace healthdeck {

namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
  void operator()(addrinfo* p) const noexcept {
    if (p) freeaddrinfo(p);
  }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// Shared between the check and a resolver thread that may outlive the check's deadline.
struct Resolution {
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  int rc = 0;
  AddrInfoPtr result;
};

addrinfo hints(int extraFlags) {
  addrinfo h{};
  h.ai_family = AF_UNSPEC;
  h.ai_socktype = SOCK_STREAM;
  h.ai_flags = AI_NUMERICSERV | extraFlags;
  return h;
}

struct Resolved {
  AddrInfoPtr list;
  std::string error; // set when list is empty
};

Resolved resolve(const TcpCheck::Address& a, Clock::time_point deadline,
                 std::chrono::milliseconds timeout) {
  const std::string port = std::to_string(a.port);
  addrinfo* raw = nullptr;
  const addrinfo numeric = hints(AI_NUMERICHOST);
  if (getaddrinfo(a.host.c_str(), port.c_str(), &numeric, &raw) == 0) return {AddrInfoPtr(raw), {}};

  auto state = std::make_shared<Resolution>();
  std::thread([state, host = a.host, port] {
    addrinfo* res = nullptr;
    const addrinfo h = hints(AI_ADDRCONFIG);
    const int rc = getaddrinfo(host.c_str(), port.c_str(), &h, &res);
    std::lock_guard lock(state->mutex);
    state->rc = rc;
    state->result.reset(res);
    state->finished = true;
    state->done.notify_all();
  }).detach();

  std::unique_lock lock(state->mutex);
  if (!state->done.wait_until(lock, deadline, [&] { return state->finished; }))
    return {nullptr, "cannot resolve host \"" + a.host + "\" within " + formatLatency(timeout)};
  if (state->rc != 0 || !state->result) {
    std::string why = state->rc == EAI_SYSTEM ? systemErrorText(errno) : gai_strerror(state->rc);
    return {nullptr, "cannot resolve host \"" + a.host + "\" (" + why + ")"};
  }
  return {std::move(state->result), {}};
}

class Socket {
public:
  explicit Socket(int fd) : m_fd(fd) {}
  ~Socket() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return m_fd; }

private:
  int m_fd;
};

enum class ConnectResult { Connected, Failed, TimedOut };

// Non-blocking connect to one address, bounded by the deadline; `error` gets errno on failure.
ConnectResult connectOne(const addrinfo& ai, Clock::time_point deadline, int& error) {
  Socket sock(
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (sock.fd() < 0) {
    error = errno;
    return ConnectResult::Failed;
  }
  if (::connect(sock.fd(), ai.ai_addr, ai.ai_addrlen) == 0) return ConnectResult::Connected;
  if (errno != EINPROGRESS) {
    error = errno;
    return ConnectResult::Failed;
  }
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ConnectResult::TimedOut;
    pollfd p{sock.fd(), POLLOUT, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return ConnectResult::Failed;
    }
    if (n == 0) return ConnectResult::TimedOut;
    int soError = 0;
    socklen_t len = sizeof soError;
    if (::getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &soError, &len) != 0) soError = errno;
    if (soError == 0) return ConnectResult::Connected;
    error = soError;
    return ConnectResult::Failed;
  }
}

} // namespace

std::optional<TcpCheck::Address> TcpCheck::parseAddress(const std::string& text,
                                                        std::string* error) {
  auto parsed = parseHostPort(text, error);
  if (!parsed) return std::nullopt;
  return Address{std::move(parsed->host), parsed->port};
}

TcpCheck::TcpCheck(Address address) : m_address(std::move(address)) {}

CheckOutcome TcpCheck::run(const CheckContext& ctx) {
  Resolved resolved = resolve(m_address, ctx.deadline, ctx.timeout);
  if (!resolved.list) return {Status::Down, resolved.error};

  int lastError = 0;
  for (const addrinfo* ai = resolved.list.get(); ai; ai = ai->ai_next) {
    const auto started = Clock::now();
    int error = 0;
    switch (connectOne(*ai, ctx.deadline, error)) {
    case ConnectResult::Connected:
      return {Status::Up, "connected in " + formatLatency(Clock::now() - started)};
    case ConnectResult::TimedOut:
      return {Status::Down, "no answer within " + formatLatency(ctx.timeout)};
    case ConnectResult::Failed: lastError = error; break;
    }
  }
  return {Status::Down, systemErrorText(lastError)};
}

CheckType tcpCheckType() {
  return CheckType{
      "tcp", {"address"}, true, [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
        std::string error;
        auto address = TcpCheck::parseAddress(cfg.required("address"), &error);
        if (!address) cfg.fail("address", error);
        return std::make_shared<TcpCheck>(std::move(*address));
      }};
}

} // namespace healthdeck
