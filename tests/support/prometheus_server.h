#pragma once
// The real Prometheus server (Debian package `prometheus`) as a child process on a free
// loopback port with a throw-away TSDB directory, for tests of the Prometheus source and of
// scrape compatibility. start() writes the given configuration, launches the server and waits
// until /-/ready answers 200. The destructor stops it (SIGTERM, then SIGKILL).

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace healthdeck::testing {

class PrometheusServer {
public:
  PrometheusServer();
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  /// The installed binary, empty when not installed.
  static QString binary();
  /// A directory that lives as long as this object (for file_sd files and the config).
  QString dir() const { return m_dir.path(); }
  /// Writes `configYaml` as prometheus.yml in dir(), starts the server and waits for ready.
  /// Returns an error message (with the server's output), empty on success.
  QString start(const QByteArray& configYaml, int timeoutMs = 30000);
  void stop();
  bool isRunning() const { return m_process.state() == QProcess::Running; }
  quint16 port() const { return m_port; }
  QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

  /// GET path (with query), parsed as a JSON object; empty object on any problem.
  QJsonObject getJson(const QByteArray& pathAndQuery, int timeoutMs = 10000) const;
  /// The result vector of an instant query (empty on any problem).
  QJsonArray query(const QString& promql) const;
  /// data.activeTargets of /api/v1/targets.
  QJsonArray activeTargets() const;

private:
  QTemporaryDir m_dir;
  QProcess m_process;
  quint16 m_port = 0;
};

} // namespace healthdeck::testing
