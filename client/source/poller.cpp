#include "healthdeck/client/source/poller.h"

#include "healthdeck/client/source/poller_private.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/source/certificate_expiry.h"
#include "healthdeck/client/source/file_cache.h"
#include "healthdeck/client/source/plain_http_client.h"
#include "healthdeck/client/store/worker_thread.h"
#include "healthdeck/util/secret_file.h"

#include "healthdeck/client/parse/health_document_parser.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/metric_health.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QThread>
#include <QTimer>

namespace healthdeck {

namespace poller_detail {

std::optional<QByteArray> readSecretRef(const QString& ref) {
  QString path = ref;
  if (path.startsWith(QLatin1String("file:"))) path = path.mid(5);
  const auto secret = readSecretFile(QFile::encodeName(path).toStdString(), nullptr);
  if (!secret) return std::nullopt;
  return QByteArray::fromStdString(*secret);
}

} // namespace poller_detail

using namespace poller_detail;

namespace {

const QByteArray kHealthAccept = "application/json, text/plain;q=0.9, */*;q=0.5";
const QByteArray kMetricsAccept =
    "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1";

QString hexFingerprint(const QByteArray& digest) {
  return QString::fromLatin1(digest.toHex(':'));
}

QString certName(const QSslCertificate& cert, bool issuer) {
  const QStringList cn = issuer ? cert.issuerInfo(QSslCertificate::CommonName)
                                : cert.subjectInfo(QSslCertificate::CommonName);
  if (!cn.isEmpty() && !cn.first().isEmpty()) return cn.first();
  const QStringList org = issuer ? cert.issuerInfo(QSslCertificate::Organization)
                                 : cert.subjectInfo(QSslCertificate::Organization);
  return org.isEmpty() ? QStringLiteral("an unnamed authority") : org.first();
}

/// The certificate problem in words, most specific error first.
QString tlsWords(const QList<QSslError>& errors, const QString& host) {
  auto find = [&](std::initializer_list<QSslError::SslError> kinds) -> const QSslError* {
    for (auto kind : kinds)
      for (const auto& e : errors)
        if (e.error() == kind) return &e;
    return nullptr;
  };
  if (const auto* e = find({QSslError::CertificateExpired}))
    return QStringLiteral("Certificate expired on ") %
           e->certificate().expiryDate().toUTC().date().toString(Qt::ISODate);
  if (const auto* e = find({QSslError::CertificateNotYetValid}))
    return QStringLiteral("Certificate not valid before ") %
           e->certificate().effectiveDate().toUTC().date().toString(Qt::ISODate);
  if (find({QSslError::CertificateRevoked})) return QStringLiteral("Certificate revoked");
  if (find({QSslError::SelfSignedCertificate}))
    return QStringLiteral("Self-signed certificate, not trusted");
  if (const auto* e = find({QSslError::HostNameMismatch})) {
    QStringList names = e->certificate().subjectAlternativeNames().values(QSsl::DnsEntry);
    if (names.isEmpty()) names = e->certificate().subjectInfo(QSslCertificate::CommonName);
    return QStringLiteral("Certificate is for %1, not %2")
        .arg(names.isEmpty() ? QStringLiteral("no name") : names.join(QStringLiteral(", ")), host);
  }
  if (const auto* e = find(
          {QSslError::SelfSignedCertificateInChain, QSslError::UnableToGetLocalIssuerCertificate,
           QSslError::UnableToGetIssuerCertificate, QSslError::UnableToVerifyFirstCertificate,
           QSslError::CertificateUntrusted, QSslError::InvalidCaCertificate}))
    return QStringLiteral("Certificate issued by %1, which is not trusted")
        .arg(certName(e->certificate(), true));
  if (!errors.isEmpty()) return QStringLiteral("TLS failure: ") % errors.first().errorString();
  return QStringLiteral("TLS handshake failed");
}

/// The realm of a WWW-Authenticate header (`Basic realm="metrics", charset="UTF-8"`), plain
/// text, at most 80 characters; empty when it names none.
QString authRealm(const QByteArray& header) {
  static const QRegularExpression re(QStringLiteral("realm\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))"),
                                     QRegularExpression::CaseInsensitiveOption);
  const auto m = re.match(QString::fromUtf8(header.left(1024)));
  if (!m.hasMatch()) return {};
  QString realm = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
  for (auto& ch : realm)
    if (ch.category() == QChar::Other_Control) ch = QLatin1Char(' ');
  return realm.simplified().left(80);
}

} // namespace

namespace {

/// Certificate expiry (issue 12): the earliest notAfter of the chain the peer presented; on a
/// failed handshake the chain is taken from the errors' certificates.
std::optional<QDateTime> chainExpiry(const QNetworkReply& reply, const QList<QSslError>& errors) {
  if (reply.url().scheme() != QLatin1String("https")) return std::nullopt;
  QList<QSslCertificate> chain = reply.sslConfiguration().peerCertificateChain();
  if (chain.isEmpty())
    for (const QSslError& e : errors)
      chain.append(e.certificate());
  return earliestExpiry(chain);
}

/// Fills the evidence of one request from its finished reply: what was asked (credentials
/// masked), what came back (status, selected headers, the start of the body as text), the
/// peer certificate and the total time. The intermediate timings were recorded as signals came.
void fillEvidence(Evidence& ev, const QNetworkReply* reply, const QByteArray& body,
                  const TargetConfig& config, const QString& transportError, qint64 totalMs) {
  ev.url = reply->url().adjusted(QUrl::RemoveUserInfo);
  for (const QByteArray& name : reply->request().rawHeaderList()) {
    QByteArray value = reply->request().rawHeader(name);
    if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
      value = value.left(value.indexOf(' ') + 1) + "****";
    ev.requestHeaders << QString::fromLatin1(name + ": " + value);
  }
  if (config.tlsMode == TlsMode::CaFile) ev.caFile = config.caFile;
  ev.pinned = config.tlsMode == TlsMode::Pinned;
  ev.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  ev.reason =
      QString::fromUtf8(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray());
  for (const char* name : {"Content-Type", "Server", "Date", "WWW-Authenticate", "Location"})
    if (reply->hasRawHeader(name))
      ev.headers << QLatin1String(name) % QStringLiteral(": ") %
                        QString::fromUtf8(reply->rawHeader(name));
  ev.body = QString::fromUtf8(body.left(Evidence::kBodyLimit));
  ev.bodyTruncated = body.size() > Evidence::kBodyLimit;
  if (ev.httpStatus == 0) ev.transportError = transportError;
  const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
  if (!peer.isNull())
    ev.certificate =
        PeerCertificate{certName(peer, false), certName(peer, true), peer.effectiveDate().toUTC(),
                        peer.expiryDate().toUTC(), peer.digest(QCryptographicHash::Sha256)};
  ev.totalMs = totalMs;
}

/// The evidence of a request PlainHttpClient carried (plain http: no certificate, no TLS time).
void fillPlainEvidence(Evidence& ev, const QUrl& url, const TargetConfig& config,
                       const QList<QPair<QByteArray, QByteArray>>& sent,
                       const PlainHttpClient::Response& r, const QByteArray& body,
                       const QString& transportError, qint64 totalMs) {
  ev.url = url.adjusted(QUrl::RemoveUserInfo);
  for (const auto& [name, value] : sent) {
    const QByteArray shown = name.compare("Authorization", Qt::CaseInsensitive) == 0
                                 ? value.left(value.indexOf(' ') + 1) + "****"
                                 : value;
    ev.requestHeaders << QString::fromLatin1(name + ": " + shown);
  }
  if (config.tlsMode == TlsMode::CaFile) ev.caFile = config.caFile;
  ev.pinned = config.tlsMode == TlsMode::Pinned;
  ev.httpStatus = r.status;
  ev.reason = QString::fromStdString(r.reason);
  for (const char* name : {"Content-Type", "Server", "Date", "WWW-Authenticate", "Location"}) {
    const std::string value = r.header(name);
    if (!value.empty())
      ev.headers << QLatin1String(name) % QStringLiteral(": ") % QString::fromStdString(value);
  }
  ev.body = QString::fromUtf8(body.left(Evidence::kBodyLimit));
  ev.bodyTruncated = body.size() > Evidence::kBodyLimit;
  if (ev.httpStatus == 0) ev.transportError = transportError;
  ev.totalMs = totalMs;
}

} // namespace

Poller::Poller(QObject* parent) : Poller(Options{}, parent) {}

Poller::Poller(Options options, QObject* parent)
    : QObject(parent), m_options(options), m_impl(std::make_unique<Impl>()) {
  qRegisterMetaType<healthdeck::TargetSnapshot>();
  m_impl->nam = new QNetworkAccessManager(this);
  m_impl->nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
  m_impl->worker = startSharedThread(QStringLiteral("healthdeck-parse"));
  m_impl->parserContext = new QObject;
  m_impl->parserContext->moveToThread(m_impl->worker.get());
  m_states = new TargetStateMachine(this);
  m_impl->files = new FileCache(this);
  m_impl->deadlines = new RequestDeadlines(std::chrono::milliseconds(25), this);
  connect(m_impl->files, &FileCache::fileLoaded, this, [this](const QString& path) {
    const auto ids = m_impl->targets.keys();
    for (const QString& id : ids) {
      const TargetConfig& c = m_impl->targets.value(id).config;
      if (c.tlsMode == TlsMode::CaFile && c.caFile == path) pollNow(id);
    }
  });
}

std::shared_ptr<QThread> Poller::parseThread() const {
  return m_impl->worker;
}

Poller::~Poller() {
  // The plain transport's thread first: after this no answer is posted to this object.
  m_impl->plain.reset();
  // Stop parsing first so nothing is posted to this object while it is being destroyed (the
  // thread itself ends with its last user: the MetricsHub may parse on it too).
  retireContext(m_impl->parserContext);
  m_impl->parserContext = nullptr;
  m_impl->worker.reset();
  for (auto& s : m_impl->targets)
    delete s.timer;
  // Aborting in-flight replies would re-enter our slots; disconnect before the NAM dies.
  const auto replies = findChildren<QNetworkReply*>();
  for (QNetworkReply* r : replies) {
    r->disconnect(this);
    r->abort();
  }
}

QNetworkAccessManager* Poller::managerFor(const TargetConfig& config) {
  if (config.tlsMode == TlsMode::System) return m_impl->nam;
  const QString key =
      config.tlsMode == TlsMode::CaFile
          ? QStringLiteral("ca:") + config.caFile
          : QStringLiteral("pin:") + QString::fromLatin1(config.pinnedSha256.toHex());
  QNetworkAccessManager*& nam = m_impl->trustNams[key];
  if (!nam) {
    nam = new QNetworkAccessManager(this);
    nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
  }
  return nam;
}

void Poller::setSecretResolver(SecretResolver resolver, SecretProblem problem) {
  m_impl->resolver = resolver ? std::move(resolver) : SecretResolver(readSecretRef);
  m_impl->problem = std::move(problem);
}

void Poller::setMetricsIngest(MetricsIngest ingest) {
  m_impl->metricsIngest = std::move(ingest);
}

void Poller::upsertTarget(const TargetConfig& config) {
  auto& s = m_impl->targets[config.id];
  s.config = config;
  s.generation = m_impl->nextGeneration++;
  s.inFlight = false;
  m_states->reset(config.id);
  m_states->setPolicy(config.id, config.flap);
  if (!s.timer) {
    s.timer = new QTimer(this);
    const QString id = config.id;
    connect(s.timer, &QTimer::timeout, this, [this, id] {
      auto it = m_impl->targets.find(id);
      if (it == m_impl->targets.end()) return;
      if (it->timer->interval() != it->periodMs) it->timer->setInterval(it->periodMs);
      startRound(it->config, true);
    });
  }
  s.timer->stop();
  if (!config.enabled) {
    TargetSnapshot snap;
    snap.targetId = config.id;
    snap.state = TargetState::Disabled;
    snap.polledAt = QDateTime::currentDateTimeUtc();
    snap.sentence = config.disabledReason.isEmpty() ? describe(snap) : config.disabledReason;
    Q_EMIT snapshotReady(snap);
    return;
  }
  // Servers added together (start-up, an import) would otherwise all be polled in the same
  // instant every interval: 200 targets meant 600 requests and 200 snapshots in one burst,
  // which stalled the GUI thread for up to half a second and queued the requests behind each
  // other. A stable per-target phase in (0, interval] spreads the rounds over the interval.
  s.periodMs = static_cast<int>(std::max<qint64>(config.interval.count(), 100));
  s.timer->start(1 + static_cast<int>(qHash(config.id, 0U) % static_cast<size_t>(s.periodMs)));
  startRound(config, true);
}

void Poller::removeTarget(const QString& targetId) {
  auto it = m_impl->targets.find(targetId);
  if (it == m_impl->targets.end()) return;
  delete it->timer;
  m_impl->targets.erase(it);
  m_states->reset(targetId);
}

QList<TargetConfig> Poller::targets() const {
  QList<TargetConfig> out;
  for (const auto& s : m_impl->targets)
    out << s.config;
  return out;
}

void Poller::pollNow(const QString& targetId) {
  auto it = m_impl->targets.find(targetId);
  if (it == m_impl->targets.end() || !it->config.enabled) return;
  it->timer->start();
  startRound(it->config, true);
}

void Poller::pollAll() {
  const auto ids = m_impl->targets.keys();
  for (const auto& id : ids)
    pollNow(id);
}

void Poller::pollOnce(const TargetConfig& config) {
  startRound(config, false);
}

void Poller::pollOnce(const TargetConfig& config, std::function<void(const TargetSnapshot&)> done,
                      const Credentials& credentials) {
  startRound(config, false, std::move(done), {}, credentials);
}

void Poller::fetchOnce(const TargetConfig& config, const QString& path) {
  const TargetConfig c = poller_detail::onePathConfig(config, path);
  auto kept = std::make_shared<KeptAnswer>();
  const QString id = config.id;
  startRound(
      c, false,
      [this, id, kept](const TargetSnapshot& snap) {
        Q_EMIT fetchedOnce(id, snap, kept->body, kept->contentType);
      },
      kept);
}

void Poller::startRound(const TargetConfig& config, bool scheduled, RoundDone done,
                        std::shared_ptr<KeptAnswer> keepBody, const Credentials& credentials) {
  auto round = std::make_shared<Round>();
  round->config = config;
  round->scheduled = scheduled;
  round->done = std::move(done);
  round->keepBody = std::move(keepBody);
  // A kept body is a /metrics page, which may be much larger than a health document.
  round->bodyCap = round->keepBody ? m_options.maxMetricsBytes : m_options.maxBodyBytes;
  if (scheduled) {
    auto& s = m_impl->targets[config.id];
    if (s.inFlight) return; // a slow server never piles up requests
    s.inFlight = true;
    round->generation = s.generation;
  }
  round->ready.wanted = !config.readyPath.isEmpty();
  round->live.wanted = !config.livePath.isEmpty();
  round->clock.start();

  const SecretResolver& resolve = credentials.resolver ? credentials.resolver : m_impl->resolver;
  const SecretProblem& problem = credentials.problem ? credentials.problem : m_impl->problem;
  std::optional<QByteArray> authHeader;
  QString credentialProblem;
  if (config.auth != AuthKind::None) {
    const auto secret = resolve(config.secretRef);
    if (!secret) {
      credentialProblem = config.secretRef.isEmpty() ? QStringLiteral("no secret configured")
                          : problem                  ? problem(config.secretRef)
                                                     : config.secretRef;
      if (credentialProblem.isEmpty() && scheduled) {
        m_impl->targets[config.id].inFlight = false; // waiting for the secret: no round yet
        return;
      }
      if (credentialProblem.isEmpty()) credentialProblem = config.secretRef;
    } else if (config.auth == AuthKind::Bearer) {
      authHeader = "Bearer " + *secret;
    } else {
      authHeader = "Basic " + secret->toBase64();
    }
  }
  // Extra headers (X-API-Key, ...): values written in the config, or read like the secret.
  QList<QPair<QByteArray, QByteArray>> extraHeaders;
  for (const RequestHeader& h : config.extraHeaders) {
    if (!isAllowedExtraHeader(h.name)) continue;
    QByteArray value = h.value.toUtf8();
    if (!h.secretRef.isEmpty()) {
      const auto secret = resolve(h.secretRef);
      if (!secret) {
        if (credentialProblem.isEmpty())
          credentialProblem =
              QStringLiteral("header %1 from %2").arg(QString::fromLatin1(h.name), h.secretRef);
        continue;
      }
      value = *secret;
    }
    // A value may not break the request head.
    if (value.contains('\r') || value.contains('\n')) continue;
    extraHeaders.append({h.name, value});
  }

  QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
  QString tlsProblem;
  if (config.tlsMode == TlsMode::CaFile) {
    // Read once off this thread and kept until the file changes (FileCache).
    const FileCache::Entry ca = m_impl->files->lookup(config.caFile, FileCache::Kind::CaBundle);
    if (ca.pending && scheduled) {
      m_impl->targets[config.id].inFlight = false; // polled again when the bundle lands
      return;
    }
    if (ca.pending) {
      // A one-shot poll (check, Test) cannot wait for the cache: read it here.
      const auto cas = QSslCertificate::fromPath(config.caFile, QSsl::Pem);
      if (cas.isEmpty())
        tlsProblem = QStringLiteral("CA file %1 holds no readable certificate").arg(config.caFile);
      ssl.setCaCertificates(cas);
    } else {
      tlsProblem = ca.error;
      ssl.setCaCertificates(ca.certificates);
    }
  }

  QNetworkAccessManager* nam = managerFor(config);
  // Every request to a server is built from these: health legs and /metrics alike get the same
  // redirect policy and cap, User-Agent, credentials, extra headers and TLS configuration,
  // whichever transport carries them.
  QList<QPair<QByteArray, QByteArray>> headersAfterAccept;
  headersAfterAccept.append(qMakePair(QByteArrayLiteral("User-Agent"),
                                      QByteArrayLiteral("healthdeck/" HEALTHDECK_VERSION)));
  headersAfterAccept.append(extraHeaders);
  if (authHeader)
    headersAfterAccept.append(qMakePair(QByteArrayLiteral("Authorization"), *authHeader));
  const int maxRedirects = m_options.maxRedirects;
  const auto buildRequest = [headersAfterAccept, ssl, maxRedirects](const QUrl& url,
                                                                    const QByteArray& accept) {
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::NoLessSafeRedirectPolicy);
    req.setMaximumRedirectsAllowed(maxRedirects);
    req.setRawHeader("Accept", accept);
    for (const auto& [name, value] : headersAfterAccept)
      req.setRawHeader(name, value);
    if (url.scheme() == QLatin1String("https")) req.setSslConfiguration(ssl);
    return req;
  };
  const auto plainRequest = [headersAfterAccept, &config](const QUrl& url, const QByteArray& accept,
                                                          qint64 cap) {
    PlainHttpClient::Request req;
    req.host = url.host().toStdString();
    req.port = static_cast<std::uint16_t>(url.port(80));
    req.target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment)
                     .toStdString();
    if (req.target.empty() || req.target.front() != '/') req.target.insert(0, 1, '/');
    req.headers.emplace_back("Accept", accept.toStdString());
    for (const auto& [name, value] : headersAfterAccept)
      req.headers.emplace_back(name.toStdString(), value.toStdString());
    req.bodyCap = static_cast<std::size_t>(cap);
    req.timeout = config.timeout;
    req.acceptGzip = true; // as QNAM asked: /metrics pages shrink about tenfold
    return req;
  };
  const QByteArray legAccept = round->keepBody ? kMetricsAccept : kHealthAccept;
  // A health leg through QNetworkAccessManager: https, redirects, proxies.
  const auto viaQt = [this, round, nam = QPointer<QNetworkAccessManager>(nam), buildRequest,
                      legAccept](Round::Leg& leg) {
    if (!nam) return;
    QNetworkReply* reply = nam->get(buildRequest(leg.url, legAccept));
    leg.reply = reply;
    Round::Leg* legPtr = &leg;
    connect(reply, &QNetworkReply::redirected, reply, [legPtr, reply](const QUrl&) {
      if (legPtr->redirectStatus == 0)
        legPtr->redirectStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    });
    const QElapsedTimer* clock = &round->clock;
    connect(reply, &QNetworkReply::socketStartedConnecting, reply,
            [legPtr, clock] { legPtr->evidence.connectStartMs = clock->elapsed(); });
    connect(reply, &QNetworkReply::encrypted, reply,
            [legPtr, clock] { legPtr->evidence.tlsDoneMs = clock->elapsed(); });
    connect(reply, &QNetworkReply::requestSent, reply,
            [legPtr, clock] { legPtr->evidence.requestSentMs = clock->elapsed(); });
    connect(reply, &QNetworkReply::metaDataChanged, reply, [legPtr, clock] {
      if (legPtr->evidence.firstByteMs < 0) legPtr->evidence.firstByteMs = clock->elapsed();
    });

    m_impl->deadlines->add(reply, round->config.timeout, [legPtr, reply] {
      legPtr->timedOut = true;
      reply->abort();
    });

    const qint64 cap = round->bodyCap;
    connect(reply, &QNetworkReply::metaDataChanged, reply, [legPtr, reply, cap] {
      const QVariant len = reply->header(QNetworkRequest::ContentLengthHeader);
      if (len.isValid() && len.toLongLong() > cap) {
        legPtr->tooLarge = true;
        reply->abort();
      }
    });
    connect(reply, &QNetworkReply::readyRead, reply, [legPtr, reply, cap] {
      if (legPtr->tooLarge) return;
      legPtr->body += reply->read(cap + 1 - legPtr->body.size());
      if (legPtr->body.size() > cap) {
        legPtr->tooLarge = true;
        legPtr->body.clear();
        reply->abort();
      }
    });
    const QByteArray pin = round->config.pinnedSha256;
    const bool pinned = round->config.tlsMode == TlsMode::Pinned;
    connect(reply, &QNetworkReply::sslErrors, reply,
            [legPtr, reply, pin, pinned](const QList<QSslError>& errors) {
              const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
              if (pinned && !pin.isEmpty() && peer.digest(QCryptographicHash::Sha256) == pin) {
                reply->ignoreSslErrors(errors); // exactly these errors, for this peer only
                return;
              }
              legPtr->sslErrors = errors;
            });
    connect(reply, &QNetworkReply::finished, this, [this, round, legPtr, reply] {
      Round::Leg& l = *legPtr;
      l.elapsedMs = round->clock.elapsed();
      l.http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
      l.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
      if (reply->isOpen() && !l.tooLarge && l.body.size() <= round->bodyCap)
        l.body += reply->read(round->bodyCap + 1 - l.body.size());
      if (l.body.size() > round->bodyCap) l.tooLarge = true;
      const auto err = reply->error();
      l.certificateExpiry = chainExpiry(*reply, l.sslErrors);
      const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
      if (!peer.isNull() || !l.sslErrors.isEmpty()) {
        const QSslCertificate cert = !peer.isNull() ? peer : l.sslErrors.first().certificate();
        if (!cert.isNull())
          l.peer = PeerCertificate{certName(cert, false), certName(cert, true),
                                   cert.effectiveDate().toUTC(), cert.expiryDate().toUTC(),
                                   cert.digest(QCryptographicHash::Sha256)};
      }
      if (l.timedOut || err == QNetworkReply::TimeoutError) {
        l.error = PollError::Timeout;
        l.errorDetail = timeoutWords(round->config.timeout);
      } else if (l.tooLarge) {
        l.error = PollError::ResponseTooLarge;
        l.errorDetail = tooLargeWords(round->bodyCap);
      } else if (err == QNetworkReply::TooManyRedirectsError) {
        l.error = PollError::TooManyRedirects;
        l.errorDetail =
            QStringLiteral("Redirect loop or more than %1 redirects").arg(m_options.maxRedirects);
      } else if (err == QNetworkReply::InsecureRedirectError) {
        l.error = PollError::InsecureRedirect;
        l.errorDetail = QStringLiteral("Redirected from HTTPS to plain HTTP (not followed)");
      } else if (err == QNetworkReply::ConnectionRefusedError) {
        l.error = PollError::ConnectionRefused;
        l.errorDetail = refusedWords(l.url);
      } else if (err == QNetworkReply::HostNotFoundError) {
        l.error = PollError::HostNotFound;
        l.errorDetail = hostNotFoundWords(l.url);
      } else if (err == QNetworkReply::SslHandshakeFailedError || !l.sslErrors.isEmpty()) {
        l.error = PollError::TlsFailure;
        l.errorDetail = tlsWords(l.sslErrors, l.url.host());
        if (round->config.tlsMode == TlsMode::Pinned && l.peer &&
            l.peer->sha256 != round->config.pinnedSha256)
          l.errorDetail = QStringLiteral("Certificate does not match the pinned fingerprint "
                                         "(server presents %1)")
                              .arg(hexFingerprint(l.peer->sha256));
      } else if (l.http == 0 && (err == QNetworkReply::RemoteHostClosedError ||
                                 err == QNetworkReply::UnknownNetworkError ||
                                 err == QNetworkReply::ProxyConnectionClosedError)) {
        l.error = PollError::ConnectionReset;
        l.errorDetail = closedWords();
      } else if (l.http == 0) {
        l.error = PollError::Network;
        l.errorDetail = QStringLiteral("Network error: ") % reply->errorString();
      }
      l.finalUrl = reply->url();
      const bool redirected = l.redirectStatus != 0 || l.finalUrl != l.url;
      if (l.http == 401) l.realm = authRealm(reply->rawHeader("WWW-Authenticate"));
      fillEvidence(l.evidence, reply, l.body, round->config, l.errorDetail, l.elapsedMs);
      reply->deleteLater();
      l.reply.clear();
      legAnswered(round, &l == &round->ready, redirected);
    });
  };
  // A health leg through PlainHttpClient: plain http:// without a proxy. A redirect is asked
  // again through QNAM, which follows it with the same policy as every other request.
  const auto viaPlain = [this, round, plainRequest, legAccept, viaQt,
                         headersAfterAccept](Round::Leg& leg) {
    Round::Leg* legPtr = &leg;
    const qint64 offset = round->clock.elapsed();
    plainClient()->get(
        plainRequest(leg.url, legAccept, round->bodyCap),
        [this, round, legPtr, offset, viaQt,
         sent = QList<QPair<QByteArray, QByteArray>>{qMakePair(QByteArrayLiteral("Accept"),
                                                               legAccept)} +
                headersAfterAccept](PlainHttpClient::Response r) {
          // The I/O thread: hand over to this object's thread in one queued call.
          QMetaObject::invokeMethod(
              this,
              [this, round, legPtr, offset, viaQt, sent, r = std::move(r)]() mutable {
                Round::Leg& l = *legPtr;
                if (r.failure == PlainHttpClient::Failure::None && r.status >= 300 &&
                    r.status < 400 && !r.header("Location").empty()) {
                  viaQt(l);
                  return;
                }
                l.elapsedMs = round->clock.elapsed();
                l.http = r.status;
                l.contentType = QByteArray::fromStdString(r.header("Content-Type"));
                l.body = QByteArray(r.body.data(), static_cast<qsizetype>(r.body.size()));
                r.body = std::string();
                const auto at = [offset](std::int64_t ms) { return ms < 0 ? -1 : offset + ms; };
                l.evidence.connectStartMs = at(r.connectStartMs);
                l.evidence.requestSentMs = at(r.requestSentMs);
                l.evidence.firstByteMs = at(r.firstByteMs);
                switch (r.failure) {
                case PlainHttpClient::Failure::None: break;
                case PlainHttpClient::Failure::Timeout:
                  l.timedOut = true;
                  l.error = PollError::Timeout;
                  l.errorDetail = timeoutWords(round->config.timeout);
                  break;
                case PlainHttpClient::Failure::TooLarge:
                  l.tooLarge = true;
                  l.error = PollError::ResponseTooLarge;
                  l.errorDetail = tooLargeWords(round->bodyCap);
                  break;
                case PlainHttpClient::Failure::ConnectionRefused:
                  l.error = PollError::ConnectionRefused;
                  l.errorDetail = refusedWords(l.url);
                  break;
                case PlainHttpClient::Failure::HostNotFound:
                  l.error = PollError::HostNotFound;
                  l.errorDetail = hostNotFoundWords(l.url);
                  break;
                case PlainHttpClient::Failure::ClosedWithoutAnswer:
                  l.error = PollError::ConnectionReset;
                  l.errorDetail = closedWords();
                  break;
                case PlainHttpClient::Failure::Other:
                  l.error = PollError::Network;
                  l.errorDetail =
                      (r.status == 0
                           ? QStringLiteral("Network error: ")
                           : QStringLiteral("Network error after HTTP %1: ").arg(r.status)) %
                      QString::fromStdString(r.failureText);
                  break;
                }
                l.finalUrl = l.url;
                if (l.http == 401)
                  l.realm = authRealm(QByteArray::fromStdString(r.header("WWW-Authenticate")));
                fillPlainEvidence(l.evidence, l.url, round->config, sent, r, l.body, l.errorDetail,
                                  l.elapsedMs);
                legAnswered(round, &l == &round->ready, false);
              },
              Qt::QueuedConnection);
        });
  };
  auto launch = [&](Round::Leg& leg, const QString& path) {
    if (!leg.wanted) return;
    leg.url = config.urlFor(path);
    if (!credentialProblem.isEmpty() || !tlsProblem.isEmpty()) {
      leg.done = true;
      leg.error =
          credentialProblem.isEmpty() ? PollError::TlsFailure : PollError::CredentialsUnavailable;
      leg.errorDetail = credentialProblem.isEmpty() ? tlsProblem : credentialProblem;
      return;
    }
    if (usesPlainTransport(leg.url))
      viaPlain(leg);
    else
      viaQt(leg);
  };
  launch(round->ready, config.readyPath);
  launch(round->live, config.livePath);

  round->metrics.wanted = !config.metricsPath.isEmpty();
  if (round->metrics.wanted && (!credentialProblem.isEmpty() || !tlsProblem.isEmpty())) {
    round->metrics.done = true;
    round->metrics.error =
        credentialProblem.isEmpty() ? PollError::TlsFailure : PollError::CredentialsUnavailable;
    round->metrics.errorDetail = credentialProblem.isEmpty() ? tlsProblem : credentialProblem;
  }
  if (round->metrics.wanted && credentialProblem.isEmpty() && tlsProblem.isEmpty()) {
    const QUrl metricsUrl = config.urlFor(config.metricsPath);
    const qint64 cap = m_options.maxMetricsBytes;
    const auto metricsViaQt = [this, round, nam = QPointer<QNetworkAccessManager>(nam),
                               buildRequest, metricsUrl, cap, scheduled] {
      if (!nam) return;
      QNetworkReply* reply = nam->get(buildRequest(metricsUrl, kMetricsAccept));
      auto timedOut = std::make_shared<bool>(false);
      m_impl->deadlines->add(reply, round->config.timeout, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
      });
      auto body = std::make_shared<QByteArray>();
      connect(reply, &QNetworkReply::readyRead, reply, [reply, body, cap] {
        *body += reply->read(cap + 1 - body->size());
        if (body->size() > cap) reply->abort();
      });
      const QByteArray pin = round->config.pinnedSha256;
      const bool pinned = round->config.tlsMode == TlsMode::Pinned;
      connect(reply, &QNetworkReply::sslErrors, reply,
              [reply, pin, pinned](const QList<QSslError>& errors) {
                if (pinned && !pin.isEmpty() &&
                    reply->sslConfiguration().peerCertificate().digest(
                        QCryptographicHash::Sha256) == pin)
                  reply->ignoreSslErrors(errors);
              });
      QElapsedTimer started;
      started.start();
      connect(reply, &QNetworkReply::finished, this,
              [this, round, reply, body, cap, started, timedOut, scheduled] {
                if (reply->isOpen()) *body += reply->read(cap + 1 - body->size());
                const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const auto err = reply->error();
                QString error;
                if (body->size() > cap)
                  error = QStringLiteral("response larger than %1 bytes").arg(cap);
                else if (err != QNetworkReply::NoError && (http == 0 || http == 200))
                  error = reply->errorString(); // no answer, or one cut short (timeout abort)
                else if (http != 200)
                  error = QStringLiteral("HTTP %1").arg(http);
                const FetchFailure failure =
                    *timedOut                                      ? FetchFailure::Timeout
                    : body->size() > cap                           ? FetchFailure::TooLarge
                    : err == QNetworkReply::ConnectionRefusedError ? FetchFailure::Refused
                    : err == QNetworkReply::HostNotFoundError      ? FetchFailure::HostNotFound
                                                                   : FetchFailure::Other;
                const QUrl url = reply->url();
                reply->deleteLater();
                metricsAnswered(round, scheduled, started.elapsed(), http, std::move(*body), error,
                                failure, url);
              });
    };
    if (usesPlainTransport(metricsUrl)) {
      plainClient()->get(
          plainRequest(metricsUrl, kMetricsAccept, cap),
          [this, round, metricsUrl, cap, scheduled, metricsViaQt](PlainHttpClient::Response r) {
            QMetaObject::invokeMethod(
                this,
                [this, round, metricsUrl, cap, scheduled, metricsViaQt,
                 r = std::move(r)]() mutable {
                  using F = PlainHttpClient::Failure;
                  if (r.failure == F::None && r.status >= 300 && r.status < 400 &&
                      !r.header("Location").empty()) {
                    metricsViaQt();
                    return;
                  }
                  const int http = r.status;
                  QString error;
                  if (r.failure == F::TooLarge)
                    error = QStringLiteral("response larger than %1 bytes").arg(cap);
                  else if (r.failure != F::None && (http == 0 || http == 200))
                    error = r.failure == F::Timeout ? timeoutWords(round->config.timeout)
                            : r.failure == F::ClosedWithoutAnswer
                                ? closedWords()
                                : QString::fromStdString(r.failureText);
                  else if (http != 200)
                    error = QStringLiteral("HTTP %1").arg(http);
                  const FetchFailure failure =
                      r.failure == F::Timeout             ? FetchFailure::Timeout
                      : r.failure == F::TooLarge          ? FetchFailure::TooLarge
                      : r.failure == F::ConnectionRefused ? FetchFailure::Refused
                      : r.failure == F::HostNotFound      ? FetchFailure::HostNotFound
                                                          : FetchFailure::Other;
                  QByteArray body(r.body.data(), static_cast<qsizetype>(r.body.size()));
                  r.body = std::string();
                  metricsAnswered(round, scheduled, r.totalMs, http, std::move(body), error,
                                  failure, metricsUrl);
                },
                Qt::QueuedConnection);
          });
    } else {
      metricsViaQt();
    }
  }
  // Legs that failed before any request (credentials, CA file) finish the round at once.
  QMetaObject::invokeMethod(
      this, [this, round] { finishRound(round); }, Qt::QueuedConnection);
}

bool Poller::usesPlainTransport(const QUrl& url) const {
  return m_impl->plainAllowed && url.scheme() == QLatin1String("http") &&
         url.userInfo().isEmpty() && !url.host().isEmpty();
}

PlainHttpClient* Poller::plainClient() {
  if (!m_impl->plain) m_impl->plain = std::make_unique<PlainHttpClient>();
  return m_impl->plain.get();
}

} // namespace healthdeck
