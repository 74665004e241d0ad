#pragma once
// A throw-away PostgreSQL cluster for tests: initdb in a temporary directory, the server on a
// free loopback port with password (SCRAM) authentication, torn down with the object. When
// the tests run as root, the cluster runs as the `postgres` system user (PostgreSQL refuses
// root), through setpriv. stop() and start() again keep the port and the data.
// Superuser "healthdeck" with password(); psql() runs statements through the real psql.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace healthdeck::testing {

class PostgresCluster {
public:
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  /// Directory of initdb/postgres/psql, or empty when PostgreSQL is not installed.
  static QString binDir();

  /// initdb on first call, then starts the server and waits until it accepts queries.
  bool start();
  /// Fast shutdown (SIGINT) and wait.
  void stop();
  bool isRunning() const;

  quint16 port() const { return m_port; }
  QByteArray password() const { return QByteArrayLiteral("s3cret-pg"); }
  QString error() const { return m_error; }

  /// Writes a libpq DSN for this cluster (with `password`, default the right one) to a file
  /// in the cluster's temp dir and returns its path.
  QString writeDsnFile(const QString& name, const QByteArray& password = {}) const;

  /// Runs SQL with psql as the superuser; returns the unaligned, tuples-only output
  /// (trimmed), or a null QByteArray on failure (the reason in error()).
  QByteArray psql(const QByteArray& sql, int timeoutMs = 10000);

private:
  bool run(const QString& program, const QStringList& args, int timeoutMs);
  QStringList asOwner(const QString& program, const QStringList& args, QString& exe) const;

  QTemporaryDir m_dir;
  quint16 m_port = 0;
  bool m_initialized = false;
  bool m_asPostgresUser = false;
  std::unique_ptr<QProcess> m_server;
  QString m_error;
};

} // namespace healthdeck::testing
