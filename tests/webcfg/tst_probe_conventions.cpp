// The Kubernetes probe conventions over ProbeResults: ?verbose text, ?exclude, one check by
// name, the query parser — from results written here and from a HealthManager running real
// checks (a TCP dependency that is listening and one that is not).

#include "healthdeck/checks/tcp_check.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/health/probe_conventions.h"
#include "tests/health/status_compare.h"
#include "tests/support/ports.h"

#include <QTcpServer>
#include <QtTest>

using namespace healthdeck;

namespace {

ComponentResult component(const char* name, Status status, const char* details = "",
                          bool critical = true) {
  ComponentResult c;
  c.component = name;
  c.status = status;
  c.details = details;
  c.critical = critical;
  return c;
}

ProbeResult probe(Probe p, std::vector<ComponentResult> checks) {
  ProbeResult r;
  r.probe = p;
  r.checks = std::move(checks);
  r.status = aggregate(r.checks);
  return r;
}

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

} // namespace

Q_DECLARE_METATYPE(ProbeResult)
Q_DECLARE_METATYPE(ProbeQuery)

class TestProbeConventions : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void kubernetesText_data();
  void kubernetesText();
  void parseQuery_data();
  void parseQuery();
  void excludeReaggregates();
  void selectCheck_data();
  void selectCheck();
  void realChecks();
};

void TestProbeConventions::kubernetesText_data() {
  QTest::addColumn<ProbeResult>("result");
  QTest::addColumn<QString>("query");
  QTest::addColumn<bool>("details");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("body");

  const ProbeResult healthy =
      probe(Probe::Readiness,
            {component("database", Status::Up, "SELECT 1"), component("cache", Status::Up)});
  const ProbeResult failing =
      probe(Probe::Readiness, {component("database", Status::Up, "SELECT 1"),
                               component("cache", Status::Down, "connection refused")});
  const ProbeResult degraded = probe(
      Probe::Readiness, {component("database", Status::Degraded, "answered in 412 ms (> 250 ms)"),
                         component("queue", Status::Down, "1200 queued", false)});
  const ProbeResult live = probe(Probe::Liveness, {component("process", Status::Up)});

  QTest::newRow("passing, terse") << healthy << QString() << false << 200 << QStringLiteral("ok");
  QTest::newRow("passing, verbose")
      << healthy << QStringLiteral("verbose") << false << 200
      << QStringLiteral("[+]database ok\n[+]cache ok\nreadyz check passed\n");
  QTest::newRow("verbose=1 counts as verbose")
      << healthy << QStringLiteral("verbose=1") << false << 200
      << QStringLiteral("[+]database ok\n[+]cache ok\nreadyz check passed\n");
  QTest::newRow("failing lists its checks even without verbose")
      << failing << QString() << false << 503
      << QStringLiteral("[+]database ok\n[-]cache failed: reason withheld\nreadyz check failed\n");
  QTest::newRow("failing, authorized: the reason")
      << failing << QStringLiteral("verbose") << true << 503
      << QStringLiteral(
             "[+]database ok\n[-]cache failed: connection refused\nreadyz check failed\n");
  QTest::newRow("exclude the failing check")
      << failing << QStringLiteral("verbose&exclude=cache") << false << 200
      << QStringLiteral("[+]database ok\n[+]cache excluded: ok\nreadyz check passed\n");
  QTest::newRow("exclude, terse") << failing << QStringLiteral("exclude=cache") << false << 200
                                  << QStringLiteral("ok");
  QTest::newRow("exclude twice, one unknown")
      << failing << QStringLiteral("exclude=database&verbose&exclude=nosuch&exclude=cache") << false
      << 200
      << QStringLiteral(
             "[+]database excluded: ok\n[+]cache excluded: ok\nwarn: some health "
             "checks cannot be excluded: no matches for \"nosuch\"\nreadyz check passed\n");
  QTest::newRow("degraded and non-critical down pass (200)")
      << degraded << QStringLiteral("verbose") << true << 200
      << QStringLiteral("[+]database ok\n[-]queue failed: 1200 queued\nreadyz check passed\n");
  QTest::newRow("liveness says livez") << live << QStringLiteral("verbose") << false << 200
                                       << QStringLiteral("[+]process ok\nlivez check passed\n");
  QTest::newRow("no checks") << probe(Probe::Readiness, {}) << QStringLiteral("verbose") << false
                             << 200 << QStringLiteral("readyz check passed\n");
  QTest::newRow("a reason cannot forge lines")
      << probe(Probe::Readiness, {component("cache", Status::Down, "boom\n[+]cache ok\r\nx")})
      << QString() << true << 503
      << QStringLiteral("[-]cache failed: boom [+]cache ok  x\nreadyz check failed\n");
  QTest::newRow("empty reason, authorized")
      << probe(Probe::Readiness, {component("cache", Status::Down)}) << QString() << true << 503
      << QStringLiteral("[-]cache failed: reason withheld\nreadyz check failed\n");
}

void TestProbeConventions::kubernetesText() {
  QFETCH(ProbeResult, result);
  QFETCH(QString, query);
  QFETCH(bool, details);
  QFETCH(int, status);
  QFETCH(QString, body);
  const TextAnswer answer =
      writeKubernetesText(result, parseProbeQuery(query.toStdString()), details);
  QCOMPARE(answer.httpStatus, status);
  QCOMPARE(qs(answer.body), body);
}

void TestProbeConventions::parseQuery_data() {
  QTest::addColumn<QString>("query");
  QTest::addColumn<bool>("verbose");
  QTest::addColumn<QStringList>("exclude");
  QTest::newRow("empty") << QString() << false << QStringList{};
  QTest::newRow("verbose") << QStringLiteral("verbose") << true << QStringList{};
  QTest::newRow("verbose=false still verbose (presence counts, as in Kubernetes)")
      << QStringLiteral("verbose=false") << true << QStringList{};
  QTest::newRow("excludes in order") << QStringLiteral("exclude=b&exclude=a") << false
                                     << QStringList{QStringLiteral("b"), QStringLiteral("a")};
  QTest::newRow("percent and plus")
      << QStringLiteral("exclude=my%2Dcheck&exclude=a+b") << false
      << QStringList{QStringLiteral("my-check"), QStringLiteral("a b")};
  QTest::newRow("malformed escape drops the pair")
      << QStringLiteral("exclude=%zz&exclude=ok&exclude=%4") << false
      << QStringList{QStringLiteral("ok")};
  QTest::newRow("other parameters and empty pairs")
      << QStringLiteral("&&x=1&verbose&&exclude=") << true << QStringList{QString()};
  QTest::newRow("encoded key") << QStringLiteral("%76erbose") << true << QStringList{};
}

void TestProbeConventions::parseQuery() {
  QFETCH(QString, query);
  QFETCH(bool, verbose);
  QFETCH(QStringList, exclude);
  const ProbeQuery q = parseProbeQuery(query.toStdString());
  QCOMPARE(q.verbose, verbose);
  QStringList got;
  for (const auto& e : q.exclude)
    got << qs(e);
  QCOMPARE(got, exclude);
}

void TestProbeConventions::excludeReaggregates() {
  const ProbeResult r =
      probe(Probe::Readiness, {component("a", Status::Down), component("b", Status::Degraded),
                               component("c", Status::Up)});
  QCOMPARE_STATUS(r.status, Status::Down);
  const Exclusion one = excludeChecks(r, {"a"});
  QCOMPARE_STATUS(one.result.status, Status::Degraded);
  QCOMPARE(one.result.checks.size(), std::size_t(2));
  QCOMPARE(one.excluded, std::vector<std::string>{"a"});
  const Exclusion two = excludeChecks(r, {"b", "x", "a", "x"});
  QCOMPARE_STATUS(two.result.status, Status::Up);
  QCOMPARE(two.excluded, (std::vector<std::string>{"a", "b"}));
  QCOMPARE(two.unmatched, std::vector<std::string>{"x"});
  QCOMPARE(two.result.httpStatus(), 200);
}

void TestProbeConventions::selectCheck_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<bool>("found");
  QTest::addColumn<int>("status");
  QTest::newRow("critical up") << QStringLiteral("database") << true << 200;
  QTest::newRow("non-critical down answers 503 on its own")
      << QStringLiteral("queue") << true << 503;
  QTest::newRow("degraded") << QStringLiteral("cache") << true << 200;
  QTest::newRow("unknown → 404") << QStringLiteral("nosuch") << false << 0;
  QTest::newRow("case matters") << QStringLiteral("Database") << false << 0;
}

void TestProbeConventions::selectCheck() {
  QFETCH(QString, name);
  QFETCH(bool, found);
  QFETCH(int, status);
  const ProbeResult r = probe(Probe::Readiness, {component("database", Status::Up),
                                                 component("queue", Status::Down, "", false),
                                                 component("cache", Status::Degraded)});
  QCOMPARE(r.httpStatus(), 200);
  const auto one = healthdeck::selectCheck(r, name.toStdString());
  QCOMPARE(one.has_value(), found);
  if (!found) return;
  QCOMPARE(one->checks.size(), std::size_t(1));
  QCOMPARE(qs(one->checks[0].component), name);
  QCOMPARE(one->httpStatus(), status);
  QCOMPARE_STATUS(one->probe, Probe::Readiness);
}

void TestProbeConventions::realChecks() {
  // A listening dependency and one whose port nothing listens on.
  QTcpServer listening;
  QVERIFY(listening.listen(QHostAddress::LocalHost));
  const quint16 closed = healthdeck::testing::freePort();
  HealthManager manager(
      HealthManager::Options{std::chrono::milliseconds(2000), std::chrono::milliseconds(0)});
  manager.add(CheckSpec{"database", Probe::Readiness, true, {}, {}},
              std::make_shared<TcpCheck>(TcpCheck::Address{"127.0.0.1", listening.serverPort()}));
  manager.add(CheckSpec{"cache", Probe::Readiness, true, {}, {}},
              std::make_shared<TcpCheck>(TcpCheck::Address{"127.0.0.1", closed}));
  const ProbeResult result = manager.evaluate(Probe::Readiness);

  const TextAnswer withheld = writeKubernetesText(result, parseProbeQuery("verbose"), false);
  QCOMPARE(withheld.httpStatus, 503);
  QCOMPARE(
      qs(withheld.body),
      QStringLiteral("[+]database ok\n[-]cache failed: reason withheld\nreadyz check failed\n"));
  const TextAnswer authorized = writeKubernetesText(result, parseProbeQuery(""), true);
  // Authorized: the check's own reason, whatever words the TCP check uses for it.
  const std::string reason = result.checks[1].details;
  QVERIFY(!reason.empty());
  QCOMPARE(qs(authorized.body), QStringLiteral("[+]database ok\n[-]cache failed: ") + qs(reason) +
                                    QStringLiteral("\nreadyz check failed\n"));
  const TextAnswer excluded = writeKubernetesText(result, parseProbeQuery("exclude=cache"), false);
  QCOMPARE(excluded.httpStatus, 200);
  QCOMPARE(qs(excluded.body), QStringLiteral("ok"));
  QCOMPARE(healthdeck::selectCheck(result, "cache")->httpStatus(), 503);
  QCOMPARE(healthdeck::selectCheck(result, "database")->httpStatus(), 200);
}

QTEST_GUILESS_MAIN(TestProbeConventions)
#include "tst_probe_conventions.moc"
