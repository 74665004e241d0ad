// TcpCheck against real sockets on loopback: a listening QTcpServer, a closed port, a listener
// whose accept queue is full (SYNs dropped → timeout), and a name that does not resolve.

#include "healthdeck/checks/tcp_check.h"
#include "tests/health/status_compare.h"
#include "tests/support/ports.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <cerrno>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

CheckContext budget(std::chrono::milliseconds timeout) {
  return CheckContext{std::chrono::steady_clock::now() + timeout, timeout};
}

sockaddr_in loopback(quint16 port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A listener with backlog 0 that never accepts: once its accept queue is full the kernel
// drops further SYNs, so a new connect gets no answer at all, like a firewalled host.
class FullListener {
public:
  FullListener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(m_fd, 0) != 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    m_port = ntohs(a.sin_port);
    // Fill the queue: keep connecting until one connect does not complete promptly.
    for (int i = 0; i < 32; ++i) {
      const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      m_clients.push_back(c);
      sockaddr_in to = loopback(m_port);
      if (::connect(c, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) continue;
      if (errno != EINPROGRESS) return;
      pollfd p{c, POLLOUT, 0};
      if (::poll(&p, 1, 300) == 0) {
        m_full = true;
        return;
      }
    }
  }
  ~FullListener() {
    for (int c : m_clients)
      ::close(c);
    if (m_fd >= 0) ::close(m_fd);
  }
  quint16 port() const { return m_port; }
  bool full() const { return m_full; }

private:
  int m_fd = -1;
  quint16 m_port = 0;
  bool m_full = false;
  std::vector<int> m_clients;
};

} // namespace

class TestTcpCheck : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void parseAddress_data();
  void parseAddress();
  void connectsToListener();
  void connectsByName();
  void closedPortIsRefused();
  void silentHostTimesOut();
  void unresolvableHost();
};

void TestTcpCheck::parseAddress_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("host"); // empty → invalid
  QTest::addColumn<int>("port");
  QTest::addColumn<QString>("error");
  QTest::newRow("ipv4") << QStringLiteral("127.0.0.1:5432") << QStringLiteral("127.0.0.1") << 5432
                        << QString();
  QTest::newRow("name") << QStringLiteral("db.internal:6379") << QStringLiteral("db.internal")
                        << 6379 << QString();
  QTest::newRow("ipv6") << QStringLiteral("[::1]:80") << QStringLiteral("::1") << 80 << QString();
  QTest::newRow("no port") << QStringLiteral("localhost") << QString() << 0
                           << QStringLiteral("port is missing");
  QTest::newRow("empty port") << QStringLiteral("localhost:") << QString() << 0
                              << QStringLiteral("invalid port");
  QTest::newRow("port 0") << QStringLiteral("localhost:0") << QString() << 0
                          << QStringLiteral("1-65535");
  QTest::newRow("port too big") << QStringLiteral("localhost:65536") << QString() << 0
                                << QStringLiteral("1-65535");
  QTest::newRow("port garbage") << QStringLiteral("localhost:80x") << QString() << 0
                                << QStringLiteral("invalid port");
  QTest::newRow("no host") << QStringLiteral(":80") << QString() << 0
                           << QStringLiteral("host is missing");
  QTest::newRow("bare ipv6") << QStringLiteral("::1:80") << QString() << 0
                             << QStringLiteral("needs brackets");
  QTest::newRow("unclosed bracket")
      << QStringLiteral("[::1:80") << QString() << 0 << QStringLiteral("[IPV6]:PORT");
}

void TestTcpCheck::parseAddress() {
  QFETCH(QString, text);
  QFETCH(QString, host);
  QFETCH(int, port);
  QFETCH(QString, error);
  std::string why;
  const auto a = TcpCheck::parseAddress(text.toStdString(), &why);
  if (host.isEmpty()) {
    QVERIFY(!a);
    QVERIFY2(q(why).contains(error), why.c_str());
  } else {
    QVERIFY2(a, why.c_str());
    QCOMPARE(q(a->host), host);
    QCOMPARE(int(a->port), port);
  }
}

void TestTcpCheck::connectsToListener() {
  QTcpServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost, 0));
  TcpCheck check({"127.0.0.1", server.serverPort()});
  const CheckOutcome o = check.run(budget(2000ms));
  QCOMPARE_STATUS(o.status, Status::Up);
  QVERIFY2(QRegularExpression(QStringLiteral("^connected in [0-9.]+ (µs|ms|s)$"))
               .match(q(o.details))
               .hasMatch(),
           o.details.c_str());
}

void TestTcpCheck::connectsByName() {
  QTcpServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost, 0));
  TcpCheck check({"localhost", server.serverPort()});
  // localhost may also resolve to ::1 (refused here); the check must try the next address.
  const CheckOutcome o = check.run(budget(2000ms));
  QCOMPARE_STATUS(o.status, Status::Up);
}

void TestTcpCheck::closedPortIsRefused() {
  const quint16 port = testing::freePort();
  QVERIFY(port != 0);
  TcpCheck check({"127.0.0.1", port});
  const CheckOutcome o = check.run(budget(2000ms));
  QCOMPARE_STATUS(o.status, Status::Down);
  QCOMPARE(q(o.details), QStringLiteral("connection refused"));
}

void TestTcpCheck::silentHostTimesOut() {
  FullListener listener;
  if (!listener.full()) QSKIP("the kernel kept accepting connections; cannot build a silent peer");
  TcpCheck check({"127.0.0.1", listener.port()});
  QElapsedTimer timer;
  timer.start();
  const CheckOutcome o = check.run(budget(400ms));
  const qint64 elapsed = timer.elapsed();
  QCOMPARE_STATUS(o.status, Status::Down);
  QCOMPARE(q(o.details), QStringLiteral("no answer within 400 ms"));
  QVERIFY(elapsed >= 350);
  QVERIFY2(elapsed < 400 + 1000, qPrintable(QString::number(elapsed)));
}

void TestTcpCheck::unresolvableHost() {
  // `.invalid` never resolves (RFC 2606). Offline, the resolver either fails fast or hangs;
  // both must end as "cannot resolve host" within the budget.
  TcpCheck check({"healthdeck-test.invalid", 80});
  QElapsedTimer timer;
  timer.start();
  const CheckOutcome o = check.run(budget(1000ms));
  QVERIFY2(timer.elapsed() < 1000 + 1000, qPrintable(QString::number(timer.elapsed())));
  QCOMPARE_STATUS(o.status, Status::Down);
  QVERIFY2(o.details.starts_with("cannot resolve host \"healthdeck-test.invalid\""),
           o.details.c_str());
}

QTEST_GUILESS_MAIN(TestTcpCheck)
#include "tst_tcp_check.moc"
