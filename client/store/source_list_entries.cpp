#include "healthdeck/client/store/source_list_entries.h"

#include "healthdeck/client/parse/label_selector.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/config/monitoring_config.h"

#include <QJsonObject>
#include <QSet>

namespace healthdeck {

namespace {

const QSet<QString> kSourceKeys = {
    QStringLiteral("id"),       QStringLiteral("name"),        QStringLiteral("url"),
    QStringLiteral("selector"), QStringLiteral("group_label"), QStringLiteral("interval"),
    QStringLiteral("timeout"),  QStringLiteral("auth"),        QStringLiteral("secret"),
    QStringLiteral("tls"),      QStringLiteral("ca_file"),     QStringLiteral("pinned_sha256"),
    QStringLiteral("headers")};

} // namespace

QList<PrometheusSourceConfig> parseSourceEntries(const QJsonArray& entries, const QString& fileName,
                                                 const QStringList& takenIds, QString* error) {
  QList<PrometheusSourceConfig> out;
  QSet<QString> ids(takenIds.begin(), takenIds.end());
  for (qsizetype i = 0; i < entries.size(); ++i) {
    const auto fail = [&](const QString& key, const QString& msg) {
      if (error)
        *error = QStringLiteral("%1: sources[%2].%3: %4").arg(fileName).arg(i).arg(key, msg);
      return QList<PrometheusSourceConfig>{};
    };
    if (!entries.at(i).isObject())
      return fail(QStringLiteral("*"), QStringLiteral("expected an object"));
    const QJsonObject o = entries.at(i).toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!kSourceKeys.contains(it.key())) return fail(it.key(), QStringLiteral("unknown key"));
    PrometheusSourceConfig s;
    TargetConfig& c = s.connection;
    c.name = o.value(QStringLiteral("name")).toString().trimmed();
    if (c.name.isEmpty()) return fail(QStringLiteral("name"), QStringLiteral("required"));
    c.id = o.value(QStringLiteral("id")).toString();
    if (c.id.isEmpty()) c.id = QStringLiteral("source:") + c.name;
    if (ids.contains(c.id))
      return fail(QStringLiteral("id"), QStringLiteral("\"%1\" used twice").arg(c.id));
    ids.insert(c.id);
    c.baseUrl = QUrl(o.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    if (!c.baseUrl.isValid() || c.baseUrl.host().isEmpty() ||
        (c.baseUrl.scheme() != QLatin1String("http") &&
         c.baseUrl.scheme() != QLatin1String("https")))
      return fail(QStringLiteral("url"), QStringLiteral("not an http or https URL"));
    s.selector = o.value(QStringLiteral("selector")).toString();
    QString selectorError;
    if (!LabelSelector::parse(s.selector, &selectorError))
      return fail(QStringLiteral("selector"), selectorError);
    s.groupLabel = o.value(QStringLiteral("group_label")).toString(QStringLiteral("job"));
    if (s.groupLabel.isEmpty())
      return fail(QStringLiteral("group_label"), QStringLiteral("a label name"));
    const auto duration = [&](const char* key, std::chrono::milliseconds& value,
                              std::chrono::milliseconds min) {
      const QJsonValue v = o.value(QLatin1String(key));
      if (v.isUndefined()) return true;
      const auto d = parseDuration(v.toString().toStdString());
      if (!d || *d < min) return false;
      value = *d;
      return true;
    };
    if (!duration("interval", c.interval, std::chrono::milliseconds(1000)))
      return fail(QStringLiteral("interval"),
                  QStringLiteral("a duration of at least 1s (\"15s\")"));
    c.timeout = std::chrono::milliseconds(10000);
    if (!duration("timeout", c.timeout, std::chrono::milliseconds(100)))
      return fail(QStringLiteral("timeout"),
                  QStringLiteral("a duration of at least 100ms (\"10s\")"));
    const QString auth = o.value(QStringLiteral("auth")).toString(QStringLiteral("none"));
    if (auth == QLatin1String("bearer"))
      c.auth = AuthKind::Bearer;
    else if (auth == QLatin1String("basic"))
      c.auth = AuthKind::Basic;
    else if (auth != QLatin1String("none"))
      return fail(QStringLiteral("auth"), QStringLiteral("one of none, bearer, basic"));
    c.secretRef = o.value(QStringLiteral("secret")).toString();
    if (c.auth != AuthKind::None && !c.secretRef.startsWith(QLatin1String("keychain:")) &&
        !c.secretRef.startsWith(QLatin1String("file:")))
      return fail(QStringLiteral("secret"),
                  QStringLiteral("\"keychain:<id>\" or \"file:<path>\" (secrets are never "
                                 "stored in this file)"));
    const QString tls = o.value(QStringLiteral("tls")).toString(QStringLiteral("system"));
    c.caFile = o.value(QStringLiteral("ca_file")).toString();
    if (tls == QLatin1String("ca-file")) {
      c.tlsMode = TlsMode::CaFile;
      if (c.caFile.isEmpty()) return fail(QStringLiteral("ca_file"), QStringLiteral("required"));
    } else if (tls == QLatin1String("pinned")) {
      c.tlsMode = TlsMode::Pinned;
      const QString hex =
          o.value(QStringLiteral("pinned_sha256")).toString().remove(QLatin1Char(':'));
      c.pinnedSha256 = QByteArray::fromHex(hex.toLatin1());
      if (c.pinnedSha256.size() != 32 || hex.size() != 64)
        return fail(QStringLiteral("pinned_sha256"), QStringLiteral("64 hex digits"));
    } else if (tls != QLatin1String("system")) {
      return fail(QStringLiteral("tls"), QStringLiteral("one of system, ca-file, pinned"));
    }
    const QJsonValue headers = o.value(QStringLiteral("headers"));
    if (!headers.isUndefined() && !headers.isObject())
      return fail(QStringLiteral("headers"), QStringLiteral("an object of \"Name\": \"value\""));
    const QJsonObject h = headers.toObject();
    for (auto it = h.begin(); it != h.end(); ++it) {
      if (!it.value().isString() || it.key().isEmpty() ||
          it.key().compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0)
        return fail(QStringLiteral("headers.") + it.key(),
                    QStringLiteral("a string value (Authorization comes from auth + secret)"));
      s.headers.append({it.key().toLatin1(), it.value().toString().toUtf8()});
    }
    c.sourceId = c.id;
    out.append(s);
  }
  return out;
}

QJsonArray serializeSourceEntries(const QList<PrometheusSourceConfig>& sources) {
  QJsonArray arr;
  for (const auto& s : sources) {
    const TargetConfig& c = s.connection;
    QJsonObject o;
    o.insert(QStringLiteral("id"), c.id);
    o.insert(QStringLiteral("name"), c.name);
    o.insert(QStringLiteral("url"), c.baseUrl.toString());
    if (!s.selector.isEmpty()) o.insert(QStringLiteral("selector"), s.selector);
    if (s.groupLabel != QLatin1String("job")) o.insert(QStringLiteral("group_label"), s.groupLabel);
    o.insert(QStringLiteral("interval"), formatDurationSetting(c.interval));
    o.insert(QStringLiteral("timeout"), formatDurationSetting(c.timeout));
    o.insert(QStringLiteral("auth"), c.auth == AuthKind::Bearer  ? QStringLiteral("bearer")
                                     : c.auth == AuthKind::Basic ? QStringLiteral("basic")
                                                                 : QStringLiteral("none"));
    if (c.auth != AuthKind::None) o.insert(QStringLiteral("secret"), c.secretRef);
    o.insert(QStringLiteral("tls"), c.tlsMode == TlsMode::CaFile   ? QStringLiteral("ca-file")
                                    : c.tlsMode == TlsMode::Pinned ? QStringLiteral("pinned")
                                                                   : QStringLiteral("system"));
    if (c.tlsMode == TlsMode::CaFile) o.insert(QStringLiteral("ca_file"), c.caFile);
    if (c.tlsMode == TlsMode::Pinned)
      o.insert(QStringLiteral("pinned_sha256"), QString::fromLatin1(c.pinnedSha256.toHex(':')));
    if (!s.headers.isEmpty()) {
      QJsonObject h;
      for (const auto& [name, value] : s.headers)
        h.insert(QString::fromLatin1(name), QString::fromUtf8(value));
      o.insert(QStringLiteral("headers"), h);
    }
    arr.append(o);
  }
  return arr;
}

} // namespace healthdeck
