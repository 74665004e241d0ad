// RedisCheck against a real redis-server (with a password) on loopback: healthy, connection
// kept between runs, wrong / missing password, ACL user, SELECT, refused, server restarted
// under a running check, a blackhole listener, a slow server (degraded) and a hung one (down
// within the timeout), and a read-only replica.

#include "healthdeck/checks/redis_check.h"
#include "healthdeck/health/health_manager.h"
#include "tests/depchecks/depcheck_util.h"
#include "tests/health/status_compare.h"
#include "tests/support/blackhole_listener.h"
#include "tests/support/ports.h"
#include "tests/support/redis_server.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace healthdeck;
using namespace healthdeck::testing;
using namespace std::chrono_literals;

namespace {} // namespace

class TestRedisCheck : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void healthy();
  void keepsItsConnection();
  void wrongPassword();
  void missingPassword();
  void aclUser();
  void selectsDatabase();
  void refused();
  void serverRestartedUnderTheCheck();
  void blackholeTimesOut();
  void slowAnswerIsDegraded();
  void hungServerIsDownWithinTimeout();
  void replicaIsDegradedWhenConfigured();
  void loadingIsDownUnlessConfigured();
  void configValidation_data();
  void configValidation();

private:
  std::shared_ptr<HealthCheck> check(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> params{{"address", m_redis.address().toStdString()},
                                              {"password_file", s(m_redis.passwordFile())}};
    for (auto& [k, v] : extra)
      params[k] = v;
    return buildTyped("redis", params);
  }
  RedisServer m_redis;
  QTemporaryDir m_dir;
};

void TestRedisCheck::initTestCase() {
  QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
}

void TestRedisCheck::healthy() {
  auto c = check();
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Up);
  QVERIFY2(r.details().startsWith(QStringLiteral("PONG in ")), qPrintable(r.details()));
}

void TestRedisCheck::keepsItsConnection() {
  auto c = check();
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  const long long pingsBefore = m_redis.commandCalls("ping");
  const long long before = m_redis.connectionsReceived();
  QVERIFY(before > 0);
  for (int i = 0; i < 5; ++i)
    QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  // The server counted exactly one more connection: the one connectionsReceived() opened.
  QCOMPARE(m_redis.connectionsReceived() - before, 1LL);
  QCOMPARE(m_redis.commandCalls("ping") - pingsBefore, 5LL);
  QCOMPARE(static_cast<RedisCheck&>(*c).connectionsOpened(), 1);
}

void TestRedisCheck::wrongPassword() {
  const QString file = m_dir.filePath(QStringLiteral("wrong.password"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("not-the-password\n");
  f.close();
  auto c = check({{"password_file", s(file)}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("WRONGPASS")), qPrintable(r.details()));
  QVERIFY2(!r.details().contains(QStringLiteral("not-the-password")), "secret leaked");
}

void TestRedisCheck::missingPassword() {
  auto c = buildTyped("redis", {{"address", m_redis.address().toStdString()}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("NOAUTH")), qPrintable(r.details()));
}

void TestRedisCheck::aclUser() {
  QCOMPARE(m_redis.command(
               {"ACL", "SETUSER", "prober", "on", ">prober-pw", "+ping", "+select", "allkeys"}),
           QByteArray("OK"));
  const QString good = m_dir.filePath(QStringLiteral("prober.password"));
  QFile f(good);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("prober-pw");
  f.close();
  auto c = check({{"username", "prober"}, {"password_file", s(good)}});
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);

  auto wrongUser = check({{"username", "nobody"}, {"password_file", s(good)}});
  const auto r = runWithin(*wrongUser, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("WRONGPASS")), qPrintable(r.details()));
  QVERIFY2(r.details().contains(QStringLiteral("nobody")), qPrintable(r.details()));
}

void TestRedisCheck::selectsDatabase() {
  auto c = check({{"db", "3"}});
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  auto bad = check({{"db", "999"}});
  const auto r = runWithin(*bad, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("SELECT")), qPrintable(r.details()));
}

void TestRedisCheck::refused() {
  auto c = buildTyped("redis", {{"address", "127.0.0.1:" + std::to_string(freePort())}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("connection refused")), qPrintable(r.details()));
  QVERIFY(r.took < 1500ms);
}

void TestRedisCheck::serverRestartedUnderTheCheck() {
  auto c = check();
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  m_redis.stop();
  const auto down = runWithin(*c, 2s);
  QCOMPARE_STATUS(down.outcome.status, Status::Down);
  QVERIFY2(down.details().contains(QStringLiteral("connection refused")),
           qPrintable(down.details()));
  QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
  const auto up = runWithin(*c, 2s);
  QCOMPARE_STATUS(up.outcome.status, Status::Up);
  QCOMPARE(static_cast<RedisCheck&>(*c).connectionsOpened(), 2);

  // A kept connection the server drops while idle is replaced within the same run.
  QVERIFY(!m_redis.command({"CLIENT", "KILL", "TYPE", "normal"}).isEmpty());
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  QCOMPARE(static_cast<RedisCheck&>(*c).connectionsOpened(), 3);
}

void TestRedisCheck::blackholeTimesOut() {
  BlackholeListener hole;
  QVERIFY(hole.isListening());
  auto c = buildTyped("redis", {{"address", "127.0.0.1:" + std::to_string(hole.port())},
                                {"password_file", s(m_redis.passwordFile())}});
  for (int i = 0; i < 2; ++i) {
    const auto r = runWithin(*c, 500ms);
    QCOMPARE_STATUS(r.outcome.status, Status::Down);
    QVERIFY2(r.details().contains(QStringLiteral("no answer")), qPrintable(r.details()));
    QVERIFY2(r.took < 500ms + 500ms, qPrintable(QString::number(r.took.count())));
  }
  QCOMPARE(hole.accepted(), 2); // the timed-out connection is dropped, a new one tried
}

void TestRedisCheck::slowAnswerIsDegraded() {
  HealthManager manager({2000ms, 0ms});
  CheckSpec spec;
  spec.name = "cache";
  spec.degradedAfter = 150ms;
  manager.add(spec, check());
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Up);
  std::thread sleeper([this] { m_redis.command({"DEBUG", "SLEEP", "0.8"}); });
  QTest::qWait(200); // DEBUG SLEEP has reached the server
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  sleeper.join();
  QCOMPARE_STATUS(r.checks.at(0).status, Status::Degraded);
  QCOMPARE_STATUS(r.status, Status::Degraded);
  QCOMPARE_STATUS(manager.evaluate(Probe::Readiness).status, Status::Up);
}

void TestRedisCheck::hungServerIsDownWithinTimeout() {
  auto c = check();
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  std::thread sleeper([this] { m_redis.command({"DEBUG", "SLEEP", "1.5"}); });
  QTest::qWait(200);
  const auto r = runWithin(*c, 400ms);
  sleeper.join();
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("no answer to PING")), qPrintable(r.details()));
  QVERIFY2(r.took < 400ms + 500ms, qPrintable(QString::number(r.took.count())));
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up); // reconnects
}

void TestRedisCheck::replicaIsDegradedWhenConfigured() {
  auto plain = check();
  auto strict = check({{"degrade_on_replica", "true"}});
  QCOMPARE_STATUS(runWithin(*strict, 2s).outcome.status, Status::Up);
  // A replica of an unreachable master still answers PING, read-only.
  QCOMPARE(m_redis.command({"REPLICAOF", "127.0.0.1", QByteArray::number(freePort())}),
           QByteArray("OK"));
  const auto r = runWithin(*strict, 2s);
  const auto p = runWithin(*plain, 2s);
  QCOMPARE(m_redis.command({"REPLICAOF", "NO", "ONE"}), QByteArray("OK"));
  QCOMPARE_STATUS(r.outcome.status, Status::Degraded);
  QVERIFY2(r.details().contains(QStringLiteral("replica")), qPrintable(r.details()));
  QCOMPARE_STATUS(p.outcome.status, Status::Up);
}

void TestRedisCheck::loadingIsDownUnlessConfigured() {
  auto plain = check();
  auto lenient = check({{"degrade_on_loading", "true"}});
  auto fresh = check();
  QCOMPARE_STATUS(runWithin(*plain, 2s).outcome.status, Status::Up);
  QCOMPARE_STATUS(runWithin(*lenient, 2s).outcome.status, Status::Up);
  // A slow reload that answers other clients while it loads: 2000 keys at 1 ms each, events
  // processed every KiB read.
  QCOMPARE(m_redis.command({"DEBUG", "POPULATE", "2000", "loadtest", "100"}), QByteArray("OK"));
  QCOMPARE(m_redis.command({"CONFIG", "SET", "key-load-delay", "1000"}), QByteArray("OK"));
  QCOMPARE(m_redis.command({"CONFIG", "SET", "loading-process-events-interval-bytes", "1024"}),
           QByteArray("OK"));
  QByteArray reloaded;
  std::thread reloader([&] { reloaded = m_redis.command({"DEBUG", "RELOAD"}, 15000); });
  QTest::qWait(300);
  const auto p = runWithin(*plain, 1s);
  const auto l = runWithin(*lenient, 1s);
  const auto f = runWithin(*fresh, 1s);
  reloader.join();
  m_redis.command({"CONFIG", "SET", "key-load-delay", "0"});
  m_redis.command({"FLUSHALL"});
  QCOMPARE(reloaded, QByteArray("OK"));
  QCOMPARE_STATUS(p.outcome.status, Status::Down);
  QCOMPARE(p.details(), QStringLiteral("loading its dataset into memory (LOADING)"));
  QCOMPARE_STATUS(l.outcome.status, Status::Degraded);
  QCOMPARE_STATUS(f.outcome.status, Status::Down); // a new connection sees it too
  QVERIFY2(f.details().contains(QStringLiteral("LOADING")), qPrintable(f.details()));
  QCOMPARE_STATUS(runWithin(*plain, 2s).outcome.status, Status::Up);
}

void TestRedisCheck::configValidation_data() {
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("value");
  QTest::addColumn<QString>("error");
  QTest::newRow("no port") << QStringLiteral("address") << QStringLiteral("localhost")
                           << QStringLiteral("port is missing");
  QTest::newRow("negative db") << QStringLiteral("db") << QStringLiteral("-1")
                               << QStringLiteral("database number");
  QTest::newRow("user without password")
      << QStringLiteral("username") << QStringLiteral("prober") << QStringLiteral("password_file");
  QTest::newRow("inline password")
      << QStringLiteral("password") << QStringLiteral("x") << QStringLiteral("unknown key");
}

void TestRedisCheck::configValidation() {
  QFETCH(QString, key);
  QFETCH(QString, value);
  QFETCH(QString, error);
  std::map<std::string, std::string> params{{"address", "127.0.0.1:6379"}};
  params[s(key)] = s(value);
  try {
    buildTyped("redis", params);
    QFAIL("accepted");
  } catch (const ConfigError& e) {
    QVERIFY2(QString::fromStdString(e.what()).contains(error), e.what());
  }
  // And a redis check is an outside service: refused on liveness.
  try {
    buildTyped("redis", {{"address", "127.0.0.1:6379"}}, Probe::Liveness);
    QFAIL("liveness accepted");
  } catch (const ConfigError& e) {
    QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("allow_liveness")), e.what());
  }
}

QTEST_GUILESS_MAIN(TestRedisCheck)
#include "tst_redis_check.moc"
