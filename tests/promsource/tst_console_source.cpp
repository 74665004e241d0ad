// The console with a Prometheus source: a real Prometheus scrapes one `healthdeck serve`
// under 40 targets in three jobs plus one closed port; the server list names the source;
// the real ConsoleSession (offscreen) shows the targets as rows marked with the source and
// grouped by job, in the states Prometheus reports; saving the list keeps the source and not
// its rows; "Open direct" adds a directly polled copy that comes up on its own; a row's key
// metrics and list sparkline come from the source's query_range answers. PNGs of the window go
// to $HEALTHDECK_ARTIFACTS/ui/console_prometheus_source*.png.

#include "healthdeck/client/source/prometheus_source.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/metric_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/session/prometheus_source_hub.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "tests/support/ports.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/serve_process.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QStandardPaths>
#include <QtTest>

#include <csignal>

using namespace healthdeck;
using namespace healthdeck::testing;

class TstConsoleSource : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void sourceRowsInTheConsole() {
    PrometheusServer prom;
    const quint16 exporterPort = freePort();
    const quint16 closedPort = freePort();
    const QString cfg = writeTextFile(
        prom.dir(), QStringLiteral("serve.yaml"),
        "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(exporterPort) +
            "\n  checks:\n    - {name: disk, type: disk, path: /, min_free_percent: 0}\n");
    ServeProcess serve;
    QCOMPARE(serve.start({QStringLiteral("--config"), cfg}).size(), 4);
    QJsonArray groups;
    const char* jobs[] = {"api", "db", "cache"};
    for (int i = 0; i < 39; ++i)
      groups.append(QJsonObject{
          {QStringLiteral("targets"), QJsonArray{QStringLiteral("127.0.0.1:%1").arg(exporterPort)}},
          {QStringLiteral("labels"),
           QJsonObject{{QStringLiteral("instance"), QStringLiteral("%1-%2")
                                                        .arg(QLatin1String(jobs[i % 3]))
                                                        .arg(i + 1, 2, 10, QLatin1Char('0'))},
                       {QStringLiteral("job"), QLatin1String(jobs[i % 3])}}}});
    groups.append(QJsonObject{
        {QStringLiteral("targets"), QJsonArray{QStringLiteral("127.0.0.1:%1").arg(closedPort)}},
        {QStringLiteral("labels"),
         QJsonObject{{QStringLiteral("instance"), QStringLiteral("db-gone")},
                     {QStringLiteral("job"), QStringLiteral("db")}}}});
    const QString sd = writeTextFile(prom.dir(), QStringLiteral("fleet.json"),
                                     QJsonDocument(groups).toJson(QJsonDocument::Compact));
    const QString error =
        prom.start("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                   "  - job_name: fleet\n    file_sd_configs:\n      - files: ['" +
                   sd.toUtf8() + "']\n");
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QTemporaryDir dir;
    const QString servers = dir.filePath(QStringLiteral("servers.json"));
    writeTextFile(dir.path(), QStringLiteral("servers.json"),
                  "{\"version\":1,\"servers\":[],\"sources\":[{\"id\":\"lab\",\"name\":\"Lab\","
                  "\"url\":\"" +
                      prom.url().toUtf8() + "\",\"interval\":\"2s\"}]}");
    const quint16 consolePort = freePort();
    const QString monitoring =
        writeTextFile(dir.path(), QStringLiteral("monitoring.yaml"),
                      "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(consolePort) + "\n");
    ConsoleOptions options;
    options.configPath = monitoring;
    options.serversPath = servers;
    options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
    ConsoleSession session(options);
    QCOMPARE(session.start(), QString());

    // 40 rows from the source once Prometheus has scraped them all.
    const auto sourceRows = [&] {
      int n = 0;
      for (const auto& t : session.store().targets())
        if (t.sourceId == QLatin1String("lab")) ++n;
      return n;
    };
    const auto scrapedRows = [&] {
      int n = 0;
      for (const auto& t : session.store().targets())
        if (t.sourceId == QLatin1String("lab") &&
            session.store().snapshot(t.id).state != TargetState::Unknown)
          ++n;
      return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(sourceRows(), 40, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(scrapedRows(), 40, 30000);
    QElapsedTimer sinceScraped;
    sinceScraped.start();
    const TargetConfig* api = session.store().target(QStringLiteral("lab/api/api-01"));
    QVERIFY(api);
    QCOMPARE(api->group, QStringLiteral("Lab · api"));
    QCOMPARE(toString(session.store().snapshot(api->id).state), toString(TargetState::Up));
    const TargetSnapshot gone = session.store().snapshot(QStringLiteral("lab/db/db-gone"));
    QCOMPARE(toString(gone.state), toString(TargetState::Unreachable));
    QVERIFY2(gone.sentence.contains(QLatin1String("connection refused")),
             qPrintable(gone.sentence));

    // The source has a menu entry; the window shows it.
    bool hasMenu = false;
    for (QAction* a : session.window().menuBar()->actions())
      if (a->text() == QStringLiteral("S&ources")) hasMenu = true;
    QVERIFY(hasMenu);
    session.window().selectTarget(QStringLiteral("lab/db/db-gone"));
    session.window().resize(1280, 800);
    session.window().show();
    QTest::qWait(300);
    const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
    if (!artifacts.isEmpty()) {
      const QString out = QString::fromLocal8Bit(artifacts) + QStringLiteral("/ui");
      QDir().mkpath(out);
      QVERIFY(session.window().grab().save(out + QStringLiteral("/console_prometheus_source.png")));
    }

    // "Open direct": a directly polled copy of the row, up by its own poll.
    session.openDirect(QStringLiteral("lab/api/api-01"));
    const QString directId = QStringLiteral("direct:lab/api/api-01");
    QVERIFY(session.store().target(directId));
    QVERIFY(session.store().target(directId)->sourceId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(toString(session.store().snapshot(directId).state),
                              toString(TargetState::Up), 15000);
    QVERIFY(session.store().snapshot(directId).readiness.has_value());

    // Saved (by Open direct): the source and the direct server, never the 40 rows.
    const ServerListResult saved = loadServerList(servers);
    QVERIFY2(saved.error.isEmpty(), qPrintable(saved.error));
    QCOMPARE(saved.sources.size(), 1);
    QCOMPARE(saved.sources.first().connection.id, QStringLiteral("lab"));
    QCOMPARE(saved.sources.first().connection.interval, std::chrono::milliseconds(2000));
    QCOMPARE(saved.servers.size(), 1);
    QCOMPARE(saved.servers.first().id, directId);

    // While Prometheus answers, no row is stale, however long its state has not changed: the
    // source resends only what changed, so the console's own staleness-by-age (2x the 2-s
    // interval, checked every 5 s) must leave its rows alone.
    QTest::qWait(static_cast<int>(std::max<qint64>(0, 11000 - sinceScraped.elapsed())));
    QCOMPARE(session.store().staleCount(), 0);
    QCOMPARE(toString(session.store().snapshot(QStringLiteral("lab/api/api-01")).state),
             toString(TargetState::Up));

    // Key metrics from the source's range queries (every 4th refresh: 8 s here), as a direct
    // poll's would read: the hub holds the same points the source fetched, the row draws a
    // sparkline, and the detail pane shows them.
    const QString apiId = QStringLiteral("lab/api/api-01");
    const MetricsHub* hub = session.findChild<MetricsHub*>();
    QVERIFY(hub);
    const auto hubRss = [&]() -> const MetricsHub::KeyMetric* {
      const MetricsHub::TargetMetricsState* st = hub->state(apiId);
      if (!st) return nullptr;
      for (const auto& m : st->metrics)
        if (m.id == QLatin1String("process_rss")) return &m;
      return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hubRss() && hubRss()->value > 0, 20000);
    const PrometheusTarget* fromSource = session.sources()->targetOf(apiId);
    QVERIFY(fromSource);
    const auto& rssPoints = fromSource->keySeries.value(QStringLiteral("rss"));
    QVERIFY(!rssPoints.empty());
    QVERIFY(hubRss()->history->size() >= rssPoints.size());
    QCOMPARE(hubRss()->value, rssPoints.back().second);
    QCOMPARE(hubRss()->title, QStringLiteral("Memory (RSS)"));
    QVERIFY(hub->statusSentence(apiId, QDateTime::currentDateTimeUtc()).isEmpty());
    const QModelIndex row = session.window().listModel()->indexForTarget(apiId);
    QVERIFY(!row.data(SparklineRole).value<QList<double>>().isEmpty());
    session.window().selectTarget(apiId);
    QTest::qWait(300);
    if (!artifacts.isEmpty())
      QVERIFY(session.window().grab().save(
          QString::fromLocal8Bit(artifacts) +
          QStringLiteral("/ui/console_prometheus_source_metrics.png")));

    // Prometheus gone: the rows stay, stale, in their last state.
    prom.stop();
    QTRY_VERIFY_WITH_TIMEOUT(session.store()
                                 .snapshot(QStringLiteral("lab/api/api-01"))
                                 .sentence.startsWith(QLatin1String("Stale")),
                             15000);
    QCOMPARE(toString(session.store().snapshot(QStringLiteral("lab/api/api-01")).state),
             toString(TargetState::Up));
    QVERIFY(session.store().isStale(QStringLiteral("lab/api/api-01"))); // shown as "Stale"
    QCOMPARE(sourceRows(), 40);
    serve.stop(SIGTERM);
  }
};

QTEST_MAIN(TstConsoleSource)
#include "tst_console_source.moc"
