// A real Prometheus (its default scrape Accept header prefers OpenMetrics) scrapes an embedded
// monitoring module holding the standard instruments: the target is up (`up == 1`), the
// OpenMetrics-only `_created` series arrive (so the page was read as OpenMetrics), and every
// series of the text 0.0.4 page of the same module is in Prometheus with the same labels —
// OpenMetrics adds only `_created` (issue 14).

#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/monitoring_module.h"
#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/registry.h"
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

#include <map>
#include <set>

using namespace healthdeck::testing;
using namespace healthdeck::metrics;

namespace {

// Prometheus answers large API results with chunked transfer encoding, which the test's raw
// HTTP client does not read; curl does.
QJsonValue apiData(quint16 port, const QByteArray& pathAndQuery) {
  QProcess curl;
  curl.start(QStringLiteral("curl"),
             {QStringLiteral("-sf"), QStringLiteral("--max-time"), QStringLiteral("10"),
              QStringLiteral("http://127.0.0.1:%1").arg(port) + QString::fromLatin1(pathAndQuery)});
  if (!curl.waitForFinished(15000) || curl.exitCode() != 0) return {};
  return QJsonDocument::fromJson(curl.readAllStandardOutput())
      .object()
      .value(QStringLiteral("data"));
}

QJsonArray query(quint16 port, const QString& promql) {
  return apiData(port, "/api/v1/query?query=" + QUrl::toPercentEncoding(promql))
      .toObject()
      .value(QStringLiteral("result"))
      .toArray();
}

// `name{a="x",b="y"}` with labels sorted by name: one spelling for both sides.
std::string canonical(const std::string& name, std::map<std::string, std::string> labels) {
  std::string key = name + '{';
  for (const auto& [k, v] : labels)
    key += k + "=\"" + v + "\",";
  key += '}';
  return key;
}

std::set<std::string> seriesOfTextPage(const std::string& text, QString& error) {
  healthdeck::client::SeriesTable table;
  healthdeck::client::ExpositionParser parser(
      table, {healthdeck::client::ExpositionParser::Format::Text004, 2'000'000});
  healthdeck::client::ExpositionPage page;
  std::set<std::string> result;
  if (!parser.parse(text, page)) {
    error = QString::fromStdString(page.error->toString());
    return result;
  }
  for (const auto& s : page.samples) {
    const auto& series = table.series(s.series);
    std::map<std::string, std::string> labels;
    for (const auto& l : series.labels)
      labels.emplace(std::string(l.name), std::string(l.value));
    result.insert(canonical(std::string(series.name()), labels));
  }
  return result;
}

} // namespace

class TstPrometheusOpenMetrics : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void prometheusScrapesOpenMetrics() {
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    QVERIFY2(!prometheus.isEmpty(), "prometheus not installed (scripts/deps.sh installs it)");

    healthdeck::MonitoringConfig config;
    config.prometheus.ns = "om";
    healthdeck::overrideListen(config, "127.0.0.1:" + std::to_string(freePort()), "test");
    healthdeck::MonitoringModule module(config);
    Instruments instruments(module.registry());
    instruments.recordAuthAttempt(AuthResult::Success);
    instruments.recordAuthAttempt(AuthResult::Failure);
    instruments.httpRoute(HttpMethod::Get, "/api/items/{id}").observe(200, 0.02);
    instruments.jobRun("cleanup", JobResult::Success, 0.5);
    instruments.realtimeStream("alerts").broadcast();
    module.start();
    const auto exporterPort = static_cast<quint16>(module.port());
    QVERIFY(exporterPort != 0);

    // What a text 0.0.4 client is served (no Accept header); the second page, so that the
    // exporter's own per-request series exist already, as they will for Prometheus.
    QCOMPARE(httpRequest(exporterPort, "GET", "/metrics").status, 200);
    const HttpReply plain = httpRequest(exporterPort, "GET", "/metrics");
    QCOMPARE(plain.status, 200);
    QVERIFY(plain.header("Content-Type").startsWith("text/plain; version=0.0.4"));
    QCOMPARE(plain.header("Vary"), QByteArray("Accept, Accept-Encoding"));
    QVERIFY(!plain.body.contains("# EOF"));
    // Asked for OpenMetrics: its content type and page, gzip still applies.
    const HttpReply om =
        httpRequest(exporterPort, "GET", "/metrics",
                    {{"Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"}});
    QCOMPARE(om.status, 200);
    QCOMPARE(om.header("Content-Type"),
             QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    QVERIFY(om.body.endsWith("\n# EOF\n"));
    QVERIFY(om.body.contains("\n# TYPE om_auth_attempts counter\n"));
    const HttpReply omGzip =
        httpRequest(exporterPort, "GET", "/metrics",
                    {{"Accept", "application/openmetrics-text"}, {"Accept-Encoding", "gzip"}});
    QCOMPARE(omGzip.header("Content-Encoding"), QByteArray("gzip"));
    QVERIFY(gunzip(omGzip.body).endsWith("\n# EOF\n"));
    const HttpReply omHead =
        httpRequest(exporterPort, "HEAD", "/metrics", {{"Accept", "application/openmetrics-text"}});
    QCOMPARE(omHead.header("Content-Type"), om.header("Content-Type"));
    QVERIFY(omHead.body.isEmpty());

    QString parseError;
    const std::set<std::string> textSeries = seriesOfTextPage(plain.body.toStdString(), parseError);
    QVERIFY2(parseError.isEmpty(), qPrintable(parseError));
    QVERIFY(textSeries.size() > 50);

    QTemporaryDir dir;
    const quint16 promPort = freePort();
    const QString promConfig =
        writeTextFile(dir.path(), QStringLiteral("prometheus.yml"),
                      "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                      "scrape_configs:\n  - job_name: om\n    scrape_interval: 1s\n"
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
    bool up = false;
    bool created = false;
    QString lastError;
    while (timer.elapsed() < 40000 && !(up && created)) {
      QThread::msleep(500);
      if (prom.state() != QProcess::Running) break;
      for (const auto& t : apiData(promPort, "/api/v1/targets")
                               .toObject()
                               .value(QStringLiteral("activeTargets"))
                               .toArray())
        lastError = t.toObject().value(QStringLiteral("lastError")).toString();
      const QJsonArray upResult = query(promPort, QStringLiteral("up{job=\"om\"}"));
      up = !upResult.isEmpty() &&
           upResult[0].toObject().value(QStringLiteral("value")).toArray().at(1).toString() ==
               QLatin1String("1");
      created = !query(promPort, QStringLiteral("om_auth_attempts_created{result=\"success\"}"))
                     .isEmpty();
    }
    QVERIFY2(prom.state() == QProcess::Running, prom.readAll().constData());
    QVERIFY2(up, qPrintable(QStringLiteral("target not up: ") + lastError));
    QVERIFY2(created, "no _created series: the scrape was not read as OpenMetrics");

    // Every series Prometheus holds for the job, without job/instance.
    const QJsonArray all =
        apiData(promPort,
                "/api/v1/series?match[]=" + QUrl::toPercentEncoding(QStringLiteral("{job=\"om\"}")))
            .toArray();
    std::set<std::string> promSeries;
    for (const auto& v : all) {
      const QJsonObject o = v.toObject();
      std::map<std::string, std::string> labels;
      std::string name;
      for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string k = it.key().toStdString();
        if (k == "__name__")
          name = it.value().toString().toStdString();
        else if (k.starts_with("exported_")) // a scraped `job` label clashing with the target's
          labels.emplace(k.substr(9), it.value().toString().toStdString());
        else if (k != "job" && k != "instance")
          labels.emplace(k, it.value().toString().toStdString());
      }
      promSeries.insert(canonical(name, labels));
    }
    for (const std::string& s : textSeries)
      QVERIFY2(promSeries.contains(s), ("missing in Prometheus: " + s).c_str());
    // What Prometheus has beyond the text page: its own scrape series and `_created`.
    const std::set<std::string> own{"up", "scrape_duration_seconds", "scrape_samples_scraped",
                                    "scrape_samples_post_metric_relabeling", "scrape_series_added"};
    int createdCount = 0;
    for (const std::string& s : promSeries) {
      if (textSeries.contains(s)) continue;
      const std::string name = s.substr(0, s.find('{'));
      if (name.ends_with("_created")) {
        ++createdCount;
        continue;
      }
      QVERIFY2(own.contains(name), ("only in Prometheus: " + s).c_str());
    }
    QVERIFY(createdCount > 5);
  }
};

QTEST_GUILESS_MAIN(TstPrometheusOpenMetrics)
#include "tst_prometheus_openmetrics.moc"
