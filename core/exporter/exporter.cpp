#include "healthdeck/exporter/exporter.h"

#include "healthdeck/exporter/exporter_metrics.h"
#include "healthdeck/exporter/gzip_encoder.h"
#include "healthdeck/exporter/http_util.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/health/report.h"
#include "healthdeck/metrics/registry.h"

#include <civetweb.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>

namespace healthdeck {

using namespace std::string_view_literals;

namespace {

constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kHealthJsonType = "application/health+json";
constexpr std::string_view kTextType = "text/plain; charset=utf-8";
// Room reserved in front of a body so the header can be placed before it and the whole
// response leaves in one write (one segment with TCP_NODELAY), without copying the body.
constexpr std::size_t kHeaderRoom = 512;

enum class Route { None, Metrics, Health, Live, Ready };

std::string_view reasonPhrase(int status) noexcept {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
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

void appendHeader(std::string& out, const Response& r, std::size_t bodySize) {
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
  out += "\r\n"sv;
}

/// Writes header + body. `buffer` holds kHeaderRoom spare bytes followed by the body at
/// [bodyOffset, end): the header is copied into the room just before it.
void sendFramed(mg_connection* conn, const Response& r, std::string& buffer,
                std::size_t bodyOffset) {
  thread_local std::string header;
  header.clear();
  const std::size_t bodySize = buffer.size() - bodyOffset;
  appendHeader(header, r, bodySize);
  if (header.size() <= bodyOffset) {
    const std::size_t start = bodyOffset - header.size();
    std::memcpy(buffer.data() + start, header.data(), header.size());
    const std::size_t len = r.head ? header.size() : header.size() + bodySize;
    mg_write(conn, buffer.data() + start, len);
  } else {
    mg_write(conn, header.data(), header.size());
    if (!r.head) mg_write(conn, buffer.data() + bodyOffset, bodySize);
  }
}

void sendSmall(mg_connection* conn, const Response& r, std::string_view body) {
  thread_local std::string out;
  out.clear();
  appendHeader(out, r, body.size());
  if (!r.head) out += body;
  mg_write(conn, out.data(), out.size());
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
    throw fail("IPv6 addresses are not supported (civetweb is built without IPv6)");
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
    throw fail("IPv6 addresses are not supported (civetweb is built without IPv6)");
  if (inet_pton(AF_INET, host.c_str(), &addr) != 1)
    throw fail("host must be an IPv4 address or 'localhost'");
  return {host, port};
}

void checkReadable(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ExporterError(key, "cannot read '" + path + "': " + std::strerror(err));
  }
}

/// civetweb 1.15 loads OpenSSL at run time and calls SSL_get_peer_certificate on every TLS
/// connection without checking that the symbol was found; OpenSSL 3 exports only
/// SSL_get1_peer_certificate, so Debian 12's build would call a null pointer on the first
/// HTTPS request. Refuse TLS up front instead. Empty result → usable.
std::string tlsUnavailableReason() {
  void* ssl = dlopen("libssl.so", RTLD_LAZY | RTLD_LOCAL);
  if (ssl == nullptr)
    return "TLS needs libssl.so (Debian package libssl-dev), which civetweb loads at run time";
  const bool compatible = dlsym(ssl, "SSL_get_peer_certificate") != nullptr;
  dlclose(ssl);
  if (compatible) return {};
  return "TLS is unavailable: this civetweb (1.15) needs SSL_get_peer_certificate, which the "
         "installed OpenSSL 3 no longer exports; terminate TLS in a reverse proxy in front of "
         "a loopback listener";
}

std::string readAll(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ExporterError(key, "cannot read '" + path + "': " + std::strerror(err));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
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
  o.tlsCertFile = config.tls.certFile;
  o.tlsKeyFile = config.tls.keyFile;
  return o;
}

struct Exporter::Impl {
  ExporterOptions options;
  metrics::Registry& registry;
  HealthManager& health;
  std::shared_ptr<exporter::ExporterMetrics> metrics;
  std::string token; // empty → no auth
  mg_context* ctx = nullptr;
  int port = 0;
  bool tls = false;
  std::string host;

  Impl(ExporterOptions o, metrics::Registry& r, HealthManager& h)
      : options(std::move(o)), registry(r), health(h) {}

  static int onBeginRequest(mg_connection* conn);
  static int onLogMessage(const mg_connection*, const char*) { return 1; }

  Route route(std::string_view path) const noexcept;
  bool authorized(mg_connection* conn) const noexcept;
  int serve(mg_connection* conn);
  int serveMetrics(mg_connection* conn, Response r);
  int serveHealth(mg_connection* conn, Route route, Response r);
  void validatePaths() const;
};

Route Exporter::Impl::route(std::string_view path) const noexcept {
  if (options.metricsEnabled && path == options.metricsPath) return Route::Metrics;
  if (options.healthEnabled) {
    if (path == options.healthPath) return Route::Health;
    if (path == options.livePath) return Route::Live;
    if (path == options.readyPath) return Route::Ready;
  }
  return Route::None;
}

bool Exporter::Impl::authorized(mg_connection* conn) const noexcept {
  if (token.empty()) return true; // nothing to present: every caller is as authorized as any
  const char* header = mg_get_header(conn, "Authorization");
  if (header == nullptr) return false;
  return exporter::constantTimeEquals(exporter::bearerCredentials(header), token);
}

int Exporter::Impl::onBeginRequest(mg_connection* conn) {
  auto* self = static_cast<Impl*>(mg_get_request_info(conn)->user_data);
  try {
    return self->serve(conn);
  } catch (...) {
    // Nothing has been written when the serialisers or the health manager throw.
    Response r;
    r.status = 500;
    r.contentType = kTextType;
    r.keepAlive = false;
    sendSmall(conn, r, "internal error while serving the request\n");
    return 500;
  }
}

int Exporter::Impl::serve(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  const std::string_view method = info->request_method ? info->request_method : "";
  const char* uri = info->local_uri ? info->local_uri : info->request_uri;
  const std::string_view path = uri ? uri : "";

  Response r;
  r.keepAlive = exporter::wantsKeepAlive(mg_get_header(conn, "Connection"), info->http_version);
  r.head = method == "HEAD";
  const Route which = route(path);
  if (which == Route::None) {
    r.status = 404;
    r.contentType = kTextType;
    const bool disabled =
        (!options.metricsEnabled && path == options.metricsPath) ||
        (!options.healthEnabled &&
         (path == options.healthPath || path == options.livePath || path == options.readyPath));
    sendSmall(conn, r,
              disabled ? "404 Not Found: this monitoring route is disabled on this server\n"sv
                       : "404 Not Found\n"sv);
    return 404;
  }
  if (method != "GET" && !r.head) {
    // A body we do not read would otherwise be parsed as the next request.
    r.status = 405;
    r.contentType = kTextType;
    r.extraHeaders = "Allow: GET, HEAD\r\n";
    r.keepAlive = false;
    sendSmall(conn, r, "405 Method Not Allowed: use GET or HEAD\n");
    return 405;
  }
  if (which == Route::Metrics) return serveMetrics(conn, r);
  return serveHealth(conn, which, r);
}

int Exporter::Impl::serveMetrics(mg_connection* conn, Response r) {
  const auto started = std::chrono::steady_clock::now();
  if (!authorized(conn)) {
    r.status = 401;
    r.contentType = kTextType;
    r.extraHeaders =
        mg_get_header(conn, "Authorization") != nullptr
            ? "WWW-Authenticate: Bearer realm=\"healthdeck\", error=\"invalid_token\"\r\n"sv
            : "WWW-Authenticate: Bearer realm=\"healthdeck\"\r\n"sv;
    sendSmall(conn, r, "401 Unauthorized: a bearer token is required\n");
    return 401;
  }
  if (options.refreshHealthOnScrape) {
    // Cached and shared by the manager, so this costs a lookup unless the cache expired.
    for (Probe p : {Probe::Liveness, Probe::Readiness})
      if (!health.components(p).empty()) health.evaluate(p);
  }

  thread_local std::string body;
  thread_local std::string compressed;
  thread_local exporter::GzipEncoder encoder;
  body.assign(kHeaderRoom, '\0');
  // OpenMetrics content negotiation (issue 14): keep these lines in any HTTP engine.
  const char* accept = mg_get_header(conn, "Accept");
  const metrics::ExpositionFormat format = metrics::text::negotiateFormat(accept ? accept : "");
  registry.appendText(body, format);
  r.contentType = metrics::Registry::contentType(format);
  std::string* out = &body;
  const char* acceptEncoding = mg_get_header(conn, "Accept-Encoding");
  if (acceptEncoding != nullptr && exporter::acceptsGzip(acceptEncoding)) {
    compressed.assign(kHeaderRoom, '\0');
    const std::string_view plain(body.data() + kHeaderRoom, body.size() - kHeaderRoom);
    if (encoder.compress(plain, compressed)) {
      out = &compressed;
      r.contentEncoding = "gzip";
    }
  }
  r.extraHeaders = "Vary: Accept, Accept-Encoding\r\n";
  sendFramed(conn, r, *out, kHeaderRoom);
  if (!r.head)
    metrics->observeScrape(std::chrono::steady_clock::now() - started, out->size() - kHeaderRoom);
  // Large pages leave big buffers behind; keep them only up to a sane size per worker.
  constexpr std::size_t kKeep = 8u << 20;
  if (body.capacity() > kKeep) std::string().swap(body);
  if (compressed.capacity() > kKeep) std::string().swap(compressed);
  return 200;
}

int Exporter::Impl::serveHealth(mg_connection* conn, Route which, Response r) {
  const bool ietf = [&] {
    const char* accept = mg_get_header(conn, "Accept");
    return accept != nullptr && exporter::acceptsMediaType(accept, kHealthJsonType);
  }();
  bool details = false;
  switch (options.showDetails) {
  case ShowDetails::Always: details = true; break;
  case ShowDetails::WhenAuthorized: details = authorized(conn); break;
  case ShowDetails::Never: details = false; break;
  }
  const Probe probe = which == Route::Live ? Probe::Liveness : Probe::Readiness;
  const ProbeResult result = health.evaluate(probe);
  std::string body;
  if (ietf)
    body = writeIetfHealthJson(result, details && which != Route::Health);
  else if (which == Route::Health)
    body = writeSummaryJson(result);
  else
    body = writeHealthJson(result, details);
  r.status = result.httpStatus();
  r.contentType = ietf ? kHealthJsonType : kJsonType;
  r.extraHeaders = "Cache-Control: no-store\r\nVary: Accept, Authorization\r\n";
  sendSmall(conn, r, body);
  return r.status;
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
  return m_impl->ctx != nullptr;
}

int Exporter::listeningPort() const noexcept {
  return m_impl->ctx ? m_impl->port : 0;
}

void Exporter::start() {
  Impl& d = *m_impl;
  if (d.ctx != nullptr) return;
  const ExporterOptions& o = d.options;
  d.validatePaths();
  const ListenAddress address = parseListen(o.listen);
  if (o.threads < 1) throw ExporterError("threads", "at least one worker thread is needed");

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

  // civetweb 1.15 takes the certificate and its key from one PEM file (ssl_certificate).
  // Separate files are joined into a private temporary file that is removed once loaded.
  d.tls = !o.tlsCertFile.empty();
  std::string pemPath;
  bool pemIsTemporary = false;
  if (!d.tls && !o.tlsKeyFile.empty())
    throw ExporterError("monitoring.tls.cert_file", "key_file is set but cert_file is not");
  if (d.tls) {
    checkReadable(o.tlsCertFile, "monitoring.tls.cert_file");
    if (!o.tlsKeyFile.empty()) checkReadable(o.tlsKeyFile, "monitoring.tls.key_file");
    if (const std::string why = tlsUnavailableReason(); !why.empty())
      throw ExporterError("monitoring.tls.cert_file", why);
    pemPath = o.tlsCertFile;
    if (!o.tlsKeyFile.empty() && o.tlsKeyFile != o.tlsCertFile) {
      std::string pem = readAll(o.tlsCertFile, "monitoring.tls.cert_file");
      if (!pem.empty() && pem.back() != '\n') pem += '\n';
      pem += readAll(o.tlsKeyFile, "monitoring.tls.key_file");
      const char* dir = std::getenv("XDG_RUNTIME_DIR");
      std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/healthdeck-tls-XXXXXX";
      const int fd = mkstemp(tmpl.data()); // created 0600
      if (fd < 0)
        throw ExporterError("monitoring.tls.key_file",
                            std::string("cannot create a private temporary file: ") +
                                std::strerror(errno));
      const bool ok = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
      ::close(fd);
      std::fill(pem.begin(), pem.end(), '\0');
      if (!ok) {
        ::unlink(tmpl.c_str());
        throw ExporterError("monitoring.tls.key_file", "cannot write a private temporary file");
      }
      pemPath = tmpl;
      pemIsTemporary = true;
    }
  }

  const std::string ports = address.host + ":" + std::to_string(address.port) + (d.tls ? "s" : "");
  const std::string threads = std::to_string(o.threads);
  const std::string requestTimeout = std::to_string(o.requestTimeout.count());
  const std::string keepAliveTimeout = std::to_string(o.keepAliveTimeout.count());
  const std::string maxRequest = std::to_string(o.maxRequestBytes);
  std::vector<const char*> cfg{"listening_ports",
                               ports.c_str(),
                               "num_threads",
                               threads.c_str(),
                               "request_timeout_ms",
                               requestTimeout.c_str(),
                               "keep_alive_timeout_ms",
                               keepAliveTimeout.c_str(),
                               "enable_keep_alive",
                               "yes",
                               "max_request_size",
                               maxRequest.c_str(),
                               "tcp_nodelay",
                               "1",
                               "connection_queue",
                               "64",
                               "enable_directory_listing",
                               "no"};
  if (d.tls) {
    cfg.push_back("ssl_certificate");
    cfg.push_back(pemPath.c_str());
  }
  cfg.push_back(nullptr);

  static std::once_flag libraryInit;
  std::call_once(libraryInit, [] { mg_init_library(MG_FEATURES_SSL); });

  mg_callbacks callbacks{};
  callbacks.begin_request = &Impl::onBeginRequest;
  callbacks.log_message = &Impl::onLogMessage;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = &d;
  init.configuration_options = cfg.data();
  std::array<char, 256> errorText{};
  unsigned errorCode = 0;
  mg_error_data error{};
  error.code = &errorCode;
  error.text = errorText.data();
  error.text_buffer_size = errorText.size();
  d.ctx = mg_start2(&init, &error);
  if (pemIsTemporary) ::unlink(pemPath.c_str());
  if (d.ctx == nullptr) {
    const std::string why = errorText[0] ? errorText.data() : "civetweb could not start";
    const bool tlsProblem =
        d.tls && (why.find("SSL") != std::string::npos || why.find("ssl") != std::string::npos ||
                  why.find("certificate") != std::string::npos);
    if (tlsProblem) throw ExporterError("monitoring.tls.cert_file", why);
    throw ExporterError("monitoring.listen", "cannot listen on " + address.host + ":" +
                                                 std::to_string(address.port) + ": " + why);
  }
  d.host = address.host;
  std::array<mg_server_port, 4> bound{};
  const int n = mg_get_server_ports(d.ctx, static_cast<int>(bound.size()), bound.data());
  d.port = n > 0 ? bound[0].port : address.port;
}

void Exporter::stop() {
  if (m_impl->ctx == nullptr) return;
  // civetweb's accept loop polls with a 2 s quantum and sees the stop flag only when poll
  // returns; a throwaway loopback connection made while mg_stop() waits wakes it at once.
  std::atomic<bool> stopped{false};
  const std::string wakeHost = m_impl->host == "0.0.0.0" ? "127.0.0.1" : m_impl->host;
  const int wakePort = m_impl->port;
  std::thread waker([&stopped, wakeHost, wakePort] {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(wakePort));
    inet_pton(AF_INET, wakeHost.c_str(), &addr.sin_addr);
    while (!stopped.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) continue;
      ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
      ::close(fd);
    }
  });
  mg_stop(m_impl->ctx);
  stopped.store(true);
  waker.join();
  m_impl->ctx = nullptr;
  m_impl->port = 0;
}

std::vector<std::string> Exporter::urls() const {
  std::vector<std::string> out;
  const Impl& d = *m_impl;
  if (d.ctx == nullptr) return out;
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
