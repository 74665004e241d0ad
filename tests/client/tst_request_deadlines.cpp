// RequestDeadlines (the Poller's one timer for every request's time limit) against real HTTP
// requests on loopback: a server that accepts and never answers is aborted once its limit has
// passed — never before — and many requests with one limit are handled together; a request
// that is answered in time, or whose reply is destroyed, never sees its callback.

#include "healthdeck/client/source/request_deadlines.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

/// Accepts connections; answers "200 ok" only when `answer` is set, otherwise stays silent.
class Server : public QTcpServer {
public:
  bool answer = false;
  explicit Server(QObject* parent = nullptr) : QTcpServer(parent) {
    connect(this, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* s = nextPendingConnection()) {
        connect(s, &QTcpSocket::readyRead, s, [this, s] {
          s->readAll();
          if (answer)
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        });
      }
    });
  }
  QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(serverPort())); }
};

} // namespace

class TestRequestDeadlines : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void silentServerAbortedAfterLimit() {
    Server server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QNetworkAccessManager nam;
    RequestDeadlines deadlines(25ms);
    QElapsedTimer clock;
    clock.start();
    constexpr int kRequests = 20;
    int fired = 0;
    qint64 firstAt = -1;
    QList<QNetworkReply*> replies;
    for (int i = 0; i < kRequests; ++i) {
      QNetworkReply* reply = nam.get(QNetworkRequest(server.url()));
      replies << reply;
      deadlines.add(reply, 300ms, [&, reply] {
        if (firstAt < 0) firstAt = clock.elapsed();
        ++fired;
        reply->abort();
      });
    }
    QCOMPARE(deadlines.pending(), std::size_t(kRequests));
    QTRY_COMPARE_WITH_TIMEOUT(fired, kRequests, 5000);
    QVERIFY2(firstAt >= 300, qPrintable(QString::number(firstAt))); // never before the limit
    for (QNetworkReply* r : std::as_const(replies)) {
      QVERIFY(r->isFinished());
      QCOMPARE(r->error(), QNetworkReply::OperationCanceledError);
      delete r;
    }
    QCOMPARE(deadlines.pending(), std::size_t(0));
  }

  void answeredOrDestroyedNeverFires() {
    Server server;
    server.answer = true;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QNetworkAccessManager nam;
    RequestDeadlines deadlines(25ms);
    int fired = 0;
    QNetworkReply* answered = nam.get(QNetworkRequest(server.url()));
    deadlines.add(answered, 400ms, [&] { ++fired; });
    Server silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QNetworkReply* destroyed = nam.get(QNetworkRequest(silent.url()));
    deadlines.add(destroyed, 400ms, [&] { ++fired; });
    QTRY_VERIFY_WITH_TIMEOUT(answered->isFinished(), 5000);
    QCOMPARE(answered->readAll(), QByteArray("ok"));
    delete destroyed; // aborted and gone before its limit
    // Both deadlines pass; neither callback runs and the entries are dropped.
    QTRY_COMPARE_WITH_TIMEOUT(deadlines.pending(), std::size_t(0), 5000);
    QCOMPARE(fired, 0);
    delete answered;
  }
};

QTEST_GUILESS_MAIN(TestRequestDeadlines)
#include "tst_request_deadlines.moc"
