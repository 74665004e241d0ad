#include "tests/support/redis_server.h"

#include "tests/support/ports.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

namespace healthdeck::testing {

namespace {

QByteArray encode(const QList<QByteArray>& args) {
  QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
  for (const QByteArray& a : args)
    out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// Reads one RESP reply (simple, error, integer, bulk; arrays are flattened with newlines).
bool readReply(QTcpSocket& s, QByteArray& buffer, QByteArray& out, const QElapsedTimer& t,
               int timeoutMs) {
  const auto need = [&](qsizetype n) {
    while (buffer.size() < n) {
      const int left = timeoutMs - static_cast<int>(t.elapsed());
      if (left <= 0 || !s.waitForReadyRead(left)) return false;
      buffer += s.readAll();
    }
    return true;
  };
  const auto line = [&](QByteArray& l) {
    for (;;) {
      const qsizetype end = buffer.indexOf("\r\n");
      if (end >= 0) {
        l = buffer.left(end);
        buffer.remove(0, end + 2);
        return true;
      }
      if (!need(buffer.size() + 1)) return false;
    }
  };
  QByteArray l;
  if (!line(l) || l.isEmpty()) return false;
  const char kind = l[0];
  const QByteArray rest = l.mid(1);
  switch (kind) {
  case '+':
  case ':': out += rest; return true;
  case '-': out += "ERR:" + rest; return true;
  case '$': {
    const int n = rest.toInt();
    if (n < 0) return true;
    if (!need(n + 2)) return false;
    out += buffer.left(n);
    buffer.remove(0, n + 2);
    return true;
  }
  case '*': {
    const int n = rest.toInt();
    for (int i = 0; i < n; ++i) {
      if (i) out += '\n';
      if (!readReply(s, buffer, out, t, timeoutMs)) return false;
    }
    return true;
  }
  default: return false;
  }
}

long long infoField(const QByteArray& info, const QByteArray& key) {
  for (const QByteArray& line : info.split('\n')) {
    if (line.startsWith(QByteArray(key + ':')))
      return line.mid(key.size() + 1).trimmed().toLongLong();
  }
  return -2;
}

} // namespace

RedisServer::RedisServer(QByteArray password) : m_password(std::move(password)) {}

RedisServer::~RedisServer() {
  if (m_process) {
    m_process->kill();
    m_process->waitForFinished(5000);
  }
}

QString RedisServer::executable() {
  return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
}

QByteArray RedisServer::address() const {
  return "127.0.0.1:" + QByteArray::number(m_port);
}

QString RedisServer::passwordFile() const {
  const QString path = m_dir.filePath(QStringLiteral("redis.password"));
  if (!QFile::exists(path)) {
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(m_password + '\n');
  }
  return path;
}

bool RedisServer::isRunning() const {
  return m_process && m_process->state() == QProcess::Running;
}

bool RedisServer::start() {
  if (isRunning()) return true;
  const QString exe = executable();
  if (exe.isEmpty()) {
    m_error = QStringLiteral("redis-server is not installed (scripts/deps.sh installs it)");
    return false;
  }
  if (m_port == 0) m_port = freePort();
  QStringList args{QStringLiteral("--port"),
                   QString::number(m_port),
                   QStringLiteral("--bind"),
                   QStringLiteral("127.0.0.1"),
                   QStringLiteral("--save"),
                   QString(),
                   QStringLiteral("--appendonly"),
                   QStringLiteral("no"),
                   QStringLiteral("--daemonize"),
                   QStringLiteral("no"),
                   QStringLiteral("--dir"),
                   m_dir.path(),
                   QStringLiteral("--enable-debug-command"),
                   QStringLiteral("yes"),
                   QStringLiteral("--loglevel"),
                   QStringLiteral("warning")};
  if (!m_password.isEmpty())
    args << QStringLiteral("--requirepass") << QString::fromUtf8(m_password);
  m_process = std::make_unique<QProcess>();
  m_process->setProcessChannelMode(QProcess::MergedChannels);
  m_process->start(exe, args);
  if (!m_process->waitForStarted(5000)) {
    m_error = QStringLiteral("redis-server did not start: ") + m_process->errorString();
    return false;
  }
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < 10000) {
    if (command({QByteArrayLiteral("PING")}, 500) == "PONG") return true;
    if (m_process->state() != QProcess::Running) break;
    QThread::msleep(20);
  }
  m_error = QStringLiteral("redis-server on port %1 did not answer PING: %2")
                .arg(m_port)
                .arg(QString::fromUtf8(m_process->readAll()));
  return false;
}

void RedisServer::stop() {
  if (!m_process) return;
  m_process->terminate();
  if (!m_process->waitForFinished(5000)) {
    m_process->kill();
    m_process->waitForFinished(5000);
  }
  m_process.reset();
}

QByteArray RedisServer::command(const QList<QByteArray>& args, int timeoutMs) const {
  QTcpSocket s;
  QElapsedTimer t;
  t.start();
  s.connectToHost(QStringLiteral("127.0.0.1"), m_port);
  if (!s.waitForConnected(timeoutMs)) return {};
  QByteArray wire;
  if (!m_password.isEmpty()) wire += encode({QByteArrayLiteral("AUTH"), m_password});
  wire += encode(args);
  s.write(wire);
  QByteArray buffer;
  QByteArray out;
  if (!m_password.isEmpty()) {
    QByteArray auth;
    if (!readReply(s, buffer, auth, t, timeoutMs) || auth != "OK") return {};
  }
  if (!readReply(s, buffer, out, t, timeoutMs)) return {};
  return out;
}

long long RedisServer::commandCalls(const QByteArray& name) const {
  const QByteArray info = command({QByteArrayLiteral("INFO"), QByteArrayLiteral("commandstats")});
  if (info.isEmpty()) return -1;
  for (const QByteArray& line : info.split('\n')) {
    if (!line.startsWith(QByteArray("cmdstat_" + name + ':'))) continue;
    const qsizetype at = line.indexOf("calls=");
    if (at < 0) return -1;
    return line.mid(at + 6, line.indexOf(',', at) - at - 6).toLongLong();
  }
  return 0;
}

long long RedisServer::connectionsReceived() const {
  const QByteArray info = command({QByteArrayLiteral("INFO"), QByteArrayLiteral("stats")});
  if (info.isEmpty()) return -1;
  const long long v = infoField(info, QByteArrayLiteral("total_connections_received"));
  return v < 0 ? -1 : v;
}

} // namespace healthdeck::testing
