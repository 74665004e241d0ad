#include "healthdeck/client/parse/health_document_parser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace healthdeck {

namespace {

constexpr qsizetype kMaxLine = 200;
constexpr qsizetype kMaxDetails = 500;

QString oneLine(QString s, qsizetype max) {
  for (auto& ch : s) {
    if (ch.category() == QChar::Other_Control || ch == QChar::LineSeparator ||
        ch == QChar::ParagraphSeparator)
      ch = QLatin1Char(' ');
  }
  s = s.simplified();
  if (s.size() > max) s = s.left(max - 1) + QChar(0x2026);
  return s;
}

QString firstLine(QByteArrayView body) {
  qsizetype pos = 0;
  while (pos < body.size()) {
    qsizetype end = pos;
    while (end < body.size() && body[end] != '\n' && body[end] != '\r')
      ++end;
    // Decode at most a bounded prefix: a 4 MiB single-line body needs only its start.
    const QByteArrayView line = body.sliced(pos, std::min<qsizetype>(end - pos, kMaxLine * 4));
    QString text = oneLine(QString::fromUtf8(line), kMaxLine);
    if (!text.isEmpty()) return text;
    pos = end + 1;
  }
  return {};
}

QByteArrayView trimmed(QByteArrayView v) {
  qsizetype b = 0, e = v.size();
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (b < e && ws(v[b]))
    ++b;
  while (e > b && ws(v[e - 1]))
    --e;
  return v.sliced(b, e - b);
}

bool isHealthJsonType(QByteArrayView contentType) {
  return QByteArray(contentType.data(), contentType.size())
      .toLower()
      .contains("application/health+json");
}

Status worst(Status a, Status b) {
  return a > b ? a : b;
}

/// A JSON scalar as short text ("42", "true", "abc"); objects and arrays compacted.
QString scalarText(const QJsonValue& v) {
  switch (v.type()) {
  case QJsonValue::String: return v.toString();
  case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 12);
  case QJsonValue::Null: return QStringLiteral("null");
  case QJsonValue::Array:
    return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
  case QJsonValue::Object:
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
  case QJsonValue::Undefined: break;
  }
  return {};
}

/// "key=value, key=value" of a details object; an "error" entry wins.
QString detailsText(const QJsonValue& v) {
  if (v.isString()) return oneLine(v.toString(), kMaxDetails);
  if (!v.isObject()) return v.isUndefined() ? QString() : oneLine(scalarText(v), kMaxDetails);
  const QJsonObject o = v.toObject();
  if (o.value(QLatin1String("error")).isString())
    return oneLine(o.value(QLatin1String("error")).toString(), kMaxDetails);
  QStringList parts;
  for (auto it = o.begin(); it != o.end(); ++it)
    parts << it.key() % QLatin1Char('=') % scalarText(it.value());
  return oneLine(parts.join(QStringLiteral(", ")), kMaxDetails);
}

struct Failure {
  QString why;
};

// ---- Healthdeck seed schema --------------------------------------------------------------

std::optional<Status> healthdeckStatus(const QJsonValue& v) {
  if (!v.isString()) return std::nullopt;
  const QByteArray s = v.toString().toUtf8();
  return statusFromString(std::string_view(s.constData(), static_cast<std::size_t>(s.size())));
}

std::optional<HealthDocument> parseHealthdeck(const QJsonObject& root, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::Healthdeck;
  doc.overall = *healthdeckStatus(root.value(QLatin1String("status")));
  const QJsonValue checks = root.value(QLatin1String("checks"));
  if (checks.isUndefined()) {
    doc.detailsHidden = true;
    return doc;
  }
  if (!checks.isArray()) {
    f.why = QStringLiteral("\"checks\" is not an array");
    return std::nullopt;
  }
  const QJsonArray arr = checks.toArray();
  for (qsizetype i = 0; i < arr.size(); ++i) {
    const QJsonObject c = arr.at(i).toObject();
    const QJsonValue name = c.value(QLatin1String("component"));
    const auto st = healthdeckStatus(c.value(QLatin1String("status")));
    if (!name.isString() || name.toString().isEmpty() || !st) {
      f.why = QStringLiteral("checks[%1] lacks a component name or a valid status").arg(i);
      return std::nullopt;
    }
    HealthComponent comp;
    comp.name = oneLine(name.toString(), kMaxLine);
    comp.path = QStringList{comp.name};
    comp.status = *st;
    comp.details = detailsText(c.value(QLatin1String("details")));
    const QJsonValue d = c.value(QLatin1String("duration"));
    if (d.isDouble() && d.toDouble() >= 0 && d.toDouble() < 9.2e18)
      comp.duration = std::chrono::nanoseconds(static_cast<std::int64_t>(d.toDouble()));
    doc.components.push_back(std::move(comp));
  }
  return doc;
}

// ---- IETF application/health+json --------------------------------------------------------

std::optional<Status> ietfStatus(const QJsonValue& v) {
  const QString s = v.toString();
  if (s == QLatin1String("pass") || s == QLatin1String("ok") || s == QLatin1String("up"))
    return Status::Up;
  if (s == QLatin1String("warn")) return Status::Degraded;
  if (s == QLatin1String("fail") || s == QLatin1String("error") || s == QLatin1String("down"))
    return Status::Down;
  return std::nullopt;
}

std::optional<std::chrono::nanoseconds> durationFromUnit(double value, const QString& unit) {
  if (!std::isfinite(value) || value < 0 || value > 1e9) return std::nullopt;
  double ns = 0;
  if (unit == QLatin1String("ns"))
    ns = value;
  else if (unit == QLatin1String("us") || unit == QStringLiteral("\u00b5s"))
    ns = value * 1e3;
  else if (unit == QLatin1String("ms"))
    ns = value * 1e6;
  else if (unit == QLatin1String("s"))
    ns = value * 1e9;
  else
    return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(ns));
}

std::optional<HealthDocument> parseIetf(const QJsonObject& root, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::IetfHealthJson;
  doc.overall = *ietfStatus(root.value(QLatin1String("status")));
  const QJsonValue checks = root.value(QLatin1String("checks"));
  if (checks.isUndefined()) {
    doc.detailsHidden = true;
    return doc;
  }
  if (!checks.isObject()) {
    f.why = QStringLiteral("\"checks\" is not an object");
    return std::nullopt;
  }
  const QJsonObject obj = checks.toObject();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const QString key = it.key();
    const qsizetype colon = key.indexOf(QLatin1Char(':'));
    const QString component = colon < 0 ? key : key.left(colon);
    const QString measurement = colon < 0 ? QString() : key.mid(colon + 1);
    const bool probeMeasurement = measurement.isEmpty() ||
                                  measurement == QLatin1String("readiness") ||
                                  measurement == QLatin1String("liveness");
    const QString baseName = oneLine(probeMeasurement ? component : key, kMaxLine);
    if (!it.value().isArray()) {
      f.why = QStringLiteral("checks \"%1\" is not an array").arg(oneLine(key, kMaxLine));
      return std::nullopt;
    }
    const QJsonArray arr = it.value().toArray();
    for (const QJsonValue& entry : arr) {
      const QJsonObject e = entry.toObject();
      const auto st = ietfStatus(e.value(QLatin1String("status")));
      if (!st) {
        f.why = QStringLiteral("checks \"%1\" has an entry without a valid status")
                    .arg(oneLine(key, kMaxLine));
        return std::nullopt;
      }
      HealthComponent comp;
      comp.status = *st;
      comp.path = QStringList{baseName};
      const QString id = e.value(QLatin1String("componentId")).toString();
      if (arr.size() > 1 && !id.isEmpty()) comp.path << oneLine(id, kMaxLine);
      comp.name = comp.path.last();
      const QJsonValue observed = e.value(QLatin1String("observedValue"));
      const QString unit = e.value(QLatin1String("observedUnit")).toString();
      if (e.value(QLatin1String("output")).isString()) {
        comp.details = oneLine(e.value(QLatin1String("output")).toString(), kMaxDetails);
      } else if (!observed.isUndefined()) {
        QString value = scalarText(observed);
        if (!unit.isEmpty()) value += QLatin1Char(' ') % unit;
        comp.details = oneLine(value, kMaxDetails);
      }
      if (measurement == QLatin1String("responseTime") && observed.isDouble())
        comp.duration = durationFromUnit(observed.toDouble(), unit);
      doc.components.push_back(std::move(comp));
    }
  }
  return doc;
}

// ---- Spring Boot Actuator ----------------------------------------------------------------

std::optional<Status> springStatus(const QString& s) {
  if (s == QLatin1String("UP")) return Status::Up;
  if (s == QLatin1String("DOWN") || s == QLatin1String("OUT_OF_SERVICE")) return Status::Down;
  if (s == QLatin1String("UNKNOWN")) return Status::Degraded;
  return std::nullopt;
}

/// True when every value of `o` is an object with a string "status": the legacy (2.0/2.1)
/// composite shape, where nested indicators sit under "details".
bool looksLikeIndicators(const QJsonObject& o) {
  if (o.isEmpty()) return false;
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().isObject() || !it.value().toObject().value(QLatin1String("status")).isString())
      return false;
  }
  return true;
}

bool parseSpringChildren(const QJsonObject& children, const QStringList& parentPath, int depth,
                         HealthDocument& doc, Failure& f) {
  if (depth > HealthDocumentParser::kMaxNesting) {
    f.why = QStringLiteral("components nested deeper than %1 levels")
                .arg(HealthDocumentParser::kMaxNesting);
    return false;
  }
  for (auto it = children.begin(); it != children.end(); ++it) {
    if (!it.value().isObject()) {
      f.why = QStringLiteral("component \"%1\" is not an object").arg(oneLine(it.key(), kMaxLine));
      return false;
    }
    const QJsonObject c = it.value().toObject();
    const QString statusText = c.value(QLatin1String("status")).toString();
    if (statusText.isEmpty()) {
      f.why = QStringLiteral("component \"%1\" has no status").arg(oneLine(it.key(), kMaxLine));
      return false;
    }
    HealthComponent comp;
    comp.name = oneLine(it.key(), kMaxLine);
    comp.path = parentPath;
    comp.path << comp.name;
    // Custom statuses are allowed by Actuator; they are shown, never taken for "up".
    const auto st = springStatus(statusText);
    comp.status = st.value_or(Status::Degraded);
    const QJsonValue nested = c.value(QLatin1String("components"));
    const QJsonValue details = c.value(QLatin1String("details"));
    const bool legacyNested = details.isObject() && looksLikeIndicators(details.toObject());
    if (!legacyNested) comp.details = detailsText(details);
    if (!st) {
      comp.details = QStringLiteral("status ") % oneLine(statusText, 40) %
                     (comp.details.isEmpty() ? QString() : QStringLiteral("; ") % comp.details);
    }
    const QStringList path = comp.path;
    doc.components.push_back(std::move(comp));
    if (nested.isObject()) {
      if (!parseSpringChildren(nested.toObject(), path, depth + 1, doc, f)) return false;
    } else if (legacyNested) {
      if (!parseSpringChildren(details.toObject(), path, depth + 1, doc, f)) return false;
    }
  }
  return true;
}

std::optional<HealthDocument> parseSpring(const QJsonObject& root, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::SpringBoot;
  doc.overall = *springStatus(root.value(QLatin1String("status")).toString());
  const QJsonValue components = root.value(QLatin1String("components"));
  const QJsonValue details = root.value(QLatin1String("details"));
  if (components.isObject()) {
    if (!parseSpringChildren(components.toObject(), {}, 1, doc, f)) return std::nullopt;
  } else if (details.isObject()) {
    if (!parseSpringChildren(details.toObject(), {}, 1, doc, f)) return std::nullopt;
  } else if (!components.isUndefined() || !details.isUndefined()) {
    f.why = QStringLiteral("\"components\" is not an object");
    return std::nullopt;
  } else {
    doc.detailsHidden = true;
  }
  return doc;
}

// ---- ASP.NET Core ------------------------------------------------------------------------

std::optional<Status> aspNetStatus(QStringView s) {
  if (s == QLatin1String("Healthy")) return Status::Up;
  if (s == QLatin1String("Degraded")) return Status::Degraded;
  if (s == QLatin1String("Unhealthy")) return Status::Down;
  return std::nullopt;
}

/// .NET TimeSpan "c" format: [-][d.]hh:mm:ss[.fffffff].
std::optional<std::chrono::nanoseconds> parseTimeSpan(const QString& s) {
  static const QRegularExpression re(
      QStringLiteral("^(?:(\\d{1,7})\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?$"));
  const auto m = re.match(s);
  if (!m.hasMatch()) return std::nullopt;
  const std::int64_t days = m.captured(1).isEmpty() ? 0 : m.captured(1).toLongLong();
  const std::int64_t secs =
      ((days * 24 + m.captured(2).toLongLong()) * 60 + m.captured(3).toLongLong()) * 60 +
      m.captured(4).toLongLong();
  QString frac = m.captured(5);
  frac = frac.leftJustified(9, QLatin1Char('0'));
  return std::chrono::nanoseconds(secs * 1000000000LL + frac.toLongLong());
}

std::optional<HealthDocument> parseAspNetJson(const QJsonObject& root, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::AspNetJson;
  doc.overall = *aspNetStatus(root.value(QLatin1String("status")).toString());
  const QJsonValue entries = root.value(QLatin1String("entries"));
  if (entries.isUndefined()) {
    doc.detailsHidden = true;
    return doc;
  }
  if (!entries.isObject()) {
    f.why = QStringLiteral("\"entries\" is not an object");
    return std::nullopt;
  }
  const QJsonObject obj = entries.toObject();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const QJsonObject e = it.value().toObject();
    const auto st = aspNetStatus(e.value(QLatin1String("status")).toString());
    if (!st) {
      f.why = QStringLiteral("entry \"%1\" has no valid status").arg(oneLine(it.key(), kMaxLine));
      return std::nullopt;
    }
    HealthComponent comp;
    comp.name = oneLine(it.key(), kMaxLine);
    comp.path = QStringList{comp.name};
    comp.status = *st;
    QString details = e.value(QLatin1String("description")).toString();
    if (details.isEmpty()) details = e.value(QLatin1String("exception")).toString();
    comp.details = oneLine(details, kMaxDetails);
    comp.duration = parseTimeSpan(e.value(QLatin1String("duration")).toString());
    doc.components.push_back(std::move(comp));
  }
  return doc;
}

// ---- JSON dispatch -----------------------------------------------------------------------

std::optional<HealthDocument> parseJson(QByteArrayView body, QByteArrayView contentType,
                                        Failure& f) {
  QJsonParseError err{};
  const QJsonDocument json = QJsonDocument::fromJson(QByteArray(body.data(), body.size()), &err);
  if (err.error != QJsonParseError::NoError) {
    f.why = QStringLiteral("malformed JSON at byte %1: %2").arg(err.offset).arg(err.errorString());
    return std::nullopt;
  }
  if (!json.isObject()) {
    f.why = QStringLiteral("JSON that is not an object");
    return std::nullopt;
  }
  const QJsonObject root = json.object();
  const QJsonValue status = root.value(QLatin1String("status"));
  if (!status.isString()) {
    f.why = QStringLiteral("JSON without a \"status\" string");
    return std::nullopt;
  }
  const QString s = status.toString();
  if (aspNetStatus(s) && (root.contains(QLatin1String("entries")) ||
                          root.contains(QLatin1String("totalDuration")) || root.size() == 1))
    return parseAspNetJson(root, f);
  if (springStatus(s)) return parseSpring(root, f);
  const bool ietfType = isHealthJsonType(contentType);
  if (!ietfType && healthdeckStatus(status) &&
      (root.value(QLatin1String("checks")).isArray() || root.contains(QLatin1String("success")) ||
       root.contains(QLatin1String("probe")) || !root.contains(QLatin1String("checks"))))
    return parseHealthdeck(root, f);
  if (ietfStatus(status)) return parseIetf(root, f);
  f.why = QStringLiteral("JSON with an unknown status \"%1\"").arg(oneLine(s, 40));
  return std::nullopt;
}

// ---- Text dialects -----------------------------------------------------------------------

std::optional<HealthDocument> parseKubernetes(QByteArrayView body, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::KubernetesText;
  std::optional<Status> verdict;
  Status worstSeen = Status::Up;
  const QList<QByteArray> lines = QByteArray(body.data(), body.size()).split('\n');
  for (qsizetype i = 0; i < lines.size(); ++i) {
    const QByteArray line = lines[i].trimmed();
    if (line.isEmpty()) continue;
    if (verdict) {
      f.why = QStringLiteral("text after the verdict line");
      return std::nullopt;
    }
    if (line.startsWith("[+]") || line.startsWith("[-]")) {
      const bool ok = line[1] == '+';
      const QByteArray rest = line.mid(3);
      const qsizetype space = rest.indexOf(' ');
      if (space <= 0) {
        f.why = QStringLiteral("line %1 has no check result").arg(i + 1);
        return std::nullopt;
      }
      const QByteArray name = rest.left(space);
      const QByteArray result = rest.mid(space + 1).trimmed();
      QString details;
      if (ok) {
        if (result != "ok" && result != "excluded: ok") {
          f.why = QStringLiteral("line %1: [+] without \"ok\"").arg(i + 1);
          return std::nullopt;
        }
        if (result.startsWith("excluded")) details = QStringLiteral("excluded");
      } else {
        if (!result.startsWith("failed")) {
          f.why = QStringLiteral("line %1: [-] without \"failed\"").arg(i + 1);
          return std::nullopt;
        }
        details = QString::fromUtf8(result.mid(6));
        if (details.startsWith(QLatin1Char(':'))) details.remove(0, 1);
      }
      HealthComponent comp;
      comp.path = QString::fromUtf8(name).split(QLatin1Char('/'), Qt::SkipEmptyParts);
      if (comp.path.isEmpty()) comp.path << QString::fromUtf8(name);
      for (auto& p : comp.path)
        p = oneLine(p, kMaxLine);
      comp.name = comp.path.last();
      comp.status = ok ? Status::Up : Status::Down;
      comp.details = oneLine(details, kMaxDetails);
      worstSeen = worst(worstSeen, comp.status);
      doc.components.push_back(std::move(comp));
      continue;
    }
    if (line.endsWith(" check passed")) {
      verdict = Status::Up;
    } else if (line.endsWith(" check failed")) {
      verdict = Status::Down;
    } else {
      f.why = QStringLiteral("line %1 is not a Kubernetes check line").arg(i + 1);
      return std::nullopt;
    }
  }
  if (doc.components.empty()) {
    f.why = QStringLiteral("no check lines");
    return std::nullopt;
  }
  doc.overall = verdict ? worst(*verdict, worstSeen) : worstSeen;
  return doc;
}

HealthDocument statusCodeDocument(int httpStatus) {
  HealthDocument doc;
  doc.dialect = HealthDialect::StatusCode;
  doc.overall = httpStatus >= 200 && httpStatus < 300 ? Status::Up : Status::Down;
  return doc;
}

} // namespace

HealthParseResult HealthDocumentParser::parse(int httpStatus, QByteArrayView contentType,
                                              QByteArrayView body) {
  HealthParseResult result;
  result.rawFirstLine = firstLine(body);
  const bool ok2xx = httpStatus >= 200 && httpStatus < 300;
  const bool server5xx = httpStatus >= 500 && httpStatus < 600;
  const QByteArrayView text = trimmed(body);

  Failure f;
  std::optional<HealthDocument> doc;
  if (text.isEmpty()) {
    if (ok2xx || server5xx)
      doc = statusCodeDocument(httpStatus);
    else
      f.why = QStringLiteral("HTTP %1 with an empty body").arg(httpStatus);
  } else if (text.startsWith("[+]") || text.startsWith("[-]")) {
    doc = parseKubernetes(text, f);
  } else if (text[0] == '{' || text[0] == '[') {
    doc = parseJson(text, contentType, f);
  } else if (const auto st = aspNetStatus(QString::fromLatin1(text.data(), text.size()));
             st && text.size() <= 9) {
    doc.emplace();
    doc->dialect = HealthDialect::AspNetText;
    doc->overall = *st;
  } else if (QByteArray(text.data(), text.size()).toLower() == "ok" && (ok2xx || server5xx)) {
    doc = statusCodeDocument(httpStatus);
  } else {
    f.why = QStringLiteral("a body in no known health format");
  }

  if (!doc && server5xx) {
    // The server said 5xx; an unreadable body does not change that it is not healthy.
    doc = statusCodeDocument(httpStatus);
  }
  result.document = std::move(doc);
  result.error = f.why;
  return result;
}

} // namespace healthdeck
