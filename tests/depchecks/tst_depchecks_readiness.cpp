// The readiness endpoint of a real Exporter backed by config-built dependency checks against
// real servers: a PostgreSQL cluster and redis-server on loopback. Readiness is 200 while
// both answer, 503 naming the failing component with a sentence when one stops, and 200 again
// when it comes back, without restarting anything; a blackhole dependency costs the probe at
// most its timeout; and 50 parallel clients hammering the health routes while Redis flips get
// only well-formed answers, while each dependency sees at most one probe per cache TTL.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/exporter.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/metrics/registry.h"
#include "tests/support/blackhole_listener.h"
#include "tests/support/http_client.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/redis_server.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace healthdeck;
using namespace healthdeck::testing;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> noEnv(const char*) {
  return std::nullopt;
}
std::vector<std::string> noNames() {
  return {};
}

// The exporter and manager a `healthdeck serve` would build from this YAML.
struct Stack {
  explicit Stack(const QByteArray& yaml, const QString& dir) {
    config = parseMonitoringConfig(yaml.toStdString(),
                                   QString(dir + QStringLiteral("/monitoring.yaml")).toStdString(),
                                   noEnv, noNames);
    health = std::make_unique<HealthManager>(
        HealthManager::Options{config.health.timeout, config.health.cacheTtl});
    ExporterOptions options = ExporterOptions::fromConfig(config);
    options.listen = "127.0.0.1:0";
    exporter = std::make_unique<Exporter>(options, registry, *health);
    for (const CheckConfig& c : config.checks)
      health->add(checkSpec(c), buildCheck(c));
    exporter->start();
  }
  quint16 port() const { return static_cast<quint16>(exporter->listeningPort()); }

  MonitoringConfig config;
  metrics::Registry registry;
  std::unique_ptr<HealthManager> health;
  std::unique_ptr<Exporter> exporter;
};

QJsonObject component(const QJsonDocument& doc, const QString& name) {
  for (const QJsonValue& v : doc.object().value(QStringLiteral("checks")).toArray())
    if (v.toObject().value(QStringLiteral("component")).toString() == name) return v.toObject();
  return {};
}

} // namespace

class TestDepchecksReadiness : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void readyWhileDependenciesAnswer();
  void failingDependencyTurnsReadiness503AndBack();
  void blackholeCostsAtMostItsTimeout();
  void concurrentLoadWhileADependencyFlips();

private:
  QByteArray yaml(const QByteArray& extraChecks = {}) const {
    return "monitoring:\n"
           "  health_check:\n"
           "    timeout: 1s\n"
           "    cache_ttl: 200ms\n"
           "  auth:\n"
           "    show_details: always\n"
           "  checks:\n"
           "    - name: database\n"
           "      type: postgres\n"
           "      dsn_file: " +
           QFile::encodeName(m_dsnFile) +
           "\n"
           "      query: SELECT nextval('probe_counter')\n"
           "    - name: cache\n"
           "      type: redis\n"
           "      address: " +
           m_redis.address() +
           "\n"
           "      password_file: " +
           QFile::encodeName(m_redis.passwordFile()) + "\n" + extraChecks;
  }
  long long postgresProbes() {
    return m_pg.psql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM probe_counter")
        .toLongLong();
  }

  RedisServer m_redis;
  PostgresCluster m_pg;
  QTemporaryDir m_dir;
  QString m_dsnFile;
};

void TestDepchecksReadiness::initTestCase() {
  QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
  QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
  QVERIFY(!m_pg.psql("CREATE SEQUENCE probe_counter").isNull());
  m_dsnFile = m_pg.writeDsnFile(QStringLiteral("app.dsn"));
}

void TestDepchecksReadiness::readyWhileDependenciesAnswer() {
  Stack stack(yaml(), m_dir.path());
  const HttpReply reply = httpRequest(stack.port(), "GET", "/health/ready");
  QCOMPARE(reply.status, 200);
  const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
  QCOMPARE(doc.object().value(QStringLiteral("status")).toString(), QStringLiteral("up"));
  QVERIFY(component(doc, QStringLiteral("database"))
              .value(QStringLiteral("details"))
              .toString()
              .startsWith(QStringLiteral("SELECT nextval('probe_counter') in ")));
  QVERIFY(component(doc, QStringLiteral("cache"))
              .value(QStringLiteral("details"))
              .toString()
              .startsWith(QStringLiteral("PONG in ")));
}

void TestDepchecksReadiness::failingDependencyTurnsReadiness503AndBack() {
  Stack stack(yaml(), m_dir.path());
  QCOMPARE(httpRequest(stack.port(), "GET", "/health/ready").status, 200);
  m_redis.stop();
  QTest::qWait(250); // past the cache TTL
  const HttpReply down = httpRequest(stack.port(), "GET", "/health/ready");
  QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
  QCOMPARE(down.status, 503);
  const QJsonDocument doc = QJsonDocument::fromJson(down.body);
  QCOMPARE(doc.object().value(QStringLiteral("status")).toString(), QStringLiteral("down"));
  const QJsonObject cache = component(doc, QStringLiteral("cache"));
  QCOMPARE(cache.value(QStringLiteral("status")).toString(), QStringLiteral("down"));
  const QString sentence = cache.value(QStringLiteral("details")).toString();
  QVERIFY2(sentence.startsWith(QStringLiteral("cannot connect to 127.0.0.1:")) &&
               sentence.contains(QStringLiteral("connection refused")),
           qPrintable(sentence));
  QCOMPARE(component(doc, QStringLiteral("database")).value(QStringLiteral("status")).toString(),
           QStringLiteral("up"));
  // Back without restarting the exporter.
  QTRY_COMPARE_WITH_TIMEOUT(httpRequest(stack.port(), "GET", "/health/ready").status, 200, 5000);
}

void TestDepchecksReadiness::blackholeCostsAtMostItsTimeout() {
  BlackholeListener hole;
  QVERIFY(hole.isListening());
  Stack stack(yaml("    - name: upstream\n"
                   "      type: http\n"
                   "      url: http://127.0.0.1:" +
                   QByteArray::number(hole.port()) +
                   "/health\n"
                   "      timeout: 400ms\n"
                   "    - name: session-store\n"
                   "      type: redis\n"
                   "      critical: false\n"
                   "      timeout: 400ms\n"
                   "      address: 127.0.0.1:" +
                   QByteArray::number(hole.port()) + "\n"),
              m_dir.path());
  for (int i = 0; i < 3; ++i) {
    QElapsedTimer t;
    t.start();
    const HttpReply reply = httpRequest(stack.port(), "GET", "/health/ready", {}, 5000);
    const qint64 took = t.elapsed();
    QCOMPARE(reply.status, 503);
    QVERIFY2(took < 400 + 600, qPrintable(QString::number(took)));
    const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
    for (const QString& name : {QStringLiteral("upstream"), QStringLiteral("session-store")}) {
      const QJsonObject c = component(doc, name);
      QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("down"));
      QVERIFY2(
          c.value(QStringLiteral("details")).toString().startsWith(QStringLiteral("no answer")),
          qPrintable(c.value(QStringLiteral("details")).toString()));
    }
    QCOMPARE(component(doc, QStringLiteral("cache")).value(QStringLiteral("status")).toString(),
             QStringLiteral("up"));
    QTest::qWait(250);
  }
}

void TestDepchecksReadiness::concurrentLoadWhileADependencyFlips() {
  Stack stack(yaml(), m_dir.path());
  QCOMPARE(httpRequest(stack.port(), "GET", "/health/ready").status, 200);
  const long long pgBefore = postgresProbes();
  long long redisPings = -m_redis.commandCalls("ping");

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, unavailable{0}, malformed{0}, summaries{0};
  std::mutex firstProblemMutex;
  QByteArray firstProblem;
  const auto note = [&](const QByteArray& what) {
    malformed.fetch_add(1);
    std::lock_guard lock(firstProblemMutex);
    if (firstProblem.isEmpty()) firstProblem = what;
  };
  std::vector<std::thread> clients;
  QElapsedTimer elapsed;
  elapsed.start();
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&, i] {
      const QByteArray path = i % 5 == 0 ? "/health" : "/health/ready";
      while (!stop.load()) {
        const HttpReply r = httpRequest(stack.port(), "GET", path, {}, 5000);
        const QJsonDocument doc = QJsonDocument::fromJson(r.body);
        const QString status = doc.object().value(QStringLiteral("status")).toString();
        const bool wellFormed = (r.status == 200 && (status == QLatin1String("up") ||
                                                     status == QLatin1String("degraded"))) ||
                                (r.status == 503 && status == QLatin1String("down"));
        if (!wellFormed) {
          note(QByteArray::number(r.status) + ' ' + r.error + ' ' + r.body.left(200));
          continue;
        }
        if (path == "/health") summaries.fetch_add(1);
        (r.status == 200 ? ok : unavailable).fetch_add(1);
      }
    });
  }
  // Flip Redis: down, up, down, up within ~3 s. INFO counters restart with the server, so the
  // pings of each life are read just before it stops.
  for (int flip = 0; flip < 2; ++flip) {
    QTest::qWait(600);
    redisPings += m_redis.commandCalls("ping");
    m_redis.stop();
    QTest::qWait(600);
    QVERIFY2(m_redis.start(), qPrintable(m_redis.error()));
  }
  QTest::qWait(400);
  redisPings += m_redis.commandCalls("ping");
  stop.store(true);
  QElapsedTimer joining;
  joining.start();
  for (auto& t : clients)
    t.join();
  const qint64 ms = elapsed.elapsed();
  const long long pgProbes = postgresProbes() - pgBefore;

  qInfo("%d requests (%d answered 503) from 50 clients in %lld ms: %lld PostgreSQL probes, "
        "%lld Redis pings",
        ok.load() + unavailable.load(), unavailable.load(), static_cast<long long>(ms), pgProbes,
        redisPings);
  QVERIFY2(malformed.load() == 0, firstProblem.constData());
  QVERIFY2(joining.elapsed() < 6000, "a client was stuck"); // each request is bounded by 5 s
  QVERIFY(ok.load() > 50);
  QVERIFY2(unavailable.load() > 0, "the Redis outage was never seen");
  QVERIFY(summaries.load() > 0);
  // At most one probe per 200 ms TTL window (+1 for the window in progress), however many
  // requests arrived: thousands of requests, a few dozen probes.
  const long long windows = ms / 200 + 2;
  QVERIFY2(pgProbes >= 1 && pgProbes <= windows,
           qPrintable(QStringLiteral("%1 PostgreSQL probes in %2 ms, %3 requests")
                          .arg(pgProbes)
                          .arg(ms)
                          .arg(ok.load() + unavailable.load())));
  QVERIFY2(redisPings >= 1 && redisPings <= windows,
           qPrintable(QStringLiteral("%1 Redis pings in %2 ms").arg(redisPings).arg(ms)));
  // Still serving normally afterwards.
  QTRY_COMPARE_WITH_TIMEOUT(httpRequest(stack.port(), "GET", "/health/ready").status, 200, 5000);
}

QTEST_GUILESS_MAIN(TestDepchecksReadiness)
#include "tst_depchecks_readiness.moc"
