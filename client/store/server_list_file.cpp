#include "healthdeck/client/store/server_list_file.h"

#include "healthdeck/client/store/metric_health.h"
#include "healthdeck/client/store/source_list_entries.h"

#include "healthdeck/config/monitoring_config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

namespace healthdeck {

namespace {

QString authName(AuthKind k) {
  switch (k) {
  case AuthKind::Bearer: return QStringLiteral("bearer");
  case AuthKind::Basic: return QStringLiteral("basic");
  case AuthKind::None: break;
  }
  return QStringLiteral("none");
}

QString tlsName(TlsMode m) {
  switch (m) {
  case TlsMode::CaFile: return QStringLiteral("ca-file");
  case TlsMode::Pinned: return QStringLiteral("pinned");
  case TlsMode::System: break;
  }
  return QStringLiteral("system");
}

const QSet<QString> kServerKeys = {QStringLiteral("id"),
                                   QStringLiteral("name"),
                                   QStringLiteral("group"),
                                   QStringLiteral("url"),
                                   QStringLiteral("paths"),
                                   QStringLiteral("interval"),
                                   QStringLiteral("timeout"),
                                   QStringLiteral("auth"),
                                   QStringLiteral("secret"),
                                   QStringLiteral("tls"),
                                   QStringLiteral("enabled"),
                                   QStringLiteral("ca_file"),
                                   QStringLiteral("pinned_sha256"),
                                   QStringLiteral("status_only"),
                                   QStringLiteral("body_must_contain"),
                                   QStringLiteral("body_regex"),
                                   QStringLiteral("headers"),
                                   QStringLiteral("metric_rules"),
                                   QStringLiteral("tags"),
                                   QStringLiteral("parent"),
                                   QStringLiteral("cert_warn_days"),
                                   QStringLiteral("cert_crit_days")};

// --- health from metrics: "metric_rules" ---
const QSet<QString> kRuleKeys = {QStringLiteral("name"), QStringLiteral("selector"),
                                 QStringLiteral("op"), QStringLiteral("threshold"),
                                 QStringLiteral("severity")};

/// Reads "metric_rules"; on an error returns the failing key (relative, "metric_rules[0].op")
/// and sets `message`.
QString readRules(const QJsonValue& v, QList<MetricRule>& out, QString& message) {
  if (v.isUndefined()) return {};
  if (!v.isArray()) {
    message = QStringLiteral("expected a list of rules");
    return QStringLiteral("metric_rules");
  }
  const QJsonArray arr = v.toArray();
  for (qsizetype i = 0; i < arr.size(); ++i) {
    const QString at = QStringLiteral("metric_rules[%1]").arg(i);
    if (!arr.at(i).isObject()) {
      message = QStringLiteral("expected an object");
      return at;
    }
    const QJsonObject o = arr.at(i).toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!kRuleKeys.contains(it.key())) {
        message = QStringLiteral("unknown key");
        return at % QLatin1Char('.') % it.key();
      }
    MetricRule r;
    r.name = o.value(QStringLiteral("name")).toString().trimmed();
    if (r.name.isEmpty()) {
      message = QStringLiteral("required");
      return at % QStringLiteral(".name");
    }
    r.selector = o.value(QStringLiteral("selector")).toString().trimmed();
    std::string why;
    if (!client::parseSelector(r.selector.toStdString(), &why)) {
      message = QStringLiteral("not a series selector: ") % QString::fromStdString(why);
      return at % QStringLiteral(".selector");
    }
    const auto op = metricComparisonFromString(o.value(QStringLiteral("op")).toString());
    if (!op) {
      message = QStringLiteral("one of >, >=, <, <=, ==, !=");
      return at % QStringLiteral(".op");
    }
    r.comparison = *op;
    if (!o.value(QStringLiteral("threshold")).isDouble()) {
      message = QStringLiteral("a number");
      return at % QStringLiteral(".threshold");
    }
    r.threshold = o.value(QStringLiteral("threshold")).toDouble();
    const QString severity = o.value(QStringLiteral("severity")).toString(QStringLiteral("down"));
    if (severity == QLatin1String("down"))
      r.severity = Status::Down;
    else if (severity == QLatin1String("degraded"))
      r.severity = Status::Degraded;
    else {
      message = QStringLiteral("one of degraded, down");
      return at % QStringLiteral(".severity");
    }
    out.append(r);
  }
  return {};
}

QJsonArray writeRules(const QList<MetricRule>& rules) {
  QJsonArray arr;
  for (const MetricRule& r : rules) {
    QJsonObject o;
    o.insert(QStringLiteral("name"), r.name);
    o.insert(QStringLiteral("selector"), r.selector);
    o.insert(QStringLiteral("op"), toString(r.comparison));
    o.insert(QStringLiteral("threshold"), r.threshold);
    o.insert(QStringLiteral("severity"),
             r.severity == Status::Down ? QStringLiteral("down") : QStringLiteral("degraded"));
    arr.append(o);
  }
  return arr;
}
// --- end health from metrics ---

} // namespace

QString formatDurationSetting(std::chrono::milliseconds ms) {
  const auto n = ms.count();
  if (n != 0 && n % 60000 == 0) return QStringLiteral("%1m").arg(n / 60000);
  if (n % 1000 == 0) return QStringLiteral("%1s").arg(n / 1000);
  return QStringLiteral("%1ms").arg(n);
}

QString defaultServerListPath() {
  return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) %
         QStringLiteral("/healthdeck/servers.json");
}

ServerListResult loadServerList(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    return {{}, {}, QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()), {}};
  return parseServerList(f.readAll(), path);
}

ServerListResult parseServerList(const QByteArray& json, const QString& fileName) {
  ServerListResult r;
  QJsonParseError pe{};
  const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
  if (pe.error != QJsonParseError::NoError) {
    r.error = QStringLiteral("%1: not valid JSON at byte %2: %3")
                  .arg(fileName)
                  .arg(pe.offset)
                  .arg(pe.errorString());
    return r;
  }
  const QJsonValue list = doc.object().value(QStringLiteral("servers"));
  if (!doc.isObject() || !list.isArray()) {
    r.error = fileName % QStringLiteral(": servers: expected a list of servers");
    return r;
  }
  QSet<QString> ids;
  const QJsonArray arr = list.toArray();
  for (qsizetype i = 0; i < arr.size(); ++i) {
    const QString where = QStringLiteral("%1: servers[%2]").arg(fileName).arg(i);
    const auto fail = [&](const QString& key, const QString& msg) {
      r.servers.clear();
      r.error = where % QLatin1Char('.') % key % QStringLiteral(": ") % msg;
      return r;
    };
    if (!arr.at(i).isObject())
      return fail(QStringLiteral("*"), QStringLiteral("expected an object"));
    const QJsonObject o = arr.at(i).toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!kServerKeys.contains(it.key())) return fail(it.key(), QStringLiteral("unknown key"));
    TargetConfig t;
    t.id = o.value(QStringLiteral("id")).toString();
    t.name = o.value(QStringLiteral("name")).toString().trimmed();
    t.group = o.value(QStringLiteral("group")).toString().trimmed();
    if (t.name.isEmpty()) return fail(QStringLiteral("name"), QStringLiteral("required"));
    if (t.id.isEmpty()) t.id = t.name;
    if (ids.contains(t.id))
      return fail(QStringLiteral("id"), QStringLiteral("\"%1\" used twice").arg(t.id));
    ids.insert(t.id);
    t.baseUrl = QUrl(o.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    const QString scheme = t.baseUrl.scheme();
    if (!t.baseUrl.isValid() || t.baseUrl.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
      return fail(QStringLiteral("url"), QStringLiteral("not an http or https URL"));
    if (o.contains(QStringLiteral("paths"))) {
      const QJsonObject p = o.value(QStringLiteral("paths")).toObject();
      const auto path = [&](const char* key, QString& out) -> bool {
        const QJsonValue v = p.value(QLatin1String(key));
        if (v.isUndefined()) return true;
        if (v.isNull() || v.toString().isEmpty() || v == QJsonValue(false)) {
          out.clear();
          return true;
        }
        if (!v.isString() || !v.toString().startsWith(QLatin1Char('/'))) return false;
        out = v.toString();
        return true;
      };
      if (!path("ready", t.readyPath))
        return fail(QStringLiteral("paths.ready"),
                    QStringLiteral("a path starting with /, or null"));
      if (!path("live", t.livePath))
        return fail(QStringLiteral("paths.live"),
                    QStringLiteral("a path starting with /, or null"));
      if (!path("metrics", t.metricsPath))
        return fail(QStringLiteral("paths.metrics"),
                    QStringLiteral("a path starting with /, or null"));
    }
    const auto duration = [&](const char* key, std::chrono::milliseconds& out,
                              std::chrono::milliseconds min) -> bool {
      const QJsonValue v = o.value(QLatin1String(key));
      if (v.isUndefined()) return true;
      const auto d = parseDuration(v.toString().toStdString());
      if (!d || *d < min) return false;
      out = *d;
      return true;
    };
    if (!duration("interval", t.interval, std::chrono::milliseconds(1000)))
      return fail(QStringLiteral("interval"),
                  QStringLiteral("a duration of at least 1s (\"15s\")"));
    if (!duration("timeout", t.timeout, std::chrono::milliseconds(100)))
      return fail(QStringLiteral("timeout"),
                  QStringLiteral("a duration of at least 100ms (\"5s\")"));
    const QString auth = o.value(QStringLiteral("auth")).toString(QStringLiteral("none"));
    if (auth == QLatin1String("bearer"))
      t.auth = AuthKind::Bearer;
    else if (auth == QLatin1String("basic"))
      t.auth = AuthKind::Basic;
    else if (auth != QLatin1String("none"))
      return fail(QStringLiteral("auth"), QStringLiteral("one of none, bearer, basic"));
    t.secretRef = o.value(QStringLiteral("secret")).toString();
    if (t.auth != AuthKind::None && !t.secretRef.startsWith(QLatin1String("keychain:")) &&
        !t.secretRef.startsWith(QLatin1String("file:")))
      return fail(QStringLiteral("secret"),
                  QStringLiteral("\"keychain:<id>\" or \"file:<path>\" (secrets are never "
                                 "stored in this file)"));
    const QString tls = o.value(QStringLiteral("tls")).toString(QStringLiteral("system"));
    t.caFile = o.value(QStringLiteral("ca_file")).toString();
    if (tls == QLatin1String("ca-file")) {
      t.tlsMode = TlsMode::CaFile;
      if (t.caFile.isEmpty()) return fail(QStringLiteral("ca_file"), QStringLiteral("required"));
    } else if (tls == QLatin1String("pinned")) {
      t.tlsMode = TlsMode::Pinned;
      const QString hex =
          o.value(QStringLiteral("pinned_sha256")).toString().remove(QLatin1Char(':'));
      t.pinnedSha256 = QByteArray::fromHex(hex.toLatin1());
      if (t.pinnedSha256.size() != 32 || hex.size() != 64)
        return fail(QStringLiteral("pinned_sha256"), QStringLiteral("64 hex digits"));
    } else if (tls != QLatin1String("system")) {
      return fail(QStringLiteral("tls"), QStringLiteral("one of system, ca-file, pinned"));
    }
    t.enabled = o.value(QStringLiteral("enabled")).toBool(true);
    t.statusCodeOnly = o.value(QStringLiteral("status_only")).toBool(false);
    t.bodyMustContain = o.value(QStringLiteral("body_must_contain")).toString();
    t.bodyMustMatchRegex = o.value(QStringLiteral("body_regex")).toBool(false);
    if (t.bodyMustMatchRegex && !QRegularExpression(t.bodyMustContain).isValid())
      return fail(QStringLiteral("body_must_contain"),
                  QStringLiteral("not a valid regular expression: ") %
                      QRegularExpression(t.bodyMustContain).errorString());
    const QJsonValue headers = o.value(QStringLiteral("headers"));
    if (!headers.isUndefined() && !headers.isArray())
      return fail(QStringLiteral("headers"), QStringLiteral("a list of {name, value|secret}"));
    const QJsonArray headerList = headers.toArray();
    for (qsizetype h = 0; h < headerList.size(); ++h) {
      const QJsonObject ho = headerList.at(h).toObject();
      const QString key = QStringLiteral("headers[%1]").arg(h);
      RequestHeader rh;
      rh.name = ho.value(QStringLiteral("name")).toString().toLatin1();
      if (!isAllowedExtraHeader(rh.name))
        return fail(key % QStringLiteral(".name"),
                    QStringLiteral("a header name the console does not set itself"));
      rh.value = ho.value(QStringLiteral("value")).toString();
      rh.secretRef = ho.value(QStringLiteral("secret")).toString();
      if (rh.value.contains(QLatin1Char('\r')) || rh.value.contains(QLatin1Char('\n')))
        return fail(key % QStringLiteral(".value"), QStringLiteral("one line"));
      if (!rh.secretRef.isEmpty() && !rh.secretRef.startsWith(QLatin1String("keychain:")) &&
          !rh.secretRef.startsWith(QLatin1String("file:")))
        return fail(key % QStringLiteral(".secret"),
                    QStringLiteral("\"keychain:<id>\" or \"file:<path>\""));
      t.extraHeaders << rh;
    }
    {
      QString message;
      const QString key =
          readRules(o.value(QStringLiteral("metric_rules")), t.metricRules, message);
      if (!key.isEmpty()) return fail(key, message);
    }
    if (o.contains(QStringLiteral("tags"))) {
      const QJsonValue tags = o.value(QStringLiteral("tags"));
      if (!tags.isArray()) return fail(QStringLiteral("tags"), QStringLiteral("a list of words"));
      for (const QJsonValue& v : tags.toArray()) {
        if (!v.isString() || v.toString().trimmed().isEmpty())
          return fail(QStringLiteral("tags"), QStringLiteral("a list of words"));
        t.tags.append(v.toString().trimmed());
      }
    }
    t.parentId = o.value(QStringLiteral("parent")).toString();
    const auto days = [&](const char* key, int& out) -> bool {
      const QJsonValue v = o.value(QLatin1String(key));
      if (v.isUndefined()) return true;
      if (!v.isDouble() || v.toInt(-1) < 0 || v.toInt(-1) > 3650) return false;
      out = v.toInt();
      return true;
    };
    if (!days("cert_warn_days", t.certWarnDays))
      return fail(QStringLiteral("cert_warn_days"), QStringLiteral("whole days, 0 to 3650"));
    if (!days("cert_crit_days", t.certCritDays))
      return fail(QStringLiteral("cert_crit_days"), QStringLiteral("whole days, 0 to 3650"));
    r.servers.append(t);
  }
  // Parents must name a listed server, and not the server itself.
  for (qsizetype i = 0; i < r.servers.size(); ++i) {
    const QString parent = r.servers.at(i).parentId;
    if (parent.isEmpty()) continue;
    if (parent == r.servers.at(i).id || !ids.contains(parent)) {
      r.error = QStringLiteral("%1: servers[%2].parent: \"%3\" is not another server's id")
                    .arg(fileName)
                    .arg(i)
                    .arg(parent);
      r.servers.clear();
      return r;
    }
  }
  const QJsonValue windows = doc.object().value(QStringLiteral("maintenance"));
  if (!windows.isUndefined()) {
    if (!windows.isArray()) {
      r.error = fileName % QStringLiteral(": maintenance: expected a list of windows");
      r.servers.clear();
      return r;
    }
    const QJsonArray windowList = windows.toArray();
    for (qsizetype i = 0; i < windowList.size(); ++i) {
      QString why;
      const auto w = MaintenanceWindow::fromJson(windowList.at(i).toObject(), &why);
      if (!w) {
        r.error = QStringLiteral("%1: maintenance[%2].%3").arg(fileName).arg(i).arg(why);
        r.servers.clear();
        r.maintenance.clear();
        return r;
      }
      r.maintenance.append(*w);
    }
  }
  // Prometheus sources (issue 13).
  const QJsonValue sources = doc.object().value(QStringLiteral("sources"));
  if (!sources.isUndefined()) {
    if (!sources.isArray()) {
      r.servers.clear();
      r.error = fileName % QStringLiteral(": sources: expected a list of sources");
      return r;
    }
    r.sources = parseSourceEntries(sources.toArray(), fileName, QStringList(ids.begin(), ids.end()),
                                   &r.error);
    if (!r.error.isEmpty()) r.servers.clear();
  }
  return r;
}

QByteArray serializeServerList(const QList<TargetConfig>& servers,
                               const QList<MaintenanceWindow>& maintenance,
                               const QList<PrometheusSourceConfig>& sources) {
  QJsonArray arr;
  for (const auto& t : servers) {
    QJsonObject o;
    o.insert(QStringLiteral("id"), t.id);
    o.insert(QStringLiteral("name"), t.name);
    if (!t.group.isEmpty()) o.insert(QStringLiteral("group"), t.group);
    o.insert(QStringLiteral("url"), t.baseUrl.toString());
    QJsonObject p;
    const auto put = [&](const char* key, const QString& v) {
      p.insert(QLatin1String(key), v.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(v));
    };
    put("ready", t.readyPath);
    put("live", t.livePath);
    put("metrics", t.metricsPath);
    o.insert(QStringLiteral("paths"), p);
    o.insert(QStringLiteral("interval"), formatDurationSetting(t.interval));
    o.insert(QStringLiteral("timeout"), formatDurationSetting(t.timeout));
    o.insert(QStringLiteral("auth"), authName(t.auth));
    if (t.auth != AuthKind::None) o.insert(QStringLiteral("secret"), t.secretRef);
    o.insert(QStringLiteral("tls"), tlsName(t.tlsMode));
    if (t.tlsMode == TlsMode::CaFile) o.insert(QStringLiteral("ca_file"), t.caFile);
    if (t.tlsMode == TlsMode::Pinned)
      o.insert(QStringLiteral("pinned_sha256"), QString::fromLatin1(t.pinnedSha256.toHex(':')));
    if (!t.enabled) o.insert(QStringLiteral("enabled"), false);
    if (t.statusCodeOnly) o.insert(QStringLiteral("status_only"), true);
    if (!t.bodyMustContain.isEmpty()) {
      o.insert(QStringLiteral("body_must_contain"), t.bodyMustContain);
      if (t.bodyMustMatchRegex) o.insert(QStringLiteral("body_regex"), true);
    }
    if (!t.extraHeaders.isEmpty()) {
      QJsonArray headers;
      for (const RequestHeader& h : t.extraHeaders) {
        QJsonObject ho{{QStringLiteral("name"), QString::fromLatin1(h.name)}};
        if (h.secretRef.isEmpty())
          ho.insert(QStringLiteral("value"), h.value);
        else
          ho.insert(QStringLiteral("secret"), h.secretRef);
        headers.append(ho);
      }
      o.insert(QStringLiteral("headers"), headers);
    }
    if (!t.metricRules.isEmpty())
      o.insert(QStringLiteral("metric_rules"), writeRules(t.metricRules));
    if (!t.tags.isEmpty()) o.insert(QStringLiteral("tags"), QJsonArray::fromStringList(t.tags));
    if (!t.parentId.isEmpty()) o.insert(QStringLiteral("parent"), t.parentId);
    if (t.certWarnDays >= 0) o.insert(QStringLiteral("cert_warn_days"), t.certWarnDays);
    if (t.certCritDays >= 0) o.insert(QStringLiteral("cert_crit_days"), t.certCritDays);
    arr.append(o);
  }
  QJsonObject root;
  root.insert(QStringLiteral("version"), 1);
  root.insert(QStringLiteral("servers"), arr);
  if (!maintenance.isEmpty()) {
    QJsonArray windows;
    for (const auto& w : maintenance)
      windows.append(w.toJson());
    root.insert(QStringLiteral("maintenance"), windows);
  }
  if (!sources.isEmpty()) root.insert(QStringLiteral("sources"), serializeSourceEntries(sources));
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString saveServerList(const QString& path, const QList<TargetConfig>& servers,
                       const QList<MaintenanceWindow>& maintenance,
                       const QList<PrometheusSourceConfig>& sources) {
  if (!QDir().mkpath(QFileInfo(path).absolutePath()))
    return QStringLiteral("%1: cannot create its directory").arg(path);
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return path % QStringLiteral(": ") % f.errorString();
  const QByteArray data = serializeServerList(servers, maintenance, sources);
  if (f.write(data) != data.size() || !f.commit())
    return path % QStringLiteral(": ") % f.errorString();
  return {};
}

} // namespace healthdeck
