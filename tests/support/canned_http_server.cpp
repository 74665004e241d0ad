#include "tests/support/canned_http_server.h"

#include <QProcess>
#include <QSslSocket>

#include <sys/socket.h>

namespace healthdeck::testing {

namespace {

QByteArray reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 204: return "No Content";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "Status";
  }
}

} // namespace

CannedHttpServer::CannedHttpServer(QObject* parent) : QTcpServer(parent) {}

bool CannedHttpServer::start() {
  return listen(QHostAddress::LocalHost, 0);
}

void CannedHttpServer::setTls(const QSslCertificate& cert, const QSslKey& key) {
  m_cert = cert;
  m_key = key;
  m_tls = true;
}

void CannedHttpServer::setResponse(const QString& path, const Response& response) {
  m_responses.insert(path, response);
}

QUrl CannedHttpServer::baseUrl() const {
  return QUrl(QStringLiteral("%1://127.0.0.1:%2")
                  .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                  .arg(serverPort()));
}

void CannedHttpServer::incomingConnection(qintptr fd) {
  QTcpSocket* socket = nullptr;
  if (m_tls) {
    auto* ssl = new QSslSocket(this);
    if (!ssl->setSocketDescriptor(fd)) {
      delete ssl;
      return;
    }
    ssl->setLocalCertificate(m_cert);
    ssl->setPrivateKey(m_key);
    ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
    // A client that refuses the certificate just drops the connection.
    connect(ssl, &QSslSocket::sslErrors, ssl, [ssl] { ssl->ignoreSslErrors(); });
    ssl->startServerEncryption();
    socket = ssl;
  } else {
    socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(fd)) {
      delete socket;
      return;
    }
  }
  connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
  connect(socket, &QObject::destroyed, this, [this, socket] { m_connections.remove(socket); });
  connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
}

void CannedHttpServer::serve(QTcpSocket* socket) {
  Connection& conn = m_connections[socket];
  conn.buffer += socket->readAll();
  const qsizetype end = conn.buffer.indexOf("\r\n\r\n");
  if (end < 0 || conn.served) return;
  conn.served = true;
  const QByteArray buf = conn.buffer;
  m_lastHead = buf.left(end);
  ++m_requests;
  const QList<QByteArray> requestLine = buf.left(buf.indexOf("\r\n")).split(' ');
  QString path = requestLine.size() >= 2 ? QString::fromLatin1(requestLine[1]) : QString();
  const qsizetype q = path.indexOf(QLatin1Char('?'));
  if (q >= 0) path.truncate(q);
  Q_EMIT requestReceived(path);

  if (m_mode == Mode::NeverAnswer) return;
  if (m_mode == Mode::Reset) {
    // SO_LINGER 0 turns close() into a TCP RST.
    struct linger lin {
      1, 0
    };
    ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lin,
                 sizeof lin);
    socket->abort();
    return;
  }
  Response r;
  r.status = 404;
  r.contentType = "text/plain";
  auto it = m_responses.constFind(path);
  if (it != m_responses.constEnd()) r = *it;
  QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reason(r.status) + "\r\n";
  if (!r.contentType.isEmpty()) out += "Content-Type: " + r.contentType + "\r\n";
  out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\nConnection: close\r\n";
  for (const auto& h : r.headers)
    out += h.first + ": " + h.second + "\r\n";
  out += "\r\n";
  out += r.body;
  socket->write(out);
  socket->disconnectFromHost();
}

bool makeSelfSignedCertificate(const QString& dir, QString* certPath, QString* keyPath,
                               QString* error) {
  *certPath = dir + QStringLiteral("/cert.pem");
  *keyPath = dir + QStringLiteral("/key.pem");
  QProcess p;
  p.start(QStringLiteral("openssl"),
          {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
           QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
           QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
           QStringLiteral("-keyout"), *keyPath, QStringLiteral("-out"), *certPath,
           QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
           QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
           QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
  if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
    *error = QStringLiteral("openssl req failed: ") +
             QString::fromLocal8Bit(p.readAllStandardError()) + p.errorString();
    return false;
  }
  return true;
}

} // namespace healthdeck::testing
