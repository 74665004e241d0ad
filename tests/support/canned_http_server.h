#pragma once
// CannedHttpServer: a small HTTP/1.1 responder on 127.0.0.1 for client tests. It serves
// canned status codes and payloads per path, and can misbehave on purpose: never answer,
// reset the connection after reading the request, or speak TLS with a given certificate.
// Lives in the thread that created it (needs that thread's event loop); one connection per
// request ("Connection: close").

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrl>

namespace healthdeck::testing {

class CannedHttpServer : public QTcpServer {
  Q_OBJECT
public:
  enum class Mode { Answer, NeverAnswer, Reset };
  struct Response {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
  };

  explicit CannedHttpServer(QObject* parent = nullptr);

  /// Listens on 127.0.0.1:0; false on failure.
  bool start();
  /// Serves TLS with this certificate and key from now on.
  void setTls(const QSslCertificate& cert, const QSslKey& key);
  void setMode(Mode mode) { m_mode = mode; }
  /// Response for a path (query ignored); unknown paths answer 404 with an empty body.
  void setResponse(const QString& path, const Response& response);

  QUrl baseUrl() const;
  int requestCount() const { return m_requests; }
  /// Raw request head (request line + headers) of the last request.
  QByteArray lastRequestHead() const { return m_lastHead; }

Q_SIGNALS:
  void requestReceived(const QString& path);

protected:
  void incomingConnection(qintptr fd) override;

private:
  void serve(QTcpSocket* socket);
  struct Connection {
    QByteArray buffer;
    bool served = false;
  };

  QHash<QTcpSocket*, Connection> m_connections;

  Mode m_mode = Mode::Answer;
  QHash<QString, Response> m_responses;
  QSslCertificate m_cert;
  QSslKey m_key;
  bool m_tls = false;
  int m_requests = 0;
  QByteArray m_lastHead;
};

/// Writes a fresh self-signed certificate for CN=localhost (SAN localhost, 127.0.0.1) and its
/// key into `dir` with `openssl req -x509`; returns false (with the reason in `error`) if
/// openssl is missing or fails.
bool makeSelfSignedCertificate(const QString& dir, QString* certPath, QString* keyPath,
                               QString* error);

} // namespace healthdeck::testing
