// parseRequestHead on its own: what it extracts from a valid head, that a head arriving one
// byte at a time stays Incomplete until its empty line and then agrees with the whole, the
// size limits, and the query decoder.

#include "healthdeck/exporter/http_request.h"

#include <QtTest>

#include <string>

using namespace healthdeck::exporter;

class TstHttpRequest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void extracts() {
    const std::string raw = "GET /metrics?a=1&b HTTP/1.1\r\nHost: h:1\r\nAccept-Encoding:  gzip \t"
                            "\r\nConnection: close\r\n\r\nGET /next";
    RequestHead h;
    const ParseResult r = parseRequestHead(raw, h, 8192);
    QCOMPARE(int(r.state), int(ParseState::Complete));
    QCOMPARE(r.consumed, raw.find("GET /next"));
    QCOMPARE(h.method, std::string_view("GET"));
    QCOMPARE(int(h.kind), int(MethodKind::Get));
    QCOMPARE(h.path, std::string_view("/metrics"));
    QCOMPARE(h.query, std::string_view("a=1&b"));
    QCOMPARE(h.versionMinor, 1);
    QCOMPARE(h.field("accept-encoding"), std::string_view("gzip"));
    QCOMPARE(h.field("HOST"), std::string_view("h:1"));
    QVERIFY(!h.keepAlive);
    QVERIFY(!h.hasBody);
    QVERIFY(!h.has("authorization"));
  }

  void byteByByte_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("state");
    QTest::newRow("valid") << QByteArray("GET /m HTTP/1.1\r\nHost: a\r\nX: y\r\n\r\n")
                           << int(ParseState::Complete);
    QTest::newRow("absolute") << QByteArray("HEAD http://a:1/m?q HTTP/1.1\r\nHost: a\r\n\r\n")
                              << int(ParseState::Complete);
    QTest::newRow("cl+te") << QByteArray(
                                  "GET /m HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-"
                                  "Encoding: chunked\r\n\r\n")
                           << int(ParseState::Invalid);
    QTest::newRow("fold") << QByteArray("GET /m HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n")
                          << int(ParseState::Invalid);
  }
  void byteByByte() {
    QFETCH(QByteArray, raw);
    QFETCH(int, state);
    const std::string whole = raw.toStdString();
    RequestHead h;
    for (std::size_t n = 0; n < whole.size(); ++n) {
      const ParseResult r = parseRequestHead(std::string_view(whole).substr(0, n), h, 8192);
      QCOMPARE(int(r.state), int(ParseState::Incomplete));
    }
    const ParseResult r = parseRequestHead(whole, h, 8192);
    QCOMPARE(int(r.state), state);
    if (state == int(ParseState::Complete)) QCOMPARE(r.consumed, whole.size());
  }

  void limits() {
    RequestHead h;
    const std::string line = "GET /" + std::string(200, 'a');
    QCOMPARE(parseRequestHead(line, h, 100).status, 414);
    const std::string fields = "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(200, 'b');
    QCOMPARE(parseRequestHead(fields, h, 100).status, 431);
    const std::string complete = fields + "\r\n\r\n";
    QCOMPARE(parseRequestHead(complete, h, 100).status, 431);
    QCOMPARE(int(parseRequestHead(complete, h, 1000).state), int(ParseState::Complete));
  }

  void query_data() {
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("pairs");
    QTest::newRow("plain") << QByteArray("verbose&exclude=db&exclude=cache")
                           << QStringList{QStringLiteral("verbose="), QStringLiteral("exclude=db"),
                                          QStringLiteral("exclude=cache")};
    QTest::newRow("escaped") << QByteArray("exclude=a%2Fb&x=%zz&&y=1")
                             << QStringList{QStringLiteral("exclude=a/b"), QStringLiteral("y=1")};
    QTest::newRow("truncated escape") << QByteArray("a=%4") << QStringList{};
  }
  void query() {
    QFETCH(QByteArray, query);
    QFETCH(QStringList, pairs);
    QStringList got;
    forEachQueryParameter(std::string_view(query.constData(), std::size_t(query.size())),
                          [&](std::string_view n, std::string_view v) {
                            got << QString::fromUtf8(n.data(), qsizetype(n.size())) +
                                       QLatin1Char('=') +
                                       QString::fromUtf8(v.data(), qsizetype(v.size()));
                          });
    QCOMPARE(got, pairs);
  }
};

QTEST_GUILESS_MAIN(TstHttpRequest)
#include "tst_http_request.moc"
