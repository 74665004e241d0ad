#include "tests/support/postgres_cluster.h"

#include "tests/support/ports.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QThread>

#include <csignal>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace healthdeck::testing {

namespace {

constexpr auto kUser = "healthdeck";

bool chownToPostgres(const QString& path) {
  const passwd* pw = ::getpwnam("postgres");
  return pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

} // namespace

// As root the cluster runs as `postgres`, which must reach the directory: $TMPDIR may sit
// under a private home, /tmp never does.
PostgresCluster::PostgresCluster()
    : m_dir(::geteuid() == 0 ? QStringLiteral("/tmp/healthdeck-pg-XXXXXX")
                             : QDir::tempPath() + QStringLiteral("/healthdeck-pg-XXXXXX")),
      m_asPostgresUser(::geteuid() == 0) {}

PostgresCluster::~PostgresCluster() {
  if (m_server) {
    m_server->kill();
    m_server->waitForFinished(5000);
  }
}

QString PostgresCluster::binDir() {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"}) {
    const QString d = QString::fromLatin1(dir);
    if (QFileInfo(d + QStringLiteral("/initdb")).isExecutable()) return d;
  }
  const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
  return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
}

QStringList PostgresCluster::asOwner(const QString& program, const QStringList& args,
                                     QString& exe) const {
  if (!m_asPostgresUser) {
    exe = program;
    return args;
  }
  exe = QStringLiteral("setpriv");
  return QStringList{QStringLiteral("--reuid=postgres"), QStringLiteral("--regid=postgres"),
                     QStringLiteral("--init-groups"), QStringLiteral("--"), program} +
         args;
}

bool PostgresCluster::run(const QString& program, const QStringList& args, int timeoutMs) {
  QString exe;
  const QStringList full = asOwner(program, args, exe);
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.setWorkingDirectory(m_dir.path());
  p.start(exe, full);
  if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit ||
      p.exitCode() != 0) {
    m_error = QFileInfo(program).fileName() + QStringLiteral(" failed: ") + p.errorString() +
              QLatin1Char('\n') + QString::fromUtf8(p.readAll());
    return false;
  }
  return true;
}

bool PostgresCluster::start() {
  if (isRunning()) return true;
  const QString bin = binDir();
  if (bin.isEmpty()) {
    m_error = QStringLiteral("PostgreSQL is not installed (scripts/deps.sh installs it)");
    return false;
  }
  if (!m_dir.isValid()) {
    m_error = QStringLiteral("cannot create a temporary directory");
    return false;
  }
  if (!m_initialized) {
    const QString pwFile = m_dir.filePath(QStringLiteral("superuser.password"));
    {
      QFile f(pwFile);
      if (!f.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write ") + pwFile;
        return false;
      }
      f.write(password() + '\n');
    }
    if (m_asPostgresUser && (!chownToPostgres(m_dir.path()) || !chownToPostgres(pwFile))) {
      m_error = QStringLiteral("cannot hand %1 to the postgres user (is the postgresql package "
                               "installed?)")
                    .arg(m_dir.path());
      return false;
    }
    if (!run(bin + QStringLiteral("/initdb"),
             {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-U"),
              QString::fromLatin1(kUser), QStringLiteral("--pwfile=") + pwFile,
              QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"),
              QStringLiteral("--no-sync"), QStringLiteral("--encoding=UTF8"),
              QStringLiteral("--locale=C")},
             120000))
      return false;
    m_initialized = true;
    m_port = freePort();
  }
  QString exe;
  const QStringList args =
      asOwner(bin + QStringLiteral("/postgres"),
              {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")),
               QStringLiteral("-p"), QString::number(m_port),
               QStringLiteral("-k"), m_dir.path(),
               QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
               QStringLiteral("-c"), QStringLiteral("fsync=off"),
               QStringLiteral("-c"), QStringLiteral("full_page_writes=off"),
               QStringLiteral("-c"), QStringLiteral("synchronous_commit=off"),
               QStringLiteral("-c"), QStringLiteral("shared_buffers=16MB"),
               QStringLiteral("-c"), QStringLiteral("max_connections=40"),
               QStringLiteral("-c"), QStringLiteral("logging_collector=off")},
              exe);
  m_server = std::make_unique<QProcess>();
  m_server->setProcessChannelMode(QProcess::MergedChannels);
  m_server->setWorkingDirectory(m_dir.path());
  m_server->start(exe, args);
  if (!m_server->waitForStarted(5000)) {
    m_error = QStringLiteral("postgres did not start: ") + m_server->errorString();
    return false;
  }
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 30000) {
    if (m_server->state() != QProcess::Running) break;
    if (psql("SELECT 1", 2000) == "1") return true;
    QThread::msleep(50);
  }
  m_error = QStringLiteral("postgres on port %1 did not accept queries: %2")
                .arg(m_port)
                .arg(QString::fromUtf8(m_server->readAll()));
  return false;
}

void PostgresCluster::stop() {
  if (!m_server) return;
  // postgres runs as the postgres user under setpriv (which execs, so the pid is postgres):
  // SIGINT is a fast shutdown that ends every session at once.
  ::kill(static_cast<pid_t>(m_server->processId()), SIGINT);
  if (!m_server->waitForFinished(15000)) {
    m_server->kill();
    m_server->waitForFinished(5000);
  }
  m_server.reset();
}

bool PostgresCluster::isRunning() const {
  return m_server && m_server->state() == QProcess::Running;
}

QString PostgresCluster::writeDsnFile(const QString& name, const QByteArray& pw) const {
  const QString path = m_dir.filePath(name);
  QFile f(path);
  if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
    f.write("host=127.0.0.1 port=" + QByteArray::number(m_port) + " user=" + kUser +
            " dbname=postgres password=" + (pw.isEmpty() ? password() : pw) + '\n');
  return path;
}

QByteArray PostgresCluster::psql(const QByteArray& sql, int timeoutMs) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(password()));
  env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("5"));
  p.setProcessEnvironment(env);
  p.start(binDir() + QStringLiteral("/psql"),
          {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-At"), QStringLiteral("-h"),
           QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
           QStringLiteral("-U"), QString::fromLatin1(kUser), QStringLiteral("-d"),
           QStringLiteral("postgres"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
           QStringLiteral("-c"), QString::fromUtf8(sql)});
  if (!p.waitForFinished(timeoutMs) || p.exitCode() != 0) {
    p.kill();
    p.waitForFinished(1000);
    m_error = QStringLiteral("psql failed: ") + QString::fromUtf8(p.readAllStandardError());
    return {};
  }
  QByteArray out = p.readAllStandardOutput().trimmed();
  if (out.isNull()) out = QByteArray("");
  return out;
}

} // namespace healthdeck::testing
