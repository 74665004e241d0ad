// The Prometheus source against a real Prometheus (Debian package) that scrapes a fleet of
// 1,031 targets from a file_sd file, served by four `healthdeck serve` processes (targets made
// distinct by their `instance` label): "api" (healthy), "db" (a critical tcp check to a closed
// port: down), "cache" (disk below its warning level: degraded), "edge" (healthy, stopped
// during the test) and one "edge" target on a closed port. The source's targets, states and
// components must agree with what Prometheus itself answers for `up` and
// `health_check_status`; a stopped exporter turns its targets unreachable after the next
// scrape; a stopped Prometheus turns the source's targets stale, not down. `healthdeck fleet`
// is run against the same server for its exit codes and JSON.

#include "healthdeck/client/source/prometheus_source.h"
#include "tests/support/canned_http_server.h"
#include "tests/support/ports.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/serve_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace healthdeck;
using namespace healthdeck::testing;

namespace {

struct Job {
  const char* name;
  int targets;
  const char* checks; ///< YAML of the exporter's checks
  const char* interval;
};

// api: healthy; db: a critical dependency refuses connections; cache: degraded disk; edge:
// healthy, scraped every second (stopped in the test).
constexpr Job kJobs[] = {
    {"api", 600, "    - {name: disk, type: disk, path: /, min_free_percent: 0}\n", "5s"},
    {"db", 350,
     "    - {name: disk, type: disk, path: /, min_free_percent: 0}\n"
     "    - {name: upstream, type: tcp, address: \"127.0.0.1:%CLOSED%\", critical: true}\n",
     "5s"},
    {"cache", 20,
     "    - {name: disk, type: disk, path: /, min_free_percent: 0, warn_free_percent: 100}\n",
     "5s"},
    {"edge", 60, "    - {name: disk, type: disk, path: /, min_free_percent: 0}\n", "1s"},
};
constexpr int kTotal = 600 + 350 + 20 + 60 + 1; // + the edge target on a closed port

QString instanceName(const char* job, int i) {
  return QStringLiteral("%1-%2").arg(QLatin1String(job)).arg(i, 4, 10, QLatin1Char('0'));
}

QString key(const QString& job, const QString& instance) {
  return job + QLatin1Char('/') + instance;
}

struct CliResult {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

CliResult runCli(const QStringList& args) {
  QProcess p;
  p.start(ServeProcess::binary(), QStringList{QStringLiteral("fleet")} + args);
  CliResult r;
  if (!p.waitForFinished(60000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

} // namespace

class TstPrometheusSource : public QObject {
  Q_OBJECT

  PrometheusServer m_prom;
  std::vector<std::unique_ptr<ServeProcess>> m_exporters; // index as kJobs
  quint16 m_closedPort = 0;

  PrometheusSourceConfig sourceConfig(const QString& selector = {}) const {
    PrometheusSourceConfig c;
    c.connection.id = QStringLiteral("prom");
    c.connection.name = QStringLiteral("Lab");
    c.connection.baseUrl = QUrl(m_prom.url());
    c.connection.timeout = std::chrono::milliseconds(20000);
    c.selector = selector;
    return c;
  }

  /// One refresh cycle, waited for.
  static bool refreshOnce(PrometheusSource& source) {
    QSignalSpy done(&source, &PrometheusSource::refreshed);
    source.refresh();
    return done.wait(30000);
  }

  /// What Prometheus itself says, keyed by job/instance: `up`, and the components at 1.
  QHash<QString, double> promUp() const {
    QHash<QString, double> out;
    for (const auto& v : m_prom.query(QStringLiteral("up"))) {
      const QJsonObject m = v.toObject().value(QStringLiteral("metric")).toObject();
      out.insert(key(m.value(QStringLiteral("job")).toString(),
                     m.value(QStringLiteral("instance")).toString()),
                 v.toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble());
    }
    return out;
  }
  QHash<QString, QSet<QString>> promComponents() const {
    QHash<QString, QSet<QString>> out;
    for (const auto& v : m_prom.query(QStringLiteral("health_check_status == 1"))) {
      const QJsonObject m = v.toObject().value(QStringLiteral("metric")).toObject();
      out[key(m.value(QStringLiteral("job")).toString(),
              m.value(QStringLiteral("instance")).toString())]
          .insert(m.value(QStringLiteral("probe")).toString() + QLatin1Char('/') +
                  m.value(QStringLiteral("component")).toString() + QLatin1Char('=') +
                  m.value(QStringLiteral("status")).toString());
    }
    return out;
  }

  /// Empty when the source agrees with Prometheus on every target; else the first mismatch.
  QString disagreement(const PrometheusSource& source) const {
    const auto up = promUp();
    const auto components = promComponents();
    if (static_cast<int>(source.targets().size()) != up.size())
      return QStringLiteral("%1 targets in the source, %2 up series")
          .arg(source.targets().size())
          .arg(up.size());
    for (const auto& t : source.targets()) {
      const QString k = key(t.job, t.instance);
      if (!up.contains(k)) return QStringLiteral("no up series for ") + k;
      if (!t.up || *t.up != up.value(k)) return QStringLiteral("up differs for ") + k;
      QSet<QString> mine;
      for (const auto& c : t.components)
        mine.insert(c.probe + QLatin1Char('/') + c.component + QLatin1Char('=') + c.status);
      if (mine != components.value(k)) return QStringLiteral("components differ for ") + k;
      TargetState expected = TargetState::Up;
      if (up.value(k) < 0.5) {
        expected = TargetState::Unreachable;
        if (t.snapshot.sentence != t.lastError || t.lastError.isEmpty())
          return QStringLiteral("sentence of %1 is not Prometheus's last error: %2")
              .arg(k, t.snapshot.sentence);
      } else {
        for (const QString& c : mine) {
          if (c.endsWith(QLatin1String("=down")))
            expected = TargetState::Down;
          else if (c.endsWith(QLatin1String("=degraded")) && expected == TargetState::Up)
            expected = TargetState::Degraded;
        }
      }
      if (t.snapshot.state != expected)
        return QStringLiteral("%1 is %2, Prometheus says %3")
            .arg(k, toString(t.snapshot.state), toString(expected));
    }
    return {};
  }

  bool agreeWithin(PrometheusSource& source, int timeoutMs, QString* why) {
    QElapsedTimer timer;
    timer.start();
    do {
      if (!refreshOnce(source)) {
        *why = QStringLiteral("no refresh");
        return false;
      }
      *why = disagreement(source);
      if (why->isEmpty()) return true;
      QTest::qWait(500);
    } while (timer.elapsed() < timeoutMs);
    return false;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(!PrometheusServer::binary().isEmpty(),
             "prometheus not installed (scripts/deps.sh installs it)");
    QVERIFY2(!ServeProcess::binary().isEmpty(), "HEALTHDECK_BINARY not set");
    m_closedPort = freePort();
    QByteArray scrapeConfigs = "scrape_configs:\n";
    for (const Job& job : kJobs) {
      const quint16 port = freePort();
      QByteArray checks = job.checks;
      checks.replace("%CLOSED%", QByteArray::number(m_closedPort));
      const QString cfg =
          writeTextFile(m_prom.dir(), QStringLiteral("%1.yaml").arg(QLatin1String(job.name)),
                        "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(port) +
                            "\n  checks:\n" + checks);
      auto serve = std::make_unique<ServeProcess>();
      QCOMPARE(serve->start({QStringLiteral("--config"), cfg}).size(), 4);
      m_exporters.push_back(std::move(serve));

      QJsonArray groups;
      for (int i = 1; i <= job.targets; ++i)
        groups.append(QJsonObject{
            {QStringLiteral("targets"), QJsonArray{QStringLiteral("127.0.0.1:%1").arg(port)}},
            {QStringLiteral("labels"),
             QJsonObject{{QStringLiteral("instance"), instanceName(job.name, i)},
                         {QStringLiteral("tier"), QStringLiteral("t%1").arg(i % 3)}}}});
      if (QByteArray(job.name) == "edge")
        groups.append(QJsonObject{
            {QStringLiteral("targets"),
             QJsonArray{QStringLiteral("127.0.0.1:%1").arg(m_closedPort)}},
            {QStringLiteral("labels"),
             QJsonObject{{QStringLiteral("instance"), QStringLiteral("edge-closed")}}}});
      const QString sd =
          writeTextFile(m_prom.dir(), QStringLiteral("%1.json").arg(QLatin1String(job.name)),
                        QJsonDocument(groups).toJson(QJsonDocument::Compact));
      const QByteArray interval = job.interval;
      scrapeConfigs += "  - job_name: " + QByteArray(job.name) +
                       "\n    scrape_interval: " + interval + "\n    scrape_timeout: " + interval +
                       "\n    file_sd_configs:\n      - files: ['" + sd.toUtf8() + "']\n";
    }
    QString error =
        m_prom.start("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n" + scrapeConfigs);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // Until Prometheus has scraped every target at least once.
    QElapsedTimer timer;
    timer.start();
    int scraped = 0;
    while (timer.elapsed() < 60000) {
      scraped = 0;
      const QJsonArray targets = m_prom.activeTargets();
      for (const auto& t : targets)
        if (t.toObject().value(QStringLiteral("health")).toString() != QLatin1String("unknown"))
          ++scraped;
      if (targets.size() == kTotal && scraped == kTotal) break;
      QTest::qWait(500);
    }
    QCOMPARE(scraped, kTotal);
  }

  void targetsStatesAndComponentsAgreeWithPrometheus() {
    PrometheusSource::Options options;
    options.uptimeEvery = 1;
    options.rangeEvery = 1;
    PrometheusSource source(sourceConfig(), options);
    QVERIFY(source.valid());
    QSignalSpy changed(&source, &PrometheusSource::targetsChanged);
    QSignalSpy snapshots(&source, &PrometheusSource::snapshotsReady);
    QString why;
    QVERIFY2(agreeWithin(source, 30000, &why), qPrintable(why));
    QVERIFY2(source.status().ok(), qPrintable(source.status().sentence));
    QCOMPARE(static_cast<int>(source.targets().size()), kTotal);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(snapshots.first().first().value<QList<TargetSnapshot>>().size(), kTotal);

    // Batched: the number of requests does not grow with the targets (5 per cycle, 3 uptime,
    // 2 per job for the key metrics).
    QVERIFY2(source.lastCycleRequests() <= 5 + 3 + 2 * 4,
             qPrintable(QString::number(source.lastCycleRequests())));

    QHash<QString, int> perState;
    for (const auto& t : source.targets()) {
      ++perState[t.job + QLatin1Char(':') + toString(t.snapshot.state)];
      QVERIFY(t.id.startsWith(QLatin1String("prom/")));
      QCOMPARE(t.labels.value(QStringLiteral("instance")), t.instance);
      QCOMPARE(t.name, t.instance);
    }
    QCOMPARE(perState.value(QStringLiteral("api:up")), 600);
    QCOMPARE(perState.value(QStringLiteral("db:down")), 350);
    QCOMPARE(perState.value(QStringLiteral("cache:degraded")), 20);
    QCOMPARE(perState.value(QStringLiteral("edge:up")), 60);
    QCOMPARE(perState.value(QStringLiteral("edge:unreachable")), 1);

    const PrometheusTarget* db = source.target(QStringLiteral("prom/db/db-0007"));
    QVERIFY(db);
    QVERIFY2(db->snapshot.sentence.contains(QLatin1String("upstream")),
             qPrintable(db->snapshot.sentence));
    QVERIFY(db->snapshot.readiness);
    const PrometheusTarget* closed = source.target(QStringLiteral("prom/edge/edge-closed"));
    QVERIFY(closed);
    QVERIFY2(closed->snapshot.sentence.contains(QLatin1String("connection refused")),
             qPrintable(closed->snapshot.sentence));
    QCOMPARE(toString(closed->snapshot.error), toString(PollError::ConnectionRefused));

    // Rows: grouped by job, marked with their source.
    const QList<TargetConfig> rows = source.targetConfigs();
    QCOMPARE(rows.size(), kTotal);
    for (const auto& r : rows) {
      QCOMPARE(r.sourceId, QStringLiteral("prom"));
      QVERIFY(r.group.startsWith(QStringLiteral("Lab · ")));
    }
    const auto apiRow = std::find_if(rows.begin(), rows.end(), [](const TargetConfig& r) {
      return r.id == QLatin1String("prom/api/api-0001");
    });
    QVERIFY(apiRow != rows.end());
    QCOMPARE(apiRow->group, QStringLiteral("Lab · api"));
    QCOMPARE(apiRow->baseUrl.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(apiRow->metricsPath, QStringLiteral("/metrics"));

    // Uptime from avg_over_time(up[…]) and key-metric series from query_range (per job: the
    // jobs are known from the second cycle on).
    QVERIFY(refreshOnce(source));
    QCOMPARE(source.lastCycleRequests(), 5 + 3 + 2 * 4);
    // The same figure Prometheus answers (a new scrape may land in between: retry).
    const auto promUptime = [&](const QString& instance) {
      const QJsonArray r =
          m_prom.query(QStringLiteral("avg_over_time(up{instance=\"%1\"}[24h])").arg(instance));
      return r.isEmpty() ? -1.0
                         : r.at(0)
                               .toObject()
                               .value(QStringLiteral("value"))
                               .toArray()
                               .at(1)
                               .toString()
                               .toDouble();
    };
    bool sameUptime = false;
    for (int attempt = 0; attempt < 5 && !sameUptime; ++attempt) {
      if (attempt > 0) QVERIFY(refreshOnce(source));
      const PrometheusTarget* a = source.target(QStringLiteral("prom/api/api-0001"));
      const PrometheusTarget* c = source.target(QStringLiteral("prom/edge/edge-closed"));
      QVERIFY(a && a->uptime24h && a->uptime7d && a->uptime30d && c && c->uptime24h);
      sameUptime = qFuzzyCompare(*a->uptime24h, promUptime(QStringLiteral("api-0001"))) &&
                   *a->uptime24h > 0 && *c->uptime24h == 0.0 &&
                   promUptime(QStringLiteral("edge-closed")) == 0.0;
    }
    QVERIFY(sameUptime);
    const PrometheusTarget* api = source.target(QStringLiteral("prom/api/api-0001"));
    QVERIFY2(!api->keySeries.value(QStringLiteral("rss")).empty(),
             qPrintable(QStringLiteral("no process_resident_memory_bytes range for api-0001; "
                                       "source: ") +
                        source.status().sentence + QLatin1Char(' ') +
                        source.status().warnings.join(QLatin1Char(' '))));
    QVERIFY(api->keySeries.value(QStringLiteral("rss")).front().second > 0);
  }

  // A key-metric range query that fails (here: rejected, as a query limit of Thanos or Mimir
  // would) keeps the last good series instead of blanking them, and says so on the source.
  // Prometheus answers every range query here, so a responder serves its API shapes.
  void failedRangeQueryKeepsTheLastSeries() {
    CannedHttpServer api;
    QVERIFY(api.start());
    const auto json = [](const char* text) {
      CannedHttpServer::Response r;
      r.body = text;
      return r;
    };
    api.setResponse(
        QStringLiteral("/api/v1/targets"),
        json(R"({"status":"success","data":{"activeTargets":[{"discoveredLabels":{"__address__":)"
             R"("a:9","job":"api"},"labels":{"instance":"a:9","job":"api"},"scrapePool":"api",)"
             R"("scrapeUrl":"http://a:9/metrics","globalUrl":"http://a:9/metrics","lastError":"",)"
             R"("lastScrape":"2026-12-03T14:00:00.000Z","lastScrapeDuration":0.01,"health":"up",)"
             R"("scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[]}})"));
    api.setResponse(
        QStringLiteral("/api/v1/query"),
        json(R"({"status":"success","data":{"resultType":"vector","result":[)"
             R"({"metric":{"instance":"a:9","job":"api"},"value":[1764770400,"1"]}]}})"));
    api.setResponse(QStringLiteral("/api/v1/alerts"),
                    json(R"({"status":"success","data":{"alerts":[]}})"));
    api.setResponse(QStringLiteral("/api/v1/query_range"),
                    json(R"({"status":"success","data":{"resultType":"matrix","result":[)"
                         R"({"metric":{"instance":"a:9","job":"api"},)"
                         R"("values":[[1764770340,"100"],[1764770400,"200"]]}]}})"));
    PrometheusSourceConfig config = sourceConfig();
    config.connection.baseUrl = api.baseUrl();
    PrometheusSource::Options options;
    options.rangeEvery = 1;
    PrometheusSource source(config, options);
    QVERIFY(refreshOnce(source)); // learns the jobs
    QVERIFY(refreshOnce(source)); // asks the ranges
    const QString id = QStringLiteral("prom/api/a:9");
    QVERIFY(source.target(id));
    QCOMPARE(source.target(id)->keySeries.value(QStringLiteral("rss")).size(), std::size_t{2});
    QVERIFY(source.status().ok());

    CannedHttpServer::Response rejected = json(
        R"({"status":"error","errorType":"bad_data","error":"query processing would load too many samples"})");
    rejected.status = 422;
    api.setResponse(QStringLiteral("/api/v1/query_range"), rejected);
    QVERIFY(refreshOnce(source));
    QVERIFY(source.target(id));
    QCOMPARE(source.target(id)->keySeries.value(QStringLiteral("rss")).size(), std::size_t{2});
    QCOMPARE(source.target(id)->keySeries.value(QStringLiteral("rss")).back().second, 200.0);
    QVERIFY2(source.status().sentence.contains(QLatin1String("too many samples")),
             qPrintable(source.status().sentence));
    QVERIFY(!source.target(id)->stale); // a failed optional query does not make the rows stale
  }

  void labelFilterSelectsTheSameTargetsAsPrometheus() {
    PrometheusSource source(sourceConfig(QStringLiteral("job=~\"api|cache\", tier!=\"t0\"")));
    QVERIFY(source.valid());
    QVERIFY(refreshOnce(source));
    QVERIFY2(source.status().ok(), qPrintable(source.status().sentence));
    const int expected = m_prom.query(QStringLiteral("count(up{job=~\"api|cache\",tier!=\"t0\"})"))
                             .at(0)
                             .toObject()
                             .value(QStringLiteral("value"))
                             .toArray()
                             .at(1)
                             .toString()
                             .toInt();
    QCOMPARE(expected, 400 + 14); // tier t0 is every third target
    QCOMPARE(static_cast<int>(source.targets().size()), expected);
    for (const auto& t : source.targets())
      QVERIFY(t.job == QLatin1String("api") || t.job == QLatin1String("cache"));

    PrometheusSource bad(sourceConfig(QStringLiteral("job=~\"(unclosed\"")));
    QVERIFY(!bad.valid());
    QVERIFY2(bad.error().contains(QLatin1String("regex")), qPrintable(bad.error()));
  }

  void fleetCommand() {
    const CliResult help = runCli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--prometheus"));
    QCOMPARE(runCli({QStringLiteral("--bogus")}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("--prometheus"), m_prom.url(), QStringLiteral("--format"),
                     QStringLiteral("yaml")})
                 .exitCode,
             2);

    const CliResult api =
        runCli({QStringLiteral("--prometheus"), m_prom.url(), QStringLiteral("--match"),
                QStringLiteral("job=\"api\""), QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(api.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(api.out).object();
    QCOMPARE(root.keys(), QStringList{QStringLiteral("targets")});
    const QJsonArray targets = root.value(QStringLiteral("targets")).toArray();
    QCOMPARE(targets.size(), 600);
    for (const auto& v : targets) {
      const QJsonObject t = v.toObject();
      QCOMPARE(t.keys(),
               (QStringList{QStringLiteral("components"), QStringLiteral("instance"),
                            QStringLiteral("job"), QStringLiteral("labels"), QStringLiteral("name"),
                            QStringLiteral("sentence"), QStringLiteral("state")}));
      QCOMPARE(t.value(QStringLiteral("state")).toString(), QStringLiteral("up"));
      QCOMPARE(t.value(QStringLiteral("job")).toString(), QStringLiteral("api"));
      const QJsonObject labels = t.value(QStringLiteral("labels")).toObject();
      QCOMPARE(labels.value(QStringLiteral("instance")).toString(),
               t.value(QStringLiteral("instance")).toString());
      QVERIFY(labels.contains(QStringLiteral("tier")));
      const QJsonArray components = t.value(QStringLiteral("components")).toArray();
      QVERIFY(!components.isEmpty());
      for (const auto& c : components)
        QCOMPARE(c.toObject().keys(),
                 (QStringList{QStringLiteral("component"), QStringLiteral("probe"),
                              QStringLiteral("status")}));
    }

    QCOMPARE(runCli({QStringLiteral("--prometheus"), m_prom.url(), QStringLiteral("--match"),
                     QStringLiteral("job=~\"api|cache\"")})
                 .exitCode,
             1);
    const CliResult all = runCli({QStringLiteral("--prometheus"), m_prom.url()});
    QCOMPARE(all.exitCode, 2);
    QVERIFY2(all.out.contains(QByteArray(QByteArray::number(kTotal) + " targets:")),
             all.out.right(300).constData());
    QVERIFY(all.out.contains("connection refused"));

    const CliResult noServer = runCli(
        {QStringLiteral("--prometheus"), QStringLiteral("http://127.0.0.1:%1").arg(m_closedPort)});
    QCOMPARE(noServer.exitCode, 3);
    QVERIFY2(noServer.err.contains("unreachable"), noServer.err.constData());
  }

  void stoppedExporterTurnsItsTargetsUnreachable() {
    PrometheusSource source(sourceConfig(QStringLiteral("job=\"edge\"")));
    QVERIFY(refreshOnce(source));
    QCOMPARE(static_cast<int>(source.targets().size()), 61);
    QCOMPARE(m_exporters.back()->stop(SIGTERM), 0);
    // Scraped every second: the next scrape fails, Prometheus says up 0, and so do we.
    QString why;
    QElapsedTimer timer;
    timer.start();
    int unreachable = 0;
    while (timer.elapsed() < 20000) {
      QVERIFY(refreshOnce(source));
      unreachable = 0;
      for (const auto& t : source.targets())
        if (t.snapshot.state == TargetState::Unreachable) ++unreachable;
      if (unreachable == 61) break;
      QTest::qWait(500);
    }
    QCOMPARE(unreachable, 61);
    const QJsonArray promUpEdge = m_prom.query(QStringLiteral("up{job=\"edge\"} == 0"));
    QCOMPARE(promUpEdge.size(), 61);
    const PrometheusTarget* t = source.target(QStringLiteral("prom/edge/edge-0001"));
    QVERIFY(t);
    QVERIFY2(t->snapshot.sentence.contains(QLatin1String("connection refused")),
             qPrintable(t->snapshot.sentence));
    QCOMPARE(runCli({QStringLiteral("--prometheus"), m_prom.url(), QStringLiteral("--match"),
                     QStringLiteral("job=\"edge\"")})
                 .exitCode,
             2);
  }

  void stoppedPrometheusTurnsTargetsStaleNotDown() {
    PrometheusSource source(sourceConfig());
    QVERIFY(refreshOnce(source));
    QVERIFY(source.status().ok());
    QHash<QString, TargetState> before;
    for (const auto& t : source.targets())
      before.insert(t.id, t.snapshot.state);
    QSignalSpy status(&source, &PrometheusSource::statusChanged);
    QSignalSpy snapshots(&source, &PrometheusSource::snapshotsReady);

    m_prom.stop();
    QVERIFY(refreshOnce(source));
    QCOMPARE(toString(source.status().kind), toString(PrometheusSourceStatus::Kind::Unreachable));
    QVERIFY2(source.status().sentence.contains(QLatin1String("unreachable")),
             qPrintable(source.status().sentence));
    QCOMPARE(status.count(), 1);
    QCOMPARE(snapshots.count(), 1);
    QCOMPARE(snapshots.first().first().value<QList<TargetSnapshot>>().size(), kTotal);
    QCOMPARE(static_cast<int>(source.targets().size()), kTotal);
    for (const auto& t : source.targets()) {
      QVERIFY(t.stale);
      QCOMPARE(toString(t.snapshot.state), toString(before.value(t.id)));
      QVERIFY(t.snapshot.sentence.startsWith(QLatin1String("Stale")));
    }
    // A second failed cycle repeats nothing.
    QVERIFY(refreshOnce(source));
    QCOMPARE(snapshots.count(), 1);
    QCOMPARE(status.count(), 1);

    QCOMPARE(runCli({QStringLiteral("--prometheus"), m_prom.url()}).exitCode, 3);
  }

  void cleanupTestCase() {
    m_prom.stop();
    for (auto& e : m_exporters)
      e->stop(SIGTERM);
  }
};

QTEST_GUILESS_MAIN(TstPrometheusSource)
#include "tst_prometheus_source.moc"
