#pragma once
// Any real server program as a child process on loopback, for the fleet suite: started with
// its arguments (and environment) in a throw-away working directory, waited for until it
// accepts TCP connections on the port it was told to use, and stopped with SIGTERM (SIGKILL
// after a grace period). No systemd, no shared state: everything it writes goes under
// workDir(). The destructor stops what is left. Its merged output is kept for failure messages.

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace healthdeck::testing {

class ProgramProcess {
public:
  /// `name` only labels messages ("etcd").
  explicit ProgramProcess(QString name);
  ~ProgramProcess();
  ProgramProcess(const ProgramProcess&) = delete;
  ProgramProcess& operator=(const ProgramProcess&) = delete;

  /// The program's absolute path from PATH, /usr/sbin or /usr/bin; empty when not installed.
  static QString find(const QString& program);

  /// A private directory for data, configuration and pid files (removed with the object).
  QString workDir() const { return m_dir.path(); }
  QProcessEnvironment& environment() { return m_env; }

  /// Starts `program args` (restarting with the same arguments after stop() when called
  /// again with an empty program) and waits until 127.0.0.1:`port` accepts connections.
  /// False with the reason and the program's output in error() otherwise.
  bool start(const QString& program, const QStringList& args, quint16 port, int timeoutMs = 20000);
  /// SIGTERM, wait up to `graceMs`, then SIGKILL.
  void stop(int graceMs = 5000);
  bool isRunning() const;
  QString error() const { return m_error; }
  QByteArray output();

private:
  QString m_name;
  QTemporaryDir m_dir;
  QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
  std::unique_ptr<QProcess> m_process;
  QByteArray m_output;
  QString m_error;
};

/// Writes `content` to `dir`/`name` and returns the path (empty on failure).
QString writeFile(const QString& dir, const QString& name, const QByteArray& content);

} // namespace healthdeck::testing
