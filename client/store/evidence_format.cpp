#include "healthdeck/client/store/evidence_format.h"

#include <QJsonArray>
#include <QMap>

namespace healthdeck {

namespace {

QJsonArray toArray(const QStringList& list) {
  QJsonArray a;
  for (const QString& s : list)
    a.append(s);
  return a;
}

QStringList fromArray(const QJsonValue& v) {
  QStringList out;
  for (const QJsonValue& e : v.toArray())
    out << e.toString();
  return out;
}

QString statusWord(Status s) {
  return QString::fromLatin1(toString(s).data(), static_cast<qsizetype>(toString(s).size()));
}

/// POSIX shell single quoting: nothing inside is interpreted.
QString shellQuote(const QString& s) {
  QString out = s;
  out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
  return QLatin1Char('\'') % out % QLatin1Char('\'');
}

struct Seen {
  Status status;
  QString details;
};

QMap<QString, Seen> componentsOf(const TargetSnapshot& s) {
  QMap<QString, Seen> out;
  auto add = [&](const char* probe, const std::optional<HealthDocument>& doc) {
    if (!doc) return;
    for (const HealthComponent& c : doc->components) {
      const QString path = c.path.isEmpty() ? c.name : c.path.join(QLatin1Char('/'));
      out.insert(QLatin1String(probe) % QLatin1Char(':') % path, {c.status, c.details});
    }
  };
  add("readiness", s.readiness);
  add("liveness", s.liveness);
  return out;
}

} // namespace

QString componentDisplayName(const QString& key, const QSet<QString>& keys) {
  const qsizetype colon = key.indexOf(QLatin1Char(':'));
  const QString path = key.mid(colon + 1);
  const QString other =
      (key.startsWith(QLatin1String("readiness")) ? QStringLiteral("liveness:")
                                                  : QStringLiteral("readiness:")) %
      path;
  // Readiness and liveness usually list different components; name the probe only when a name
  // appears in both, so the common case reads "database: ...".
  if (keys.contains(other)) return key.left(colon) % QLatin1Char(' ') % path;
  return path;
}

QMap<QString, Status> componentStatuses(const TargetSnapshot& snapshot) {
  QMap<QString, Status> out;
  const QMap<QString, Seen> all = componentsOf(snapshot);
  for (auto it = all.cbegin(); it != all.cend(); ++it)
    out.insert(it.key(), it.value().status);
  return out;
}

namespace {

QSet<QString> keysOf(const QMap<QString, Seen>& a, const QMap<QString, Seen>& b) {
  QSet<QString> keys;
  for (const auto* m : {&a, &b})
    for (auto it = m->cbegin(); it != m->cend(); ++it)
      keys.insert(it.key());
  return keys;
}

} // namespace

QJsonObject evidenceToJson(const Evidence& e, const QStringList& componentDiff) {
  QJsonObject o;
  if (!e.isEmpty()) {
    o.insert(QStringLiteral("url"), e.url.toString());
    o.insert(QStringLiteral("method"), e.method);
    if (!e.requestHeaders.isEmpty())
      o.insert(QStringLiteral("request_headers"), toArray(e.requestHeaders));
    if (!e.caFile.isEmpty()) o.insert(QStringLiteral("ca_file"), e.caFile);
    if (e.pinned) o.insert(QStringLiteral("pinned"), true);
    if (e.httpStatus != 0) o.insert(QStringLiteral("status"), e.httpStatus);
    if (!e.reason.isEmpty()) o.insert(QStringLiteral("reason"), e.reason);
    if (!e.headers.isEmpty()) o.insert(QStringLiteral("headers"), toArray(e.headers));
    if (!e.body.isEmpty()) o.insert(QStringLiteral("body"), e.body);
    if (e.bodyTruncated) o.insert(QStringLiteral("body_truncated"), true);
    if (!e.transportError.isEmpty()) o.insert(QStringLiteral("error"), e.transportError);
    if (e.certificate) {
      QJsonObject c;
      c.insert(QStringLiteral("subject"), e.certificate->subject);
      c.insert(QStringLiteral("issuer"), e.certificate->issuer);
      c.insert(QStringLiteral("not_after"), e.certificate->notAfter.toUTC().toString(Qt::ISODate));
      c.insert(QStringLiteral("sha256"), QString::fromLatin1(e.certificate->sha256.toHex()));
      o.insert(QStringLiteral("certificate"), c);
    }
    QJsonObject t;
    const std::pair<const char*, qint64> timings[] = {{"connect_start", e.connectStartMs},
                                                      {"tls_done", e.tlsDoneMs},
                                                      {"request_sent", e.requestSentMs},
                                                      {"first_byte", e.firstByteMs},
                                                      {"total", e.totalMs}};
    for (const auto& [name, ms] : timings)
      if (ms >= 0) t.insert(QLatin1String(name), ms);
    if (!t.isEmpty()) o.insert(QStringLiteral("timings_ms"), t);
  }
  if (!componentDiff.isEmpty()) o.insert(QStringLiteral("components"), toArray(componentDiff));
  return o;
}

QString evidenceText(const QJsonObject& o) {
  QStringList lines;
  const QString url = o.value(QStringLiteral("url")).toString();
  if (!url.isEmpty())
    lines << o.value(QStringLiteral("method")).toString(QStringLiteral("GET")) % QLatin1Char(' ') %
                 url;
  if (o.contains(QStringLiteral("status")))
    lines << QStringLiteral("HTTP %1 %2")
                 .arg(o.value(QStringLiteral("status")).toInt())
                 .arg(o.value(QStringLiteral("reason")).toString())
                 .trimmed();
  if (o.contains(QStringLiteral("error")))
    lines << QStringLiteral("No answer: ") % o.value(QStringLiteral("error")).toString();
  for (const QString& h : fromArray(o.value(QStringLiteral("headers"))))
    lines << QStringLiteral("  ") % h;
  const QJsonObject cert = o.value(QStringLiteral("certificate")).toObject();
  if (!cert.isEmpty())
    lines << QStringLiteral("Certificate: %1, issued by %2, valid until %3, SHA-256 %4")
                 .arg(cert.value(QStringLiteral("subject")).toString(),
                      cert.value(QStringLiteral("issuer")).toString(),
                      cert.value(QStringLiteral("not_after")).toString(),
                      cert.value(QStringLiteral("sha256")).toString());
  const QJsonObject t = o.value(QStringLiteral("timings_ms")).toObject();
  if (!t.isEmpty()) {
    QStringList parts;
    for (const char* name : {"connect_start", "tls_done", "request_sent", "first_byte", "total"})
      if (t.contains(QLatin1String(name)))
        parts << QStringLiteral("%1 %2 ms")
                     .arg(QString::fromLatin1(name).replace(QLatin1Char('_'), QLatin1Char(' ')))
                     .arg(t.value(QLatin1String(name)).toInteger());
    lines << QStringLiteral("Timings: ") % parts.join(QStringLiteral(", "));
  }
  const QStringList diff = fromArray(o.value(QStringLiteral("components")));
  if (!diff.isEmpty()) {
    lines << QStringLiteral("Components since the last good answer:");
    for (const QString& d : diff)
      lines << QStringLiteral("  ") % d;
  }
  if (o.contains(QStringLiteral("body"))) {
    lines << QString();
    lines << o.value(QStringLiteral("body")).toString();
    if (o.value(QStringLiteral("body_truncated")).toBool())
      lines << QStringLiteral("… (body cut at %1 bytes)").arg(Evidence::kBodyLimit);
  }
  return lines.join(QLatin1Char('\n'));
}

QString curlCommand(const QJsonObject& o) {
  const QString url = o.value(QStringLiteral("url")).toString();
  if (url.isEmpty()) return {};
  QStringList args{QStringLiteral("curl"), QStringLiteral("-sS"), QStringLiteral("-i")};
  QString note;
  const QString method = o.value(QStringLiteral("method")).toString(QStringLiteral("GET"));
  if (method != QLatin1String("GET")) args << QStringLiteral("-X") << shellQuote(method);
  for (const QString& h : fromArray(o.value(QStringLiteral("request_headers")))) {
    if (h.startsWith(QLatin1String("Authorization:"), Qt::CaseInsensitive)) {
      // The secret stays where it lives: the user puts the real header in a file.
      args << QStringLiteral("-H") << QStringLiteral("@authorization-header.txt");
      note = QStringLiteral("  # write \"") % h %
             QStringLiteral("\" with the real secret into authorization-header.txt");
      continue;
    }
    args << QStringLiteral("-H") << shellQuote(h);
  }
  const QString ca = o.value(QStringLiteral("ca_file")).toString();
  if (!ca.isEmpty()) args << QStringLiteral("--cacert") << shellQuote(ca);
  if (o.value(QStringLiteral("pinned")).toBool()) {
    args << QStringLiteral("--insecure");
    note += QStringLiteral("  # the console trusts this server by a pinned certificate; check "
                           "its SHA-256 yourself");
  }
  args << shellQuote(url);
  return args.join(QLatin1Char(' ')) % note;
}

QStringList componentDiff(const TargetSnapshot* lastGood, const TargetSnapshot& now) {
  QStringList out;
  const QMap<QString, Seen> before = lastGood ? componentsOf(*lastGood) : QMap<QString, Seen>{};
  const QMap<QString, Seen> after = componentsOf(now);
  const QSet<QString> keys = keysOf(before, after);
  for (auto it = after.cbegin(); it != after.cend(); ++it) {
    const QString name = componentDisplayName(it.key(), keys);
    const auto old = before.constFind(it.key());
    if (old == before.cend()) {
      if (lastGood)
        out << name % QStringLiteral(" added") %
                   (it->status == Status::Up
                        ? QString()
                        : QStringLiteral(" (") % statusWord(it->status) % QLatin1Char(')'));
      else if (it->status != Status::Up)
        out << name % QStringLiteral(": ") % statusWord(it->status) %
                   (it->details.isEmpty() ? QString() : QStringLiteral(": ") % it->details);
      continue;
    }
    if (old->status != it->status)
      out << name % QStringLiteral(": ") % statusWord(old->status) % QStringLiteral(" → ") %
                 statusWord(it->status) %
                 (it->details.isEmpty() ? QString() : QStringLiteral(": ") % it->details);
  }
  for (auto it = before.cbegin(); it != before.cend(); ++it)
    if (!after.contains(it.key()))
      out << componentDisplayName(it.key(), keys) % QStringLiteral(" removed");
  return out;
}

} // namespace healthdeck
