// Content negotiation, bearer parsing, case-insensitive and constant-time comparison, and
// secret files.

#include "healthdeck/exporter/gzip_encoder.h"
#include "healthdeck/exporter/http_util.h"
#include "tests/support/http_client.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace healthdeck::exporter;

class TstHttpUtil : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void acceptsGzip_data() {
    QTest::addColumn<QString>("header");
    QTest::addColumn<bool>("gzip");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("gzip") << QStringLiteral("gzip") << true;
    QTest::newRow("prometheus") << QStringLiteral("gzip, deflate") << true;
    QTest::newRow("case") << QStringLiteral("GZip") << true;
    QTest::newRow("x-gzip") << QStringLiteral("x-gzip") << true;
    QTest::newRow("identity") << QStringLiteral("identity") << false;
    QTest::newRow("deflate only") << QStringLiteral("deflate, br") << false;
    QTest::newRow("q=0") << QStringLiteral("gzip;q=0") << false;
    QTest::newRow("q=0.000") << QStringLiteral("gzip; q=0.000, identity") << false;
    QTest::newRow("q=0.5") << QStringLiteral("gzip;q=0.5") << true;
    QTest::newRow("Q upper") << QStringLiteral("gzip;Q=0") << false;
    QTest::newRow("star") << QStringLiteral("*") << true;
    QTest::newRow("star q=0") << QStringLiteral("*;q=0") << false;
    QTest::newRow("star but gzip refused") << QStringLiteral("gzip;q=0, *") << false;
    QTest::newRow("gzip beats star refusal") << QStringLiteral("*;q=0, gzip") << true;
    QTest::newRow("bad q refuses") << QStringLiteral("gzip;q=abc") << false;
    QTest::newRow("q above 1 refuses") << QStringLiteral("gzip;q=2") << false;
    QTest::newRow("gzipx is not gzip") << QStringLiteral("gzipx") << false;
    QTest::newRow("spaces") << QStringLiteral("  br ,  gzip ; q=1.0 ") << true;
  }
  void acceptsGzip() {
    QFETCH(QString, header);
    QFETCH(bool, gzip);
    QCOMPARE(healthdeck::exporter::acceptsGzip(header.toStdString()), gzip);
  }

  void acceptsMediaType() {
    QVERIFY(healthdeck::exporter::acceptsMediaType("application/health+json",
                                                   "application/health+json"));
    QVERIFY(healthdeck::exporter::acceptsMediaType("text/html, application/health+json;q=0.9",
                                                   "application/health+json"));
    QVERIFY(!healthdeck::exporter::acceptsMediaType("application/health+json;q=0",
                                                    "application/health+json"));
    QVERIFY(!healthdeck::exporter::acceptsMediaType("application/json", "application/health+json"));
    QVERIFY(!healthdeck::exporter::acceptsMediaType("", "application/health+json"));
  }

  void bearer_data() {
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("token");
    QTest::newRow("plain") << QStringLiteral("Bearer abc") << QStringLiteral("abc");
    QTest::newRow("lower scheme") << QStringLiteral("bearer abc") << QStringLiteral("abc");
    QTest::newRow("spaces") << QStringLiteral("  Bearer   abc  ") << QStringLiteral("abc");
    QTest::newRow("basic") << QStringLiteral("Basic YWJj") << QString();
    QTest::newRow("no token") << QStringLiteral("Bearer") << QString();
    QTest::newRow("glued") << QStringLiteral("Bearerabc") << QString();
    QTest::newRow("empty") << QString() << QString();
  }
  void bearer() {
    QFETCH(QString, header);
    QFETCH(QString, token);
    const std::string h = header.toStdString();
    QCOMPARE(QString::fromStdString(std::string(bearerCredentials(h))), token);
  }

  void caseInsensitive_data() {
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("header name") << QByteArray("Content-Length") << QByteArray("content-length")
                                 << true;
    QTest::newRow("token") << QByteArray("KEEP-ALIVE") << QByteArray("keep-alive") << true;
    QTest::newRow("digits and signs") << QByteArray("x-gzip") << QByteArray("X-GZIP") << true;
    QTest::newRow("different length") << QByteArray("gzip") << QByteArray("gzip2") << false;
    QTest::newRow("different letter") << QByteArray("host") << QByteArray("hosp") << false;
    QTest::newRow("not ASCII case folding")
        << QByteArray("\xc3\xa9") << QByteArray("\xc3\x89") << false; // é vs É
    QTest::newRow("empty") << QByteArray("") << QByteArray("") << true;
  }
  void caseInsensitive() {
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    const std::string_view x(a.constData(), static_cast<std::size_t>(a.size()));
    const std::string_view y(b.constData(), static_cast<std::size_t>(b.size()));
    QCOMPARE(iequals(x, y), equal);
    QCOMPARE(iequals(y, x), equal);
  }
  void constantTime() {
    QVERIFY(constantTimeEquals("secret", "secret"));
    QVERIFY(!constantTimeEquals("secreT", "secret"));
    QVERIFY(!constantTimeEquals("secret1", "secret"));
    QVERIFY(!constantTimeEquals("secre", "secret"));
    QVERIFY(!constantTimeEquals("", "secret"));
    QVERIFY(!constantTimeEquals("secretsecret", "secret")); // wraps around, still refused
    QVERIFY(!constantTimeEquals("", ""));                   // no token is never a match
  }

  void keepAlive() {
    QVERIFY(wantsKeepAlive(nullptr, "1.1"));
    QVERIFY(!wantsKeepAlive(nullptr, "1.0"));
    QVERIFY(wantsKeepAlive("keep-alive", "1.0"));
    QVERIFY(wantsKeepAlive("Keep-Alive", "1.1"));
    QVERIFY(!wantsKeepAlive("close", "1.1"));
    QVERIFY(!wantsKeepAlive("Upgrade", "1.1"));
  }

  void secretFile() {
    QTemporaryDir dir;
    const std::string path = QString(dir.path() + QStringLiteral("/token")).toStdString();
    const auto write = [&](const std::string& content) {
      std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    };
    write("s3cret\n");
    QCOMPARE(readSecretFile(path, "k"), std::string("s3cret"));
    write("s3cret\r\n\r\n");
    QCOMPARE(readSecretFile(path, "k"), std::string("s3cret"));
    write("\n");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readSecretFile(path, "k"));
    write("");
    try {
      readSecretFile(path, "monitoring.auth.bearer_token_file");
      QFAIL("an empty file must be refused");
    } catch (const std::runtime_error& e) {
      QVERIFY(std::string(e.what()).starts_with("monitoring.auth.bearer_token_file: "));
      QVERIFY(std::string(e.what()).find("empty") != std::string::npos);
    }
    write("two\nlines\n");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readSecretFile(path, "k"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readSecretFile(path + ".missing", "k"));
  }

  void gzipRoundTrip() {
    GzipEncoder encoder;
    std::string text;
    for (int i = 0; i < 5000; ++i)
      text += "series_" + std::to_string(i) + "{a=\"b\"} 1\n";
    for (int round = 0; round < 3; ++round) { // the stream is reset and reused
      std::string out = "prefix";
      QVERIFY(encoder.compress(text, out));
      QVERIFY(out.starts_with("prefix"));
      QVERIFY(out.size() < text.size() / 4);
      bool ok = false;
      const QByteArray plain =
          healthdeck::testing::gunzip(QByteArray(out.data() + 6, qsizetype(out.size() - 6)), &ok);
      QVERIFY(ok);
      QCOMPARE(plain.toStdString(), text);
    }
    std::string empty;
    QVERIFY(encoder.compress({}, empty));
    bool ok = false;
    QVERIFY(healthdeck::testing::gunzip(QByteArray::fromStdString(empty), &ok).isEmpty());
    QVERIFY(ok);
  }
};

QTEST_APPLESS_MAIN(TstHttpUtil)
#include "tst_http_util.moc"
