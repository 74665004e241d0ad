#include "tests/support/serve_process.h"

#include <QElapsedTimer>
#include <QFile>

#include <csignal>

namespace healthdeck::testing {

ServeProcess::ServeProcess() : m_env(QProcessEnvironment::systemEnvironment()) {
  // Tests describe the whole configuration; the developer's own must not leak in.
  for (const QString& key : m_env.keys())
    if (key.startsWith(QLatin1String("HEALTHDECK_MONITORING_"))) m_env.remove(key);
  m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/nonexistent-healthdeck-test"));
}

ServeProcess::~ServeProcess() {
  if (m_process.state() != QProcess::NotRunning) {
    m_process.kill();
    m_process.waitForFinished(5000);
  }
}

QString ServeProcess::binary() {
  return qEnvironmentVariable("HEALTHDECK_BINARY");
}

QStringList ServeProcess::start(const QStringList& args, int expectedUrls, int timeoutMs) {
  m_process.setProcessEnvironment(m_env);
  m_process.start(binary(), QStringList{QStringLiteral("serve")} + args);
  if (!m_process.waitForStarted(timeoutMs)) return {};
  QElapsedTimer timer;
  timer.start();
  QStringList urls;
  while (timer.elapsed() < timeoutMs) {
    m_process.waitForReadyRead(100);
    m_stdout += m_process.readAllStandardOutput();
    m_stderr += m_process.readAllStandardError();
    urls.clear();
    for (const QByteArray& line : m_stdout.split('\n'))
      if (!line.trimmed().isEmpty()) urls << QString::fromUtf8(line.trimmed());
    if (urls.size() >= expectedUrls || m_process.state() == QProcess::NotRunning) break;
  }
  return urls;
}

int ServeProcess::stop(int signal, int timeoutMs) {
  if (m_process.state() == QProcess::NotRunning) return waitForExit(0);
  ::kill(static_cast<pid_t>(m_process.processId()), signal);
  return waitForExit(timeoutMs);
}

int ServeProcess::waitForExit(int timeoutMs) {
  if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs)) return -1;
  m_stderr += m_process.readAllStandardError();
  m_stdout += m_process.readAllStandardOutput();
  return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QByteArray ServeProcess::standardError() {
  m_stderr += m_process.readAllStandardError();
  return m_stderr;
}

QString writeTextFile(const QString& dir, const QString& name, const QByteArray& content) {
  const QString path = dir + QLatin1Char('/') + name;
  QFile f(path);
  if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(content);
  return path;
}

} // namespace healthdeck::testing
