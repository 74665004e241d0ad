#pragma once
// The real `healthdeck serve` (HEALTHDECK_BINARY) as a child process on loopback: started
// with a config and environment, waited for until it has printed the URLs it serves, and
// stopped with a signal. The destructor kills what is left.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace healthdeck::testing {

class ServeProcess {
public:
  ServeProcess();
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  /// The binary from HEALTHDECK_BINARY (empty when unset).
  static QString binary();

  QProcessEnvironment& environment() { return m_env; }
  /// Starts `healthdeck serve <args>` and waits until `expectedUrls` lines were printed or
  /// the process ended. Returns the printed URLs.
  QStringList start(const QStringList& args, int expectedUrls = 4, int timeoutMs = 15000);
  /// Sends `signal` and waits for the exit; returns the exit code (-1 on crash or timeout).
  int stop(int signal, int timeoutMs = 10000);
  /// Waits for the process to end by itself; returns the exit code (-1 on crash/timeout).
  int waitForExit(int timeoutMs = 10000);
  QByteArray standardError();
  QProcess& process() { return m_process; }

private:
  QProcess m_process;
  QProcessEnvironment m_env;
  QByteArray m_stdout;
  QByteArray m_stderr;
};

/// Writes `content` to a file in `dir` and returns its path.
QString writeTextFile(const QString& dir, const QString& name, const QByteArray& content);

} // namespace healthdeck::testing
