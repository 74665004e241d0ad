#include "tests/support/program_process.h"

#include "tests/support/ports.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

namespace healthdeck::testing {

ProgramProcess::ProgramProcess(QString name) : m_name(std::move(name)) {}

ProgramProcess::~ProgramProcess() {
  stop(2000);
}

QString ProgramProcess::find(const QString& program) {
  QString path = QStandardPaths::findExecutable(program);
  if (path.isEmpty())
    path = QStandardPaths::findExecutable(
        program,
        {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin")});
  return path;
}

bool ProgramProcess::start(const QString& program, const QStringList& args, quint16 port,
                           int timeoutMs) {
  m_error.clear();
  if (isRunning()) return true;
  const QString exe = find(program);
  if (exe.isEmpty()) {
    m_error = m_name + QStringLiteral(": ") + program +
              QStringLiteral(" is not installed (run scripts/deps.sh)");
    return false;
  }
  m_process = std::make_unique<QProcess>();
  m_process->setProcessChannelMode(QProcess::MergedChannels);
  m_process->setWorkingDirectory(m_dir.path());
  m_process->setProcessEnvironment(m_env);
  m_process->start(exe, args);
  if (!m_process->waitForStarted(5000)) {
    m_error = m_name + QStringLiteral(": cannot start ") + exe + QStringLiteral(": ") +
              m_process->errorString();
    return false;
  }
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (m_process->state() != QProcess::Running) break;
    if (waitForPort(port, 200)) return true;
    m_process->waitForReadyRead(50);
  }
  m_error = m_name +
            (m_process->state() == QProcess::Running
                 ? QStringLiteral(": not listening on port %1 after %2 ms").arg(port).arg(timeoutMs)
                 : QStringLiteral(": exited with code %1").arg(m_process->exitCode())) +
            QStringLiteral("\n") + QString::fromUtf8(output().right(4000));
  stop(1000);
  return false;
}

void ProgramProcess::stop(int graceMs) {
  if (!m_process) return;
  if (m_process->state() != QProcess::NotRunning) {
    m_process->terminate();
    if (!m_process->waitForFinished(graceMs)) {
      m_process->kill();
      m_process->waitForFinished(2000);
    }
  }
  m_output += m_process->readAll();
  m_process.reset();
}

bool ProgramProcess::isRunning() const {
  return m_process && m_process->state() == QProcess::Running;
}

QByteArray ProgramProcess::output() {
  if (m_process) m_output += m_process->readAll();
  return m_output;
}

QString writeFile(const QString& dir, const QString& name, const QByteArray& content) {
  const QString path = QDir(dir).filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
    return {};
  return path;
}

} // namespace healthdeck::testing
