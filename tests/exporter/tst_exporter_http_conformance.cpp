// Request framing the way RFC 9110/9112 require, on raw sockets: the smuggling shapes
// (Content-Length with Transfer-Encoding, two lengths, obs-fold, `+N`, whitespace before the
// colon), Host rules, the request-target forms, method rules (405 vs 501), a 405 that really
// closes, a body announced and never sent, the HTTP/2 preface — while a keep-alive bystander
// opened before the hostile request keeps being served.

#include "tests/exporter/exporter_fixture.h"
#include "tests/support/http_client.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace healthdeck;
using namespace healthdeck::testing;

namespace {

const QByteArray kSmuggled = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";

} // namespace

class TstExporterHttpConformance : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void framing_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("closes");
    // Smuggling: anything after the first head must never be answered as a request.
    QTest::newRow("CL and TE chunked")
        << QByteArray("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                      kSmuggled)
        << 400 << true;
    QTest::newRow("GET with CL and TE")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                      "Content-Length: 0\r\n\r\n" +
                      kSmuggled)
        << 400 << true;
    QTest::newRow("two different CL")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n"
                      "Content-Length: 34\r\n\r\n" +
                      kSmuggled)
        << 400 << true;
    QTest::newRow("obs-fold before CL")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nX-Note: a\r\n folded\r\n"
                      "Content-Length: 34\r\n\r\n" +
                      kSmuggled)
        << 400 << true;
    QTest::newRow("CL +N") << QByteArray(
                                  "GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: +0\r\n\r\n")
                           << 400 << true;
    QTest::newRow("CL list")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: 0, 0\r\n\r\n") << 400
        << true;
    QTest::newRow("space before colon")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nContent-Length : 34\r\n\r\n" + kSmuggled)
        << 400 << true;
    QTest::newRow("TE not chunked last")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
        << 400 << true;
    QTest::newRow("TE in HTTP/1.0")
        << QByteArray("GET /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400
        << true;
    QTest::newRow("bare LF") << QByteArray("GET /health HTTP/1.1\nHost: a\n\n") << 400 << true;
    QTest::newRow("bare CR") << QByteArray("GET /health HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") << 400
                             << true;
    QTest::newRow("NUL in value") << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nX: a" +
                                                QByteArray(1, '\0') + "b\r\n\r\n")
                                  << 400 << true;
    // A body we will not read: answered, then the connection closes, body never parsed.
    QTest::newRow("GET with a body")
        << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: 34\r\n\r\n" + kSmuggled)
        << 200 << true;
    QTest::newRow("GET chunked body")
        << QByteArray(
               "GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n22\r\n" +
               kSmuggled + "\r\n0\r\n\r\n")
        << 200 << true;
    // Host (RFC 9112 §3.2).
    QTest::newRow("no Host 1.1") << QByteArray("GET /health HTTP/1.1\r\n\r\n") << 400 << true;
    QTest::newRow("two Hosts") << QByteArray("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                               << 400 << true;
    QTest::newRow("no Host 1.0") << QByteArray("GET /health HTTP/1.0\r\n\r\n") << 200 << true;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << 200 << false;
    QTest::newRow("bad Host") << QByteArray("GET /health HTTP/1.1\r\nHost: a b\r\n\r\n") << 400
                              << true;
    // Request-target forms (§3.2).
    QTest::newRow("absolute-form")
        << QByteArray("GET http://127.0.0.1:9/health?x=1 HTTP/1.1\r\nHost: a\r\n\r\n") << 200
        << false;
    QTest::newRow("absolute-form no path")
        << QByteArray("GET http://127.0.0.1:9 HTTP/1.1\r\nHost: a\r\n\r\n") << 404 << false;
    QTest::newRow("OPTIONS *") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << 200
                               << false;
    QTest::newRow("GET *") << QByteArray("GET * HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << true;
    QTest::newRow("leading CRLF") << QByteArray("\r\nGET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                                  << 200 << false;
    QTest::newRow("fragment") << QByteArray("GET /health#x HTTP/1.1\r\nHost: a\r\n\r\n") << 400
                              << true;
    // Methods (RFC 9110 §9, §15.5.6, §15.6.2): case-sensitive; known → 405, unknown → 501.
    QTest::newRow("TRACE") << QByteArray("TRACE /metrics HTTP/1.1\r\nHost: a\r\n\r\n") << 405
                           << true;
    QTest::newRow("CONNECT") << QByteArray("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n") << 405
                             << true;
    QTest::newRow("PURGE") << QByteArray("PURGE /metrics HTTP/1.1\r\nHost: a\r\n\r\n") << 501
                           << true;
    QTest::newRow("lower-case get")
        << QByteArray("get /metrics HTTP/1.1\r\nHost: a\r\n\r\n") << 501 << true;
    QTest::newRow("405 closes")
        << QByteArray("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n" + kSmuggled)
        << 405 << true;
    // Versions.
    QTest::newRow("HTTP/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505 << true;
    QTest::newRow("lower-case version")
        << QByteArray("GET /health http/1.1\r\nHost: a\r\n\r\n") << 400 << true;
    QTest::newRow("HTTP/1.2") << QByteArray("GET /health HTTP/1.2\r\nHost: a\r\n\r\n") << 200
                              << false;
  }
  void framing() {
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(bool, closes);
    ExporterOptions o;
    o.requestTimeout = std::chrono::milliseconds(20000);
    o.keepAliveTimeout = std::chrono::milliseconds(20000);
    ExporterFixture f(o);
    f.exporter->start();
    HttpConnection bystander(f.port());
    QCOMPARE(bystander.request("GET", "/metrics").status, 200);

    HttpConnection conn(f.port());
    QVERIFY(conn.sendRaw(raw));
    const HttpReply r = conn.readReply(raw.startsWith("HEAD"), 5000);
    QCOMPARE(r.status, status);
    QVERIFY2(r.statusLine.startsWith("HTTP/1.1 "), r.statusLine.constData());
    QCOMPARE(r.header("Content-Length").toLongLong(), r.body.size());
    if (status == 405) QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD"));
    if (status == 200 && raw.startsWith("OPTIONS")) QVERIFY(r.header("Allow").contains("OPTIONS"));
    if (closes) {
      QCOMPARE(r.header("Connection").toLower(), QByteArray("close"));
      // Nothing else is answered on it (a smuggled request would be) and it really closes,
      // long before the 20 s timeouts.
      const HttpReply next = conn.readReply(false, 3000);
      QVERIFY2(next.status == 0, next.statusLine.constData());
      QVERIFY2(next.closedByServer, next.error.constData());
    } else {
      QCOMPARE(r.header("Connection").toLower(), QByteArray("keep-alive"));
      QCOMPARE(conn.request("GET", "/health/live").status, 200);
    }
    QCOMPARE(bystander.request("GET", "/metrics").status, 200);
    QCOMPARE(httpRequest(f.port(), "GET", "/health/ready").status, 200);
  }

  void announcedBodyNeverSent() {
    ExporterOptions o;
    o.requestTimeout = std::chrono::milliseconds(30000);
    o.lingerTimeout = std::chrono::milliseconds(500);
    ExporterFixture f(o);
    f.exporter->start();
    HttpConnection conn(f.port());
    QElapsedTimer t;
    t.start();
    QVERIFY(conn.sendRaw("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"));
    const HttpReply r = conn.readReply(false, 5000);
    QCOMPARE(r.status, 405);
    // Closed after the short linger, not after the 30 s request timeout.
    QVERIFY(conn.waitForClose(10000));
    QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
  }

  void oversized_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::newRow("long target") << QByteArray("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n")
                                 << 414;
    QTest::newRow("long fields") << QByteArray("GET /metrics HTTP/1.1\r\nHost: a\r\nX: " +
                                               QByteArray(9000, 'b') + "\r\n")
                                 << 431;
  }
  void oversized() {
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    ExporterFixture f;
    f.exporter->start();
    HttpConnection conn(f.port());
    QVERIFY(conn.sendRaw(raw));
    const HttpReply r = conn.readReply(false, 5000);
    QCOMPARE(r.status, status);
    QVERIFY(conn.waitForClose(5000));
  }

  void basicCredentialsToBearer() {
    QTemporaryDir dir;
    const QString token = dir.path() + QStringLiteral("/token");
    QFile file(token);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("tok-123\n");
    file.close();
    ExporterOptions o;
    o.bearerTokenFile = token.toStdString();
    ExporterFixture f(o);
    f.exporter->start();
    // RFC 6750 §3.1: no error code when the request carried no bearer token.
    HttpReply r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Basic dTpw"}});
    QCOMPARE(r.status, 401);
    QCOMPARE(r.header("WWW-Authenticate"), QByteArray("Bearer realm=\"healthdeck\""));
    r = httpRequest(f.port(), "GET", "/metrics", {{"Authorization", "Bearer wrong"}});
    QCOMPARE(r.status, 401);
    QVERIFY(r.header("WWW-Authenticate").contains("error=\"invalid_token\""));
  }
};

QTEST_GUILESS_MAIN(TstExporterHttpConformance)
#include "tst_exporter_http_conformance.moc"
