#pragma once
// A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte, nor reads
// one: a dependency that is "up" at the TCP level but hung. Connections are held open until
// the listener is destroyed. Runs its own accept thread, so it needs no event loop.

#include <QtGlobal>

#include <atomic>
#include <thread>
#include <vector>

namespace healthdeck::testing {

class BlackholeListener {
public:
  BlackholeListener();
  ~BlackholeListener();
  BlackholeListener(const BlackholeListener&) = delete;
  BlackholeListener& operator=(const BlackholeListener&) = delete;

  bool isListening() const { return m_port != 0; }
  quint16 port() const { return m_port; }
  /// Connections accepted so far.
  int accepted() const { return m_accepted.load(); }

private:
  void loop();

  int m_listenFd = -1;
  int m_wakeFd = -1; // eventfd that ends the loop
  quint16 m_port = 0;
  std::atomic<int> m_accepted{0};
  std::vector<int> m_clients; // owned by the accept thread until it is joined
  std::thread m_thread;
};

} // namespace healthdeck::testing
