#include "healthdeck/checks/http_check.h"

#include "healthdeck/util/duration_text.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QThread>
#include <QTimer>

#include <charconv>
#include <chrono>

namespace healthdeck {

namespace {

using Clock = std::chrono::steady_clock;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

std::optional<int> statusCode(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.size() != 3 || ec != std::errc{} || end != text.data() + text.size() || value < 100 ||
      value > 599)
    return std::nullopt;
  return value;
}

std::string hostPort(const QUrl& url) {
  const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
  return url.host().toStdString() + ':' + std::to_string(port);
}

} // namespace

std::optional<std::vector<std::pair<int, int>>> HttpCheck::parseStatusSet(const std::string& text,
                                                                          std::string* error) {
  std::vector<std::pair<int, int>> set;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item = trim(std::string_view(text).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    const auto bad = [&](const std::string& why) {
      if (error)
        *error = "invalid status \"" + item + "\" in \"" + text + "\" (" + why +
                 "; expected e.g. 200, 200-299, 2xx or 200,204)";
      return std::nullopt;
    };
    if (item.empty()) return bad("empty item");
    if (item.size() == 3 && (item[1] == 'x' || item[1] == 'X') &&
        (item[2] == 'x' || item[2] == 'X') && item[0] >= '1' && item[0] <= '5') {
      const int base = (item[0] - '0') * 100;
      set.emplace_back(base, base + 99);
    } else if (const auto dash = item.find('-'); dash != std::string::npos) {
      const auto lo = statusCode(trim(std::string_view(item).substr(0, dash)));
      const auto hi = statusCode(trim(std::string_view(item).substr(dash + 1)));
      if (!lo || !hi) return bad("a status is a number from 100 to 599");
      if (*lo > *hi) return bad("the range is reversed");
      set.emplace_back(*lo, *hi);
    } else {
      const auto code = statusCode(item);
      if (!code) return bad("a status is a number from 100 to 599");
      set.emplace_back(*code, *code);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return set;
}

std::string HttpCheck::describeStatusSet(const std::vector<std::pair<int, int>>& set) {
  std::string out;
  for (const auto& [lo, hi] : set) {
    if (!out.empty()) out += ", ";
    out += std::to_string(lo);
    if (hi != lo) out += '-' + std::to_string(hi);
  }
  return out;
}

HttpCheck::HttpCheck(Options options) : m_options(std::move(options)) {}

HttpCheck::~HttpCheck() = default;

CheckOutcome HttpCheck::run(const CheckContext& ctx) {
  // The manager belongs to whichever thread runs the check, only while it runs: between runs
  // it has no affinity, so the destructor may run anywhere (the HealthManager destroys checks
  // after joining their workers). Its connections live in Qt's own HTTP thread either way.
  if (!QCoreApplication::instance())
    return {Status::Down, "the http check needs a QCoreApplication in this process"};
  if (!m_manager)
    m_manager = std::make_unique<QNetworkAccessManager>();
  else
    m_manager->moveToThread(QThread::currentThread());
  CheckOutcome outcome = runOnce(ctx);
  m_manager->moveToThread(nullptr);
  return outcome;
}

CheckOutcome HttpCheck::runOnce(const CheckContext& ctx) {
  const bool https = m_options.url.scheme() == QLatin1String("https");
  if (https && !m_options.caFile.empty() && m_caCertificates.isEmpty()) {
    m_caCertificates =
        QSslCertificate::fromPath(QString::fromStdString(m_options.caFile), QSsl::Pem,
                                  QSslCertificate::PatternSyntax::FixedString);
    if (m_caCertificates.isEmpty())
      return {Status::Down, "ca_file: no PEM certificate could be read from " + m_options.caFile};
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(ctx.deadline - Clock::now());
  if (left.count() <= 0) return {Status::Down, "no time left for the request"};

  QNetworkRequest request(m_options.url);
  request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
  request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("healthdeck-check"));
  request.setTransferTimeout(static_cast<int>(left.count()));
  if (m_options.maxRedirects == 0) {
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
  } else {
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(m_options.maxRedirects);
  }
  if (https && !m_caCertificates.isEmpty()) {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(m_caCertificates);
    request.setSslConfiguration(tls);
  }

  const auto started = Clock::now();
  std::unique_ptr<QNetworkReply> reply(m_manager->get(request));
  QEventLoop loop;
  QTimer timer;
  timer.setSingleShot(true);
  bool timedOut = false;
  bool capped = false;
  QByteArray body;
  qint64 received = 0; // counted even when the body is not kept, so the cap always applies
  QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
    timedOut = true;
    reply->abort();
  });
  QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
    const QByteArray chunk = reply->readAll();
    if (capped) return;
    const qint64 room = m_options.maxBodyBytes - received;
    received += chunk.size();
    if (!m_options.bodyContains.empty()) body.append(chunk.left(room));
    if (chunk.size() > room) {
      capped = true;
      reply->abort(); // the cap protects us from an endless body; stop reading
    }
  });
  QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
  std::string tlsErrors;
  QObject::connect(reply.get(), &QNetworkReply::sslErrors, &loop,
                   [&](const QList<QSslError>& errors) {
                     for (const QSslError& e : errors) {
                       std::string text = e.errorString().toStdString();
                       if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
                         text[0] = static_cast<char>(text[0] - 'A' + 'a');
                       if (!tlsErrors.empty()) tlsErrors += "; ";
                       tlsErrors += text;
                     }
                   });
  if (!reply->isFinished()) {
    timer.start(static_cast<int>(left.count()));
    loop.exec(QEventLoop::ExcludeUserInputEvents);
  }
  timer.stop();
  const auto latency = Clock::now() - started;
  const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  const QNetworkReply::NetworkError error = reply->error();
  const std::string where = hostPort(reply->url());
  const std::string errorText = reply->errorString().toStdString();
  reply.reset();

  if (timedOut || (error == QNetworkReply::OperationCanceledError && !capped) ||
      error == QNetworkReply::TimeoutError)
    return {Status::Down, "no answer from " + where + " within " + formatLatency(ctx.timeout)};
  if (status == 0 || error == QNetworkReply::TooManyRedirectsError ||
      error == QNetworkReply::InsecureRedirectError) {
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
      return {Status::Down, "connection refused by " + where};
    case QNetworkReply::SslHandshakeFailedError:
      return {Status::Down, "TLS handshake with " + where +
                                " failed: " + (tlsErrors.empty() ? errorText : tlsErrors)};
    case QNetworkReply::TooManyRedirectsError:
      return {Status::Down,
              "more than " + std::to_string(m_options.maxRedirects) + " redirects (max_redirects)"};
    case QNetworkReply::InsecureRedirectError:
      return {Status::Down, "refused a redirect from https to http"};
    case QNetworkReply::HostNotFoundError:
      return {Status::Down, "cannot resolve " + m_options.url.host().toStdString()};
    case QNetworkReply::RemoteHostClosedError:
      return {Status::Down, where + " closed the connection without an answer"};
    default: return {Status::Down, "request to " + where + " failed: " + errorText};
    }
  }
  bool expected = false;
  for (const auto& [lo, hi] : m_options.expectedStatus)
    expected = expected || (status >= lo && status <= hi);
  if (!expected)
    return {Status::Down, "answered " + std::to_string(status) + " (expected " +
                              describeStatusSet(m_options.expectedStatus) + ")"};
  if (!m_options.bodyContains.empty() &&
      !body.contains(QByteArray::fromStdString(m_options.bodyContains)))
    return {Status::Down,
            "answered " + std::to_string(status) + " but the body does not contain \"" +
                m_options.bodyContains + '"' +
                (capped ? " in its first " + std::to_string(m_options.maxBodyBytes) + " bytes"
                        : std::string())};
  return {Status::Up, std::to_string(status) + " in " + formatLatency(latency)};
}

CheckType httpCheckType() {
  return CheckType{
      "http",
      {"url", "expect_status", "body_contains", "ca_file", "max_redirects", "max_body_bytes"},
      true,
      [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
        HttpCheck::Options o;
        const std::string url = cfg.required("url");
        o.url = QUrl(QString::fromStdString(url), QUrl::StrictMode);
        const QString scheme = o.url.scheme();
        if (!o.url.isValid() || o.url.host().isEmpty() ||
            (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
          cfg.fail("url", "expected an absolute http:// or https:// URL, got \"" + url + '"');
        if (cfg.param("expect_status")) {
          std::string error;
          auto set = HttpCheck::parseStatusSet(cfg.required("expect_status"), &error);
          if (!set) cfg.fail("expect_status", error);
          o.expectedStatus = std::move(*set);
        }
        if (cfg.param("body_contains")) o.bodyContains = cfg.required("body_contains");
        if (cfg.param("ca_file")) {
          o.caFile = cfg.required("ca_file");
          if (scheme != QLatin1String("https"))
            cfg.fail("ca_file", "a CA file only applies to an https:// URL");
        }
        const auto redirects = cfg.integer("max_redirects", 3);
        if (redirects < 0 || redirects > 20) cfg.fail("max_redirects", "must be from 0 to 20");
        o.maxRedirects = static_cast<int>(redirects);
        const auto maxBody = cfg.integer("max_body_bytes", 64 * 1024);
        if (maxBody < 1 || maxBody > 16 * 1024 * 1024)
          cfg.fail("max_body_bytes", "must be from 1 to 16777216");
        o.maxBodyBytes = maxBody;
        return std::make_shared<HttpCheck>(std::move(o));
      }};
}

} // namespace healthdeck
