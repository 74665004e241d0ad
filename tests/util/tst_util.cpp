// The shared utilities every layer calls: each rule is a _data() row, so a change of wording or
// acceptance shows up here once instead of in four copies.
#include "healthdeck/util/duration_text.h"
#include "healthdeck/util/host_port.h"
#include "healthdeck/util/parse_bool.h"
#include "healthdeck/util/secret_file.h"
#include "healthdeck/util/utf8.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <fstream>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {
QString q(const std::string& s) {
  return QString::fromStdString(s);
}
} // namespace

class TstUtil : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void secretFile_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("secret"); // empty → error expected
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << QByteArray("s3cret") << QByteArray("s3cret") << QString();
    QTest::newRow("one newline dropped")
        << QByteArray("s3cret\n") << QByteArray("s3cret") << QString();
    QTest::newRow("crlf dropped") << QByteArray("s3cret\r\n") << QByteArray("s3cret") << QString();
    QTest::newRow("only one newline")
        << QByteArray("s3cret\n\n") << QByteArray("s3cret\n") << QString();
    QTest::newRow("spaces kept") << QByteArray(" s3 \n") << QByteArray(" s3 ") << QString();
    QTest::newRow("empty") << QByteArray() << QByteArray() << QStringLiteral("is empty");
    QTest::newRow("only newline") << QByteArray("\n") << QByteArray() << QStringLiteral("is empty");
    QTest::newRow("too large") << QByteArray(64 * 1024 + 1, 'x') << QByteArray()
                               << QStringLiteral("larger than 64 KiB");
    QTest::newRow("exactly the cap")
        << QByteArray(64 * 1024, 'x') << QByteArray(64 * 1024, 'x') << QString();
  }
  void secretFile() {
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, secret);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("secret")).toStdString();
    {
      std::ofstream out(path, std::ios::binary);
      out.write(content.constData(), content.size());
    }
    std::string why;
    const auto read = readSecretFile(path, &why);
    if (error.isEmpty()) {
      QVERIFY2(read, why.c_str());
      QCOMPARE(QByteArray::fromStdString(*read), secret);
    } else {
      QVERIFY(!read);
      QVERIFY2(q(why).contains(error), why.c_str());
      // The content never appears in the message.
      if (content.size() > 3) QVERIFY(!q(why).contains(QString::fromLatin1(content.left(6))));
    }
  }

  void secretFileRefusesSpecialFiles() {
    QTemporaryDir dir;
    const std::string fifo = dir.filePath(QStringLiteral("fifo")).toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    std::string why;
    // Returns at once (no writer ever opens the FIFO): a blocking read would hang this test.
    QVERIFY(!readSecretFile(fifo, &why));
    QVERIFY2(q(why).contains(QStringLiteral("not a regular file (a FIFO)")), why.c_str());
    QVERIFY(!readSecretFile("/dev/zero", &why));
    QVERIFY2(q(why).contains(QStringLiteral("a device")), why.c_str());
    QVERIFY(!readSecretFile(dir.path().toStdString(), &why));
    QVERIFY2(q(why).contains(QStringLiteral("directory")) ||
                 q(why).contains(QStringLiteral("Is a directory"), Qt::CaseInsensitive),
             why.c_str());
    QVERIFY(!readSecretFile(dir.filePath(QStringLiteral("missing")).toStdString(), &why));
    QVERIFY2(q(why).startsWith(QStringLiteral("cannot read ")), why.c_str());
  }

  void hostPort_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("portZero");
    QTest::addColumn<QString>("host"); // empty → error expected
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("ipv6");
    QTest::addColumn<QString>("error");
    const auto ok = [](const char* name, const char* text, const char* host, int port, bool v6,
                       bool zero = false) {
      QTest::newRow(name) << QString::fromUtf8(text) << zero << QString::fromUtf8(host) << port
                          << v6 << QString();
    };
    const auto bad = [](const char* name, const char* text, const char* error, bool zero = false) {
      QTest::newRow(name) << QString::fromUtf8(text) << zero << QString() << 0 << false
                          << QString::fromUtf8(error);
    };
    ok("ipv4", "127.0.0.1:9797", "127.0.0.1", 9797, false);
    ok("name", "db.internal:6379", "db.internal", 6379, false);
    ok("blanks trimmed", "  localhost:80 \n", "localhost", 80, false);
    ok("ipv6", "[::1]:80", "::1", 80, true);
    ok("ipv6 full", "[2001:db8::1]:443", "2001:db8::1", 443, true);
    ok("port zero allowed", "0.0.0.0:0", "0.0.0.0", 0, false, true);
    ok("max port", "h:65535", "h", 65535, false);
    bad("empty", "", "got nothing");
    bad("no port", "localhost", "(the port is missing)");
    bad("empty port", "localhost:", "invalid port ''");
    bad("port zero refused", "localhost:0", "expected 1-65535");
    bad("port too big", "localhost:65536", "invalid port '65536'");
    bad("port text", "localhost:http", "invalid port 'http'");
    bad("port sign", "localhost:+80", "invalid port '+80'");
    bad("no host", ":80", "(the host is missing)");
    bad("bare ipv6", "::1:80", "needs brackets: [::1]:80");
    bad("unclosed bracket", "[::1:80", "expected [IPV6]:PORT");
    bad("bad ipv6", "[zz::1]:80", "'zz::1' is not a valid IPv6 address");
    bad("bad ipv4", "300.1.2.3:80", "'300.1.2.3' is not a valid IPv4 address");
    bad("space in host", "my host:80", "not a valid host name");
    bad("empty label", "a..b:80", "not a valid host name");
  }
  void hostPort() {
    QFETCH(QString, text);
    QFETCH(bool, portZero);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, ipv6);
    QFETCH(QString, error);
    std::string why;
    const auto parsed =
        parseHostPort(text.toStdString(), &why, portZero ? PortZero::Allowed : PortZero::Refused);
    if (host.isEmpty()) {
      QVERIFY(!parsed);
      QVERIFY2(q(why).contains(error), why.c_str());
      return;
    }
    QVERIFY2(parsed, why.c_str());
    QCOMPARE(q(parsed->host), host);
    QCOMPARE(int(parsed->port), port);
    QCOMPARE(parsed->ipv6, ipv6);
    // text() round-trips through the parser.
    const auto again = parseHostPort(parsed->text(), nullptr, PortZero::Allowed);
    QVERIFY(again);
    QCOMPARE(q(again->host), host);
  }

  void utf8_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("firstLength"); // utf8SequenceLength(bytes, 0)
    QTest::newRow("ascii") << QByteArray("hello, world and more") << true << 1;
    QTest::newRow("two bytes") << QByteArray("\xc3\xa9t\xc3\xa9") << true << 2;
    QTest::newRow("three bytes") << QByteArray("\xe2\x82\xac") << true << 3;
    QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80") << true << 4;
    QTest::newRow("long ascii then bad") << QByteArray("abcdefghijklmnop\xff") << false << 1;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false << 0;
    QTest::newRow("overlong two") << QByteArray("\xc0\xaf") << false << 0;
    QTest::newRow("overlong three") << QByteArray("\xe0\x80\xaf") << false << 0;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false << 0;
    QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << false << 0;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false << 0;
    QTest::newRow("bad continuation") << QByteArray("\xe2\x28\xa1") << false << 0;
  }
  void utf8() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QFETCH(int, firstLength);
    const std::string_view view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    QCOMPARE(isValidUtf8(view), valid);
    QCOMPARE(int(utf8SequenceLength(view, 0)), firstLength);
    // Qt's decoder agrees on validity.
    QCOMPARE(QString::fromUtf8(bytes).toUtf8() == bytes, valid);
  }

  void parseBool_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 refused
    for (const char* t : {"true", "TRUE", "yes", "On", " on\t"})
      QTest::newRow(t) << QString::fromUtf8(t) << 1;
    for (const char* t : {"false", "False", "no", "OFF"})
      QTest::newRow(t) << QString::fromUtf8(t) << 0;
    for (const char* t : {"", "1", "0", "y", "enable", "truee", "yes please"})
      QTest::newRow(t[0] ? t : "empty") << QString::fromUtf8(t) << -1;
  }
  void parseBool() {
    QFETCH(QString, text);
    QFETCH(int, expected);
    const auto v = healthdeck::parseBool(text.toStdString());
    QCOMPARE(v.has_value(), expected >= 0);
    if (v) QCOMPARE(int(*v), expected);
  }

  void durations_data() {
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("latency");
    QTest::addColumn<QString>("ago");
    QTest::addColumn<QString>("age");
    const qint64 ms = 1'000'000;
    const qint64 s = 1000 * ms;
    QTest::newRow("150 ns") << 150LL << "150 ns"
                            << "0 s ago"
                            << "0s";
    QTest::newRow("21 us") << 21'000LL << "21 µs"
                           << "0 s ago"
                           << "0s";
    QTest::newRow("300 us") << 300'000LL << "0.3 ms"
                            << "0 s ago"
                            << "0s";
    QTest::newRow("412 ms") << 412 * ms << "412 ms"
                            << "0 s ago"
                            << "412ms";
    QTest::newRow("2 s") << 2 * s << "2 s"
                         << "2 s ago"
                         << "2s";
    QTest::newRow("1.5 s") << 1500 * ms << "1.5 s"
                           << "1 s ago"
                           << "1s";
    QTest::newRow("90 s") << 90 * s << "1.5 min"
                          << "1 min ago"
                          << "1m30s";
    QTest::newRow("10 min") << 600 * s << "10 min"
                            << "10 min ago"
                            << "10m";
    QTest::newRow("2 h") << 7200 * s << "2 h"
                         << "2 h ago"
                         << "2h";
    QTest::newRow("3 d") << 3 * 86400 * s << "3 d"
                         << "3 d ago"
                         << "3d";
    QTest::newRow("negative") << -5 * s << "0 ms"
                              << "0 s ago"
                              << "0s";
  }
  void durations() {
    QFETCH(qint64, ns);
    QFETCH(QString, latency);
    QFETCH(QString, ago);
    QFETCH(QString, age);
    const auto d = std::chrono::nanoseconds(ns);
    QCOMPARE(q(formatLatency(d)), latency);
    QCOMPARE(q(formatAgo(std::chrono::duration_cast<std::chrono::milliseconds>(d))), ago);
    QCOMPARE(q(formatAge(std::chrono::duration_cast<std::chrono::milliseconds>(d))), age);
  }
};

QTEST_GUILESS_MAIN(TstUtil)
#include "tst_util.moc"
