#include "tests/support/blackhole_listener.h"

#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace healthdeck::testing {

BlackholeListener::BlackholeListener() {
  m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  m_wakeFd = ::eventfd(0, EFD_CLOEXEC);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (m_listenFd < 0 || m_wakeFd < 0 ||
      ::bind(m_listenFd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(m_listenFd, 128) != 0 ||
      ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return;
  m_port = ntohs(a.sin_port);
  m_thread = std::thread([this] { loop(); });
}

BlackholeListener::~BlackholeListener() {
  if (m_thread.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(m_wakeFd, &one, sizeof one);
    m_thread.join();
  }
  for (int c : m_clients)
    ::close(c);
  if (m_listenFd >= 0) ::close(m_listenFd);
  if (m_wakeFd >= 0) ::close(m_wakeFd);
}

void BlackholeListener::loop() {
  for (;;) {
    pollfd p[2] = {{m_listenFd, POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents) return;
    for (;;) {
      const int c = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) break;
      m_clients.push_back(c);
      m_accepted.fetch_add(1);
    }
  }
}

} // namespace healthdeck::testing
