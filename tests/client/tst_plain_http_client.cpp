// PlainHttpClient (the Poller's transport for plain http://) against the project's own
// exporter (a real keep-alive HTTP/1.1 server) and, for shapes a well-behaved server does not
// send on demand, a raw responder in this file that writes exactly the bytes a test gives it:
// chunked bodies, oversized bodies, a connection closed without an answer, a keep-alive
// connection the server drops while idle. Plus a closed port, a name that does not resolve,
// and a listener that never answers.

#include "healthdeck/client/source/plain_http_client.h"
#include "tests/exporter/exporter_fixture.h"
#include "tests/support/blackhole_listener.h"
#include "tests/support/ports.h"

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace healthdeck;
using healthdeck::testing::BlackholeListener;
using healthdeck::testing::ExporterFixture;
using Failure = PlainHttpClient::Failure;

namespace {

/// Accepts connections on 127.0.0.1 and answers each request (read up to the blank line) with
/// the next of `answers`, in order, whatever the connection. After an answer the connection is
/// closed when `closeAfterEach`, else kept for the next request.
class RawResponder {
public:
  RawResponder(std::vector<std::string> answers, bool closeAfterEach)
      : m_answers(std::move(answers)), m_close(closeAfterEach) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_fd, 16) != 0)
      return;
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] { loop(); });
  }
  ~RawResponder() {
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    if (m_thread.joinable()) m_thread.join();
  }
  quint16 port() const { return m_port; }
  int connections() const { return m_connections.load(); }
  int requests() const { return m_requests.load(); }

private:
  void loop() {
    for (;;) {
      const int c = ::accept(m_fd, nullptr, nullptr);
      if (c < 0) return;
      ++m_connections;
      std::string in;
      char buf[4096];
      bool open = true;
      while (open) {
        while (in.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = ::read(c, buf, sizeof buf);
          if (n <= 0) {
            open = false;
            break;
          }
          in.append(buf, static_cast<std::size_t>(n));
        }
        if (!open) break;
        in.erase(0, in.find("\r\n\r\n") + 4);
        const int i = m_requests++;
        const std::string& out =
            m_answers.at(std::min<std::size_t>(static_cast<std::size_t>(i), m_answers.size() - 1));
        if (::write(c, out.data(), out.size()) < 0) break;
        if (m_close) break;
      }
      ::close(c);
    }
  }
  std::vector<std::string> m_answers;
  bool m_close;
  int m_fd = -1;
  quint16 m_port = 0;
  std::atomic<int> m_connections{0};
  std::atomic<int> m_requests{0};
  std::thread m_thread;
};

PlainHttpClient::Request requestTo(quint16 port, std::string target,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  PlainHttpClient::Request r;
  r.host = "127.0.0.1";
  r.port = port;
  r.target = std::move(target);
  r.headers = {{"Accept", "application/json"}, {"User-Agent", "healthdeck-test"}};
  r.timeout = timeout;
  return r;
}

PlainHttpClient::Response fetch(PlainHttpClient& client, PlainHttpClient::Request r) {
  auto promise = std::make_shared<std::promise<PlainHttpClient::Response>>();
  auto future = promise->get_future();
  client.get(std::move(r),
             [promise](PlainHttpClient::Response res) { promise->set_value(std::move(res)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) return {};
  return future.get();
}

int f(Failure x) {
  return static_cast<int>(x);
}

} // namespace

class TstPlainHttpClient : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void realExporterKeepsTheConnection() {
    ExporterFixture fx;
    fx.addCheck("database", Probe::Readiness, true);
    fx.exporter->start();
    PlainHttpClient client;
    const auto first = fetch(client, requestTo(fx.port(), "/health/ready"));
    QCOMPARE(f(first.failure), f(Failure::None));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.reason, std::string("OK"));
    QVERIFY2(first.header("content-type").find("json") != std::string::npos,
             first.header("Content-Type").c_str());
    QVERIFY2(first.body.find("database") != std::string::npos, first.body.c_str());
    QVERIFY(!first.reusedConnection);
    QVERIFY(first.connectStartMs >= 0 && first.requestSentMs >= first.connectStartMs);
    QVERIFY(first.firstByteMs >= first.requestSentMs && first.totalMs >= first.firstByteMs);

    const auto second = fetch(client, requestTo(fx.port(), "/metrics"));
    QCOMPARE(second.status, 200);
    QVERIFY(second.body.find("# TYPE") != std::string::npos);
    QVERIFY(second.reusedConnection);
    QCOMPARE(second.connectStartMs, std::int64_t(-1));
    QCOMPARE(client.openConnections(), 1);

    // The exporter compresses /metrics when asked: inflated here, within the cap.
    auto gz = requestTo(fx.port(), "/metrics");
    gz.acceptGzip = true;
    const auto zipped = fetch(client, gz);
    QCOMPARE(f(zipped.failure), f(Failure::None));
    QCOMPARE(zipped.header("Content-Encoding"), std::string("gzip"));
    QVERIFY2(zipped.body.find("# TYPE") != std::string::npos, zipped.body.substr(0, 80).c_str());
    QCOMPARE(zipped.body.substr(0, 40), second.body.substr(0, 40));

    const auto missing = fetch(client, requestTo(fx.port(), "/no/such/path"));
    QCOMPARE(f(missing.failure), f(Failure::None));
    QCOMPARE(missing.status, 404);
  }

  void chunkedBodyIsDecoded() {
    RawResponder server(
        {"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
         "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"},
        false);
    PlainHttpClient client;
    const auto r = fetch(client, requestTo(server.port(), "/ready"));
    QCOMPARE(f(r.failure), f(Failure::None));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.reason, std::string("Service Unavailable"));
    QCOMPARE(r.body, std::string("hello world"));
  }

  void bodyToConnectionEnd() {
    RawResponder server({"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nup and running"},
                        true);
    PlainHttpClient client;
    const auto r = fetch(client, requestTo(server.port(), "/"));
    QCOMPARE(f(r.failure), f(Failure::None));
    QCOMPARE(r.body, std::string("up and running"));
    QCOMPARE(client.openConnections(), 0); // not kept: the answer ended with the connection
  }

  void bodyCap_data() {
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("Content-Length over the cap")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n") + QByteArray(5000, 'x');
    QTest::newRow("chunked past the cap")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n") +
               QByteArray(5000, 'x') + QByteArray("\r\n0\r\n\r\n");
    QTest::newRow("to the end, past the cap")
        << QByteArray("HTTP/1.1 200 OK\r\n\r\n") + QByteArray(5000, 'x');
  }
  void bodyCap() {
    QFETCH(QByteArray, answer);
    RawResponder server({answer.toStdString()}, true);
    PlainHttpClient client;
    auto req = requestTo(server.port(), "/metrics");
    req.bodyCap = 1024;
    const auto r = fetch(client, req);
    QCOMPARE(f(r.failure), f(Failure::TooLarge));
    QVERIFY(r.body.empty());
  }

  void gzipBodies_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("failure");
    // qCompress is zlib with a 4-byte length in front; gunzip reads zlib as well as gzip.
    QTest::newRow("inflates past the cap")
        << qCompress(QByteArray(5000, 'x')).mid(4) << f(Failure::TooLarge);
    QTest::newRow("not compressed at all")
        << QByteArray("plain text, said to be gzip") << f(Failure::Other);
    QTest::newRow("inflates within the cap")
        << qCompress(QByteArray(500, 'x')).mid(4) << f(Failure::None);
  }
  void gzipBodies() {
    QFETCH(QByteArray, body);
    QFETCH(int, failure);
    RawResponder server({"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body.toStdString()},
                        true);
    PlainHttpClient client;
    auto req = requestTo(server.port(), "/metrics");
    req.bodyCap = 1024;
    req.acceptGzip = true;
    const auto r = fetch(client, req);
    QCOMPARE(f(r.failure), failure);
    if (failure == f(Failure::None))
      QCOMPARE(r.body, std::string(500, 'x'));
    else
      QVERIFY(!r.failureText.empty());
  }

  void closedWithoutAnswer() {
    RawResponder server({""}, true); // reads the request, writes nothing, closes
    PlainHttpClient client;
    const auto r = fetch(client, requestTo(server.port(), "/ready"));
    QCOMPARE(f(r.failure), f(Failure::ClosedWithoutAnswer));
    QCOMPARE(r.status, 0);
    QCOMPARE(server.connections(), 1); // a fresh connection is not tried twice
  }

  void idleConnectionDroppedByServerIsRetried() {
    // Keep-alive announced, but the server closes after each answer: the second request finds
    // its pooled connection dead and is sent again on a new one.
    RawResponder server({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"}, true);
    PlainHttpClient client;
    QCOMPARE(fetch(client, requestTo(server.port(), "/a")).status, 200);
    QTest::qWait(100); // the server's close reaches us
    const auto again = fetch(client, requestTo(server.port(), "/b"));
    QCOMPARE(f(again.failure), f(Failure::None));
    QCOMPARE(again.body, std::string("ok"));
    QCOMPARE(server.connections(), 2);
  }

  void refusedAndNotFound() {
    PlainHttpClient client;
    const quint16 closed = healthdeck::testing::freePort();
    const auto refused = fetch(client, requestTo(closed, "/"));
    QCOMPARE(f(refused.failure), f(Failure::ConnectionRefused));
    QVERIFY(!refused.failureText.empty());

    auto req = requestTo(80, "/");
    req.host = "no-such-host.invalid"; // RFC 6761: never resolves
    const auto missing = fetch(client, req);
    QCOMPARE(f(missing.failure), f(Failure::HostNotFound));
  }

  void hangingServerCostsItsTimeout() {
    BlackholeListener hole;
    QVERIFY(hole.isListening());
    PlainHttpClient client;
    const auto r = fetch(client, requestTo(hole.port(), "/", std::chrono::milliseconds(300)));
    QCOMPARE(f(r.failure), f(Failure::Timeout));
    QVERIFY2(r.totalMs >= 250 && r.totalMs < 3000, std::to_string(r.totalMs).c_str());
    QCOMPARE(client.openConnections(), 0);
  }

  void connectionsPerHostAreCapped() {
    BlackholeListener hole;
    PlainHttpClient client(2);
    std::vector<std::future<PlainHttpClient::Response>> answers;
    for (int i = 0; i < 5; ++i) {
      auto promise = std::make_shared<std::promise<PlainHttpClient::Response>>();
      answers.push_back(promise->get_future());
      client.get(requestTo(hole.port(), "/", std::chrono::milliseconds(400)),
                 [promise](PlainHttpClient::Response r) { promise->set_value(std::move(r)); });
    }
    for (auto& a : answers) {
      QVERIFY(a.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
      QCOMPARE(f(a.get().failure), f(Failure::Timeout));
    }
    // The waiting three timed out in the queue; the last two may have got a slot after the
    // first two timed out, but never more than two at once.
    QVERIFY2(hole.accepted() >= 2 && hole.accepted() <= 5, std::to_string(hole.accepted()).c_str());
    QCOMPARE(client.openConnections(), 0);
  }

  void destroyedWithRequestsInFlight() {
    BlackholeListener hole;
    std::atomic<int> called{0};
    {
      PlainHttpClient client;
      for (int i = 0; i < 3; ++i)
        client.get(requestTo(hole.port(), "/"), [&called](PlainHttpClient::Response) { ++called; });
      QTest::qWait(100);
    }
    QCOMPARE(called.load(), 0); // no callback after (or during) destruction
  }
};

QTEST_GUILESS_MAIN(TstPlainHttpClient)
#include "tst_plain_http_client.moc"
