#pragma once
// A deliberately small HTTP/1.1 client over a raw QTcpSocket, for tests that must see the
// wire: exact status lines and headers, HEAD without a body, keep-alive reuse, malformed
// requests and half-sent headers. Synchronous (waitFor*), usable without an event loop.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>

#include <memory>

namespace healthdeck::testing {

struct HttpReply {
  int status = 0; // 0 → no parsable answer (see error)
  QByteArray statusLine;
  QList<QPair<QByteArray, QByteArray>> headers;
  QByteArray body;
  bool closedByServer = false; // the server closed the connection after this reply
  QByteArray error;

  /// First header of that name (case-insensitive), or a null QByteArray.
  QByteArray header(const QByteArray& name) const;
  bool hasHeader(const QByteArray& name) const { return !header(name).isNull(); }
};

class HttpConnection {
public:
  explicit HttpConnection(quint16 port, int timeoutMs = 5000);
  bool isConnected() const;
  /// Sends raw bytes as they are (for malformed or partial requests).
  bool sendRaw(const QByteArray& bytes);
  /// Reads one reply. `head` → the reply has no body whatever Content-Length says.
  HttpReply readReply(bool head = false, int timeoutMs = 5000);
  /// Builds and sends "METHOD path HTTP/1.1" with Host and the given headers, then reads.
  HttpReply request(const QByteArray& method, const QByteArray& path,
                    const QList<QPair<QByteArray, QByteArray>>& headers = {}, int timeoutMs = 5000);
  /// True when the server closed the connection within timeoutMs (reads and drops data).
  bool waitForClose(int timeoutMs);

private:
  std::unique_ptr<QTcpSocket> m_socket;
  QByteArray m_pending;
};

/// One request on a fresh connection.
HttpReply httpRequest(quint16 port, const QByteArray& method, const QByteArray& path,
                      const QList<QPair<QByteArray, QByteArray>>& headers = {},
                      int timeoutMs = 5000);

/// Decompresses a gzip member (for checking Content-Encoding: gzip bodies).
QByteArray gunzip(const QByteArray& data, bool* ok = nullptr);

} // namespace healthdeck::testing
