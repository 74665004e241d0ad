#include "tests/support/ports.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace healthdeck::testing {

namespace {

// The kernel's ephemeral range (outgoing connections and bind-to-0 draw from it); Linux's
// default when the file cannot be read.
std::pair<int, int> ephemeralRange() {
  QFile file(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
  if (file.open(QIODevice::ReadOnly)) {
    const QList<QByteArray> parts = file.readAll().simplified().split(' ');
    bool lowOk = false;
    bool highOk = false;
    if (parts.size() == 2) {
      const int low = parts[0].toInt(&lowOk);
      const int high = parts[1].toInt(&highOk);
      if (lowOk && highOk && low <= high) return {low, high};
    }
  }
  return {32768, 60999};
}

bool bindable(quint16 port) {
  QTcpServer server;
  return server.listen(QHostAddress::LocalHost, port);
}

} // namespace

// A port from the ephemeral range (what binding port 0 gives) can be taken between "free a
// moment ago" and the server's own bind by any outgoing connection on the machine — a CI run
// lost etcd to exactly that. So the port is drawn at random from outside that range, where only
// another listener can take it, and never handed out twice by one test process.
quint16 freePort() {
  static QMutex mutex;
  static QSet<quint16> handedOut;
  const QMutexLocker lock(&mutex);
  const auto [low, high] = ephemeralRange();
  int first = 10000;
  int last = low - 1;
  if (last - first < 2000) { // an unusual range: use the ports above it instead
    first = high + 1;
    last = 65535;
  }
  if (last - first >= 100) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      const auto port = static_cast<quint16>(QRandomGenerator::global()->bounded(first, last + 1));
      if (handedOut.contains(port) || !bindable(port)) continue;
      handedOut.insert(port);
      return port;
    }
  }
  QTcpServer server; // last resort: the kernel's choice
  if (!server.listen(QHostAddress::LocalHost, 0)) return 0;
  handedOut.insert(server.serverPort());
  return server.serverPort();
}

bool waitForPort(quint16 port, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (socket.waitForConnected(200)) return true;
    QThread::msleep(50);
  }
  return false;
}

} // namespace healthdeck::testing
