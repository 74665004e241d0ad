#include "item_service.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTcpSocket>

using healthdeck::metrics::AuthResult;
using healthdeck::metrics::HttpMethod;
using healthdeck::metrics::JobResult;
using healthdeck::metrics::LaunchResult;
using healthdeck::metrics::PermissionResult;
using healthdeck::metrics::Protocol;
using healthdeck::metrics::VaultOperation;
using healthdeck::metrics::VaultResult;

namespace {

constexpr qsizetype kMaxRequestBytes = 8192;
// A subscriber that lets this much pile up unsent loses messages instead of growing memory.
constexpr qint64 kMaxQueuedBytes = 64 * 1024;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Time independent of where the first difference is (the token is a secret).
bool sameSecret(const QByteArray& given, const std::string& expected) {
  unsigned diff = given.size() == static_cast<qsizetype>(expected.size()) ? 0u : 1u;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g =
        i < static_cast<std::size_t>(given.size()) ? given[static_cast<qsizetype>(i)] : 0;
    diff |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return diff == 0 && !expected.empty();
}

// Item ids are file names in the data folder: letters, digits, '-' and '_' only.
bool validId(const QByteArray& id) {
  if (id.isEmpty() || id.size() > 64) return false;
  for (const char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

void reply(QTcpSocket* socket, int status, const QByteArray& body) {
  const QByteArray reason = status == 200   ? "OK"
                            : status == 401 ? "Unauthorized"
                            : status == 403 ? "Forbidden"
                            : status == 404 ? "Not Found"
                            : status == 400 ? "Bad Request"
                                            : "Internal Server Error";
  QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                   "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\n\r\n" + body;
  socket->write(out);
  socket->disconnectFromHost();
}

} // namespace

ItemService::ItemService(healthdeck::metrics::Instruments& instruments, std::string token,
                         QString dataDirectory,
                         std::shared_ptr<healthdeck::HeartbeatCheck> purgeHeartbeat,
                         std::shared_ptr<healthdeck::QueueDepthCheck> realtimeQueue,
                         QObject* parent)
    : QObject(parent), m_instruments(instruments), m_token(std::move(token)),
      m_dataDirectory(std::move(dataDirectory)), m_purgeHeartbeat(std::move(purgeHeartbeat)),
      m_realtimeQueue(std::move(realtimeQueue)), m_events(instruments.realtimeStream("events")),
      m_purgeJob(instruments.job("session_purge")),
      m_loginRoute(instruments.httpRoute(HttpMethod::Post, "/api/login")),
      m_logoutRoute(instruments.httpRoute(HttpMethod::Post, "/api/logout/{session}")),
      m_getItemRoute(instruments.httpRoute(HttpMethod::Get, "/api/items/{id}")),
      m_putItemRoute(instruments.httpRoute(HttpMethod::Post, "/api/items/{id}")),
      m_connectRoute(instruments.httpRoute(HttpMethod::Get, "/api/connect/{protocol}")),
      m_eventsRoute(instruments.httpRoute(HttpMethod::Get, "/api/events")),
      // Unknown paths share one template so a scanner cannot create series.
      m_otherRoute(instruments.httpRoute(HttpMethod::Other, "unmatched")) {
  QDir().mkpath(m_dataDirectory + QStringLiteral("/items"));
  QObject::connect(&m_server, &QTcpServer::newConnection, this, &ItemService::onNewConnection);
  QObject::connect(&m_broadcastTimer, &QTimer::timeout, this, &ItemService::broadcast);
  QObject::connect(&m_purgeTimer, &QTimer::timeout, this, &ItemService::purgeSessions);
  m_broadcastTimer.start(100);
  m_purgeTimer.start(1000);
  purgeSessions();
}

bool ItemService::listen(const QHostAddress& address, quint16 port) {
  return m_server.listen(address, port);
}

void ItemService::onNewConnection() {
  while (QTcpSocket* socket = m_server.nextPendingConnection()) {
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
  }
}

void ItemService::onReadyRead(QTcpSocket* socket) {
  if (socket->property("handled").toBool()) {
    socket->readAll(); // a streaming subscriber: nothing more is expected from it
    return;
  }
  QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
  const qsizetype end = buffer.indexOf("\r\n\r\n");
  if (end < 0) {
    if (buffer.size() > kMaxRequestBytes) {
      m_otherRoute.observe(400, 0.0);
      reply(socket, 400, "{\"error\":\"request too large\"}");
    } else {
      socket->setProperty("buffer", buffer);
    }
    return;
  }
  socket->setProperty("handled", true);
  const QList<QByteArray> lines = buffer.left(end).split('\n');
  const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
  Request request;
  request.method = start.value(0);
  request.path = start.value(1);
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QByteArray line = lines[i].trimmed();
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && line.left(colon).trimmed().toLower() == "authorization")
      request.authorization = line.mid(colon + 1).trimmed();
  }
  handle(socket, request);
}

void ItemService::handle(QTcpSocket* socket, const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const QList<QByteArray> parts = request.path.split('/'); // "", "api", name, arg
  const QByteArray name = parts.size() >= 3 && parts[1] == "api" ? parts[2] : QByteArray();
  const QByteArray arg = parts.value(3);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  QByteArray body;
  int status = 404;
  const healthdeck::metrics::HttpRoute* route = &m_otherRoute;

  if (post && name == "login" && parts.size() == 3) {
    route = &m_loginRoute;
    status = login(request, body);
  } else if (post && name == "logout" && parts.size() == 4) {
    route = &m_logoutRoute;
    status = logout(arg, body);
  } else if ((get || post) && name == "items" && parts.size() == 4) {
    route = get ? &m_getItemRoute : &m_putItemRoute;
    status = item(request, arg, body);
  } else if (get && name == "connect" && parts.size() == 4) {
    route = &m_connectRoute;
    status = launch(arg, body);
  } else if (get && name == "events" && parts.size() == 3) {
    m_eventsRoute.observe(200, secondsSince(started));
    subscribe(socket);
    return;
  } else {
    body = "{\"error\":\"no such route\"}";
  }
  route->observe(status, secondsSince(started));
  reply(socket, status, body);
}

int ItemService::login(const Request& request, QByteArray& body) {
  const QByteArray prefix = "Bearer ";
  if (!request.authorization.startsWith(prefix) ||
      !sameSecret(request.authorization.mid(prefix.size()), m_token)) {
    m_instruments.recordAuthAttempt(AuthResult::Failure);
    body = "{\"error\":\"bad credentials\"}";
    return 401;
  }
  m_instruments.recordAuthAttempt(AuthResult::Success);
  const QByteArray id = QByteArray::number(QRandomGenerator::system()->generate64(), 16);
  m_sessions.insert(id, Session{std::chrono::steady_clock::now()});
  m_instruments.sessionOpened();
  body = "{\"session\":\"" + id + "\"}";
  return 200;
}

int ItemService::logout(const QByteArray& session, QByteArray& body) {
  const auto it = m_sessions.find(session);
  if (it == m_sessions.end()) {
    body = "{\"error\":\"no such session\"}";
    return 404;
  }
  m_instruments.observeSessionDuration(secondsSince(it->opened));
  m_instruments.sessionClosed();
  m_sessions.erase(it);
  body = "{}";
  return 200;
}

int ItemService::item(const Request& request, const QByteArray& id, QByteArray& body) {
  // The session id is the bearer credential of item requests.
  const QByteArray session = request.authorization.mid(7);
  if (!request.authorization.startsWith("Bearer ") || !m_sessions.contains(session)) {
    m_instruments.recordPermissionCheck(PermissionResult::Denied);
    body = "{\"error\":\"log in first\"}";
    return 403;
  }
  m_instruments.recordPermissionCheck(PermissionResult::Granted);
  if (!validId(id)) {
    body = "{\"error\":\"bad item id\"}";
    return 400;
  }
  const bool read = request.method == "GET";
  const VaultOperation operation = read ? VaultOperation::Read : VaultOperation::Write;
  const auto started = std::chrono::steady_clock::now();
  QFile file(m_dataDirectory + QStringLiteral("/items/") + QString::fromLatin1(id));
  VaultResult result = VaultResult::Success;
  int status = 200;
  if (read) {
    if (!file.exists()) {
      result = VaultResult::NotFound;
      status = 404;
      body = "{\"error\":\"no such item\"}";
    } else if (!file.open(QIODevice::ReadOnly)) {
      result = VaultResult::Error;
      status = 500;
      body = "{\"error\":\"item unreadable\"}";
    } else {
      body = "{\"id\":\"" + id + "\",\"size\":" + QByteArray::number(file.size()) + "}";
    }
  } else if (!file.open(QIODevice::WriteOnly) ||
             file.write(QByteArray::number(QDateTime::currentSecsSinceEpoch())) < 0) {
    result = VaultResult::Error;
    status = 500;
    body = "{\"error\":\"item not stored\"}";
  } else {
    body = "{\"id\":\"" + id + "\"}";
  }
  m_instruments.recordVaultOperation(operation, result, secondsSince(started));
  return status;
}

int ItemService::launch(const QByteArray& protocol, QByteArray& body) {
  static const QHash<QByteArray, Protocol> kProtocols{{"ssh", Protocol::Ssh},
                                                      {"rdp", Protocol::Rdp},
                                                      {"vnc", Protocol::Vnc},
                                                      {"telnet", Protocol::Telnet},
                                                      {"kubernetes", Protocol::Kubernetes}};
  const auto it = kProtocols.find(protocol);
  if (it == kProtocols.end()) {
    body = "{\"error\":\"unknown protocol\"}";
    return 404;
  }
  // The example launches nothing; it records what a launcher would after starting a client.
  m_instruments.recordConnectionLaunch(*it, LaunchResult::Success);
  body = "{\"launched\":\"" + protocol + "\"}";
  return 200;
}

void ItemService::subscribe(QTcpSocket* socket) {
  socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
                "Connection: close\r\n\r\n");
  m_subscribers.push_back(socket);
  m_instruments.realtimeConnectionOpened();
  m_events.subscribed();
  QObject::connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
    std::erase(m_subscribers, socket);
    m_instruments.realtimeConnectionClosed();
    m_events.unsubscribed();
  });
}

void ItemService::broadcast() {
  const QByteArray message = "data: tick " + QByteArray::number(++m_tick) + "\n\n";
  std::size_t queued = 0;
  for (QTcpSocket* socket : m_subscribers) {
    if (socket->bytesToWrite() > kMaxQueuedBytes) {
      m_events.queueDropped();
    } else if (socket->write(message) != message.size()) {
      m_events.sendFailed();
    }
    queued += static_cast<std::size_t>(socket->bytesToWrite() / message.size());
  }
  if (!m_subscribers.empty()) m_events.broadcast();
  m_instruments.setRealtimeQueueDepth(queued);
  m_realtimeQueue->set(queued);
}

void ItemService::purgeSessions() {
  const auto started = std::chrono::steady_clock::now();
  for (auto it = m_sessions.begin(); it != m_sessions.end();) {
    if (started - it->opened > std::chrono::hours(1)) {
      m_instruments.observeSessionDuration(secondsSince(it->opened));
      m_instruments.sessionClosed();
      it = m_sessions.erase(it);
    } else {
      ++it;
    }
  }
  m_purgeJob.run(JobResult::Success, secondsSince(started));
  m_purgeHeartbeat->beat();
}
