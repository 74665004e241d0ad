// HttpCheck against real loopback servers: a canned responder (status sets, body text,
// redirects capped, body read capped, never answering, resetting), TLS with a self-signed CA
// given as ca_file, a refused port, a blackhole listener, and a keep-alive responder that
// proves the connection is reused between runs. Checks run on a thread of their own, as under
// the HealthManager, while this thread serves.

#include "healthdeck/checks/http_check.h"
#include "healthdeck/health/health_manager.h"
#include "tests/depchecks/depcheck_util.h"
#include "tests/health/status_compare.h"
#include "tests/support/blackhole_listener.h"
#include "tests/support/canned_http_server.h"
#include "tests/support/ports.h"

#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <future>

using namespace healthdeck;
using namespace healthdeck::testing;
using namespace std::chrono_literals;

namespace {

// Runs the check on another thread and serves this thread's servers until it returns.
TimedOutcome runAside(HealthCheck& check, std::chrono::milliseconds timeout) {
  auto future = std::async(std::launch::async, [&] { return runWithin(check, timeout); });
  while (future.wait_for(0ms) != std::future_status::ready)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  return future.get();
}

// HTTP/1.1 with keep-alive: answers every request on a connection with 200 "alive", and
// counts connections.
class KeepAliveServer : public QTcpServer {
public:
  int connections = 0;
  int requests = 0;
  int delayMs = 0; // answer each request this late

  /// Stops listening and drops every open connection, like a stopped server.
  void shutdown() {
    close();
    for (QTcpSocket* socket : findChildren<QTcpSocket*>())
      socket->abort();
  }

protected:
  void incomingConnection(qintptr fd) override {
    auto* socket = new QTcpSocket(this);
    socket->setSocketDescriptor(fd);
    ++connections;
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
      *buffer += socket->readAll();
      qsizetype end;
      while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
        buffer->remove(0, end + 4);
        ++requests;
        const QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(delayMs, this, [guarded] {
          if (guarded)
            guarded->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                           "5\r\nConnection: keep-alive\r\n\r\nalive");
        });
      }
    });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
  }
};

// Announces a 1 GB body, sends 64 KiB of it and then nothing more: only the body cap ends the
// transfer before the timeout.
class EndlessBodyServer : public QTcpServer {
protected:
  void incomingConnection(qintptr fd) override {
    auto* socket = new QTcpSocket(this);
    socket->setSocketDescriptor(fd);
    connect(socket, &QTcpSocket::readyRead, socket, [socket] {
      if (!socket->readAll().contains("\r\n\r\n")) return;
      socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    "1000000000\r\n\r\n" +
                    QByteArray(64 * 1024, 'z'));
    });
  }
};

} // namespace

class TestHttpCheck : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void statusSets_data();
  void statusSets();
  void bodyContains();
  void bodyReadIsCapped();
  void redirectsAreFollowedAndCapped();
  void neverAnswersTimesOut();
  void resetIsDown();
  void refused();
  void blackholeTimesOut();
  void tlsWithCaFile();
  void keepsItsConnection();
  void serverRestartedUnderTheCheck();
  void slowAnswerIsDegraded();
  void configValidation_data();
  void configValidation();

private:
  std::shared_ptr<HealthCheck> check(const QString& path,
                                     std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> params{
        {"url", s(m_server.baseUrl().resolved(QUrl(path)).toString())}};
    for (auto& [k, v] : extra)
      params[k] = v;
    return buildTyped("http", params);
  }
  CannedHttpServer m_server;
  QTemporaryDir m_dir;
};

void TestHttpCheck::initTestCase() {
  // Checks are destroyed here, not on the thread that ran them: Qt must not complain.
  QTest::failOnWarning(
      QRegularExpression(QStringLiteral("thread"), QRegularExpression::CaseInsensitiveOption));
  QVERIFY(m_server.start());
  m_server.setResponse(QStringLiteral("/ok"), {200, "application/json", R"({"status":"up"})", {}});
  m_server.setResponse(QStringLiteral("/busy"), {503, "text/plain", "overloaded", {}});
  m_server.setResponse(QStringLiteral("/empty"), {204, "text/plain", {}, {}});
  m_server.setResponse(QStringLiteral("/moved"), {301, "text/plain", {}, {{"Location", "/ok"}}});
  m_server.setResponse(QStringLiteral("/loop"), {302, "text/plain", {}, {{"Location", "/loop"}}});
  m_server.setResponse(QStringLiteral("/huge"),
                       {200, "text/plain", QByteArray(512 * 1024, 'a') + "NEEDLE", {}});
}

void TestHttpCheck::statusSets_data() {
  QTest::addColumn<QString>("path");
  QTest::addColumn<QString>("expect"); // empty → default 200-299
  QTest::addColumn<QString>("status");
  QTest::addColumn<QString>("details");
  QTest::newRow("200 default") << "/ok" << QString() << "up"
                               << "200 in ";
  QTest::newRow("204 default") << "/empty" << QString() << "up"
                               << "204 in ";
  QTest::newRow("503 default") << "/busy" << QString() << "down"
                               << "answered 503 (expected 200-299)";
  QTest::newRow("503 expected") << "/busy"
                                << "200,503"
                                << "up"
                                << "503 in ";
  QTest::newRow("204 not in 200") << "/empty"
                                  << "200"
                                  << "down"
                                  << "answered 204 (expected 200)";
  QTest::newRow("404 default") << "/nowhere" << QString() << "down"
                               << "answered 404 (expected 200-299)";
  QTest::newRow("404 in 2xx,4xx") << "/nowhere"
                                  << "2xx,4xx"
                                  << "up"
                                  << "404 in ";
}

void TestHttpCheck::statusSets() {
  QFETCH(QString, path);
  QFETCH(QString, expect);
  QFETCH(QString, status);
  QFETCH(QString, details);
  std::map<std::string, std::string> extra;
  if (!expect.isEmpty()) extra["expect_status"] = s(expect);
  auto c = check(path, extra);
  const auto r = runAside(*c, 2s);
  QCOMPARE(statusText(r.outcome.status), status);
  QVERIFY2(r.details().startsWith(details), qPrintable(r.details()));
}

void TestHttpCheck::bodyContains() {
  auto found = check(QStringLiteral("/ok"), {{"body_contains", "\"up\""}});
  QCOMPARE_STATUS(runAside(*found, 2s).outcome.status, Status::Up);
  auto missing = check(QStringLiteral("/ok"), {{"body_contains", "\"down\""}});
  const auto r = runAside(*missing, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QCOMPARE(r.details(), QStringLiteral("answered 200 but the body does not contain \"\"down\"\""));
}

void TestHttpCheck::bodyReadIsCapped() {
  auto whole =
      check(QStringLiteral("/huge"), {{"body_contains", "NEEDLE"}, {"max_body_bytes", "1048576"}});
  QCOMPARE_STATUS(runAside(*whole, 3s).outcome.status, Status::Up);
  auto capped =
      check(QStringLiteral("/huge"), {{"body_contains", "NEEDLE"}, {"max_body_bytes", "4096"}});
  const auto r = runAside(*capped, 3s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().endsWith(QStringLiteral("in its first 4096 bytes")),
           qPrintable(r.details()));
  // Without body_contains the body is still read no further than the cap, and the status
  // decides: a body that never ends (here: too long) cannot hold the check until its timeout.
  EndlessBodyServer endless;
  QVERIFY(endless.listen(QHostAddress::LocalHost));
  auto statusOnly = buildTyped(
      "http", {{"url", "http://127.0.0.1:" + std::to_string(endless.serverPort()) + "/stream"},
               {"max_body_bytes", "1024"}});
  const auto st = runAside(*statusOnly, 3s);
  QCOMPARE_STATUS(st.outcome.status, Status::Up);
  QVERIFY2(st.details().startsWith(QStringLiteral("200 in ")), qPrintable(st.details()));
}

void TestHttpCheck::redirectsAreFollowedAndCapped() {
  auto follow = check(QStringLiteral("/moved"));
  QCOMPARE_STATUS(runAside(*follow, 2s).outcome.status, Status::Up);
  auto loop = check(QStringLiteral("/loop"), {{"max_redirects", "2"}});
  const auto r = runAside(*loop, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QCOMPARE(r.details(), QStringLiteral("more than 2 redirects (max_redirects)"));
  auto manual = check(QStringLiteral("/moved"), {{"max_redirects", "0"}});
  const auto m = runAside(*manual, 2s);
  QCOMPARE_STATUS(m.outcome.status, Status::Down);
  QVERIFY2(m.details().startsWith(QStringLiteral("answered 301")), qPrintable(m.details()));
}

void TestHttpCheck::neverAnswersTimesOut() {
  CannedHttpServer silent;
  QVERIFY(silent.start());
  silent.setMode(CannedHttpServer::Mode::NeverAnswer);
  auto c = buildTyped("http", {{"url", s(silent.baseUrl().toString()) + "/health"}});
  const auto r = runAside(*c, 500ms);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("no answer from 127.0.0.1:")),
           qPrintable(r.details()));
  QVERIFY2(r.took < 500ms + 500ms, qPrintable(QString::number(r.took.count())));
}

void TestHttpCheck::resetIsDown() {
  CannedHttpServer rude;
  QVERIFY(rude.start());
  rude.setMode(CannedHttpServer::Mode::Reset);
  auto c = buildTyped("http", {{"url", s(rude.baseUrl().toString()) + "/health"}});
  const auto r = runAside(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("127.0.0.1")), qPrintable(r.details()));
}

void TestHttpCheck::refused() {
  auto c = buildTyped("http", {{"url", "http://127.0.0.1:" + std::to_string(freePort()) + "/"}});
  const auto r = runAside(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("connection refused by 127.0.0.1:")),
           qPrintable(r.details()));
}

void TestHttpCheck::blackholeTimesOut() {
  BlackholeListener hole;
  QVERIFY(hole.isListening());
  auto c = buildTyped("http", {{"url", "http://127.0.0.1:" + std::to_string(hole.port()) + "/"}});
  for (int i = 0; i < 2; ++i) {
    const auto r = runAside(*c, 500ms);
    QCOMPARE_STATUS(r.outcome.status, Status::Down);
    QVERIFY2(r.details().startsWith(QStringLiteral("no answer")), qPrintable(r.details()));
    QVERIFY2(r.took < 500ms + 500ms, qPrintable(QString::number(r.took.count())));
  }
}

void TestHttpCheck::tlsWithCaFile() {
  QString cert, key, error;
  QVERIFY2(makeSelfSignedCertificate(m_dir.path(), &cert, &key, &error), qPrintable(error));
  QFile cf(cert), kf(key);
  QVERIFY(cf.open(QIODevice::ReadOnly) && kf.open(QIODevice::ReadOnly));
  CannedHttpServer tls;
  QVERIFY(tls.start());
  tls.setTls(QSslCertificate(cf.readAll()), QSslKey(kf.readAll(), QSsl::Ec));
  tls.setResponse(QStringLiteral("/ok"), {200, "text/plain", "fine", {}});
  const std::string url = "https://localhost:" + std::to_string(tls.serverPort()) + "/ok";

  auto trusted = buildTyped("http", {{"url", url}, {"ca_file", s(cert)}});
  const auto ok = runAside(*trusted, 3s);
  QVERIFY2(ok.outcome.status == Status::Up, qPrintable(ok.details()));

  auto untrusted = buildTyped("http", {{"url", url}});
  const auto bad = runAside(*untrusted, 3s);
  QCOMPARE_STATUS(bad.outcome.status, Status::Down);
  QVERIFY2(bad.details().startsWith(QStringLiteral("TLS handshake with localhost:")) &&
               bad.details().endsWith(QStringLiteral("failed: the certificate is self-signed, "
                                                     "and untrusted")),
           qPrintable(bad.details()));
}

void TestHttpCheck::keepsItsConnection() {
  KeepAliveServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost));
  auto c = buildTyped(
      "http", {{"url", "http://127.0.0.1:" + std::to_string(server.serverPort()) + "/health"},
               {"body_contains", "alive"}});
  for (int i = 0; i < 5; ++i)
    QCOMPARE_STATUS(runAside(*c, 2s).outcome.status, Status::Up);
  QCOMPARE(server.requests, 5);
  QCOMPARE(server.connections, 1);
}

void TestHttpCheck::serverRestartedUnderTheCheck() {
  KeepAliveServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost));
  const quint16 port = server.serverPort();
  auto c = buildTyped("http", {{"url", "http://127.0.0.1:" + std::to_string(port) + "/health"}});
  QCOMPARE_STATUS(runAside(*c, 2s).outcome.status, Status::Up);
  server.shutdown();
  const auto down = runAside(*c, 2s);
  QCOMPARE_STATUS(down.outcome.status, Status::Down);
  QVERIFY2(down.details().startsWith(QStringLiteral("connection refused by 127.0.0.1:")),
           qPrintable(down.details()));
  QVERIFY(server.listen(QHostAddress::LocalHost, port));
  QCOMPARE_STATUS(runAside(*c, 2s).outcome.status, Status::Up);
  // The kept connection dies while idle: the next run opens a new one and answers up.
  for (QTcpSocket* socket : server.findChildren<QTcpSocket*>())
    socket->abort();
  QCOMPARE_STATUS(runAside(*c, 2s).outcome.status, Status::Up);
  QCOMPARE(server.connections, 3);
}

void TestHttpCheck::slowAnswerIsDegraded() {
  KeepAliveServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost));
  server.delayMs = 400;
  HealthManager manager({2000ms, 0ms});
  CheckSpec spec;
  spec.name = "upstream";
  spec.degradedAfter = 150ms;
  manager.add(
      spec, buildTyped("http",
                       {{"url", "http://127.0.0.1:" + std::to_string(server.serverPort()) + "/"}}));
  auto future = std::async(std::launch::async, [&] { return manager.evaluate(Probe::Readiness); });
  while (future.wait_for(0ms) != std::future_status::ready)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  const ProbeResult r = future.get();
  QCOMPARE_STATUS(r.checks.at(0).status, Status::Degraded);
  QVERIFY2(QString::fromStdString(r.checks.at(0).details).contains(QStringLiteral("150 ms")),
           r.checks.at(0).details.c_str());
}

void TestHttpCheck::configValidation_data() {
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("value");
  QTest::addColumn<QString>("error");
  QTest::newRow("ftp url") << "url"
                           << "ftp://host/x"
                           << "http:// or https://";
  QTest::newRow("no host") << "url"
                           << "http:///x"
                           << "http:// or https://";
  QTest::newRow("status 600") << "expect_status"
                              << "600"
                              << "100 to 599";
  QTest::newRow("status reversed") << "expect_status"
                                   << "299-200"
                                   << "reversed";
  QTest::newRow("status empty item") << "expect_status"
                                     << "200,,204"
                                     << "empty item";
  QTest::newRow("redirects") << "max_redirects"
                             << "50"
                             << "from 0 to 20";
  QTest::newRow("body cap") << "max_body_bytes"
                            << "0"
                            << "from 1";
  QTest::newRow("ca on http") << "ca_file"
                              << "/etc/ssl/certs/ca-certificates.crt"
                              << "only applies to an https";
}

void TestHttpCheck::configValidation() {
  QFETCH(QString, key);
  QFETCH(QString, value);
  QFETCH(QString, error);
  std::map<std::string, std::string> params{{"url", "http://127.0.0.1:1/health"}};
  params[s(key)] = s(value);
  try {
    buildTyped("http", params);
    QFAIL("accepted");
  } catch (const ConfigError& e) {
    QVERIFY2(QString::fromStdString(e.what()).contains(error), e.what());
  }
}

QTEST_GUILESS_MAIN(TestHttpCheck)
#include "tst_http_check.moc"
