#include "tests/support/http_client.h"

#include <QElapsedTimer>
#include <QHostAddress>

#include "healthdeck/client/parse/exposition_gzip.h"

namespace healthdeck::testing {

QByteArray HttpReply::header(const QByteArray& name) const {
  for (const auto& h : headers)
    if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
  return {};
}

HttpConnection::HttpConnection(quint16 port, int timeoutMs)
    : m_socket(std::make_unique<QTcpSocket>()) {
  m_socket->connectToHost(QHostAddress::LocalHost, port);
  m_socket->waitForConnected(timeoutMs);
}

bool HttpConnection::isConnected() const {
  return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool HttpConnection::sendRaw(const QByteArray& bytes) {
  if (!isConnected()) return false;
  if (m_socket->write(bytes) != bytes.size()) return false;
  while (m_socket->bytesToWrite() > 0)
    if (!m_socket->waitForBytesWritten(5000)) return false;
  return true;
}

HttpReply HttpConnection::readReply(bool head, int timeoutMs) {
  HttpReply reply;
  QElapsedTimer timer;
  timer.start();
  const auto remaining = [&] { return std::max<qint64>(1, timeoutMs - timer.elapsed()); };
  const auto fill = [&]() -> bool {
    if (m_socket->bytesAvailable() == 0 && !m_socket->waitForReadyRead(int(remaining()))) {
      if (m_socket->state() != QAbstractSocket::ConnectedState) reply.closedByServer = true;
      return false;
    }
    m_pending += m_socket->readAll();
    return true;
  };
  qsizetype end = -1;
  while ((end = m_pending.indexOf("\r\n\r\n")) < 0) {
    if (timer.elapsed() >= timeoutMs || !fill()) {
      reply.error = reply.closedByServer ? "closed before a complete header" : "timeout";
      return reply;
    }
  }
  const QByteArray head_ = m_pending.left(end);
  m_pending.remove(0, end + 4);
  const QList<QByteArray> lines = head_.split('\n');
  reply.statusLine = lines.value(0).trimmed();
  const QList<QByteArray> parts = reply.statusLine.split(' ');
  if (parts.size() < 2 || !parts[0].startsWith("HTTP/")) {
    reply.error = "bad status line";
    return reply;
  }
  reply.status = parts[1].toInt();
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QByteArray line = lines[i].trimmed();
    const auto colon = line.indexOf(':');
    if (colon > 0)
      reply.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
  }
  if (head || reply.status == 204 || reply.status == 304) {
    reply.closedByServer = reply.header("Connection").compare("close", Qt::CaseInsensitive) == 0;
    return reply;
  }
  const QByteArray lengthText = reply.header("Content-Length");
  if (!lengthText.isNull()) {
    const qsizetype length = lengthText.toLongLong();
    while (m_pending.size() < length) {
      if (timer.elapsed() >= timeoutMs || !fill()) {
        reply.error = "short body";
        reply.body = m_pending;
        return reply;
      }
    }
    reply.body = m_pending.left(length);
    m_pending.remove(0, length);
  } else {
    while (fill()) {
    }
    reply.body = m_pending;
    m_pending.clear();
  }
  if (reply.header("Connection").compare("close", Qt::CaseInsensitive) == 0)
    reply.closedByServer = true;
  return reply;
}

HttpReply HttpConnection::request(const QByteArray& method, const QByteArray& path,
                                  const QList<QPair<QByteArray, QByteArray>>& headers,
                                  int timeoutMs) {
  QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers)
    raw += h.first + ": " + h.second + "\r\n";
  raw += "\r\n";
  if (!sendRaw(raw)) {
    HttpReply reply;
    reply.error = "not connected";
    return reply;
  }
  return readReply(method == "HEAD", timeoutMs);
}

bool HttpConnection::waitForClose(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < timeoutMs) {
    if (m_socket->state() != QAbstractSocket::ConnectedState) return true;
    if (m_socket->waitForReadyRead(int(std::max<qint64>(1, timeoutMs - timer.elapsed()))))
      m_socket->readAll();
    else if (m_socket->state() != QAbstractSocket::ConnectedState ||
             m_socket->error() == QAbstractSocket::RemoteHostClosedError)
      return true;
  }
  return m_socket->state() != QAbstractSocket::ConnectedState;
}

HttpReply httpRequest(quint16 port, const QByteArray& method, const QByteArray& path,
                      const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs) {
  HttpConnection conn(port, timeoutMs);
  if (!conn.isConnected()) {
    HttpReply reply;
    reply.error = "connect failed";
    return reply;
  }
  return conn.request(method, path, headers, timeoutMs);
}

QByteArray gunzip(const QByteArray& data, bool* ok) {
  // The wire format must be gzip itself: the core decoder also takes zlib, a test must not.
  const std::string_view in(data.constData(), static_cast<std::size_t>(data.size()));
  std::string out;
  std::string error;
  const bool good = client::looksGzipped(in) && client::gunzip(in, out, error);
  if (ok) *ok = good;
  return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
}

} // namespace healthdeck::testing
