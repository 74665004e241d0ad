#include "healthdeck/exporter/exporter.h"

#include "healthdeck/exporter/basic_auth.h"
#include "healthdeck/exporter/exporter_metrics.h"
#include "healthdeck/exporter/gzip_encoder.h"
#include "healthdeck/exporter/http_request.h"
#include "healthdeck/exporter/http_util.h"
#include "healthdeck/exporter/tls_context.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/health/probe_conventions.h"
#include "healthdeck/health/report.h"
#include "healthdeck/metrics/registry.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>

#include <arpa/inet.h>

#include <array>
#include <atomic>
#include <charconv>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>
#include <thread>

namespace healthdeck {

using namespace std::string_view_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kHealthJsonType = "application/health+json";
constexpr std::string_view kTextType = "text/plain; charset=utf-8";
// Room reserved in front of a body so the header can be placed before it and the whole
// response leaves in one write (one segment with TCP_NODELAY), without copying the body.
constexpr std::size_t kHeaderRoom = 1024;
// Buffers a connection keeps between requests; a larger page's buffer is released.
constexpr std::size_t kKeepBuffer = 1u << 20;

enum class Route { None, Metrics, Health, Live, Ready };

std::string_view reasonPhrase(int status) noexcept {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 414: return "URI Too Long";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 503: return "Service Unavailable";
  case 505: return "HTTP Version Not Supported";
  default: return "Unknown";
  }
}

void appendNumber(std::string& out, std::size_t value) {
  std::array<char, 24> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out.append(buf.data(), res.ptr);
}

/// RFC 9110 IMF-fixdate of the current second, formatted once per second per thread.
std::string_view httpDate() {
  thread_local std::time_t cachedSecond = 0;
  thread_local std::array<char, 40> cached{};
  thread_local std::size_t cachedLen = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cachedSecond || cachedLen == 0) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    cachedLen = std::strftime(cached.data(), cached.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cachedSecond = now;
  }
  return {cached.data(), cachedLen};
}

struct Response {
  int status = 200;
  std::string_view contentType;
  std::string_view contentEncoding; // empty → identity
  std::string_view extraHeaders;    // complete "Name: value\r\n" lines
  bool keepAlive = true;
  bool head = false;
};

void appendHeader(std::string& out, const Response& r, std::size_t bodySize,
                  std::string_view commonHeaders) {
  out += "HTTP/1.1 "sv;
  appendNumber(out, static_cast<std::size_t>(r.status));
  out += ' ';
  out += reasonPhrase(r.status);
  out += "\r\nDate: "sv;
  out += httpDate();
  if (!r.contentType.empty()) {
    out += "\r\nContent-Type: "sv;
    out += r.contentType;
  }
  if (!r.contentEncoding.empty()) {
    out += "\r\nContent-Encoding: "sv;
    out += r.contentEncoding;
  }
  out += "\r\nContent-Length: "sv;
  appendNumber(out, bodySize);
  out += r.keepAlive ? "\r\nConnection: keep-alive\r\n"sv : "\r\nConnection: close\r\n"sv;
  out += r.extraHeaders;
  out += commonHeaders;
  out += "\r\n"sv;
}

struct ListenAddress {
  std::string host; // dotted IPv4
  int port = 0;
};

ListenAddress parseListen(const std::string& listen) {
  const auto fail = [&](const std::string& why) -> ExporterError {
    return ExporterError("monitoring.listen", "'" + listen + "': " + why);
  };
  if (!listen.empty() && listen.front() == '[')
    throw fail("IPv6 addresses are not supported; use an IPv4 address");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw fail("expected HOST:PORT");
  std::string host = listen.substr(0, colon);
  const std::string portText = listen.substr(colon + 1);
  int port = -1;
  const auto res = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (portText.empty() || res.ec != std::errc{} || res.ptr != portText.data() + portText.size() ||
      port < 0 || port > 65535)
    throw fail("port must be a number from 0 to 65535");
  if (host.empty() || host == "*") host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  in_addr addr{};
  if (host.find(':') != std::string::npos)
    throw fail("IPv6 addresses are not supported; use an IPv4 address");
  if (inet_pton(AF_INET, host.c_str(), &addr) != 1)
    throw fail("host must be an IPv4 address or 'localhost'");
  return {host, port};
}

} // namespace

ExporterError::ExporterError(std::string key, const std::string& message)
    : std::runtime_error(key + ": " + message), m_key(std::move(key)) {}

ExporterOptions ExporterOptions::fromConfig(const MonitoringConfig& config) {
  ExporterOptions o;
  // The loader has resolved the host (hostnames included) to an IPv4 address.
  o.listen = config.listenAddress + ":" + std::to_string(config.listenPort);
  o.metricsEnabled = config.prometheus.enabled;
  o.metricsPath = config.prometheus.endpoint;
  o.healthEnabled = config.health.enabled;
  o.healthPath = config.health.healthPath;
  o.livePath = config.health.livePath;
  o.readyPath = config.health.readyPath;
  o.bearerTokenFile = config.auth.bearerTokenFile;
  o.showDetails = config.auth.showDetails;
  o.tls.certFile = config.tls.certFile;
  o.tls.keyFile = config.tls.keyFile;
  o.kubernetesAliases = config.health.kubernetesAliases;
  if (config.webConfig) applyWebConfig(o, *config.webConfig);
  return o;
}

void applyWebConfig(ExporterOptions& o, const WebConfig& web) {
  const WebConfig::TlsServer& t = web.tls;
  if (t.enabled()) {
    TlsServerOptions tls;
    tls.certFile = t.certFile;
    tls.keyFile = t.keyFile;
    if (tls.certFile.empty()) tls.certPem = t.certPem;
    if (tls.keyFile.empty()) tls.keyPem = t.keyPem;
    tls.clientCaFile = t.clientCaFile;
    if (tls.clientCaFile.empty()) tls.clientCaPem = t.clientCaPem;
    switch (t.clientAuth) {
    case ClientAuthType::NoClientCert: tls.clientAuth = TlsClientAuth::NoClientCert; break;
    case ClientAuthType::RequestClientCert:
      tls.clientAuth = TlsClientAuth::RequestClientCert;
      break;
    case ClientAuthType::RequireAnyClientCert:
      tls.clientAuth = TlsClientAuth::RequireAnyClientCert;
      break;
    case ClientAuthType::VerifyClientCertIfGiven:
      tls.clientAuth = TlsClientAuth::VerifyClientCertIfGiven;
      break;
    case ClientAuthType::RequireAndVerifyClientCert:
      tls.clientAuth = TlsClientAuth::RequireAndVerifyClientCert;
      break;
    }
    tls.clientAllowedSans = t.clientAllowedSans;
    tls.minVersion = static_cast<int>(t.minVersion);
    tls.maxVersion = static_cast<int>(t.maxVersion);
    for (const CipherSuite& c : t.cipherSuites)
      if (!c.tls13) tls.cipherSuites.push_back(c.openSslName); // Go ignores TLS 1.3 ones too
    for (const CurvePreference& c : t.curvePreferences)
      tls.curves.push_back(c.openSslName);
    tls.keyPrefix = "tls_server_config";
    o.tls = std::move(tls);
  }
  o.responseHeaders.assign(web.http.headers.begin(), web.http.headers.end());
  if (!web.basicAuthUsers.empty()) {
    auto verifier = std::make_shared<BasicAuthVerifier>(web.basicAuthUsers);
    o.basicAuth = [verifier](std::string_view user, std::string_view password) {
      return verifier->verify(user, password);
    };
  }
}

struct Exporter::Impl {
  ExporterOptions options;
  metrics::Registry& registry;
  HealthManager& health;
  std::shared_ptr<exporter::ExporterMetrics> metrics;
  std::string token;         // empty → no bearer auth
  std::string commonHeaders; // responseHeaders as header lines
  std::string host;
  int port = 0;

  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> acceptRetry;
  std::unique_ptr<asio::thread_pool> workers;
  std::unique_ptr<TlsContextSource> tls;
  std::thread ioThread;
  std::atomic<std::size_t> open{0};
  std::atomic<bool> acceptPaused{false};
  std::atomic<bool> stopping{false};

  Impl(ExporterOptions o, metrics::Registry& r, HealthManager& h)
      : options(std::move(o)), registry(r), health(h) {}

  void accept();
  void sessionClosed();
  /// The route of `path`; for /live/NAME and /ready/NAME (and the aliases) `check` receives
  /// the raw NAME.
  Route route(std::string_view path, std::string_view* check = nullptr) const noexcept;
  bool isDisabledRoute(std::string_view path) const noexcept;
  bool authorized(const exporter::RequestHead& head) const;
  std::string challenge(const exporter::RequestHead& head) const;
  void validatePaths() const;
  void validateHeaders();
};

namespace {

/// One connection: reads and screens request heads, answers small responses on the I/O
/// thread, hands metrics and health to a worker, writes, and closes on every error or
/// timeout. All socket and timer operations run on the I/O thread; a worker touches only
/// `m_out`/`m_spare` while no socket operation is pending.
template <class Stream> class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Session(Exporter::Impl& d, tcp::socket socket, std::shared_ptr<asio::ssl::context> context)
      : m_d(d), m_context(std::move(context)), m_stream(makeStream(std::move(socket), m_context)),
        m_timer(m_stream.get_executor()) {}
  ~Session() { m_d.sessionClosed(); }

  void start() {
    arm(m_d.options.requestTimeout);
    if constexpr (kTls) {
      m_stream.async_handshake(asio::ssl::stream_base::server,
                               [self = this->shared_from_this()](boost::system::error_code ec) {
                                 if (ec) return self->abort();
                                 self->readHead();
                               });
    } else {
      readHead();
    }
  }

private:
  static Stream makeStream(tcp::socket socket, const std::shared_ptr<asio::ssl::context>& context) {
    if constexpr (kTls)
      return Stream(std::move(socket), *context);
    else
      return socket;
  }

  auto& socket() { return m_stream.lowest_layer(); }

  void arm(Clock::duration timeout) {
    m_deadline = Clock::now() + timeout;
    m_timer.expires_at(m_deadline);
    m_timer.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec || Clock::now() < self->m_deadline) return; // re-armed or cancelled
      self->abort();
    });
  }

  void abort() {
    boost::system::error_code ignored;
    m_timer.cancel();
    socket().close(ignored);
  }

  void disarm() {
    m_deadline = Clock::time_point::max();
    m_timer.cancel();
  }

  void readHead() {
    const exporter::ParseResult r =
        exporter::parseRequestHead(m_in, m_head, m_d.options.maxRequestBytes);
    if (r.state == exporter::ParseState::Complete) {
      m_consumed = r.consumed;
      return dispatch();
    }
    if (r.state == exporter::ParseState::Invalid) {
      m_consumed = m_in.size();
      Response resp;
      resp.status = r.status;
      resp.contentType = kTextType;
      resp.keepAlive = false;
      std::string body = std::to_string(r.status) + " " + std::string(reasonPhrase(r.status)) +
                         ": " + std::string(r.reason) + "\n";
      return respondSmall(resp, body);
    }
    const std::size_t used = m_in.size();
    m_in.resize(used + 4096);
    m_stream.async_read_some(
        asio::buffer(m_in.data() + used, 4096),
        [self = this->shared_from_this(), used](boost::system::error_code ec, std::size_t n) {
          self->m_in.resize(used + n);
          if (ec) return self->abort();
          if (self->m_idle && n > 0) {
            // The first byte of the next request: from now on the whole head must arrive
            // within the request timeout (slowloris bound).
            self->m_idle = false;
            self->arm(self->m_d.options.requestTimeout);
          }
          self->readHead();
        });
  }

  void dispatch() {
    using exporter::MethodKind;
    const exporter::RequestHead& h = m_head;
    Response resp;
    resp.keepAlive = h.keepAlive && !h.hasBody;
    resp.head = h.kind == MethodKind::Head;
    resp.contentType = kTextType;
    if (h.kind == MethodKind::Unknown) {
      resp.status = 501;
      resp.keepAlive = false;
      return respondSmall(resp, "501 Not Implemented: this server answers GET and HEAD\n");
    }
    if (h.method == "CONNECT"sv) { // authority-form: no route to look up
      resp.status = 405;
      resp.extraHeaders = "Allow: GET, HEAD\r\n"sv;
      resp.keepAlive = false;
      return respondSmall(resp, "405 Method Not Allowed: use GET or HEAD\n");
    }
    if (h.path == "*"sv) { // OPTIONS * (HAProxy's httpchk default)
      resp.status = 200;
      resp.contentType = {};
      resp.extraHeaders = "Allow: GET, HEAD, OPTIONS\r\n"sv;
      return respondSmall(resp, {});
    }
    std::string_view check;
    const Route which = m_d.route(h.path, &check);
    m_check.clear();
    if (!check.empty() && !exporter::percentDecode(check, m_check)) {
      resp.status = 400;
      resp.keepAlive = false;
      return respondSmall(resp, "400 Bad Request: malformed check name\n");
    }
    if (which == Route::None) {
      resp.status = 404;
      return respondSmall(resp, m_d.isDisabledRoute(h.path)
                                    ? "404 Not Found: this monitoring route is disabled on this "
                                      "server\n"sv
                                    : "404 Not Found\n"sv);
    }
    if (h.kind != MethodKind::Get && h.kind != MethodKind::Head) {
      // The connection is closed after a 405: a body we do not read must never be parsed
      // as the next request.
      resp.status = 405;
      resp.extraHeaders = "Allow: GET, HEAD\r\n"sv;
      resp.keepAlive = false;
      return respondSmall(resp, "405 Method Not Allowed: use GET or HEAD\n");
    }
    disarm(); // a handler is bounded by the check timeouts, not by the request timeout
    asio::post(*m_d.workers, [self = this->shared_from_this(), which, resp] {
      try {
        if (which == Route::Metrics)
          self->serveMetrics(resp);
        else
          self->serveHealth(which, resp);
      } catch (...) {
        Response err;
        err.status = 500;
        err.contentType = kTextType;
        err.keepAlive = false;
        self->buildSmall(err, "internal error while serving the request\n");
      }
      asio::post(self->m_stream.get_executor(), [self] { self->write(); });
    });
  }

  void buildSmall(const Response& r, std::string_view body) {
    m_out.clear();
    appendHeader(m_out, r, body.size(), m_d.commonHeaders);
    if (!r.head) m_out += body;
    m_outStart = 0;
    m_close = !r.keepAlive;
  }

  void respondSmall(const Response& r, std::string_view body) {
    buildSmall(r, body);
    write();
  }

  /// `buffer` holds kHeaderRoom spare bytes then the body; the header goes just before it.
  void frame(const Response& r, std::string& buffer) {
    thread_local std::string header;
    header.clear();
    const std::size_t bodySize = buffer.size() - kHeaderRoom;
    appendHeader(header, r, bodySize, m_d.commonHeaders);
    if (header.size() > kHeaderRoom) { // very long configured headers: one copy
      buffer.replace(0, kHeaderRoom, header);
      m_outStart = 0;
    } else {
      m_outStart = kHeaderRoom - header.size();
      std::memcpy(buffer.data() + m_outStart, header.data(), header.size());
    }
    if (r.head) buffer.resize(m_outStart + header.size());
    if (&buffer != &m_out) std::swap(buffer, m_out);
    m_close = !r.keepAlive;
  }

  void serveMetrics(Response r) {
    const auto started = Clock::now();
    if (!m_d.authorized(m_head)) {
      r.status = 401;
      const std::string challenge = m_d.challenge(m_head);
      r.extraHeaders = challenge;
      return buildSmall(r, "401 Unauthorized: credentials are required\n");
    }
    if (m_d.options.refreshHealthOnScrape) {
      // Cached and shared by the manager, so this costs a lookup unless the cache expired.
      for (Probe p : {Probe::Liveness, Probe::Readiness})
        if (!m_d.health.components(p).empty()) m_d.health.evaluate(p);
    }
    m_out.assign(kHeaderRoom, '\0');
    // OpenMetrics content negotiation (issue 14): OpenMetrics 1.0 when the Accept header
    // prefers it (Prometheus's default does), text 0.0.4 otherwise.
    const metrics::ExpositionFormat format =
        metrics::text::negotiateFormat(m_head.field("accept"sv));
    m_d.registry.appendText(m_out, format);
    r.contentType = metrics::Registry::contentType(format);
    r.extraHeaders = "Vary: Accept, Accept-Encoding\r\n"sv;
    std::string* body = &m_out;
    const std::string_view acceptEncoding = m_head.field("accept-encoding"sv);
    if (!acceptEncoding.empty() && exporter::acceptsGzip(acceptEncoding)) {
      thread_local exporter::GzipEncoder encoder;
      m_spare.assign(kHeaderRoom, '\0');
      const std::string_view plain(m_out.data() + kHeaderRoom, m_out.size() - kHeaderRoom);
      if (encoder.compress(plain, m_spare)) {
        body = &m_spare;
        r.contentEncoding = "gzip"sv;
      }
    }
    const std::size_t bytes = body->size() - kHeaderRoom;
    frame(r, *body);
    if (!r.head) m_d.metrics->observeScrape(Clock::now() - started, bytes);
  }

  void serveHealth(Route which, Response r) {
    const ProbeQuery query = parseProbeQuery(m_head.query);
    const bool kubernetesText = query.verbose || !query.exclude.empty();
    const std::string_view accept = m_head.field("accept"sv);
    const bool ietf = !accept.empty() && exporter::acceptsMediaType(accept, kHealthJsonType);
    bool details = false;
    switch (m_d.options.showDetails) {
    case ShowDetails::Always: details = true; break;
    case ShowDetails::WhenAuthorized: details = m_d.authorized(m_head); break;
    case ShowDetails::Never: details = false; break;
    }
    const Probe probe = which == Route::Live ? Probe::Liveness : Probe::Readiness;
    ProbeResult result = m_d.health.evaluate(probe);
    r.extraHeaders = "Cache-Control: no-store\r\nVary: Accept, Authorization\r\n"sv;
    if (!m_check.empty()) {
      std::optional<ProbeResult> one = selectCheck(result, m_check);
      if (!one) {
        r.status = 404;
        r.contentType = kTextType;
        return buildSmall(r, "404 Not Found: no check of this name in this probe\n");
      }
      result = std::move(*one);
    }
    if (kubernetesText && which != Route::Health) {
      const TextAnswer answer = writeKubernetesText(result, query, details);
      r.status = answer.httpStatus;
      r.contentType = kTextType;
      return buildSmall(r, answer.body);
    }
    std::string body;
    if (ietf)
      body = writeIetfHealthJson(result, details && which != Route::Health);
    else if (which == Route::Health)
      body = writeSummaryJson(result);
    else
      body = writeHealthJson(result, details);
    r.status = result.httpStatus();
    r.contentType = ietf ? kHealthJsonType : kJsonType;
    buildSmall(r, body);
  }

  void write() {
    arm(m_d.options.requestTimeout); // a client that stops reading is cut off
    asio::async_write(m_stream, asio::buffer(m_out.data() + m_outStart, m_out.size() - m_outStart),
                      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return self->abort();
                        self->written();
                      });
  }

  void written() {
    if (m_out.capacity() > kKeepBuffer) std::string().swap(m_out);
    if (m_spare.capacity() > kKeepBuffer) std::string().swap(m_spare);
    if (m_close) return linger();
    m_in.erase(0, m_consumed);
    m_consumed = 0;
    m_idle = m_in.empty();
    arm(m_idle ? m_d.options.keepAliveTimeout : m_d.options.requestTimeout);
    readHead();
  }

  /// Closing after an answer: stop sending, then read and drop whatever the client still
  /// sends (a body we did not read) for at most lingerTimeout, so that the close does not
  /// turn into a reset that destroys our answer in flight.
  void linger() {
    arm(m_d.options.lingerTimeout);
    if constexpr (kTls) {
      m_stream.async_shutdown(
          [self = this->shared_from_this()](boost::system::error_code) { self->abort(); });
    } else {
      boost::system::error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  void drain() {
    m_in.resize(4096);
    m_stream.async_read_some(
        asio::buffer(m_in.data(), m_in.size()),
        [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
          if (ec) return self->abort();
          self->drain();
        });
  }

  Exporter::Impl& m_d;
  std::shared_ptr<asio::ssl::context> m_context; // kept alive for the stream's lifetime
  Stream m_stream;
  asio::steady_timer m_timer;
  Clock::time_point m_deadline{};
  std::string m_in;
  std::size_t m_consumed = 0;
  exporter::RequestHead m_head;
  std::string m_check; // decoded NAME of /live/NAME, /ready/NAME; empty → the whole probe
  std::string m_out;
  std::string m_spare;
  std::size_t m_outStart = 0;
  bool m_close = false;
  bool m_idle = false;
};

using PlainSession = Session<tcp::socket>;
using TlsSession = Session<asio::ssl::stream<tcp::socket>>;

} // namespace

void Exporter::Impl::accept() {
  acceptor->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping.load()) return;
    if (ec) {
      // Out of descriptors and the like: try again shortly instead of spinning.
      acceptRetry->expires_after(std::chrono::milliseconds(100));
      acceptRetry->async_wait([this](boost::system::error_code e) {
        if (!e) accept();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    open.fetch_add(1);
    if (tls) {
      std::make_shared<TlsSession>(*this, std::move(socket), tls->current())->start();
    } else {
      std::make_shared<PlainSession>(*this, std::move(socket), nullptr)->start();
    }
    if (open.load() < options.maxConnections)
      accept();
    else
      acceptPaused.store(true); // further clients wait in the listen backlog
  });
}

void Exporter::Impl::sessionClosed() {
  open.fetch_sub(1);
  if (stopping.load() || !acceptPaused.load()) return;
  asio::post(*io, [this] {
    if (!stopping.load() && acceptPaused.exchange(false)) accept();
  });
}

Route Exporter::Impl::route(std::string_view path, std::string_view* check) const noexcept {
  if (options.metricsEnabled && path == options.metricsPath) return Route::Metrics;
  if (!options.healthEnabled) return Route::None;
  if (path == options.healthPath) return Route::Health;
  if (path == options.livePath) return Route::Live;
  if (path == options.readyPath) return Route::Ready;
  if (options.kubernetesAliases) {
    if (path == "/livez"sv) return Route::Live;
    if (path == "/readyz"sv) return Route::Ready;
  }
  if (check == nullptr) return Route::None;
  // One check: PROBE_PATH/NAME, NAME one non-empty segment.
  const auto oneCheck = [&](std::string_view base) {
    if (path.size() <= base.size() + 1 || !path.starts_with(base) || path[base.size()] != '/')
      return false;
    const std::string_view name = path.substr(base.size() + 1);
    if (name.find('/') != std::string_view::npos) return false;
    *check = name;
    return true;
  };
  if (oneCheck(options.livePath)) return Route::Live;
  if (oneCheck(options.readyPath)) return Route::Ready;
  if (options.kubernetesAliases) {
    if (oneCheck("/livez"sv)) return Route::Live;
    if (oneCheck("/readyz"sv)) return Route::Ready;
  }
  return Route::None;
}

bool Exporter::Impl::isDisabledRoute(std::string_view path) const noexcept {
  return (!options.metricsEnabled && path == options.metricsPath) ||
         (!options.healthEnabled &&
          (path == options.healthPath || path == options.livePath || path == options.readyPath));
}

bool Exporter::Impl::authorized(const exporter::RequestHead& head) const {
  if (token.empty() && !options.basicAuth) return true; // nothing to present
  const std::string_view header = head.field("authorization"sv);
  if (header.empty()) return false;
  if (!token.empty()) {
    const std::string_view bearer = exporter::bearerCredentials(header);
    if (!bearer.empty()) return exporter::constantTimeEquals(bearer, token);
  }
  if (options.basicAuth) {
    std::string user;
    std::string password;
    if (exporter::basicCredentials(header, user, password)) {
      const bool ok = options.basicAuth(user, password);
      std::fill(password.begin(), password.end(), '\0');
      return ok;
    }
  }
  return false;
}

std::string Exporter::Impl::challenge(const exporter::RequestHead& head) const {
  std::string out;
  if (!token.empty()) {
    // RFC 6750 §3.1: an error code only when a bearer token was presented.
    const bool presentedBearer =
        !exporter::bearerCredentials(head.field("authorization"sv)).empty();
    out += presentedBearer
               ? "WWW-Authenticate: Bearer realm=\"healthdeck\", error=\"invalid_token\"\r\n"sv
               : "WWW-Authenticate: Bearer realm=\"healthdeck\"\r\n"sv;
  }
  if (options.basicAuth)
    out += "WWW-Authenticate: Basic realm=\"healthdeck\", charset=\"UTF-8\"\r\n"sv;
  return out;
}

void Exporter::Impl::validateHeaders() {
  commonHeaders.clear();
  for (const auto& [name, value] : options.responseHeaders) {
    exporter::RequestHead probe;
    std::string line = "GET / HTTP/1.0\r\n";
    line.append(name).append(": ").append(value).append("\r\n\r\n");
    if (exporter::parseRequestHead(line, probe, line.size()).state !=
            exporter::ParseState::Complete ||
        probe.fields.size() != 1)
      throw ExporterError("http_server_config.headers." + name,
                          "not a valid header name and value");
    commonHeaders.append(name).append(": ").append(value).append("\r\n");
  }
}

void Exporter::Impl::validatePaths() const {
  struct Named {
    const std::string* path;
    const char* key;
    bool enabled;
  };
  const std::array<Named, 4> routes{{
      {&options.metricsPath, "monitoring.prometheus.endpoint", options.metricsEnabled},
      {&options.healthPath, "monitoring.health_check.endpoints.health", options.healthEnabled},
      {&options.livePath, "monitoring.health_check.endpoints.live", options.healthEnabled},
      {&options.readyPath, "monitoring.health_check.endpoints.ready", options.healthEnabled},
  }};
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (!routes[i].enabled) continue;
    const std::string& p = *routes[i].path;
    if (p.empty() || p.front() != '/' || p.find_first_of("?# \t\r\n") != std::string::npos)
      throw ExporterError(routes[i].key, "'" + p + "' must be an absolute path like /metrics");
    for (std::size_t j = 0; j < i; ++j)
      if (routes[j].enabled && *routes[j].path == p)
        throw ExporterError(routes[i].key,
                            "'" + p + "' collides with " + std::string(routes[j].key));
  }
}

Exporter::Exporter(ExporterOptions options, metrics::Registry& registry, HealthManager& health)
    : m_impl(std::make_unique<Impl>(std::move(options), registry, health)) {
  m_impl->metrics = std::make_shared<exporter::ExporterMetrics>(registry);
  // The observer shares ownership of the handles: a call in flight when we are destroyed
  // still finds them (the Registry, which owns the series, outlives us by contract).
  health.setResultObserver(
      [m = m_impl->metrics](const ProbeResult& result) { m->observeHealth(result); });
}

Exporter::~Exporter() {
  stop();
  m_impl->health.setResultObserver({});
}

const ExporterOptions& Exporter::options() const noexcept {
  return m_impl->options;
}

bool Exporter::isRunning() const noexcept {
  return m_impl->io != nullptr;
}

int Exporter::listeningPort() const noexcept {
  return m_impl->io ? m_impl->port : 0;
}

void Exporter::start() {
  Impl& d = *m_impl;
  if (d.io != nullptr) return;
  const ExporterOptions& o = d.options;
  d.validatePaths();
  const ListenAddress address = parseListen(o.listen);
  if (o.threads < 1) throw ExporterError("threads", "at least one worker thread is needed");
  if (o.maxConnections < 1) throw ExporterError("max_connections", "must be at least 1");
  d.validateHeaders();

  d.token.clear();
  if (!o.bearerTokenFile.empty()) {
    try {
      d.token = exporter::readSecretFile(o.bearerTokenFile, "monitoring.auth.bearer_token_file");
    } catch (const std::runtime_error& e) {
      // readSecretFile's message already starts with the key.
      const std::string what = e.what();
      const std::string key = "monitoring.auth.bearer_token_file";
      throw ExporterError(key, what.substr(what.find(": ") + 2));
    }
  }

  d.tls.reset();
  if (!o.tls.enabled() && !o.tls.keyFile.empty())
    throw ExporterError(o.tls.keyPrefix + ".cert_file", "key_file is set but cert_file is not");
  if (o.tls.enabled()) d.tls = std::make_unique<TlsContextSource>(o.tls);

  auto io = std::make_unique<asio::io_context>(1);
  auto acceptor = std::make_unique<tcp::acceptor>(*io);
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address_v4(address.host, ec),
                               static_cast<unsigned short>(address.port));
  if (!ec) acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw ExporterError("monitoring.listen", "cannot listen on " + address.host + ":" +
                                                 std::to_string(address.port) + ": " +
                                                 ec.message());
  d.port = acceptor->local_endpoint().port();
  d.host = address.host;
  d.stopping.store(false);
  d.acceptPaused.store(false);
  d.acceptRetry = std::make_unique<asio::steady_timer>(*io);
  d.workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(o.threads));
  d.acceptor = std::move(acceptor);
  d.io = std::move(io);
  d.accept();
  d.ioThread = std::thread([io = d.io.get()] { io->run(); });
}

void Exporter::stop() {
  Impl& d = *m_impl;
  if (d.io == nullptr) return;
  d.stopping.store(true);
  d.io->stop();
  d.ioThread.join();
  // Handlers in flight finish (bounded by the check timeouts); what they post to the stopped
  // I/O context is destroyed with it, closing their connections.
  d.workers->join();
  d.workers.reset();
  d.acceptRetry.reset();
  d.acceptor.reset();
  d.io.reset();
  d.tls.reset();
  d.port = 0;
}

std::vector<std::string> Exporter::urls() const {
  std::vector<std::string> out;
  const Impl& d = *m_impl;
  if (d.io == nullptr) return out;
  const std::string base =
      std::string(d.tls ? "https://" : "http://") + d.host + ":" + std::to_string(d.port);
  if (d.options.metricsEnabled) out.push_back(base + d.options.metricsPath);
  if (d.options.healthEnabled) {
    out.push_back(base + d.options.healthPath);
    out.push_back(base + d.options.livePath);
    out.push_back(base + d.options.readyPath);
  }
  return out;
}

} // namespace healthdeck
