#pragma once
// ItemService: the example service's own HTTP API, next to the monitoring routes that the
// embedded healthdeck::MonitoringModule serves on its own port. Every request is measured
// with the standard instruments of <healthdeck/metrics/instruments.h>:
//   POST /api/login            (Authorization: Bearer TOKEN)  auth attempts, sessions
//   POST /api/logout/{session}                                  session duration
//   GET  /api/items/{id}, POST /api/items/{id}                  permission checks, vault ops
//   GET  /api/connect/{protocol}                                connection launches
//   GET  /api/events           (server-sent events)            realtime connections,
//                                                               broadcasts, send failures, drops
// plus HTTP latency by route template for all of them, and a maintenance job (session purge)
// that beats a HeartbeatCheck.
//
// Contract: lives in the thread of its QCoreApplication; every slot runs there. The token is
// read from a file by the caller (never from the command line). Responses close the
// connection (HTTP/1.1 with `Connection: close`), except /api/events which streams.

#include <healthdeck/health/heartbeat_check.h>
#include <healthdeck/health/queue_depth_check.h>
#include <healthdeck/metrics/instruments.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QTimer>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

class QTcpSocket;

class ItemService : public QObject {
  Q_OBJECT
public:
  ItemService(healthdeck::metrics::Instruments& instruments, std::string token,
              QString dataDirectory, std::shared_ptr<healthdeck::HeartbeatCheck> purgeHeartbeat,
              std::shared_ptr<healthdeck::QueueDepthCheck> realtimeQueue,
              QObject* parent = nullptr);

  /// Binds the API; false with errorString() when the address is taken.
  bool listen(const QHostAddress& address, quint16 port);
  quint16 port() const { return m_server.serverPort(); }
  QString errorString() const { return m_server.errorString(); }

private:
  struct Request {
    QByteArray method;
    QByteArray path;
    QByteArray authorization;
  };
  struct Session {
    std::chrono::steady_clock::time_point opened;
  };

  void onNewConnection();
  void onReadyRead(QTcpSocket* socket);
  void handle(QTcpSocket* socket, const Request& request);
  int login(const Request& request, QByteArray& body);
  int logout(const QByteArray& session, QByteArray& body);
  int item(const Request& request, const QByteArray& id, QByteArray& body);
  int launch(const QByteArray& protocol, QByteArray& body);
  void subscribe(QTcpSocket* socket);
  void broadcast();
  void purgeSessions();

  healthdeck::metrics::Instruments& m_instruments;
  std::string m_token;
  QString m_dataDirectory;
  std::shared_ptr<healthdeck::HeartbeatCheck> m_purgeHeartbeat;
  std::shared_ptr<healthdeck::QueueDepthCheck> m_realtimeQueue;
  QTcpServer m_server;
  QHash<QByteArray, Session> m_sessions;
  std::vector<QTcpSocket*> m_subscribers;
  healthdeck::metrics::RealtimeStream m_events;
  healthdeck::metrics::Job m_purgeJob;
  // Route handles, bound once (binding takes a lock; observing does not).
  healthdeck::metrics::HttpRoute m_loginRoute;
  healthdeck::metrics::HttpRoute m_logoutRoute;
  healthdeck::metrics::HttpRoute m_getItemRoute;
  healthdeck::metrics::HttpRoute m_putItemRoute;
  healthdeck::metrics::HttpRoute m_connectRoute;
  healthdeck::metrics::HttpRoute m_eventsRoute;
  healthdeck::metrics::HttpRoute m_otherRoute;
  QTimer m_broadcastTimer;
  QTimer m_purgeTimer;
  quint64 m_tick = 0;
};
