#include "healthdeck/client/source/poller.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/source/file_cache.h"
#include "healthdeck/util/secret_file.h"

#include "healthdeck/client/parse/health_document_parser.h"
#include "healthdeck/client/state_presentation.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QThread>
#include <QTimer>

namespace healthdeck {

namespace {

std::optional<QByteArray> readSecretRef(const QString& ref) {
  QString path = ref;
  if (path.startsWith(QLatin1String("file:"))) path = path.mid(5);
  const auto secret = readSecretFile(QFile::encodeName(path).toStdString(), nullptr);
  if (!secret) return std::nullopt;
  return QByteArray::fromStdString(*secret);
}

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

QString hostPort(const QUrl& url) {
  const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
  return url.host() % QLatin1Char(':') % QString::number(port);
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

} // namespace

struct Poller::Round {
  struct Leg {
    bool wanted = false;
    bool done = false;
    QUrl url;
    QPointer<QNetworkReply> reply;
    QByteArray body;
    QByteArray contentType;
    int http = 0;
    qint64 elapsedMs = 0;
    bool timedOut = false;
    bool tooLarge = false;
    PollError error = PollError::None;
    QString errorDetail;
    QList<QSslError> sslErrors;
    std::optional<PeerCertificate> peer;
    std::optional<HealthParseResult> parsed;
    Evidence evidence;
  };
  TargetConfig config;
  bool scheduled = false;
  bool finished = false;
  quint64 generation = 0;
  RoundDone done; ///< set: deliver here instead of the signals (detection)
  Leg ready;
  Leg live;
  QElapsedTimer clock;
};

struct Poller::Impl {
  struct Scheduled {
    TargetConfig config;
    QTimer* timer = nullptr;
    int periodMs = 0; ///< the interval; the timer's first tick comes at a per-target phase
    quint64 generation = 0;
    bool inFlight = false;
  };
  QNetworkAccessManager* nam = nullptr; // system trust
  /// Qt shares connections and their TLS context per host and port inside one manager,
  /// whatever a request's SSL configuration says; so each distinct trust decision (CA file,
  /// pin) gets a manager of its own and never rides on a connection verified another way.
  QHash<QString, QNetworkAccessManager*> trustNams;
  QThread worker;
  QObject* parserContext = nullptr; // lives in `worker`
  QHash<QString, Scheduled> targets;
  FileCache* files = nullptr; // CA bundles
  SecretResolver resolver = readSecretRef;
  SecretProblem problem;
  quint64 nextGeneration = 1;
};

Poller::Poller(QObject* parent) : Poller(Options{}, parent) {}

Poller::Poller(Options options, QObject* parent)
    : QObject(parent), m_options(options), m_impl(std::make_unique<Impl>()) {
  qRegisterMetaType<healthdeck::TargetSnapshot>();
  m_impl->nam = new QNetworkAccessManager(this);
  m_impl->nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
  m_impl->worker.setObjectName(QStringLiteral("healthdeck-parse"));
  m_impl->parserContext = new QObject;
  m_impl->parserContext->moveToThread(&m_impl->worker);
  connect(&m_impl->worker, &QThread::finished, m_impl->parserContext, &QObject::deleteLater);
  m_impl->worker.start();
  m_states = new TargetStateMachine(this);
  m_impl->files = new FileCache(this);
  connect(m_impl->files, &FileCache::fileLoaded, this, [this](const QString& path) {
    const auto ids = m_impl->targets.keys();
    for (const QString& id : ids) {
      const TargetConfig& c = m_impl->targets.value(id).config;
      if (c.tlsMode == TlsMode::CaFile && c.caFile == path) pollNow(id);
    }
  });
}

Poller::~Poller() {
  // Join the parser first so nothing is posted to this object while it is being destroyed.
  m_impl->worker.quit();
  m_impl->worker.wait();
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
    snap.sentence = describe(snap);
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

QStringList Poller::commonReadinessPaths() {
  return {QStringLiteral("/health/ready"), QStringLiteral("/readyz"),
          QStringLiteral("/actuator/health"), QStringLiteral("/health")};
}

void Poller::detectReadinessPath(const TargetConfig& config, const QStringList& candidates) {
  const QString id = config.id;
  if (candidates.isEmpty()) {
    QMetaObject::invokeMethod(
        this,
        [this, id] {
          Q_EMIT readinessPathDetected(id, QString(), QStringLiteral("No paths to try"));
        },
        Qt::QueuedConnection);
    return;
  }
  struct Detection {
    QStringList paths;
    std::vector<std::optional<TargetSnapshot>> results;
    int pending = 0;
  };
  auto detection = std::make_shared<Detection>();
  detection->paths = candidates;
  detection->results.resize(static_cast<std::size_t>(candidates.size()));
  detection->pending = static_cast<int>(candidates.size());
  for (qsizetype i = 0; i < candidates.size(); ++i) {
    TargetConfig probe = config;
    probe.readyPath = candidates.at(i);
    probe.livePath.clear();
    probe.metricsPath.clear();
    startRound(probe, false, [this, detection, i, id](const TargetSnapshot& snap) {
      detection->results[static_cast<std::size_t>(i)] = snap;
      if (--detection->pending > 0) return;
      const auto answered = [&](bool bareStatusToo) -> qsizetype {
        for (qsizetype k = 0; k < detection->paths.size(); ++k) {
          const auto& r = detection->results[static_cast<std::size_t>(k)];
          if (!r || !r->readiness) continue;
          const bool bare = r->readiness->dialect == HealthDialect::StatusCode;
          if (r->readiness->dialect != HealthDialect::None && (!bare || bareStatusToo)) return k;
        }
        return -1;
      };
      qsizetype found = answered(false);
      if (found < 0) found = answered(true);
      if (found >= 0) {
        const TargetSnapshot& r = *detection->results[static_cast<std::size_t>(found)];
        Q_EMIT readinessPathDetected(
            id, detection->paths.at(found),
            QStringLiteral("%1 answers (%2): %3")
                .arg(detection->paths.at(found), toString(r.readiness->dialect), r.sentence));
        return;
      }
      // Paths that answered alike share one clause: "/readyz, /health: ... (HTTP 404)".
      QStringList sentences;
      QList<QStringList> pathsBySentence;
      for (qsizetype k = 0; k < detection->paths.size(); ++k) {
        const auto& r = detection->results[static_cast<std::size_t>(k)];
        const QString sentence = r ? r->sentence : QStringLiteral("no answer");
        qsizetype at = sentences.indexOf(sentence);
        if (at < 0) {
          sentences << sentence;
          pathsBySentence << QStringList{};
          at = sentences.size() - 1;
        }
        pathsBySentence[at] << detection->paths.at(k);
      }
      QStringList each;
      for (qsizetype k = 0; k < sentences.size(); ++k)
        each << pathsBySentence.at(k).join(QStringLiteral(", ")) % QStringLiteral(": ") %
                    sentences.at(k);
      Q_EMIT readinessPathDetected(id, QString(),
                                   QStringLiteral("No health document found. ") %
                                       each.join(QStringLiteral("; ")));
    });
  }
}

void Poller::startRound(const TargetConfig& config, bool scheduled, RoundDone done) {
  auto round = std::make_shared<Round>();
  round->config = config;
  round->scheduled = scheduled;
  round->done = std::move(done);
  if (scheduled) {
    auto& s = m_impl->targets[config.id];
    if (s.inFlight) return; // a slow server never piles up requests
    s.inFlight = true;
    round->generation = s.generation;
  }
  round->ready.wanted = !config.readyPath.isEmpty();
  round->live.wanted = !config.livePath.isEmpty();
  round->clock.start();

  std::optional<QByteArray> authHeader;
  QString credentialProblem;
  if (config.auth != AuthKind::None) {
    const auto secret = m_impl->resolver(config.secretRef);
    if (!secret) {
      credentialProblem = config.secretRef.isEmpty() ? QStringLiteral("no secret configured")
                          : m_impl->problem        ? m_impl->problem(config.secretRef)
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
    QNetworkRequest req(leg.url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::NoLessSafeRedirectPolicy);
    req.setMaximumRedirectsAllowed(m_options.maxRedirects);
    req.setRawHeader("Accept", "application/json, text/plain;q=0.9, */*;q=0.5");
    req.setRawHeader("User-Agent", "healthdeck/" HEALTHDECK_VERSION);
    if (authHeader) req.setRawHeader("Authorization", *authHeader);
    if (leg.url.scheme() == QLatin1String("https")) req.setSslConfiguration(ssl);
    QNetworkReply* reply = nam->get(req);
    leg.reply = reply;
    Round::Leg* legPtr = &leg;
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

    auto* timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [legPtr, reply] {
      legPtr->timedOut = true;
      reply->abort();
    });
    timer->start(static_cast<int>(std::max<qint64>(config.timeout.count(), 1)));

    const qint64 cap = m_options.maxBodyBytes;
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
    const QByteArray pin = config.pinnedSha256;
    const bool pinned = config.tlsMode == TlsMode::Pinned;
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
      if (reply->isOpen() && !l.tooLarge && l.body.size() <= m_options.maxBodyBytes)
        l.body += reply->read(m_options.maxBodyBytes + 1 - l.body.size());
      if (l.body.size() > m_options.maxBodyBytes) l.tooLarge = true;
      const auto err = reply->error();
      const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
      if (!peer.isNull() || !l.sslErrors.isEmpty()) {
        const QSslCertificate cert = !peer.isNull() ? peer : l.sslErrors.first().certificate();
        if (!cert.isNull())
          l.peer = PeerCertificate{certName(cert, false), certName(cert, true),
                                   cert.effectiveDate().toUTC(), cert.expiryDate().toUTC(),
                                   cert.digest(QCryptographicHash::Sha256)};
      }
      const QString timeoutText = durationText(round->config.timeout);
      if (l.timedOut) {
        l.error = PollError::Timeout;
        l.errorDetail = QStringLiteral("No answer within ") % timeoutText;
      } else if (l.tooLarge) {
        l.error = PollError::ResponseTooLarge;
        l.errorDetail =
            QStringLiteral("Response too large (over %1 KiB)").arg(m_options.maxBodyBytes / 1024);
      } else if (err == QNetworkReply::TooManyRedirectsError) {
        l.error = PollError::TooManyRedirects;
        l.errorDetail =
            QStringLiteral("Redirect loop or more than %1 redirects").arg(m_options.maxRedirects);
      } else if (err == QNetworkReply::InsecureRedirectError) {
        l.error = PollError::InsecureRedirect;
        l.errorDetail = QStringLiteral("Redirected from HTTPS to plain HTTP (not followed)");
      } else if (err == QNetworkReply::ConnectionRefusedError) {
        l.error = PollError::ConnectionRefused;
        l.errorDetail = QStringLiteral("Connection refused (%1)").arg(hostPort(l.url));
      } else if (err == QNetworkReply::HostNotFoundError) {
        l.error = PollError::HostNotFound;
        l.errorDetail = QStringLiteral("Host not found: %1").arg(l.url.host());
      } else if (err == QNetworkReply::TimeoutError) {
        l.error = PollError::Timeout;
        l.errorDetail = QStringLiteral("No answer within ") % timeoutText;
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
        l.errorDetail = QStringLiteral("The server closed the connection without answering");
      } else if (l.http == 0) {
        l.error = PollError::Network;
        l.errorDetail = QStringLiteral("Network error: ") % reply->errorString();
      }
      fillEvidence(l.evidence, reply, l.body, round->config, l.errorDetail, l.elapsedMs);
      reply->deleteLater();
      l.reply.clear();
      if (l.error != PollError::None || l.http == 401 || l.http == 403 || l.http == 404) {
        l.done = true;
        finishRound(round);
        return;
      }
      // Parse on the worker thread; the result comes back queued to this object.
      const int http = l.http;
      const QByteArray body = std::move(l.body);
      const QByteArray type = l.contentType;
      l.body = QByteArray();
      QMetaObject::invokeMethod(
          m_impl->parserContext,
          [round, legPtr, http, body, type, this] {
            HealthParseResult parsed = HealthDocumentParser::parse(http, type, body);
            QMetaObject::invokeMethod(
                this,
                [round, legPtr, parsed = std::move(parsed), this]() mutable {
                  legPtr->parsed = std::move(parsed);
                  legPtr->done = true;
                  finishRound(round);
                },
                Qt::QueuedConnection);
          },
          Qt::QueuedConnection);
    });
  };
  launch(round->ready, config.readyPath);
  launch(round->live, config.livePath);

  if (!config.metricsPath.isEmpty() && scheduled) {
    QNetworkRequest req(config.urlFor(config.metricsPath));
    req.setMaximumRedirectsAllowed(m_options.maxRedirects);
    req.setRawHeader("Accept", "text/plain;version=0.0.4, */*;q=0.1");
    if (authHeader) req.setRawHeader("Authorization", *authHeader);
    if (req.url().scheme() == QLatin1String("https")) req.setSslConfiguration(ssl);
    if (credentialProblem.isEmpty() && tlsProblem.isEmpty()) {
      QNetworkReply* reply = nam->get(req);
      auto* timer = new QTimer(reply);
      timer->setSingleShot(true);
      connect(timer, &QTimer::timeout, reply, &QNetworkReply::abort);
      timer->start(static_cast<int>(std::max<qint64>(config.timeout.count(), 1)));
      auto body = std::make_shared<QByteArray>();
      const qint64 cap = m_options.maxMetricsBytes;
      connect(reply, &QNetworkReply::readyRead, reply, [reply, body, cap] {
        *body += reply->read(cap + 1 - body->size());
        if (body->size() > cap) reply->abort();
      });
      const QString id = config.id;
      const QByteArray pin = config.pinnedSha256;
      const bool pinned = config.tlsMode == TlsMode::Pinned;
      connect(reply, &QNetworkReply::sslErrors, reply,
              [reply, pin, pinned](const QList<QSslError>& errors) {
                if (pinned && !pin.isEmpty() &&
                    reply->sslConfiguration().peerCertificate().digest(
                        QCryptographicHash::Sha256) == pin)
                  reply->ignoreSslErrors(errors);
              });
      QElapsedTimer started;
      started.start();
      connect(reply, &QNetworkReply::finished, this, [this, reply, body, cap, id, started] {
        if (reply->isOpen()) *body += reply->read(cap + 1 - body->size());
        const int http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QString error;
        if (body->size() > cap)
          error = QStringLiteral("response larger than %1 bytes").arg(cap);
        else if (reply->error() != QNetworkReply::NoError && (http == 0 || http == 200))
          error = reply->errorString(); // no answer, or one cut short (timeout abort)
        else if (http != 200)
          error = QStringLiteral("HTTP %1").arg(http);
        if (error.isEmpty()) Q_EMIT metricsReceived(id, *body, now);
        Q_EMIT metricsFetched(id, started.elapsed(), error, now);
        reply->deleteLater();
      });
    }
  }
  // Legs that failed before any request (credentials, CA file) finish the round at once.
  QMetaObject::invokeMethod(
      this, [this, round] { finishRound(round); }, Qt::QueuedConnection);
}

void Poller::finishRound(const std::shared_ptr<Round>& round) {
  if ((round->ready.wanted && !round->ready.done) || (round->live.wanted && !round->live.done))
    return;
  if (round->finished) return;
  round->finished = true;
  if (round->scheduled) {
    auto it = m_impl->targets.find(round->config.id);
    if (it == m_impl->targets.end() || it->generation != round->generation)
      return; // removed or replaced while in flight
    it->inFlight = false;
  }

  TargetSnapshot snap;
  snap.targetId = round->config.id;
  snap.polledAt = QDateTime::currentDateTimeUtc();
  const bool readyPrimary = round->ready.wanted;
  Round::Leg& primary = readyPrimary ? round->ready : round->live;
  Round::Leg& secondary = readyPrimary ? round->live : round->ready;

  auto documentOf = [](const Round::Leg& leg) -> std::optional<HealthDocument> {
    if (!leg.wanted || leg.error != PollError::None || !leg.parsed) return std::nullopt;
    return leg.parsed->document;
  };
  if (!primary.wanted) {
    snap.state = TargetState::Unknown;
    snap.error = PollError::NotUnderstood;
    snap.errorDetail = QStringLiteral("no readiness or liveness path configured");
    snap.sentence = QStringLiteral("No readiness or liveness path configured");
    if (round->done) {
      round->done(snap);
      return;
    }
    Q_EMIT observationReady(snap);
    if (round->scheduled) Q_EMIT snapshotReady(m_states->observe(snap));
    return;
  }
  snap.httpStatus = primary.http;
  snap.latency = std::chrono::milliseconds(primary.elapsedMs);
  snap.error = primary.error;
  snap.errorDetail = primary.errorDetail;
  snap.evidence = std::move(primary.evidence);
  if (primary.error == PollError::TlsFailure) snap.peerCertificate = primary.peer;
  const auto primaryDoc = documentOf(primary);
  const auto secondaryDoc = documentOf(secondary);
  (readyPrimary ? snap.readiness : snap.liveness) = primaryDoc;
  (readyPrimary ? snap.liveness : snap.readiness) = secondaryDoc;

  if (primary.error == PollError::CredentialsUnavailable) {
    snap.state = TargetState::Unauthorized;
  } else if (primary.error != PollError::None) {
    snap.state = TargetState::Unreachable;
  } else if (primary.http == 401 || primary.http == 403) {
    snap.state = TargetState::Unauthorized;
    snap.error = PollError::HttpStatus;
  } else if (primary.http == 404) {
    snap.state = TargetState::Disabled;
    snap.error = PollError::HttpStatus;
  } else if (primaryDoc) {
    Status overall = primaryDoc->overall;
    if (secondaryDoc && secondaryDoc->overall > overall) overall = secondaryDoc->overall;
    snap.state = overall == Status::Up         ? TargetState::Up
                 : overall == Status::Degraded ? TargetState::Degraded
                                               : TargetState::Down;
    if (primary.parsed && !primary.parsed->error.isEmpty())
      snap.rawFirstLine = primary.parsed->rawFirstLine;
  } else {
    snap.state = TargetState::Unknown;
    const bool ok2xx = primary.http >= 200 && primary.http < 300;
    snap.error = ok2xx ? PollError::NotUnderstood : PollError::HttpStatus;
    if (primary.parsed) {
      snap.errorDetail = primary.parsed->error;
      snap.rawFirstLine = primary.parsed->rawFirstLine;
    }
  }
  snap.sentence = describe(snap);
  if (round->done) {
    round->done(snap);
    return;
  }
  Q_EMIT observationReady(snap);
  if (round->scheduled) Q_EMIT snapshotReady(m_states->observe(snap));
}

} // namespace healthdeck
