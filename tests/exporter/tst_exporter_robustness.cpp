// A slow or hostile client must not tie the exporter up: malformed request lines, oversized
// headers, idle connections and a slowloris header dribble, with scrapes still answered.

#include "tests/exporter/exporter_fixture.h"
#include "tests/support/http_client.h"

#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <vector>

using namespace healthdeck;
using namespace healthdeck::testing;

class TstExporterRobustness : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void malformedRequests_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n");
    QTest::newRow("method only") << QByteArray("GET\r\n\r\n");
    QTest::newRow("no version") << QByteArray("GET /metrics\r\n\r\n");
    QTest::newRow("bad version") << QByteArray("GET /metrics HTTP/9.9\r\n\r\n");
    QTest::newRow("binary") << QByteArray("\x01\x02\x03\xff\xfe\r\n\r\n", 9);
    QTest::newRow("header without colon")
        << QByteArray("GET /metrics HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n");
    QTest::newRow("negative length")
        << QByteArray("GET /metrics HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
    QTest::newRow("huge length") << QByteArray(
        "POST /metrics HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n");
    QTest::newRow("bad chunked") << QByteArray(
        "POST /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("long uri") << QByteArray("GET /" + QByteArray(20000, 'a') + " HTTP/1.1\r\n\r\n");
  }
  void malformedRequests() {
    QFETCH(QByteArray, raw);
    ExporterFixture f;
    f.exporter->start();
    {
      HttpConnection conn(f.port());
      QVERIFY(conn.sendRaw(raw));
      const HttpReply r = conn.readReply(false, 5000);
      // Either a client error or a closed connection; never a success, never a hang.
      QVERIFY2(r.status == 0 || (r.status >= 400 && r.status < 600), r.statusLine.constData());
      if (r.status == 0) QVERIFY2(r.closedByServer, r.error.constData());
    }
    QCOMPARE(httpRequest(f.port(), "GET", "/metrics").status, 200);
  }

  void oversizedHeader() {
    ExporterFixture f;
    f.exporter->start();
    HttpConnection conn(f.port());
    QByteArray raw = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 40; ++i)
      raw += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(500, 'f') + "\r\n";
    raw += "\r\n";
    QVERIFY(conn.sendRaw(raw));
    const HttpReply r = conn.readReply(false, 5000);
    QVERIFY2(r.status == 400 || r.status == 431 || r.status == 413, r.statusLine.constData());
    QVERIFY(conn.waitForClose(5000));
    QCOMPARE(httpRequest(f.port(), "GET", "/metrics").status, 200);
  }

  void idleConnectionsAndSlowloris() {
    ExporterOptions o;
    o.requestTimeout = std::chrono::milliseconds(3000);
    ExporterFixture f(o);
    f.addCheck("database", Probe::Readiness, true);
    f.exporter->start();

    std::vector<std::unique_ptr<HttpConnection>> idle;
    for (int i = 0; i < 50; ++i) {
      idle.push_back(std::make_unique<HttpConnection>(f.port()));
      QVERIFY(idle.back()->isConnected());
    }
    HttpConnection slow(f.port());
    QVERIFY(slow.sendRaw("GET /metrics HTTP/1.1\r\n"));
    QElapsedTimer slowSince;
    slowSince.start();

    // While all of them hold a connection, scrapes and probes are answered promptly
    // (a blocked pool would make them wait for the request timeout).
    for (int i = 0; i < 10; ++i) {
      QElapsedTimer t;
      t.start();
      const HttpReply m = httpRequest(f.port(), "GET", "/metrics", {}, 2500);
      QCOMPARE(m.status, 200);
      QCOMPARE(httpRequest(f.port(), "GET", "/health/ready", {}, 2500).status, 200);
      QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
      slow.sendRaw("X-a: b\r\n");
      QThread::msleep(100);
    }
    // The dribble is cut off: a request must arrive whole within the request timeout.
    bool closed = false;
    while (slowSince.elapsed() < 3000 + 4000 && !closed) {
      if (!slow.sendRaw("X-b: c\r\n"))
        closed = true;
      else
        closed = slow.waitForClose(200);
    }
    QVERIFY2(closed, "the slowloris connection outlived the request timeout");
    QVERIFY(slowSince.elapsed() >= 2500);

    idle.clear();
    for (int i = 0; i < 5; ++i)
      QCOMPARE(httpRequest(f.port(), "GET", "/metrics").status, 200);
  }

  void idleConnectionsAreClosed() {
    ExporterOptions o;
    o.requestTimeout = std::chrono::milliseconds(1500);
    ExporterFixture f(o);
    f.exporter->start();
    HttpConnection conn(f.port());
    QVERIFY(conn.isConnected());
    QElapsedTimer t;
    t.start();
    QVERIFY(conn.waitForClose(1500 + 4000));
  }
};

QTEST_GUILESS_MAIN(TstExporterRobustness)
#include "tst_exporter_robustness.moc"
