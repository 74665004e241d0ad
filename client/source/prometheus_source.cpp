#include "healthdeck/client/source/prometheus_source.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/util/secret_file.h"

#include <QCryptographicHash>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace healthdeck {

namespace {

constexpr int kRangeMinutes = 30;
constexpr int kRangeStepSeconds = 60;

/// "file:/path" or "/path" → the secret, through the project's one secret-file reader.
std::optional<QByteArray> readSecretRef(const QString& ref) {
  QString path = ref;
  if (path.startsWith(QLatin1String("file:"))) path = path.mid(5);
  if (path.isEmpty()) return std::nullopt;
  const auto secret = readSecretFile(QFile::encodeName(path).toStdString(), nullptr);
  if (!secret) return std::nullopt;
  return QByteArray::fromStdString(*secret);
}

/// The identity of a target inside query results: its label set without the names that the
/// series itself adds. Label names and values cannot contain \x1f in practice; a value that
/// does only risks a mismatch, never a crash.
QString labelKey(const LabelSet& labels, std::initializer_list<const char*> without = {}) {
  QString key;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (it.key() == QLatin1String("__name__")) continue;
    bool skip = false;
    for (const char* w : without)
      if (it.key() == QLatin1String(w)) skip = true;
    if (skip) continue;
    key += it.key();
    key += QLatin1Char('\x1e');
    key += it.value();
    key += QLatin1Char('\x1f');
  }
  return key;
}

QString secondsText(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return QStringLiteral("%1 s").arg(ms.count() / 1000);
  return QStringLiteral("%1 s").arg(static_cast<double>(ms.count()) / 1000.0, 0, 'g', 3);
}

/// Which scrape error Prometheus reported, in the Poller's terms.
void classifyScrapeError(const QString& lastError, TargetSnapshot& snap) {
  snap.errorDetail = lastError;
  static const QRegularExpression httpStatus(QStringLiteral("HTTP status (\\d{3})"));
  const auto m = httpStatus.match(lastError);
  if (m.hasMatch()) {
    snap.httpStatus = m.captured(1).toInt();
    snap.error = PollError::HttpStatus;
    if (snap.httpStatus == 401 || snap.httpStatus == 403)
      snap.state = TargetState::Unauthorized;
    else if (snap.httpStatus >= 500)
      snap.state = TargetState::Down;
    else
      snap.state = TargetState::Unknown;
    return;
  }
  snap.state = TargetState::Unreachable;
  if (lastError.contains(QLatin1String("connection refused")))
    snap.error = PollError::ConnectionRefused;
  else if (lastError.contains(QLatin1String("deadline exceeded")) ||
           lastError.contains(QLatin1String("timeout")))
    snap.error = PollError::Timeout;
  else if (lastError.contains(QLatin1String("no such host")))
    snap.error = PollError::HostNotFound;
  else if (lastError.contains(QLatin1String("x509")) || lastError.contains(QLatin1String("tls")))
    snap.error = PollError::TlsFailure;
  else if (lastError.contains(QLatin1String("connection reset")) ||
           lastError.contains(QLatin1String("EOF")))
    snap.error = PollError::ConnectionReset;
  else
    snap.error = PollError::Network;
}

/// The snapshot of a target from what Prometheus knows about it (pure).
TargetSnapshot snapshotOf(const PrometheusTarget& t) {
  TargetSnapshot snap;
  snap.targetId = t.id;
  snap.polledAt = t.lastScrape.isValid() ? t.lastScrape : QDateTime::currentDateTimeUtc();
  snap.latency = std::chrono::milliseconds(
      static_cast<qint64>(std::llround(t.lastScrapeDurationSeconds * 1000.0)));
  const bool down = t.up ? *t.up < 0.5 : t.health == QLatin1String("down");
  if (!t.up && t.health != QLatin1String("down")) {
    snap.state = TargetState::Unknown;
    snap.sentence = t.health == QLatin1String("up")
                        ? QStringLiteral("Scraped, but no up series yet")
                        : QStringLiteral("Not scraped by Prometheus yet");
    return snap;
  }
  if (down) {
    const QString why =
        t.lastError.isEmpty() ? QStringLiteral("scrape failed (up is 0)") : t.lastError;
    classifyScrapeError(why, snap);
    snap.sentence = why;
    return snap;
  }
  // Health documents from health_check_status, one per probe, as a direct poll would parse.
  auto documentFor = [&](const QString& probe) -> std::optional<HealthDocument> {
    HealthDocument doc;
    doc.dialect = HealthDialect::Healthdeck;
    for (const auto& c : t.components) {
      if (c.probe != probe) continue;
      HealthComponent hc;
      hc.name = c.component;
      hc.path = QStringList{c.component};
      const auto st = statusFromString(c.status.toStdString());
      hc.status = st.value_or(Status::Down);
      doc.overall = std::max(doc.overall, hc.status);
      doc.components.push_back(std::move(hc));
    }
    if (doc.components.empty()) return std::nullopt;
    return doc;
  };
  snap.readiness = documentFor(QStringLiteral("readiness"));
  snap.liveness = documentFor(QStringLiteral("liveness"));
  Status overall = Status::Up;
  if (snap.readiness) overall = std::max(overall, snap.readiness->overall);
  if (snap.liveness) overall = std::max(overall, snap.liveness->overall);
  snap.state = overall == Status::Up         ? TargetState::Up
               : overall == Status::Degraded ? TargetState::Degraded
                                             : TargetState::Down;
  if (t.probeSuccess && *t.probeSuccess < 0.5) {
    snap.state = TargetState::Down;
    snap.sentence = QStringLiteral("Blackbox probe failed (probe_success 0)");
    return snap;
  }
  if (!snap.readiness && !snap.liveness) {
    snap.sentence = t.probeSuccess ? QStringLiteral("Blackbox probe succeeded")
                                   : QStringLiteral("Up (Prometheus scrapes it)");
    return snap;
  }
  snap.sentence = describe(snap);
  return snap;
}

QString plural(qsizetype n, const char* one, const char* many) {
  return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

QString toString(PrometheusSourceStatus::Kind kind) {
  using K = PrometheusSourceStatus::Kind;
  switch (kind) {
  case K::NotRead: return QStringLiteral("not-read");
  case K::Ok: return QStringLiteral("ok");
  case K::Unreachable: return QStringLiteral("unreachable");
  case K::Unauthorized: return QStringLiteral("unauthorized");
  case K::QueryRejected: return QStringLiteral("query-rejected");
  case K::Truncated: return QStringLiteral("truncated");
  case K::NotUnderstood: return QStringLiteral("not-understood");
  }
  return QStringLiteral("unknown");
}

struct PrometheusSource::Cycle {
  enum class What : std::uint8_t { Targets, Up, Health, Probe, Alerts, Uptime, Range };
  struct Request {
    What what = What::Targets;
    QString label;   ///< "uptime 24h", "cpu", …
    QString job;     ///< for Range
    QString display; ///< what it asked, for error sentences: "/api/v1/targets", "query up{…}"
    QUrl url;
    QByteArray body;
    int http = 0;
    bool tooLarge = false;
    QString transportError; ///< empty when an HTTP answer arrived
    bool authProblem = false;
    bool done = false;
  };
  std::vector<Request> requests;
  int pending = 0;
  bool uptime = false;
  bool ranges = false;
};

struct PrometheusSource::Built {
  std::vector<PrometheusTarget> targets;
  std::vector<PrometheusAlert> alerts;
  PrometheusSourceStatus status;
  bool essentialOk = false; ///< targets and up were read: the picture is fresh
  /// Optional queries of this cycle that failed: their last values carry over instead of
  /// vanishing. Ranges as "<job>\x1f<metric>", uptime by period ("24h", ...).
  QSet<QString> failedRanges;
  QSet<QString> failedUptime;
};

struct PrometheusSource::Impl {
  QNetworkAccessManager* nam = nullptr;
  QTimer* timer = nullptr;
  QThread worker;
  QObject* context = nullptr; // lives in `worker`
  SecretResolver resolver = readSecretRef;
  QList<QPointer<QNetworkReply>> replies;
  bool rangesDue = true;
};

PrometheusSource::PrometheusSource(PrometheusSourceConfig config, QObject* parent)
    : PrometheusSource(std::move(config), Options{}, parent) {}

PrometheusSource::PrometheusSource(PrometheusSourceConfig config, Options options, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_options(options),
      m_impl(std::make_unique<Impl>()) {
  qRegisterMetaType<healthdeck::TargetSnapshot>();
  qRegisterMetaType<healthdeck::PrometheusSourceStatus>();
  QString error;
  m_selector = LabelSelector::parse(m_config.selector, &error);
  if (!m_selector) m_configError = QStringLiteral("label filter: ") + error;
  m_impl->nam = new QNetworkAccessManager(this);
  m_impl->nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
  m_impl->timer = new QTimer(this);
  connect(m_impl->timer, &QTimer::timeout, this, &PrometheusSource::refresh);
  m_impl->worker.setObjectName(QStringLiteral("healthdeck-promsource"));
  m_impl->context = new QObject;
  m_impl->context->moveToThread(&m_impl->worker);
  connect(&m_impl->worker, &QThread::finished, m_impl->context, &QObject::deleteLater);
  m_impl->worker.start();
}

PrometheusSource::~PrometheusSource() {
  m_impl->worker.quit();
  m_impl->worker.wait();
  // Aborting in-flight replies would re-enter our slots; disconnect first.
  for (const auto& guarded : std::as_const(m_impl->replies)) {
    if (QNetworkReply* r = guarded.data()) {
      r->disconnect(this);
      r->abort();
    }
  }
}

void PrometheusSource::setSecretResolver(SecretResolver resolver) {
  m_impl->resolver = resolver ? std::move(resolver) : SecretResolver(readSecretRef);
}

void PrometheusSource::start() {
  m_impl->timer->start(
      static_cast<int>(std::max<qint64>(m_config.connection.interval.count(), 1000)));
  refresh();
}

void PrometheusSource::stop() {
  m_impl->timer->stop();
}

const PrometheusTarget* PrometheusSource::target(const QString& id) const {
  const auto it = m_index.constFind(id);
  return it == m_index.constEnd() ? nullptr : &m_targets[*it];
}

QList<TargetConfig> PrometheusSource::targetConfigs() const {
  QList<TargetConfig> out;
  out.reserve(static_cast<qsizetype>(m_targets.size()));
  for (const auto& t : m_targets) {
    TargetConfig c;
    c.id = t.id;
    c.name = t.name;
    c.group = m_config.connection.name.isEmpty()
                  ? t.group
                  : m_config.connection.name + QStringLiteral(" · ") + t.group;
    c.sourceId = m_config.connection.id;
    c.interval = m_config.connection.interval;
    // "Open direct": the scrape address with the default health routes and its metrics path.
    const QUrl scrape(t.scrapeUrl);
    QUrl base;
    base.setScheme(scrape.scheme());
    base.setHost(scrape.host());
    base.setPort(scrape.port());
    c.baseUrl = base;
    if (!scrape.path().isEmpty()) c.metricsPath = scrape.path();
    out << c;
  }
  return out;
}

void PrometheusSource::refresh() {
  if (m_inFlight) return;
  if (!m_selector) {
    PrometheusSourceStatus st;
    st.kind = PrometheusSourceStatus::Kind::QueryRejected;
    st.sentence = m_configError;
    st.at = QDateTime::currentDateTimeUtc();
    markStale(st);
    Q_EMIT refreshed();
    return;
  }
  m_inFlight = true;
  auto cycle = std::make_shared<Cycle>();
  const TargetConfig& conn = m_config.connection;
  const QString sel = m_selector->toPromQL();
  const auto inBraces = [&](const QString& extra = {}) -> QString {
    QStringList parts;
    if (!extra.isEmpty()) parts << extra;
    if (!sel.isEmpty()) parts << sel;
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
  };
  const auto add = [&](Cycle::What what, const QString& path, const QUrlQuery& query,
                       const QString& label = {}, const QString& job = {}) {
    Cycle::Request r;
    r.what = what;
    r.label = label;
    r.job = job;
    r.url = conn.urlFor(path);
    r.url.setQuery(query);
    const QString q = query.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    r.display = q.isEmpty() ? path : QStringLiteral("query ") + q;
    cycle->requests.push_back(std::move(r));
  };
  const auto instant = [](const QString& promql) {
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), promql);
    return q;
  };
  QUrlQuery active;
  active.addQueryItem(QStringLiteral("state"), QStringLiteral("active"));
  add(Cycle::What::Targets, QStringLiteral("/api/v1/targets"), active);
  add(Cycle::What::Up, QStringLiteral("/api/v1/query"), instant(QStringLiteral("up") + inBraces()));
  add(Cycle::What::Health, QStringLiteral("/api/v1/query"),
      instant(inBraces(QStringLiteral("__name__=~\"health_check_status|.+_health_check_status\"")) +
              QStringLiteral(" == 1")));
  add(Cycle::What::Probe, QStringLiteral("/api/v1/query"),
      instant(QStringLiteral("probe_success") + inBraces()));
  add(Cycle::What::Alerts, QStringLiteral("/api/v1/alerts"), QUrlQuery());
  cycle->uptime = m_options.uptimeEvery > 0 && m_cycles % m_options.uptimeEvery == 0;
  if (cycle->uptime) {
    for (const char* range : {"24h", "7d", "30d"})
      add(Cycle::What::Uptime, QStringLiteral("/api/v1/query"),
          instant(QStringLiteral("avg_over_time(up%1[%2])").arg(inBraces(), QLatin1String(range))),
          QLatin1String(range));
  }
  if (m_options.rangeEvery > 0 && m_cycles % m_options.rangeEvery == 0) m_impl->rangesDue = true;
  QStringList jobs;
  for (const auto& t : m_targets)
    if (!jobs.contains(t.job)) jobs << t.job;
  cycle->ranges = m_options.rangeEvery > 0 && m_impl->rangesDue && !jobs.isEmpty();
  if (cycle->ranges) {
    m_impl->rangesDue = false;
    const qint64 end = QDateTime::currentSecsSinceEpoch();
    for (const QString& job : std::as_const(jobs)) {
      const QString jobMatcher = QStringLiteral("job=") + promqlQuote(job);
      const std::pair<const char*, QString> metrics[] = {
          {"cpu",
           QStringLiteral("rate(process_cpu_seconds_total%1[2m])").arg(inBraces(jobMatcher))},
          {"rss", QStringLiteral("process_resident_memory_bytes") + inBraces(jobMatcher)}};
      for (const auto& [name, promql] : metrics) {
        QUrlQuery q = instant(promql);
        q.addQueryItem(QStringLiteral("start"), QString::number(end - kRangeMinutes * 60));
        q.addQueryItem(QStringLiteral("end"), QString::number(end));
        q.addQueryItem(QStringLiteral("step"), QString::number(kRangeStepSeconds));
        add(Cycle::What::Range, QStringLiteral("/api/v1/query_range"), q, QLatin1String(name), job);
      }
    }
  }
  ++m_cycles;
  m_lastCycleRequests = static_cast<int>(cycle->requests.size());
  cycle->pending = m_lastCycleRequests;

  std::optional<QByteArray> authHeader;
  QString authProblem;
  if (conn.auth != AuthKind::None) {
    const auto secret = m_impl->resolver(conn.secretRef);
    if (!secret)
      authProblem = QStringLiteral("credentials could not be read (%1)")
                        .arg(conn.secretRef.isEmpty() ? QStringLiteral("no secret configured")
                                                      : conn.secretRef);
    else if (conn.auth == AuthKind::Bearer)
      authHeader = "Bearer " + *secret;
    else
      authHeader = "Basic " + secret->toBase64();
  }
  QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
  QString tlsProblem;
  if (conn.tlsMode == TlsMode::CaFile) {
    const auto cas = QSslCertificate::fromPath(conn.caFile, QSsl::Pem);
    if (cas.isEmpty())
      tlsProblem = QStringLiteral("CA file %1 holds no readable certificate").arg(conn.caFile);
    ssl.setCaCertificates(cas);
  }
  m_impl->replies.clear();
  for (auto& req : cycle->requests) {
    Cycle::Request* r = &req;
    if (!authProblem.isEmpty() || !tlsProblem.isEmpty()) {
      r->done = true;
      r->authProblem = !authProblem.isEmpty();
      r->transportError = authProblem.isEmpty() ? tlsProblem : authProblem;
      --cycle->pending;
      continue;
    }
    QNetworkRequest nr(r->url);
    nr.setRawHeader("Accept", "application/json");
    nr.setRawHeader("User-Agent", "healthdeck/" HEALTHDECK_VERSION);
    if (authHeader) nr.setRawHeader("Authorization", *authHeader);
    for (const auto& [name, value] : m_config.headers)
      nr.setRawHeader(name, value);
    if (r->url.scheme() == QLatin1String("https")) nr.setSslConfiguration(ssl);
    QNetworkReply* reply = m_impl->nam->get(nr);
    m_impl->replies << reply;
    auto* timer = new QTimer(reply);
    timer->setSingleShot(true);
    const QString timeoutText = secondsText(conn.timeout);
    connect(timer, &QTimer::timeout, reply, [r, reply, timeoutText] {
      r->transportError = QStringLiteral("no answer within ") + timeoutText;
      reply->abort();
    });
    timer->start(static_cast<int>(std::max<qint64>(conn.timeout.count(), 1)));
    const qint64 cap = m_options.maxBodyBytes;
    connect(reply, &QNetworkReply::readyRead, reply, [r, reply, cap] {
      if (r->tooLarge) return;
      r->body += reply->read(cap + 1 - r->body.size());
      if (r->body.size() > cap) {
        r->tooLarge = true;
        r->body.clear();
        reply->abort();
      }
    });
    const QByteArray pin = conn.pinnedSha256;
    const bool pinned = conn.tlsMode == TlsMode::Pinned;
    connect(reply, &QNetworkReply::sslErrors, reply,
            [reply, pin, pinned](const QList<QSslError>& errors) {
              if (pinned && !pin.isEmpty() &&
                  reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256) ==
                      pin)
                reply->ignoreSslErrors(errors);
            });
    connect(reply, &QNetworkReply::finished, this, [this, cycle, r, reply, cap] {
      if (reply->isOpen() && !r->tooLarge) r->body += reply->read(cap + 1 - r->body.size());
      if (r->body.size() > cap) {
        r->tooLarge = true;
        r->body.clear();
      }
      r->http = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
      if (r->http == 0 && r->transportError.isEmpty() && !r->tooLarge) {
        const auto err = reply->error();
        r->transportError =
            err == QNetworkReply::ConnectionRefusedError
                ? QStringLiteral("connection refused (%1:%2)")
                      .arg(r->url.host())
                      .arg(r->url.port(r->url.scheme() == QLatin1String("https") ? 443 : 80))
            : err == QNetworkReply::HostNotFoundError
                ? QStringLiteral("host not found: %1").arg(r->url.host())
                : reply->errorString();
      }
      r->done = true;
      reply->deleteLater();
      if (--cycle->pending == 0) finishCycle(cycle);
    });
  }
  if (cycle->pending == 0)
    QMetaObject::invokeMethod(
        this, [this, cycle] { finishCycle(cycle); }, Qt::QueuedConnection);
}

void PrometheusSource::finishCycle(const std::shared_ptr<Cycle>& cycle) {
  // Everything below reads outside input: parse and join on the worker.
  const LabelSelector selector = *m_selector;
  const QString sourceId = m_config.connection.id;
  const QString groupLabel = m_config.groupLabel;
  const QString apiName = QStringLiteral("Prometheus");
  QMetaObject::invokeMethod(
      m_impl->context,
      [this, cycle, selector, sourceId, groupLabel, apiName] {
        Built built;
        built.status.at = QDateTime::currentDateTimeUtc();
        built.status.kind = PrometheusSourceStatus::Kind::Ok;
        // The first problem decides the source state; essential answers are targets and up.
        bool essentialOk = true;
        const auto problem = [&](const Cycle::Request& r, PrometheusSourceStatus::Kind kind,
                                 const QString& sentence) {
          if (r.what == Cycle::What::Targets || r.what == Cycle::What::Up) essentialOk = false;
          if (r.what == Cycle::What::Range)
            built.failedRanges.insert(r.job + QLatin1Char('\x1f') + r.label);
          if (r.what == Cycle::What::Uptime) built.failedUptime.insert(r.label);
          if (built.status.kind != PrometheusSourceStatus::Kind::Ok) return;
          built.status.kind = kind;
          built.status.sentence = sentence;
        };
        std::vector<ApiTarget> apiTargets;
        QHash<QString, double> up, probe;
        QHash<QString, std::vector<PrometheusComponent>> components;
        QHash<QString, QHash<QString, double>> uptime; // range → key → value
        QHash<QString, QHash<QString, std::vector<std::pair<qint64, double>>>> ranges;
        std::vector<ApiAlert> alerts;
        bool anyOk = false;
        for (const Cycle::Request& r : cycle->requests) {
          using K = PrometheusSourceStatus::Kind;
          if (r.authProblem) {
            problem(r, K::Unauthorized, apiName + QStringLiteral(": ") + r.transportError);
            continue;
          }
          if (!r.transportError.isEmpty()) {
            problem(r, K::Unreachable,
                    apiName + QStringLiteral(" unreachable: ") + r.transportError);
            continue;
          }
          if (r.tooLarge) {
            problem(r, K::Truncated,
                    QStringLiteral("Answer to %1 larger than %2 MiB; result truncated")
                        .arg(r.display)
                        .arg(m_options.maxBodyBytes / (1024 * 1024)));
            continue;
          }
          if (r.http == 401 || r.http == 403) {
            problem(r, K::Unauthorized,
                    apiName + QStringLiteral(" refused the credentials (HTTP %1)").arg(r.http));
            continue;
          }
          ApiEnvelope env;
          const auto take = [&](const auto& result) {
            env = result.envelope;
            return env.ok;
          };
          bool ok = false;
          switch (r.what) {
          case Cycle::What::Targets: {
            auto res = PrometheusApiParser::parseTargets(r.body);
            if ((ok = take(res))) apiTargets = std::move(res.items);
            break;
          }
          case Cycle::What::Up:
          case Cycle::What::Probe:
          case Cycle::What::Health:
          case Cycle::What::Uptime: {
            auto res = PrometheusApiParser::parseVector(r.body);
            if (!(ok = take(res))) break;
            for (auto& s : res.items) {
              if (r.what == Cycle::What::Up)
                up.insert(labelKey(s.labels), s.value);
              else if (r.what == Cycle::What::Probe)
                probe.insert(labelKey(s.labels), s.value);
              else if (r.what == Cycle::What::Uptime)
                uptime[r.label].insert(labelKey(s.labels), s.value);
              else
                components[labelKey(s.labels, {"component", "probe", "status"})].push_back(
                    {s.labels.value(QStringLiteral("component")),
                     s.labels.value(QStringLiteral("probe")),
                     s.labels.value(QStringLiteral("status"))});
            }
            break;
          }
          case Cycle::What::Alerts: {
            auto res = PrometheusApiParser::parseAlerts(r.body);
            if ((ok = take(res))) alerts = std::move(res.items);
            break;
          }
          case Cycle::What::Range: {
            auto res = PrometheusApiParser::parseMatrix(r.body);
            if (!(ok = take(res))) break;
            for (auto& s : res.items)
              ranges[r.label].insert(labelKey(s.labels), std::move(s.points));
            break;
          }
          }
          built.status.warnings << env.warnings;
          if (ok && r.http == 200) {
            anyOk = true;
            continue;
          }
          if (env.errorType == QLatin1String("malformed")) {
            const QString how = r.http == 200
                                    ? env.error
                                    : QStringLiteral("HTTP %1, %2").arg(r.http).arg(env.error);
            problem(
                r, K::NotUnderstood,
                QStringLiteral("%1 answer to %2 not understood: %3").arg(apiName, r.display, how));
          } else {
            problem(r, K::QueryRejected,
                    QStringLiteral("%1 rejected %2 (%3: %4)")
                        .arg(apiName, r.display, env.errorType, env.error));
          }
        }
        Q_UNUSED(anyOk);
        built.essentialOk = essentialOk;
        if (essentialOk) {
          // Join: filter, identify, attach components, alerts, uptime and series.
          QHash<QString, int> perJobInstance;
          std::vector<const ApiTarget*> chosen;
          for (const auto& t : apiTargets) {
            if (!selector.matches(t.labels)) continue;
            chosen.push_back(&t);
            ++perJobInstance[t.labels.value(QStringLiteral("job")) + QLatin1Char('\x1f') +
                             t.labels.value(QStringLiteral("instance"))];
          }
          QHash<QString, std::vector<const ApiAlert*>> alertsByJobInstance;
          for (const auto& a : alerts)
            alertsByJobInstance[a.labels.value(QStringLiteral("job")) + QLatin1Char('\x1f') +
                                a.labels.value(QStringLiteral("instance"))]
                .push_back(&a);
          built.targets.reserve(chosen.size());
          for (const ApiTarget* at : chosen) {
            PrometheusTarget t;
            t.labels = at->labels;
            t.job = at->labels.value(QStringLiteral("job"));
            t.instance = at->labels.value(QStringLiteral("instance"));
            t.group = at->labels.value(groupLabel);
            if (t.group.isEmpty()) t.group = QStringLiteral("(no %1)").arg(groupLabel);
            t.scrapePool = at->scrapePool;
            t.scrapeUrl = at->scrapeUrl;
            t.health = at->health;
            t.lastError = at->lastError;
            t.lastScrape = at->lastScrape;
            t.lastScrapeDurationSeconds = at->lastScrapeDurationSeconds;
            const QString jobInstance = t.job + QLatin1Char('\x1f') + t.instance;
            t.id = sourceId + QLatin1Char('/') + t.job + QLatin1Char('/') + t.instance;
            t.name = t.instance;
            const QString key = labelKey(t.labels);
            if (perJobInstance.value(jobInstance) > 1) {
              // Same job and instance, other labels: name them, and keep ids distinct.
              QStringList others;
              for (auto it = t.labels.begin(); it != t.labels.end(); ++it)
                if (it.key() != QLatin1String("job") && it.key() != QLatin1String("instance"))
                  others << it.key() + QLatin1Char('=') + promqlQuote(it.value());
              t.name += QStringLiteral(" {") + others.join(QLatin1Char(',')) + QLatin1Char('}');
              t.id += QLatin1Char('#') +
                      QString::fromLatin1(
                          QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1)
                              .toHex()
                              .left(12));
            }
            if (const auto it = up.constFind(key); it != up.constEnd()) t.up = *it;
            if (const auto it = probe.constFind(key); it != probe.constEnd()) t.probeSuccess = *it;
            if (const auto it = components.constFind(key); it != components.constEnd()) {
              t.components = *it;
              std::sort(t.components.begin(), t.components.end(),
                        [](const PrometheusComponent& a, const PrometheusComponent& b) {
                          return std::tie(a.probe, a.component) < std::tie(b.probe, b.component);
                        });
            }
            for (const ApiAlert* a : alertsByJobInstance.value(jobInstance))
              t.alerts.push_back({a->labels.value(QStringLiteral("alertname")), a->state,
                                  a->summary, a->activeAt, a->labels});
            if (cycle->uptime) {
              const auto get = [&](const char* range) -> std::optional<double> {
                const auto& m = uptime[QLatin1String(range)];
                const auto it = m.constFind(key);
                return it == m.constEnd() ? std::nullopt : std::optional<double>(*it);
              };
              t.uptime24h = get("24h");
              t.uptime7d = get("7d");
              t.uptime30d = get("30d");
            }
            for (auto it = ranges.begin(); it != ranges.end(); ++it)
              if (const auto s = it->constFind(key); s != it->constEnd())
                t.keySeries.insert(it.key(), *s);
            t.snapshot = snapshotOf(t);
            built.targets.push_back(std::move(t));
          }
          std::sort(built.targets.begin(), built.targets.end(),
                    [](const PrometheusTarget& a, const PrometheusTarget& b) {
                      return std::tie(a.group, a.name, a.id) < std::tie(b.group, b.name, b.id);
                    });
          for (const auto& a : alerts)
            built.alerts.push_back({a.labels.value(QStringLiteral("alertname")), a.state, a.summary,
                                    a.activeAt, a.labels});
        }
        QMetaObject::invokeMethod(
            this,
            [this, built = std::move(built), cycle]() mutable { apply(std::move(built), cycle); },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

void PrometheusSource::apply(Built built, const std::shared_ptr<Cycle>& cycle) {
  m_inFlight = false;
  if (!built.essentialOk) {
    if (cycle->ranges) m_impl->rangesDue = true;
    markStale(built.status);
    Q_EMIT refreshed();
    return;
  }
  // Values not asked for in this cycle, or whose query failed, carry over from the last one.
  for (auto& t : built.targets) {
    const PrometheusTarget* old = target(t.id);
    if (!old) continue;
    const auto keepUptime = [&](const char* period) {
      return !cycle->uptime || built.failedUptime.contains(QLatin1String(period));
    };
    if (keepUptime("24h")) t.uptime24h = old->uptime24h;
    if (keepUptime("7d")) t.uptime7d = old->uptime7d;
    if (keepUptime("30d")) t.uptime30d = old->uptime30d;
    if (!cycle->ranges) {
      t.keySeries = old->keySeries;
    } else if (!built.failedRanges.isEmpty()) {
      for (auto it = old->keySeries.cbegin(); it != old->keySeries.cend(); ++it)
        if (built.failedRanges.contains(t.job + QLatin1Char('\x1f') + it.key()))
          t.keySeries.insert(it.key(), it.value());
    }
  }
  bool structureChanged = built.targets.size() != m_targets.size();
  for (std::size_t i = 0; !structureChanged && i < built.targets.size(); ++i)
    structureChanged = built.targets[i].id != m_targets[i].id ||
                       built.targets[i].name != m_targets[i].name ||
                       built.targets[i].group != m_targets[i].group;
  QList<TargetSnapshot> changed;
  for (const auto& t : built.targets) {
    const PrometheusTarget* old = target(t.id);
    const bool differs = !old || old->stale || old->snapshot.state != t.snapshot.state ||
                         old->snapshot.sentence != t.snapshot.sentence ||
                         old->components.size() != t.components.size() ||
                         old->alerts.size() != t.alerts.size();
    if (differs) changed << t.snapshot;
  }
  m_targets = std::move(built.targets);
  m_alerts = std::move(built.alerts);
  m_index.clear();
  for (std::size_t i = 0; i < m_targets.size(); ++i)
    m_index.insert(m_targets[i].id, i);
  const bool statusChangedNow = m_status.kind != built.status.kind ||
                                m_status.sentence != built.status.sentence ||
                                m_status.warnings != built.status.warnings;
  m_status = built.status;
  if (m_status.ok())
    m_status.sentence = plural(static_cast<qsizetype>(m_targets.size()), "target", "targets") +
                        QStringLiteral(" from ") + m_config.connection.baseUrl.toDisplayString();
  if (structureChanged) Q_EMIT targetsChanged();
  if (!changed.isEmpty()) Q_EMIT snapshotsReady(changed);
  if (statusChangedNow) Q_EMIT statusChanged(m_status);
  Q_EMIT refreshed();
}

void PrometheusSource::markStale(const PrometheusSourceStatus& status) {
  const bool statusChangedNow =
      m_status.kind != status.kind || m_status.sentence != status.sentence;
  m_status = status;
  QList<TargetSnapshot> changed;
  for (auto& t : m_targets) {
    if (t.stale) continue;
    t.stale = true;
    t.snapshot.sentence =
        QStringLiteral("Stale (%1); last known: %2").arg(status.sentence, t.snapshot.sentence);
    changed << t.snapshot;
  }
  if (!changed.isEmpty()) Q_EMIT snapshotsReady(changed);
  if (statusChangedNow) Q_EMIT statusChanged(m_status);
}

} // namespace healthdeck
