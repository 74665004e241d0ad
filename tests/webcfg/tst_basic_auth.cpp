// BasicAuthVerifier against bcrypt hashes made by htpasswd (apache2-utils), the tool the
// exporter-toolkit docs name: right and wrong passwords, unknown users paying bcrypt too, every
// bcrypt prefix, the cache (hits, bounds, failures kept apart) and concurrent callers.

#include "healthdeck/exporter/basic_auth.h"

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <thread>

using namespace healthdeck;

namespace {

std::string htpasswdHash(const char* user, const char* password) {
  QProcess p;
  p.start(QStringLiteral("htpasswd"), {QStringLiteral("-nbBC"), QStringLiteral("4"),
                                       QLatin1String(user), QLatin1String(password)});
  if (!p.waitForFinished(30000) || p.exitCode() != 0) qFatal("htpasswd failed");
  const QByteArray line = p.readAllStandardOutput().trimmed();
  return line.mid(line.indexOf(':') + 1).toStdString();
}

std::string withPrefix(std::string hash, char variant) {
  hash[2] = variant;
  return hash;
}

} // namespace

class TestBasicAuth : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void verify_data();
  void verify();
  void everyBcryptPrefix_data();
  void everyBcryptPrefix();
  void unknownUserPaysBcrypt();
  void cacheAnswersRepeats();
  void failuresCannotEvictSuccesses();
  void cacheIsBounded();
  void concurrentCallersShareOneRun();
  void refusesWhatIsNotBcrypt();
  void noUsersMeansOff();

private:
  std::map<std::string, std::string> m_users;
};

void TestBasicAuth::initTestCase() {
  if (QStandardPaths::findExecutable(QStringLiteral("htpasswd")).isEmpty())
    QFAIL("htpasswd is not installed (apache2-utils, scripts/deps.sh)");
  m_users = {{"alice", htpasswdHash("alice", "wonderland")},
             {"bob", htpasswdHash("bob", "can we fix it?")},
             {"carol", htpasswdHash("carol", "")}};
  QVERIFY(m_users["alice"].rfind("$2y$04$", 0) == 0);
}

void TestBasicAuth::verify_data() {
  QTest::addColumn<QByteArray>("user");
  QTest::addColumn<QByteArray>("password");
  QTest::addColumn<bool>("accepted");
  QTest::newRow("right") << QByteArray("alice") << QByteArray("wonderland") << true;
  QTest::newRow("right, with spaces and ?")
      << QByteArray("bob") << QByteArray("can we fix it?") << true;
  QTest::newRow("empty password set") << QByteArray("carol") << QByteArray("") << true;
  QTest::newRow("wrong password") << QByteArray("alice") << QByteArray("Wonderland") << false;
  QTest::newRow("another user's password")
      << QByteArray("bob") << QByteArray("wonderland") << false;
  QTest::newRow("empty password") << QByteArray("alice") << QByteArray("") << false;
  QTest::newRow("unknown user") << QByteArray("mallory") << QByteArray("wonderland") << false;
  QTest::newRow("user names are case-sensitive")
      << QByteArray("Alice") << QByteArray("wonderland") << false;
  QTest::newRow("empty user") << QByteArray("") << QByteArray("wonderland") << false;
  QTest::newRow("password with a NUL after the right one")
      << QByteArray("alice") << QByteArray("wonderland\0x", 12) << false;
  QTest::newRow("password prefix") << QByteArray("alice") << QByteArray("wonder") << false;
}

void TestBasicAuth::verify() {
  QFETCH(QByteArray, user);
  QFETCH(QByteArray, password);
  QFETCH(bool, accepted);
  const BasicAuthVerifier verifier(m_users);
  const std::string_view u(user.constData(), std::size_t(user.size()));
  const std::string_view p(password.constData(), std::size_t(password.size()));
  QCOMPARE(verifier.verify(u, p), accepted);
  // The cached answer is the same answer.
  QCOMPARE(verifier.verify(u, p), accepted);
}

void TestBasicAuth::everyBcryptPrefix_data() {
  QTest::addColumn<char>("variant");
  // htpasswd writes $2y$, Go's bcrypt $2a$, OpenBSD and libcrypt $2b$: one algorithm for
  // ASCII passwords, and files carry all three.
  QTest::newRow("2y") << 'y';
  QTest::newRow("2b") << 'b';
  QTest::newRow("2a") << 'a';
}

void TestBasicAuth::everyBcryptPrefix() {
  QFETCH(char, variant);
  const BasicAuthVerifier verifier({{"alice", withPrefix(m_users["alice"], variant)}});
  QVERIFY(verifier.verify("alice", "wonderland"));
  QVERIFY(!verifier.verify("alice", "wonderland!"));
}

void TestBasicAuth::unknownUserPaysBcrypt() {
  const BasicAuthVerifier verifier(m_users);
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(0));
  QVERIFY(!verifier.verify("mallory", "x"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(1));
  QVERIFY(!verifier.verify("trudy", "y"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(2));
}

void TestBasicAuth::cacheAnswersRepeats() {
  const BasicAuthVerifier verifier(m_users);
  for (int i = 0; i < 100; ++i)
    QVERIFY(verifier.verify("alice", "wonderland"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(1));
  for (int i = 0; i < 100; ++i)
    QVERIFY(!verifier.verify("alice", "guess"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(2));
  // The key covers user and password together: the same password for another user is new.
  QVERIFY(!verifier.verify("bob", "wonderland"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(3));
}

void TestBasicAuth::failuresCannotEvictSuccesses() {
  const BasicAuthVerifier verifier(m_users, BasicAuthVerifier::Options{4, 2});
  QVERIFY(verifier.verify("alice", "wonderland"));
  for (int i = 0; i < 20; ++i)
    QVERIFY(!verifier.verify("alice", "guess " + std::to_string(i)));
  const std::uint64_t before = verifier.bcryptRuns();
  QCOMPARE(before, std::uint64_t(21));
  QVERIFY(verifier.verify("alice", "wonderland"));
  QCOMPARE(verifier.bcryptRuns(), before);
  // Only the last two failures are remembered.
  QVERIFY(!verifier.verify("alice", "guess 19"));
  QCOMPARE(verifier.bcryptRuns(), before);
  QVERIFY(!verifier.verify("alice", "guess 0"));
  QCOMPARE(verifier.bcryptRuns(), before + 1);
}

void TestBasicAuth::cacheIsBounded() {
  const BasicAuthVerifier verifier(m_users, BasicAuthVerifier::Options{2, 2});
  QVERIFY(verifier.verify("alice", "wonderland"));
  QVERIFY(verifier.verify("bob", "can we fix it?"));
  QVERIFY(verifier.verify("alice", "wonderland")); // alice is now the most recent
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(2));
  QVERIFY(verifier.verify("carol", "")); // evicts bob, the least recently used
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(3));
  QVERIFY(verifier.verify("alice", "wonderland"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(3));
  QVERIFY(verifier.verify("bob", "can we fix it?"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(4));
}

void TestBasicAuth::concurrentCallersShareOneRun() {
  const BasicAuthVerifier verifier(m_users);
  constexpr int kThreads = 8;
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (verifier.verify("alice", "wonderland")) ++accepted;
        if (!verifier.verify(t % 2 ? "bob" : "mallory", "nope")) ++refused;
      }
    });
  for (auto& thread : threads)
    thread.join();
  QCOMPARE(accepted.load(), kThreads * 50);
  QCOMPARE(refused.load(), kThreads * 50);
  // One run per distinct credential pair, however many threads asked at once.
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(3));
}

void TestBasicAuth::refusesWhatIsNotBcrypt() {
  // A SHA-512 crypt hash from the same libcrypt, and a plain password.
  for (const std::string& value : {std::string("$6$salt$abcdefghijklmnopqrstuvwxyz"),
                                   std::string("wonderland"), m_users["alice"].substr(0, 59)}) {
    try {
      BasicAuthVerifier verifier({{"alice", value}});
      QFAIL(value.c_str());
    } catch (const std::invalid_argument& e) {
      QCOMPARE(QString::fromUtf8(e.what()),
               QStringLiteral("basic_auth_users.alice: not a bcrypt hash"));
    }
  }
}

void TestBasicAuth::noUsersMeansOff() {
  const BasicAuthVerifier verifier({});
  QVERIFY(!verifier.enabled());
  QVERIFY(!verifier.verify("alice", "wonderland"));
  QCOMPARE(verifier.bcryptRuns(), std::uint64_t(0));
  QVERIFY(BasicAuthVerifier(m_users).enabled());
}

QTEST_GUILESS_MAIN(TestBasicAuth)
#include "tst_basic_auth.moc"
