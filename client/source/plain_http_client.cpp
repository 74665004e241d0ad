#include "healthdeck/client/source/plain_http_client.h"

#include "healthdeck/client/parse/exposition_gzip.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>
#include <thread>
#include <unordered_map>

namespace healthdeck {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr std::size_t kReadBuffer =
    std::size_t{16} * 1024;                       // one read() holds a typical health answer
constexpr std::uint32_t kHeaderLimit = 64 * 1024; // Beast's default (8 KiB) is below some servers'

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

/// The connection went away before any byte of an answer.
bool closedBeforeAnswer(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

} // namespace

std::string PlainHttpClient::Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (equalsIgnoringCase(n, name)) return v;
  return {};
}

/// One pooled connection and its read buffer (bytes past an answer make it unusable).
struct PooledConnection {
  explicit PooledConnection(asio::io_context& io) : socket(io) { buffer.reserve(kReadBuffer); }
  tcp::socket socket;
  beast::flat_buffer buffer;
  Clock::time_point idleSince;
};

struct PlainHttpClient::Exchange : std::enable_shared_from_this<Exchange> {
  Exchange(asio::io_context& io, Request r, Done d)
      : request(std::move(r)), done(std::move(d)), started(Clock::now()), timer(io) {
    key = request.host + ':' + std::to_string(request.port);
  }
  std::int64_t ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  }

  Request request;
  Done done;
  Response response;
  Clock::time_point started;
  std::string key;
  asio::steady_timer timer;
  std::unique_ptr<PooledConnection> connection;
  std::optional<tcp::resolver> resolver;
  http::request<http::empty_body> head;
  std::optional<http::response_parser<http::string_body>> parser;
  bool queued = false;
  bool timedOut = false;
  bool finished = false;
  int attempts = 0;
};

struct PlainHttpClient::Impl {
  using ExchangePtr = std::shared_ptr<Exchange>;
  struct Host {
    int inUse = 0;
    std::vector<std::unique_ptr<PooledConnection>> idle;
    std::deque<ExchangePtr> waiting;
  };

  explicit Impl(int perHost) : maxPerHost(std::max(1, perHost)) {}

  void acquire(const ExchangePtr& ex);
  void connect(const ExchangePtr& ex);
  void send(const ExchangePtr& ex);
  void readHeader(const ExchangePtr& ex);
  void readBody(const ExchangePtr& ex);
  void retryOnNewConnection(const ExchangePtr& ex);
  void finish(const ExchangePtr& ex, Failure failure, std::string text, bool reusable = false);
  void closeConnection(std::unique_ptr<PooledConnection>& c);

  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread;
  int maxPerHost;
  std::atomic<int> open{0};
  std::unordered_map<std::string, Host> hosts; // I/O thread only
};

void PlainHttpClient::Impl::closeConnection(std::unique_ptr<PooledConnection>& c) {
  if (!c) return;
  error_code ignored;
  c->socket.shutdown(tcp::socket::shutdown_both, ignored);
  c->socket.close(ignored);
  c.reset();
  open.fetch_sub(1, std::memory_order_relaxed);
}

void PlainHttpClient::Impl::acquire(const ExchangePtr& ex) {
  Host& h = hosts[ex->key];
  const auto now = Clock::now();
  // Idle connections the server has probably closed by now are not worth a failed send.
  while (!h.idle.empty() && now - h.idle.front()->idleSince > kIdleLimit) {
    closeConnection(h.idle.front());
    h.idle.erase(h.idle.begin());
  }
  if (!h.idle.empty()) {
    ex->connection = std::move(h.idle.back());
    h.idle.pop_back();
    ++h.inUse;
    ex->response.reusedConnection = true;
    send(ex);
  } else if (h.inUse < maxPerHost) {
    ++h.inUse;
    connect(ex);
  } else {
    ex->queued = true;
    h.waiting.push_back(ex);
  }
}

void PlainHttpClient::Impl::connect(const ExchangePtr& ex) {
  ex->response.connectStartMs = ex->ms();
  ex->connection = std::make_unique<PooledConnection>(io);
  open.fetch_add(1, std::memory_order_relaxed);
  auto connected = [this, ex](const error_code& ec, const tcp::endpoint&) {
    if (ex->timedOut) return finish(ex, Failure::Timeout, {});
    if (ec == asio::error::connection_refused)
      return finish(ex, Failure::ConnectionRefused, ec.message());
    if (ec) return finish(ex, Failure::Other, ec.message());
    error_code ignored;
    ex->connection->socket.set_option(tcp::no_delay(true), ignored);
    send(ex);
  };
  error_code literal;
  const auto address = asio::ip::make_address(ex->request.host, literal);
  if (!literal) {
    const std::array<tcp::endpoint, 1> one{tcp::endpoint(address, ex->request.port)};
    asio::async_connect(ex->connection->socket, one, connected);
    return;
  }
  ex->resolver.emplace(io);
  ex->resolver->async_resolve(
      ex->request.host, std::to_string(ex->request.port),
      [this, ex, connected](const error_code& ec, const tcp::resolver::results_type& results) {
        if (ex->timedOut) return finish(ex, Failure::Timeout, {});
        if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
            ec == asio::error::no_data)
          return finish(ex, Failure::HostNotFound, ec.message());
        if (ec) return finish(ex, Failure::Other, ec.message());
        asio::async_connect(ex->connection->socket, results, connected);
      });
}

void PlainHttpClient::Impl::send(const ExchangePtr& ex) {
  const Request& r = ex->request;
  ex->head = {};
  ex->head.method(http::verb::get);
  ex->head.target(r.target);
  ex->head.version(11);
  std::string host = r.host.find(':') != std::string::npos ? '[' + r.host + ']' : r.host;
  if (r.port != 80) host += ':' + std::to_string(r.port);
  ex->head.set(http::field::host, host);
  for (const auto& [name, value] : r.headers)
    ex->head.insert(name, value);
  if (r.acceptGzip) ex->head.set(http::field::accept_encoding, "gzip");
  http::async_write(
      ex->connection->socket, ex->head, [this, ex](const error_code& ec, std::size_t) {
        if (ex->timedOut) return finish(ex, Failure::Timeout, {});
        if (ec && ex->response.reusedConnection && ex->attempts == 0)
          return retryOnNewConnection(ex);
        if (ec)
          return finish(ex, closedBeforeAnswer(ec) ? Failure::ClosedWithoutAnswer : Failure::Other,
                        ec.message());
        ex->response.requestSentMs = ex->ms();
        readHeader(ex);
      });
}

void PlainHttpClient::Impl::readHeader(const ExchangePtr& ex) {
  ex->parser.emplace();
  ex->parser->body_limit(ex->request.bodyCap);
  ex->parser->header_limit(kHeaderLimit);
  PooledConnection& c = *ex->connection;
  http::async_read_header(
      c.socket, c.buffer, *ex->parser, [this, ex](const error_code& ec, std::size_t) {
        if (ex->timedOut) return finish(ex, Failure::Timeout, {});
        if (ec == http::error::body_limit) return finish(ex, Failure::TooLarge, ec.message());
        if (ec && closedBeforeAnswer(ec) && !ex->parser->got_some()) {
          if (ex->response.reusedConnection && ex->attempts == 0) return retryOnNewConnection(ex);
          return finish(ex, Failure::ClosedWithoutAnswer, ec.message());
        }
        if (ec) return finish(ex, Failure::Other, ec.message());
        ex->response.firstByteMs = ex->ms();
        const auto& message = ex->parser->get();
        ex->response.status = static_cast<int>(message.result_int());
        ex->response.reason = std::string(message.reason());
        for (const auto& field : message)
          ex->response.headers.emplace_back(std::string(field.name_string()),
                                            std::string(field.value()));
        if (ex->parser->is_done())
          return finish(ex, Failure::None, {}, message.keep_alive() && !ex->parser->need_eof());
        readBody(ex);
      });
}

void PlainHttpClient::Impl::readBody(const ExchangePtr& ex) {
  PooledConnection& c = *ex->connection;
  http::async_read(c.socket, c.buffer, *ex->parser, [this, ex](const error_code& ec, std::size_t) {
    if (ex->timedOut) return finish(ex, Failure::Timeout, {});
    if (ec == http::error::body_limit) return finish(ex, Failure::TooLarge, ec.message());
    if (ec) return finish(ex, Failure::Other, ec.message());
    auto& message = ex->parser->get();
    // A body delimited by the connection's end leaves nothing to reuse.
    const bool reusable = message.keep_alive() && !ex->parser->need_eof();
    ex->response.body = std::move(message.body());
    if (ex->request.acceptGzip && !ex->response.body.empty() &&
        equalsIgnoringCase(ex->response.header("Content-Encoding"), "gzip")) {
      std::string inflated;
      std::string error;
      if (!client::gunzip(ex->response.body, inflated, error, ex->request.bodyCap)) {
        const bool tooLarge = error.rfind("decompressed body exceeds", 0) == 0;
        return finish(ex, tooLarge ? Failure::TooLarge : Failure::Other,
                      tooLarge ? error : "gzip body: " + error, reusable);
      }
      ex->response.body = std::move(inflated);
    }
    finish(ex, Failure::None, {}, reusable);
  });
}

void PlainHttpClient::Impl::retryOnNewConnection(const ExchangePtr& ex) {
  ++ex->attempts;
  closeConnection(ex->connection);
  ex->response.reusedConnection = false;
  connect(ex); // the host's slot stays with this request
}

void PlainHttpClient::Impl::finish(const ExchangePtr& ex, Failure failure, std::string text,
                                   bool reusable) {
  if (ex->finished) return;
  ex->finished = true;
  ex->timer.cancel();
  if (ex->resolver) ex->resolver->cancel();
  Response& r = ex->response;
  r.failure = failure;
  r.failureText = std::move(text);
  r.totalMs = ex->ms();
  if (failure == Failure::TooLarge) r.body.clear();
  {
    Host& h = hosts[ex->key];
    if (ex->connection) {
      --h.inUse;
      // Bytes after the answer (a server that pipelined or misframed) make the connection
      // unusable for the next request.
      if (reusable && failure == Failure::None && ex->connection->buffer.size() == 0) {
        ex->connection->idleSince = Clock::now();
        h.idle.push_back(std::move(ex->connection));
      } else {
        closeConnection(ex->connection);
      }
    }
  }
  ex->parser.reset();
  Done done = std::move(ex->done);
  if (done) done(std::move(r));
  // Requests waiting for this host get the freed slot (looked up again: `done` may add hosts).
  Host& h = hosts[ex->key];
  while (!h.waiting.empty() && (!h.idle.empty() || h.inUse < maxPerHost)) {
    ExchangePtr next = std::move(h.waiting.front());
    h.waiting.pop_front();
    next->queued = false;
    acquire(next);
  }
}

PlainHttpClient::PlainHttpClient(int maxConnectionsPerHost)
    : m_impl(std::make_unique<Impl>(maxConnectionsPerHost)) {
  m_impl->thread = std::thread([impl = m_impl.get()] {
    pthread_setname_np(pthread_self(), "healthdeck-http"); // for top -H and perf
    impl->io.run();
  });
}

PlainHttpClient::~PlainHttpClient() {
  m_impl->work.reset();
  m_impl->io.stop();
  m_impl->thread.join();
  // Pooled and waiting requests go first; handlers still queued die with the io_context.
  m_impl->hosts.clear();
}

void PlainHttpClient::get(Request request, Done done) {
  auto ex = std::make_shared<Exchange>(m_impl->io, std::move(request), std::move(done));
  Impl* impl = m_impl.get();
  asio::post(impl->io, [impl, ex] {
    ex->timer.expires_after(ex->request.timeout);
    ex->timer.async_wait([impl, ex](const error_code& ec) {
      if (ec || ex->finished) return; // cancelled: the request finished first
      ex->timedOut = true;
      if (ex->queued) {
        auto& waiting = impl->hosts[ex->key].waiting;
        waiting.erase(std::remove(waiting.begin(), waiting.end(), ex), waiting.end());
        ex->queued = false;
        return impl->finish(ex, Failure::Timeout, {});
      }
      // Whatever is in progress completes with operation_aborted and sees timedOut.
      if (ex->resolver) ex->resolver->cancel();
      if (ex->connection) {
        error_code ignored;
        ex->connection->socket.cancel(ignored);
        ex->connection->socket.close(ignored);
      }
    });
    impl->acquire(ex);
  });
}

int PlainHttpClient::openConnections() const {
  return m_impl->open.load(std::memory_order_relaxed);
}

} // namespace healthdeck
