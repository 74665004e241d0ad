#include "tests/support/prometheus_server.h"

#include "tests/support/http_client.h"
#include "tests/support/ports.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>

namespace healthdeck::testing {

PrometheusServer::PrometheusServer() {
  m_process.setProcessChannelMode(QProcess::MergedChannels);
}

PrometheusServer::~PrometheusServer() {
  stop();
}

QString PrometheusServer::binary() {
  return QStandardPaths::findExecutable(QStringLiteral("prometheus"));
}

QString PrometheusServer::start(const QByteArray& configYaml, int timeoutMs) {
  const QString exe = binary();
  if (exe.isEmpty()) return QStringLiteral("prometheus not installed (scripts/deps.sh)");
  const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
  QFile f(config);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(configYaml) < 0)
    return QStringLiteral("cannot write ") + config;
  f.close();
  m_port = freePort();
  m_process.start(exe,
                  {QStringLiteral("--config.file=") + config,
                   QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
                   QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                   QStringLiteral("--log.level=warn")});
  if (!m_process.waitForStarted(10000)) return QStringLiteral("prometheus did not start");
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (m_process.state() != QProcess::Running)
      return QStringLiteral("prometheus exited: ") + QString::fromUtf8(m_process.readAll());
    if (httpRequest(m_port, "GET", "/-/ready", {}, 1000).status == 200) return {};
    QThread::msleep(100);
  }
  return QStringLiteral("prometheus not ready within %1 ms: ").arg(timeoutMs) +
         QString::fromUtf8(m_process.readAll());
}

void PrometheusServer::stop() {
  if (m_process.state() == QProcess::NotRunning) return;
  m_process.terminate();
  if (!m_process.waitForFinished(10000)) {
    m_process.kill();
    m_process.waitForFinished(5000);
  }
}

QJsonObject PrometheusServer::getJson(const QByteArray& pathAndQuery, int timeoutMs) const {
  // Prometheus answers large results chunked: a real HTTP client, not the raw-wire one.
  QNetworkAccessManager nam;
  QNetworkRequest req(QUrl(url() + QString::fromLatin1(pathAndQuery)));
  req.setTransferTimeout(timeoutMs);
  QNetworkReply* reply = nam.get(req);
  QEventLoop loop;
  QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
  loop.exec();
  const QByteArray body = reply->readAll();
  const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  reply->deleteLater();
  if (status != 200) return {};
  return QJsonDocument::fromJson(body).object();
}

QJsonArray PrometheusServer::query(const QString& promql) const {
  return getJson("/api/v1/query?query=" + QUrl::toPercentEncoding(promql))
      .value(QStringLiteral("data"))
      .toObject()
      .value(QStringLiteral("result"))
      .toArray();
}

QJsonArray PrometheusServer::activeTargets() const {
  return getJson("/api/v1/targets?state=active")
      .value(QStringLiteral("data"))
      .toObject()
      .value(QStringLiteral("activeTargets"))
      .toArray();
}

} // namespace healthdeck::testing
