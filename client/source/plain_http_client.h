#pragma once
// PlainHttpClient: HTTP/1.1 GET over plain TCP (`http://` only) for the Poller, on Boost.Beast
// (Debian's libboost-dev) with one I/O thread of its own.
//
// Why not QNetworkAccessManager for these: at 1,000 servers every 5 s (600 requests a second),
// Qt 6.4's HTTP stack was 54-62 % of the console's CPU samples; it reads a response's status
// line and headers one byte per read() system call (about 200 system calls per response) and
// posts several signals per reply to the owner's thread. Here a response is read into a 16 KiB
// buffer (usually one read()), parsed by Beast, and handed over in one callback. What this
// client does not do stays with QNAM in the Poller: https, redirects (a 3xx comes back as an
// answer; the Poller asks QNAM again, which follows it), proxies. Compression: gzip only, when
// asked (Request::acceptGzip), inflated here off the caller's thread.
//
// Semantics (RFC 9112): GET with the caller's headers plus Host; keep-alive connections are
// pooled per host and port, at most `maxConnectionsPerHost` in use at once (more requests wait
// their turn, in order); an idle connection is reused for at most kIdleLimit after its last
// answer. A request that fails on a reused connection before any byte of an answer came (the
// server closed it while idle) is sent once more on a new connection. A body is decoded from
// chunked or read to its Content-Length (or to the connection's end), never beyond bodyCap.
// The whole request - resolve, connect, send, answer - is bounded by `timeout`.
//
// Thread-safety: get() may be called from any thread. `done` runs on the client's I/O thread,
// exactly once per request, unless the client is destroyed first (the destructor cancels
// everything in flight and calls no more callbacks). Errors are values in Response, never
// exceptions.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace healthdeck {

class PlainHttpClient {
public:
  static constexpr std::chrono::seconds kIdleLimit{20};

  enum class Failure {
    None,                ///< an answer arrived (whatever its status)
    ConnectionRefused,   ///< every address refused the connection
    HostNotFound,        ///< the name did not resolve
    Timeout,             ///< `timeout` passed before the answer was complete
    ClosedWithoutAnswer, ///< the server closed (or reset) the connection before a status line
    TooLarge,            ///< the body is longer than bodyCap (by Content-Length or as read)
    Other,               ///< anything else; failureText has the system's words
  };

  struct Request {
    std::string host; ///< a name or an address literal (IPv6 without brackets)
    std::uint16_t port = 80;
    std::string target; ///< origin-form: "/health/ready?verbose=1"
    /// Sent as given after Host, in this order; the caller keeps CR and LF out of them.
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t bodyCap = 1024 * 1024; ///< bytes, as sent and (gzip) as inflated
    /// Sends `Accept-Encoding: gzip` and inflates a gzip answer (Content-Encoding: gzip); the
    /// Response then holds the inflated body. A body that does not inflate is Failure::Other.
    bool acceptGzip = false;
    std::chrono::milliseconds timeout{5000}; ///< the whole request
  };

  struct Response {
    Failure failure = Failure::None;
    std::string failureText; ///< the system's words for the failure (empty for None)
    int status = 0;          ///< 0 when no status line arrived
    std::string reason;      ///< the status line's reason phrase
    /// Every response header, in the order received (names as the server spelled them).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body; ///< at most bodyCap bytes; empty on TooLarge
    bool reusedConnection = false;
    /// Milliseconds since get() was called; -1 when the step was not reached (connectStartMs
    /// stays -1 on a reused connection).
    std::int64_t connectStartMs = -1;
    std::int64_t requestSentMs = -1;
    std::int64_t firstByteMs = -1;
    std::int64_t totalMs = -1;

    /// The first header of that name (ASCII case-insensitive), empty when absent.
    std::string header(std::string_view name) const;
  };

  using Done = std::function<void(Response)>;

  explicit PlainHttpClient(int maxConnectionsPerHost = 6);
  ~PlainHttpClient();
  PlainHttpClient(const PlainHttpClient&) = delete;
  PlainHttpClient& operator=(const PlainHttpClient&) = delete;

  void get(Request request, Done done);

  /// Connections open now (in use and idle) - for tests and benchmarks; thread-safe.
  int openConnections() const;

private:
  struct Impl;
  struct Exchange;
  std::unique_ptr<Impl> m_impl;
};

} // namespace healthdeck
