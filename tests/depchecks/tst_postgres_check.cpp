// PostgresCheck against a throw-away PostgreSQL cluster (initdb in a temp dir, its own port,
// SCRAM passwords): healthy, one connection kept between runs (pg_stat_activity), wrong
// password, a failing query, refused, the server restarted under a running check, a
// blackhole listener, a slow query (degraded) and a hung one (down within the timeout, and
// cancelled on the server).

#include "healthdeck/checks/postgres_check.h"
#include "healthdeck/health/health_manager.h"
#include "tests/depchecks/depcheck_util.h"
#include "tests/health/status_compare.h"
#include "tests/support/blackhole_listener.h"
#include "tests/support/ports.h"
#include "tests/support/postgres_cluster.h"

#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;
using namespace healthdeck::testing;
using namespace std::chrono_literals;

namespace {} // namespace

class TestPostgresCheck : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void healthy();
  void keepsItsConnection();
  void uriDsn();
  void wrongPassword();
  void queryFails();
  void refused();
  void serverRestartedUnderTheCheck();
  void blackholeTimesOut();
  void slowQueryIsDegraded();
  void hungQueryIsDownAndCancelled();
  void dsnFileMissing();

private:
  std::shared_ptr<HealthCheck> check(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> params{
        {"dsn_file", s(m_pg.writeDsnFile(QStringLiteral("good.dsn")))}};
    for (auto& [k, v] : extra)
      params[k] = v;
    return buildTyped("postgres", params);
  }
  int ourSessions() {
    return m_pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'healthdeck'")
        .toInt();
  }
  PostgresCluster m_pg;
  QTemporaryDir m_dir;
};

void TestPostgresCheck::initTestCase() {
  QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
}

void TestPostgresCheck::healthy() {
  auto c = check();
  const auto r = runWithin(*c, 3s);
  QCOMPARE_STATUS(r.outcome.status, Status::Up);
  QVERIFY2(r.details().startsWith(QStringLiteral("SELECT 1 in ")), qPrintable(r.details()));
}

void TestPostgresCheck::keepsItsConnection() {
  auto c = check();
  QCOMPARE_STATUS(runWithin(*c, 3s).outcome.status, Status::Up);
  const QByteArray pid =
      m_pg.psql("SELECT pid FROM pg_stat_activity WHERE application_name = 'healthdeck'");
  QVERIFY(!pid.isEmpty());
  for (int i = 0; i < 5; ++i)
    QCOMPARE_STATUS(runWithin(*c, 3s).outcome.status, Status::Up);
  QCOMPARE(m_pg.psql("SELECT pid FROM pg_stat_activity WHERE application_name = 'healthdeck'"),
           pid);
  QCOMPARE(static_cast<PostgresCheck&>(*c).connectionsOpened(), 1);
}

void TestPostgresCheck::uriDsn() {
  const QString file = m_dir.filePath(QStringLiteral("uri.dsn"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("postgresql://healthdeck:" + m_pg.password() + "@127.0.0.1:" +
          QByteArray::number(m_pg.port()) + "/postgres?application_name=probe-uri\n");
  f.close();
  auto c = buildTyped("postgres", {{"dsn_file", s(file)}});
  QCOMPARE_STATUS(runWithin(*c, 3s).outcome.status, Status::Up);
  // The DSN's own application_name wins over our fallback.
  QCOMPARE(m_pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                     "'probe-uri'"),
           QByteArray("1"));
}

void TestPostgresCheck::wrongPassword() {
  auto c = buildTyped("postgres",
                      {{"dsn_file", s(m_pg.writeDsnFile(QStringLiteral("bad.dsn"), "nope-pw"))}});
  const auto r = runWithin(*c, 3s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("authentication failed")),
           qPrintable(r.details()));
  QVERIFY2(!r.details().contains(QStringLiteral("nope-pw")), "secret leaked");
}

void TestPostgresCheck::queryFails() {
  auto c = check({{"query", "SELECT * FROM no_such_table"}});
  const auto r = runWithin(*c, 3s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("query failed: ")), qPrintable(r.details()));
  QVERIFY2(r.details().contains(QStringLiteral("42P01")), qPrintable(r.details()));
  // A failing query leaves a healthy connection: it is kept.
  runWithin(*c, 3s);
  QCOMPARE(static_cast<PostgresCheck&>(*c).connectionsOpened(), 1);
}

void TestPostgresCheck::refused() {
  const QString file = m_dir.filePath(QStringLiteral("closed.dsn"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("host=127.0.0.1 port=" + QByteArray::number(freePort()) + " user=x password=y\n");
  f.close();
  auto c = buildTyped("postgres", {{"dsn_file", s(file)}});
  const auto r = runWithin(*c, 3s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("connection refused")), qPrintable(r.details()));
}

void TestPostgresCheck::serverRestartedUnderTheCheck() {
  auto c = check();
  QCOMPARE_STATUS(runWithin(*c, 3s).outcome.status, Status::Up);
  m_pg.stop();
  const auto down = runWithin(*c, 3s);
  QCOMPARE_STATUS(down.outcome.status, Status::Down);
  QVERIFY2(down.details().contains(QStringLiteral("connection refused")),
           qPrintable(down.details()));
  QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
  QCOMPARE_STATUS(runWithin(*c, 3s).outcome.status, Status::Up);
  QCOMPARE(static_cast<PostgresCheck&>(*c).connectionsOpened(), 2);

  // A kept session terminated by the server while idle is replaced within the same run.
  QCOMPARE(m_pg.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                     "application_name = 'healthdeck'"),
           QByteArray("1"));
  const auto again = runWithin(*c, 3s);
  QCOMPARE_STATUS(again.outcome.status, Status::Up);
  QCOMPARE(static_cast<PostgresCheck&>(*c).connectionsOpened(), 3);
}

void TestPostgresCheck::blackholeTimesOut() {
  BlackholeListener hole;
  QVERIFY(hole.isListening());
  const QString file = m_dir.filePath(QStringLiteral("hole.dsn"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("host=127.0.0.1 port=" + QByteArray::number(hole.port()) +
          " user=x password=y sslmode=disable\n");
  f.close();
  auto c = buildTyped("postgres", {{"dsn_file", s(file)}});
  for (int i = 0; i < 2; ++i) {
    const auto r = runWithin(*c, 500ms);
    QCOMPARE_STATUS(r.outcome.status, Status::Down);
    QVERIFY2(r.details().contains(QStringLiteral("no answer")), qPrintable(r.details()));
    QVERIFY2(r.took < 500ms + 500ms, qPrintable(QString::number(r.took.count())));
  }
  QCOMPARE(hole.accepted(), 2);
}

void TestPostgresCheck::slowQueryIsDegraded() {
  HealthManager manager({3000ms, 0ms});
  CheckSpec spec;
  spec.name = "database";
  spec.degradedAfter = 150ms;
  auto c = check({{"query", "SELECT pg_sleep(0.3)"}});
  manager.add(spec, c);
  const ProbeResult r = manager.evaluate(Probe::Readiness);
  QCOMPARE_STATUS(r.checks.at(0).status, Status::Degraded);
  QCOMPARE(r.httpStatus(), 200);
}

void TestPostgresCheck::hungQueryIsDownAndCancelled() {
  auto c = check({{"query", "SELECT pg_sleep(30)"}});
  const auto r = runWithin(*c, 500ms);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("no answer to SELECT pg_sleep(30)")),
           qPrintable(r.details()));
  QVERIFY2(r.took < 500ms + 500ms, qPrintable(QString::number(r.took.count())));
  // The cancel reached the server: no session is left sleeping.
  QTRY_COMPARE_WITH_TIMEOUT(
      m_pg.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' "
                "AND state = 'active'"),
      QByteArray("0"), 5000);
}

void TestPostgresCheck::dsnFileMissing() {
  auto c = buildTyped("postgres", {{"dsn_file", s(m_dir.filePath(QStringLiteral("gone.dsn")))}});
  const auto r = runWithin(*c, 1s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("dsn_file: cannot read")),
           qPrintable(r.details()));
}

QTEST_GUILESS_MAIN(TestPostgresCheck)
#include "tst_postgres_check.moc"
