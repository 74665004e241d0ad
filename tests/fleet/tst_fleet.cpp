// The console against a real fleet (issue 10, "Proof against the real programs"). Every server
// is the Debian 12 program itself, started here on a free loopback port with a throw-away
// directory and no systemd; nothing is canned. For each one the suite asserts the state and
// sentence of `healthdeck check` (the real binary, $HEALTHDECK_BINARY, --format json) and of
// the console's own pipeline (the real Poller → TargetStore, with the MetricsHub beside it),
// then stops one dependency each of Redis, node_exporter and etcd and asserts the change.
//
// Expectations are written as issue 10 says the console must read, including rows whose
// reading belongs to the health-document work of the same issue (plain-text and HTML 2xx
// bodies, etcd's {"health":"true"}, 401 realms, "Not found at ..."): a row failing says which
// reading is still missing, with the actual state and sentence.
#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "tests/support/ports.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/program_process.h"
#include "tests/support/redis_server.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <memory>

using namespace healthdeck;
using namespace healthdeck::testing;

namespace {

// How long the console may take to show a change: 1 s polls, two polls through the flap
// filter, the scrape and the worker thread — with room for a loaded machine.
constexpr int kSettleMs = 12000;

QString local(quint16 port, const QString& path = {}) {
  return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
}

QByteArray utf8(const QString& s) {
  return s.toUtf8();
}

struct CheckResult {
  int exitCode = -1;
  QString state;
  QString sentence;
  QString raw;
};

CheckResult runCheck(const QStringList& args) {
  CheckResult r;
  const QString binary = qEnvironmentVariable("HEALTHDECK_BINARY");
  if (binary.isEmpty()) {
    r.raw = QStringLiteral("HEALTHDECK_BINARY is not set");
    return r;
  }
  QProcess p;
  p.start(binary, QStringList{QStringLiteral("check")} + args +
                      QStringList{QStringLiteral("--timeout"), QStringLiteral("3"),
                                  QStringLiteral("--format"), QStringLiteral("json")});
  if (!p.waitForFinished(20000)) {
    p.kill();
    p.waitForFinished();
    r.raw = QStringLiteral("check did not finish");
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  const QByteArray out = p.readAllStandardOutput();
  r.raw = QString::fromUtf8(out + p.readAllStandardError());
  const QJsonObject o = QJsonDocument::fromJson(out).object();
  r.state = o.value(QStringLiteral("state")).toString();
  r.sentence = o.value(QStringLiteral("sentence")).toString();
  return r;
}

} // namespace

class TstFleet : public QObject {
  Q_OBJECT

  // Ports of the fleet.
  quint16 m_prometheus = 0, m_alertmanager = 0, m_pushgateway = 0, m_blackbox = 0, m_node = 0,
          m_etcd = 0, m_etcdPeer = 0, m_redisExporter = 0, m_pgExporter = 0, m_haproxy = 0,
          m_nginx = 0;
  std::map<QString, std::unique_ptr<ProgramProcess>> m_programs;
  std::unique_ptr<RedisServer> m_redis;
  std::unique_ptr<PostgresCluster> m_postgres;

  // The console's pipeline.
  std::unique_ptr<Poller> m_poller;
  std::unique_ptr<TargetStore> m_store;
  std::unique_ptr<MetricsHub> m_hub;
  QElapsedTimer m_wall;
  QHash<QString, int> m_polls; ///< observations per target since the start
  QTemporaryDir m_home;        ///< XDG config/data of the console started for the screenshot
  QList<TargetConfig> m_fleet;

  ProgramProcess& program(const QString& name) {
    auto& p = m_programs[name];
    if (!p) p = std::make_unique<ProgramProcess>(name);
    return *p;
  }

  bool start(const QString& name, const QString& exe, const QStringList& args, quint16 port) {
    ProgramProcess& p = program(name);
    if (p.start(exe, args, port)) return true;
    qWarning("%s", qPrintable(p.error()));
    return false;
  }

  TargetConfig target(const QString& name, quint16 port, const QString& ready,
                      const QString& metrics) {
    TargetConfig t;
    t.id = name;
    t.name = name;
    t.group = QStringLiteral("Fleet");
    t.baseUrl = QUrl(local(port));
    t.readyPath = ready;
    t.livePath.clear();
    t.metricsPath = metrics;
    t.interval = std::chrono::milliseconds(1000);
    t.timeout = std::chrono::milliseconds(2000);
    return t;
  }

  QString shown(const QString& id) const {
    const TargetSnapshot* s = m_store->findSnapshot(id);
    if (!s) return QStringLiteral("(no snapshot)");
    return toString(s->state) % QStringLiteral(": ") % s->sentence;
  }

private Q_SLOTS:
  void initTestCase() {
    m_wall.start();
    // The console of the screenshot keeps its settings and pins here, not in the real home.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    for (quint16* port :
         {&m_prometheus, &m_alertmanager, &m_pushgateway, &m_blackbox, &m_node, &m_etcd,
          &m_etcdPeer, &m_redisExporter, &m_pgExporter, &m_haproxy, &m_nginx}) {
      *port = freePort();
      QVERIFY(*port != 0);
    }

    // nginx: 200, 401 with a realm, 404 — everything under its own prefix, one process.
    ProgramProcess& nginx = program(QStringLiteral("nginx"));
    const QString nd = nginx.workDir();
    QVERIFY(
        !writeFile(nd, QStringLiteral("htpasswd"), "admin:{PLAIN}not-the-password\n").isEmpty());
    const QByteArray nginxConf =
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + utf8(nd) +
        "/nginx.pid;\nerror_log stderr;\nevents { worker_connections 64; }\nhttp {\n"
        "  access_log off;\n  client_body_temp_path " +
        utf8(nd) + "/body;\n  proxy_temp_path " + utf8(nd) + "/proxy;\n  fastcgi_temp_path " +
        utf8(nd) + "/fastcgi;\n  uwsgi_temp_path " + utf8(nd) + "/uwsgi;\n  scgi_temp_path " +
        utf8(nd) + "/scgi;\n  server {\n    listen 127.0.0.1:" + QByteArray::number(m_nginx) +
        ";\n    location = /ok { default_type text/plain; return 200 \"ok\"; }\n"
        "    location = /private { auth_basic \"Healthdeck fleet\"; auth_basic_user_file " +
        utf8(nd) + "/htpasswd; }\n    location / { return 404; }\n  }\n}\n";
    const QString nginxConfPath = writeFile(nd, QStringLiteral("nginx.conf"), nginxConf);
    QVERIFY(start(QStringLiteral("nginx"), QStringLiteral("nginx"),
                  {QStringLiteral("-p"), nd, QStringLiteral("-e"), QStringLiteral("stderr"),
                   QStringLiteral("-c"), nginxConfPath},
                  m_nginx));

    // HAProxy: a monitor-uri and its built-in Prometheus exporter, nginx as the backend.
    ProgramProcess& haproxy = program(QStringLiteral("haproxy"));
    const QByteArray haproxyConf =
        "global\n  log stderr format raw local0 emerg\ndefaults\n  mode http\n"
        "  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\nfrontend main\n"
        "  bind 127.0.0.1:" +
        QByteArray::number(m_haproxy) +
        "\n  monitor-uri /healthz\n"
        "  http-request use-service prometheus-exporter if { path /metrics }\n"
        "  default_backend web\nbackend web\n  server nginx 127.0.0.1:" +
        QByteArray::number(m_nginx) + "\n";
    const QString haproxyConfPath =
        writeFile(haproxy.workDir(), QStringLiteral("haproxy.cfg"), haproxyConf);
    QVERIFY(start(QStringLiteral("haproxy"), QStringLiteral("haproxy"),
                  {QStringLiteral("-db"), QStringLiteral("-f"), haproxyConfPath}, m_haproxy));

    // Prometheus, Alertmanager, Pushgateway, blackbox_exporter, node_exporter.
    ProgramProcess& prom = program(QStringLiteral("prometheus"));
    const QString promConf = writeFile(prom.workDir(), QStringLiteral("prometheus.yml"),
                                       "global:\n  scrape_interval: 15s\n");
    QVERIFY(
        start(QStringLiteral("prometheus"), QStringLiteral("prometheus"),
              {QStringLiteral("--config.file=") + promConf,
               QStringLiteral("--storage.tsdb.path=") + prom.workDir() + QStringLiteral("/data"),
               QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheus)},
              m_prometheus));
    ProgramProcess& am = program(QStringLiteral("alertmanager"));
    const QString amConf = writeFile(am.workDir(), QStringLiteral("alertmanager.yml"),
                                     "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    QVERIFY(start(QStringLiteral("alertmanager"), QStringLiteral("prometheus-alertmanager"),
                  {QStringLiteral("--config.file=") + amConf,
                   QStringLiteral("--storage.path=") + am.workDir() + QStringLiteral("/data"),
                   QStringLiteral("--cluster.listen-address="),
                   QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_alertmanager)},
                  m_alertmanager));
    QVERIFY(start(QStringLiteral("pushgateway"), QStringLiteral("prometheus-pushgateway"),
                  {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_pushgateway)},
                  m_pushgateway));
    ProgramProcess& bb = program(QStringLiteral("blackbox_exporter"));
    const QString bbConf = writeFile(bb.workDir(), QStringLiteral("blackbox.yml"),
                                     "modules:\n  http_2xx:\n    prober: http\n    timeout: 2s\n");
    QVERIFY(start(QStringLiteral("blackbox_exporter"),
                  QStringLiteral("prometheus-blackbox-exporter"),
                  {QStringLiteral("--config.file=") + bbConf,
                   QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_blackbox)},
                  m_blackbox));
    QVERIFY(start(QStringLiteral("node_exporter"), QStringLiteral("prometheus-node-exporter"),
                  {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_node)}, m_node));

    // etcd, one member.
    ProgramProcess& etcd = program(QStringLiteral("etcd"));
    const QString peer = local(m_etcdPeer);
    QVERIFY(start(QStringLiteral("etcd"), QStringLiteral("etcd"),
                  {QStringLiteral("--name=fleet"),
                   QStringLiteral("--data-dir=") + etcd.workDir() + QStringLiteral("/data"),
                   QStringLiteral("--listen-client-urls=") + local(m_etcd),
                   QStringLiteral("--advertise-client-urls=") + local(m_etcd),
                   QStringLiteral("--listen-peer-urls=") + peer,
                   QStringLiteral("--initial-advertise-peer-urls=") + peer,
                   QStringLiteral("--initial-cluster=fleet=") + peer},
                  m_etcd));

    // Redis behind redis_exporter, PostgreSQL behind postgres_exporter.
    m_redis = std::make_unique<RedisServer>(QByteArray());
    QVERIFY2(m_redis->start(), qPrintable(m_redis->error()));
    QVERIFY(
        start(QStringLiteral("redis_exporter"), QStringLiteral("prometheus-redis-exporter"),
              {QStringLiteral("--redis.addr=redis://") + QString::fromLatin1(m_redis->address()),
               QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_redisExporter)},
              m_redisExporter));
    m_postgres = std::make_unique<PostgresCluster>();
    QVERIFY2(m_postgres->start(), qPrintable(m_postgres->error()));
    program(QStringLiteral("postgres_exporter"))
        .environment()
        .insert(QStringLiteral("DATA_SOURCE_NAME"),
                QStringLiteral("postgresql://healthdeck:%1@127.0.0.1:%2/postgres?sslmode=disable")
                    .arg(QString::fromLatin1(m_postgres->password()))
                    .arg(m_postgres->port()));
    QVERIFY(start(
        QStringLiteral("postgres_exporter"), QStringLiteral("prometheus-postgres-exporter"),
        {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_pgExporter)}, m_pgExporter));
    qInfo("fleet started in %lld ms", static_cast<long long>(m_wall.elapsed()));

    // The console's pipeline, polling every server every second.
    m_poller = std::make_unique<Poller>();
    m_store = std::make_unique<TargetStore>();
    m_hub = std::make_unique<MetricsHub>();
    connect(m_poller.get(), &Poller::snapshotReady, m_store.get(), &TargetStore::applySnapshot);
    connect(m_poller.get(), &Poller::snapshotReady, this,
            [this](const TargetSnapshot& s) { ++m_polls[s.targetId]; });
    connect(m_poller.get(), &Poller::metricsReceived, m_hub.get(), &MetricsHub::ingest);
    connect(m_poller.get(), &Poller::metricsFetched, m_hub.get(), &MetricsHub::recordFetch);
    const QString probe = QStringLiteral("/probe?target=") + local(m_nginx, QStringLiteral("/ok")) +
                          QStringLiteral("&module=http_2xx");
    const QList<TargetConfig> fleet = {
        target(QStringLiteral("prometheus"), m_prometheus, QStringLiteral("/-/ready"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("alertmanager"), m_alertmanager, QStringLiteral("/-/ready"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("pushgateway"), m_pushgateway, QStringLiteral("/-/ready"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("blackbox"), m_blackbox, QStringLiteral("/-/healthy"), probe),
        target(QStringLiteral("node"), m_node, QString(), QStringLiteral("/metrics")),
        target(QStringLiteral("etcd"), m_etcd, QStringLiteral("/health"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("redis-metrics"), m_redisExporter, QString(),
               QStringLiteral("/metrics")),
        target(QStringLiteral("redis-health"), m_redisExporter, QStringLiteral("/health"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("postgres"), m_pgExporter, QString(), QStringLiteral("/metrics")),
        target(QStringLiteral("haproxy"), m_haproxy, QStringLiteral("/healthz"),
               QStringLiteral("/metrics")),
        target(QStringLiteral("nginx-ok"), m_nginx, QStringLiteral("/ok"), QString()),
        target(QStringLiteral("nginx-auth"), m_nginx, QStringLiteral("/private"), QString()),
        target(QStringLiteral("nginx-404"), m_nginx, QStringLiteral("/helth"), QString()),
    };
    m_fleet = fleet;
    m_store->setTargets(fleet);
    for (const TargetConfig& t : fleet)
      m_poller->upsertTarget(t);
  }

  void cleanupTestCase() {
    m_poller.reset();
    for (auto& [name, p] : m_programs)
      p->stop();
    if (m_redis) m_redis->stop();
    if (m_postgres) m_postgres->stop();
    qInfo("fleet suite wall time %lld ms", static_cast<long long>(m_wall.elapsed()));
  }

  // What `healthdeck check` says about each server, as an admin would run it.
  void check_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("sentence"); // the sentence contains this
    QTest::addColumn<bool>("settle");      // may take a moment after start (etcd's election)
    const auto row = [](const char* name, QStringList args, int code, const char* state,
                        const QString& sentence) {
      QTest::newRow(name) << args << code << QString::fromLatin1(state) << sentence
                          << QByteArray(name).startsWith("etcd");
    };
    row("Prometheus /-/ready (plain text)", {local(m_prometheus, QStringLiteral("/-/ready"))}, 0,
        "up", QStringLiteral("Prometheus Server is Ready"));
    row("Alertmanager /-/ready", {local(m_alertmanager, QStringLiteral("/-/ready"))}, 0, "up", {});
    row("Pushgateway /-/ready", {local(m_pushgateway, QStringLiteral("/-/ready"))}, 0, "up", {});
    row("blackbox_exporter /-/healthy", {local(m_blackbox, QStringLiteral("/-/healthy"))}, 0, "up",
        {});
    row("etcd /health", {local(m_etcd, QStringLiteral("/health"))}, 0, "up", {});
    row("HAProxy monitor-uri (HTML)", {local(m_haproxy, QStringLiteral("/healthz"))}, 0, "up",
        QStringLiteral("200 OK"));
    row("nginx return 200 \"ok\"", {local(m_nginx, QStringLiteral("/ok"))}, 0, "up", {});
    row("nginx 401 with a realm", {local(m_nginx, QStringLiteral("/private"))}, 2, "unauthorized",
        QStringLiteral("Healthdeck fleet"));
    // A 404 on a server not known to run the module: the grey "disabled" state word, and the
    // sentence says what happened (no separate not-found state yet).
    row("nginx 404", {local(m_nginx, QStringLiteral("/helth"))}, 3, "disabled",
        QStringLiteral("Not found at /helth (HTTP 404)"));
    row("node_exporter --metrics", {local(m_node), QStringLiteral("--metrics")}, 0, "up", {});
    row("redis_exporter --metrics", {local(m_redisExporter), QStringLiteral("--metrics")}, 0, "up",
        {});
    row("postgres_exporter --metrics", {local(m_pgExporter), QStringLiteral("--metrics")}, 0, "up",
        {});
  }
  void check() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, state);
    QFETCH(QString, sentence);
    QFETCH(bool, settle);
    // etcd elects itself leader a moment after it listens: that row gets up to 5 s.
    CheckResult r;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
      r = runCheck(args);
      if (r.exitCode == exitCode || !settle || clock.elapsed() > 5000) break;
      QTest::qWait(500);
    }
    const QString got = QStringLiteral("exit %1, %2: %3\n%4")
                            .arg(r.exitCode)
                            .arg(r.state, r.sentence, r.raw.left(600));
    QVERIFY2(r.exitCode == exitCode, qPrintable(got));
    QVERIFY2(r.state == state, qPrintable(got));
    QVERIFY2(r.sentence.contains(sentence), qPrintable(got));
    QVERIFY2(!r.sentence.contains(QLatin1Char('<')), qPrintable(got)); // never markup
  }

  // What the console shows for each server, fed by the real Poller.
  void console_data() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("sentence"); // the sentence contains this
    const auto row = [](const char* id, const char* state, const char* sentence) {
      QTest::newRow(id) << QString::fromLatin1(id) << QString::fromLatin1(state)
                        << QString::fromUtf8(sentence);
    };
    row("prometheus", "up", "Prometheus Server is Ready");
    row("alertmanager", "up", "");
    row("pushgateway", "up", "");
    row("blackbox", "up", "");
    row("node", "up", "Up: /metrics answers (no up gauges on the page)");
    row("etcd", "up", "");
    row("redis-metrics", "up", "The one component is up");
    row("redis-health", "up", "");
    row("postgres", "up", "The one component is up");
    row("haproxy", "up", "200 OK");
    row("nginx-ok", "up", "");
    row("nginx-auth", "unauthorized", "Healthdeck fleet");
    row("nginx-404", "disabled", "Not found at /helth (HTTP 404)");
  }
  void console() {
    QFETCH(QString, id);
    QFETCH(QString, state);
    QFETCH(QString, sentence);
    const auto matches = [&] {
      const TargetSnapshot* s = m_store->findSnapshot(id);
      return s && toString(s->state) == state && s->sentence.contains(sentence);
    };
    // Every target has been polled every second since the start: a reading that is still
    // wrong after four polls is wrong, and costs no more time than that.
    QTRY_VERIFY_WITH_TIMEOUT(matches() || m_polls.value(id) >= 4, kSettleMs);
    QVERIFY2(matches(), qPrintable(shown(id)));
    QVERIFY2(!m_store->findSnapshot(id)->sentence.contains(QLatin1Char('<')),
             qPrintable(shown(id)));
  }

  // Profiles and up-gauge components of the real pages, as the console derived them.
  void consoleMetrics_data() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("component"); // a metrics-health component, or empty
    QTest::newRow("prometheus") << "prometheus"
                                << "Prometheus server"
                                << "";
    QTest::newRow("alertmanager") << "alertmanager"
                                  << "Alertmanager"
                                  << "";
    QTest::newRow("blackbox /probe") << "blackbox"
                                     << "blackbox_exporter"
                                     << "probe_success";
    QTest::newRow("node") << "node"
                          << "node_exporter"
                          << "";
    QTest::newRow("etcd") << "etcd"
                          << "etcd"
                          << "etcd_server_has_leader";
    QTest::newRow("redis") << "redis-metrics"
                           << "redis_exporter"
                           << "redis_up";
    QTest::newRow("postgres") << "postgres"
                              << "postgres_exporter"
                              << "pg_up";
    QTest::newRow("haproxy") << "haproxy"
                             << "HAProxy"
                             << "";
  }
  void consoleMetrics() {
    QFETCH(QString, id);
    QFETCH(QString, profile);
    QFETCH(QString, component);
    QTRY_VERIFY_WITH_TIMEOUT(m_hub->state(id) && !m_hub->state(id)->status.profile.empty(),
                             kSettleMs);
    QCOMPARE(QString::fromStdString(m_hub->state(id)->status.profile), profile);
    QVERIFY(!m_hub->state(id)->metrics.empty());
    QCOMPARE(m_hub->statusSentence(id, QDateTime::currentDateTimeUtc()), QString());
    if (component.isEmpty()) return;
    const auto has = [&] {
      const TargetSnapshot* s = m_store->findSnapshot(id);
      if (!s || !s->metricsHealth) return false;
      for (const HealthComponent& c : s->metricsHealth->components)
        if (c.name == component && c.status == Status::Up) return true;
      return false;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(has(), qPrintable(shown(id)), kSettleMs);
  }

  // Rates are taken over a window of the console's own scrapes. HAProxy counts every request
  // its frontend takes: the console alone sends it two a second (/healthz and /metrics), so
  // its request rate must read about 2/s — never 0/s between scrapes.
  void consoleRates() {
    const auto rate = [&](const QString& id, const QString& metric) -> double {
      const auto* st = m_hub->state(id);
      if (!st) return client::kNoValue;
      for (const auto& m : st->metrics)
        if (m.id == metric) return m.value;
      return client::kNoValue;
    };
    const QString haproxy = QStringLiteral("haproxy");
    const QString requests = QStringLiteral("requests");
    QTRY_VERIFY_WITH_TIMEOUT(rate(haproxy, requests) > 0.5, kSettleMs);
    // Other rows of this suite (`healthdeck check` runs) hit HAProxy too, so the rate may be well
    // above 2/s; it must still be a per-second rate, not the frontend's cumulative count.
    QVERIFY2(rate(haproxy, requests) < 100.0, qPrintable(QString::number(rate(haproxy, requests))));
    // node_exporter's CPU share needs two of its scrapes: wait for it, then bound it.
    const auto cpu = [&] { return rate(QStringLiteral("node"), QStringLiteral("cpu_busy")); };
    QTRY_VERIFY2_WITH_TIMEOUT(cpu() >= 0.0 && cpu() <= 1.0, qPrintable(QString::number(cpu())),
                              kSettleMs);
  }

  // Stop one dependency of each kind and watch the console and `check` follow.
  void redisStops() {
    m_redis->stop();
    for (const char* id : {"redis-metrics", "redis-health"}) {
      const QString target = QString::fromLatin1(id);
      QTRY_VERIFY2_WITH_TIMEOUT(m_store->findSnapshot(target)->state == TargetState::Down,
                                qPrintable(shown(target)), kSettleMs);
      QVERIFY2(m_store->findSnapshot(target)->sentence.contains(QStringLiteral("redis_up")),
               qPrintable(shown(target)));
    }
    const CheckResult r = runCheck({local(m_redisExporter), QStringLiteral("--metrics")});
    QVERIFY2(r.exitCode == 2 && r.sentence.contains(QStringLiteral("redis_up")),
             qPrintable(QStringLiteral("exit %1: %2\n%3").arg(r.exitCode).arg(r.sentence, r.raw)));
  }

  void nodeExporterStops() {
    program(QStringLiteral("node_exporter")).stop();
    const QString id = QStringLiteral("node");
    const QString refused = QStringLiteral("Connection refused (127.0.0.1:%1)").arg(m_node);
    QTRY_VERIFY2_WITH_TIMEOUT(m_store->findSnapshot(id)->state == TargetState::Unreachable,
                              qPrintable(shown(id)), kSettleMs);
    QCOMPARE(m_store->findSnapshot(id)->sentence, refused);
    // Its last values stay visible, but as stale — never as live.
    QTRY_VERIFY_WITH_TIMEOUT(m_hub->state(id)->stale, 10000);
    QVERIFY2(m_hub->statusSentence(id, QDateTime::currentDateTimeUtc())
                 .startsWith(QStringLiteral("Stale: values of the last good scrape")),
             qPrintable(m_hub->statusSentence(id, QDateTime::currentDateTimeUtc())));
    const CheckResult r = runCheck({local(m_node), QStringLiteral("--metrics")});
    QVERIFY2(r.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.raw)));
  }

  void etcdStops() {
    program(QStringLiteral("etcd")).stop();
    const QString id = QStringLiteral("etcd");
    QTRY_VERIFY2_WITH_TIMEOUT(m_store->findSnapshot(id)->state == TargetState::Unreachable,
                              qPrintable(shown(id)), kSettleMs);
    QCOMPARE(m_store->findSnapshot(id)->sentence,
             QStringLiteral("Connection refused (127.0.0.1:%1)").arg(m_etcd));
    const CheckResult r = runCheck({local(m_etcd, QStringLiteral("/health"))});
    QVERIFY2(r.exitCode == 2 && r.state == QLatin1String("unreachable"),
             qPrintable(QStringLiteral("exit %1, %2: %3").arg(r.exitCode).arg(r.state, r.raw)));
    // The rest of the fleet did not move.
    QVERIFY2(m_store->findSnapshot(QStringLiteral("postgres"))->state == TargetState::Up,
             qPrintable(shown(QStringLiteral("postgres"))));
  }

  // The real console (ConsoleSession: its own Poller, store, hub and window) pointed at this
  // fleet, offscreen, at 1280×800 and 1600×1000; PNGs go to $HEALTHDECK_ARTIFACTS/fleet/.
  void consoleScreenshot_data() {
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("selected");
    QTest::newRow("1280x800-redis") << QSize(1280, 800) << "redis-health";
    QTest::newRow("1600x1000-postgres") << QSize(1600, 1000) << "postgres";
  }
  void consoleScreenshot() {
    QFETCH(QSize, size);
    QFETCH(QString, selected);
    const QString artifacts =
        qEnvironmentVariable("HEALTHDECK_ARTIFACTS",
                             QDir::tempPath() + QStringLiteral("/healthdeck-artifacts")) +
        QStringLiteral("/fleet");
    QVERIFY(QDir().mkpath(artifacts));
    const QString servers = m_home.filePath(QStringLiteral("servers.json"));
    QVERIFY(saveServerList(servers, m_fleet).isEmpty());
    const QString config =
        writeFile(m_home.path(), QStringLiteral("monitoring.yaml"),
                  "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(freePort()) + "\n");
    ConsoleOptions options;
    options.configPath = config;
    options.serversPath = servers;
    options.eventLogPath = m_home.filePath(QStringLiteral("events.jsonl"));
    ConsoleSession session(options);
    const QString error = session.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    MainWindow& w = session.window();
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Every server polled (1 s interval, two polls through the flap filter) and metrics in.
    const auto settled = [&] {
      for (const TargetConfig& t : m_fleet) {
        const TargetSnapshot* s = session.store().findSnapshot(t.id);
        if (!s || !s->polledAt.isValid()) return false;
      }
      return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), kSettleMs);
    w.selectTarget(selected);
    QTest::qWait(4000); // sparklines and rates need a few scrapes
    const QImage image = w.grab().toImage();
    QCOMPARE(image.size(), size * w.devicePixelRatio());
    const QString file =
        artifacts +
        QStringLiteral("/console-fleet-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY2(image.save(file), qPrintable(file));
    qInfo("screenshot: %s", qPrintable(file));
  }
};

QTEST_MAIN(TstFleet)
#include "tst_fleet.moc"
