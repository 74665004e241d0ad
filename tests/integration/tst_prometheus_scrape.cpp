// A real Prometheus server scrapes `healthdeck serve` every second: the target comes up and
// `up`, `health_check_status` and `process_cpu_seconds_total` are queryable.

#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "tests/support/serve_process.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <csignal>

using namespace healthdeck::testing;

namespace {

QJsonObject getJson(quint16 port, const QByteArray& pathAndQuery) {
  const HttpReply r = httpRequest(port, "GET", pathAndQuery, {}, 3000);
  if (r.status != 200) return {};
  return QJsonDocument::fromJson(r.body).object();
}

/// The result vector of an instant query (empty on any problem).
QJsonArray query(quint16 port, const QString& promql) {
  const QByteArray q = QUrl::toPercentEncoding(promql);
  return getJson(port, "/api/v1/query?query=" + q)
      .value(QStringLiteral("data"))
      .toObject()
      .value(QStringLiteral("result"))
      .toArray();
}

} // namespace

class TstPrometheusScrape : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void prometheusScrapesTheExporter() {
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    QVERIFY2(!prometheus.isEmpty(), "prometheus not installed (scripts/deps.sh installs it)");
    QTemporaryDir dir;
    const quint16 exporterPort = freePort();
    const QString cfg = writeTextFile(
        dir.path(), QStringLiteral("monitoring.yaml"),
        "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(exporterPort) +
            "\n  prometheus:\n    namespace: itest\n"
            "  checks:\n    - {name: disk, type: disk, path: /, min_free_percent: 0}\n");
    ServeProcess serve;
    QCOMPARE(serve.start({QStringLiteral("--config"), cfg}).size(), 4);

    const quint16 promPort = freePort();
    const QString promConfig =
        writeTextFile(dir.path(), QStringLiteral("prometheus.yml"),
                      "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                      "scrape_configs:\n  - job_name: healthdeck\n    scrape_interval: 1s\n"
                      "    static_configs:\n      - targets: ['127.0.0.1:" +
                          QByteArray::number(exporterPort) + "']\n");
    QProcess prom;
    prom.setProcessChannelMode(QProcess::MergedChannels);
    prom.start(prometheus,
               {QStringLiteral("--config.file=") + promConfig,
                QStringLiteral("--storage.tsdb.path=") + dir.path() + QStringLiteral("/tsdb"),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
                QStringLiteral("--log.level=warn")});
    QVERIFY(prom.waitForStarted(10000));
    const auto cleanup = qScopeGuard([&] {
      prom.terminate();
      if (!prom.waitForFinished(10000)) prom.kill();
      prom.waitForFinished(5000);
    });

    QElapsedTimer timer;
    timer.start();
    bool targetUp = false, upSeries = false, healthSeries = false, processSeries = false,
         counted = false;
    QString lastError;
    while (timer.elapsed() < 30000 &&
           !(targetUp && upSeries && healthSeries && processSeries && counted)) {
      QThread::msleep(500);
      if (prom.state() != QProcess::Running) break;
      const QJsonArray targets = getJson(promPort, "/api/v1/targets")
                                     .value(QStringLiteral("data"))
                                     .toObject()
                                     .value(QStringLiteral("activeTargets"))
                                     .toArray();
      for (const auto& t : targets) {
        const QJsonObject o = t.toObject();
        lastError = o.value(QStringLiteral("lastError")).toString();
        if (o.value(QStringLiteral("health")).toString() == QLatin1String("up")) targetUp = true;
      }
      const QJsonArray up = query(promPort, QStringLiteral("up{job=\"healthdeck\"}"));
      upSeries = !up.isEmpty() &&
                 up[0].toObject().value(QStringLiteral("value")).toArray().at(1).toString() ==
                     QLatin1String("1");
      const QJsonArray health = query(
          promPort, QStringLiteral("itest_health_check_status{component=\"disk\",status=\"up\"}"));
      healthSeries = !health.isEmpty();
      processSeries = !query(promPort, QStringLiteral("process_cpu_seconds_total")).isEmpty();
      // The exporter counts Prometheus' scrapes (a scrape shows the ones before it).
      counted = !query(promPort, QStringLiteral("itest_exporter_scrapes_total > 0")).isEmpty();
    }
    QVERIFY2(prom.state() == QProcess::Running, prom.readAll().constData());
    QVERIFY2(targetUp, qPrintable(QStringLiteral("target not up: ") + lastError));
    QVERIFY(upSeries);
    QVERIFY(healthSeries);
    QVERIFY(processSeries);
    QVERIFY(counted);
    QCOMPARE(serve.stop(SIGTERM), 0);
  }
};

QTEST_GUILESS_MAIN(TstPrometheusScrape)
#include "tst_prometheus_scrape.moc"
