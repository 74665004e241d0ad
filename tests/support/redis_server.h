#pragma once
// A real redis-server as a child process on a free loopback port, with a password, no
// persistence and the DEBUG command enabled (tests use DEBUG SLEEP for a slow answer). stop()
// and start() again keep the port, so a check can see the server go away and come back.
// The destructor kills what is left.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace healthdeck::testing {

class RedisServer {
public:
  /// `password` empty → no requirepass.
  explicit RedisServer(QByteArray password = QByteArrayLiteral("s3cret-redis"));
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  /// redis-server's path, or empty when it is not installed.
  static QString executable();

  /// Starts (or restarts on the same port) and waits until it answers PING; false with the
  /// reason in error() otherwise.
  bool start();
  /// SIGTERM and wait; the port is kept for the next start().
  void stop();
  bool isRunning() const;

  quint16 port() const { return m_port; }
  QByteArray address() const; // "127.0.0.1:PORT"
  QByteArray password() const { return m_password; }
  QString error() const { return m_error; }
  /// A file in a private temp dir holding the password (for password_file).
  QString passwordFile() const;

  /// Runs one command on a fresh authenticated connection and returns the reply as text
  /// (status, string, integer; errors prefixed "ERR:"). Empty on connection failure.
  QByteArray command(const QList<QByteArray>& args, int timeoutMs = 5000) const;
  /// `calls` of cmdstat_<name> from INFO commandstats (0 when never called, -1 on error).
  long long commandCalls(const QByteArray& name) const;
  /// total_connections_received from INFO stats (-1 on error).
  long long connectionsReceived() const;

private:
  QByteArray m_password;
  quint16 m_port = 0;
  QTemporaryDir m_dir;
  std::unique_ptr<QProcess> m_process;
  QString m_error;
};

} // namespace healthdeck::testing
