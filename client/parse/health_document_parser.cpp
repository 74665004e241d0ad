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

QString firstLine(QByteArrayView body, qsizetype max = kMaxLine) {
  qsizetype pos = 0;
  while (pos < body.size()) {
    qsizetype end = pos;
    while (end < body.size() && body[end] != '\n' && body[end] != '\r')
      ++end;
    // Decode at most a bounded prefix: a 4 MiB single-line body needs only its start.
    const QByteArrayView line = body.sliced(pos, std::min<qsizetype>(end - pos, max * 4));
    QString text = oneLine(QString::fromUtf8(line), max);
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

/// The status words every dialect shares, case-insensitively ("OK", "Up", "PASS", "healthy").
/// Dialect-specific words (Spring's OUT_OF_SERVICE, Elasticsearch's colours) are handled by
/// their dialects; this table is for bare words and JSON with no recognisable structure.
std::optional<Status> commonWord(QStringView word) {
  const QString w = word.trimmed().toString().toLower();
  static const char* const kUp[] = {"up",      "ok",      "pass",    "passed", "passing",
                                    "healthy", "ready",   "alive",   "green",  "good",
                                    "serving", "running", "success", "live",   "true"};
  static const char* const kDegraded[] = {"warn", "warning", "degraded", "yellow"};
  static const char* const kDown[] = {"down",  "fail",      "failed",      "failing",
                                      "error", "critical",  "unhealthy",   "red",
                                      "false", "not_ready", "not_serving", "out_of_service"};
  for (const char* u : kUp)
    if (w == QLatin1String(u)) return Status::Up;
  for (const char* d : kDegraded)
    if (w == QLatin1String(d)) return Status::Degraded;
  for (const char* d : kDown)
    if (w == QLatin1String(d)) return Status::Down;
  return std::nullopt;
}

/// The server's word, kept when it says more than the status it maps to: "OUT_OF_SERVICE"
/// and "yellow" are kept, "UP"/"pass"/"Healthy" are not.
QString keptWord(const QString& word, Status mapped) {
  const QString w = word.trimmed().toLower();
  static const char* const kPlain[] = {"up",   "ok",       "pass",      "healthy", "down",
                                       "fail", "degraded", "unhealthy", "warn",    "error"};
  for (const char* p : kPlain)
    if (w == QLatin1String(p)) return {};
  if (commonWord(w) == mapped && (w == QLatin1String("passed") || w == QLatin1String("failed")))
    return {};
  return oneLine(word, 40);
}

// ---- HTML and plain text -----------------------------------------------------------------

constexpr qsizetype kMaxHtmlScan = 64 * 1024;

QString decodeEntities(QString s) {
  static const QRegularExpression numeric(QStringLiteral("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});"));
  QString out;
  qsizetype last = 0;
  auto it = numeric.globalMatch(s);
  while (it.hasNext()) {
    const auto m = it.next();
    out += QStringView(s).sliced(last, m.capturedStart() - last);
    const QString n = m.captured(1);
    bool ok = false;
    const uint code = n.startsWith(QLatin1Char('x')) ? n.mid(1).toUInt(&ok, 16) : n.toUInt(&ok);
    if (ok && code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF)) {
      const char32_t ch = static_cast<char32_t>(code);
      out += QString::fromUcs4(&ch, 1);
    }
    last = m.capturedEnd();
  }
  out += QStringView(s).sliced(last);
  out.replace(QLatin1String("&lt;"), QLatin1String("<"));
  out.replace(QLatin1String("&gt;"), QLatin1String(">"));
  out.replace(QLatin1String("&quot;"), QLatin1String("\""));
  out.replace(QLatin1String("&#39;"), QLatin1String("'"));
  out.replace(QLatin1String("&apos;"), QLatin1String("'"));
  out.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
  out.replace(QLatin1String("&amp;"), QLatin1String("&"));
  return out;
}

/// Text of an HTML fragment: tags dropped, entities decoded, one line.
QString htmlText(const QString& fragment) {
  static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
  QString s = fragment;
  s.replace(tag, QStringLiteral(" "));
  return oneLine(decodeEntities(s), kMaxDetails);
}

/// Bytes that are not text: NUL or other C0 controls, or invalid UTF-8, in the first KiB.
bool looksBinary(QByteArrayView text) {
  const QByteArrayView head = text.first(std::min<qsizetype>(text.size(), 1024));
  for (char c : head) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return true;
  }
  // A multi-byte sequence cut by the 1 KiB window is not a reason: look at whole text then.
  const QString decoded = QString::fromUtf8(text.size() <= 1024 ? text : head.chopped(3));
  return decoded.contains(QChar::ReplacementCharacter) &&
         !QByteArrayView(head).contains("\xEF\xBF\xBD");
}

bool looksLikeHtml(QByteArrayView contentType, QByteArrayView text) {
  if (QByteArray(contentType.data(), contentType.size()).toLower().contains("html")) return true;
  return !text.isEmpty() && text[0] == '<';
}

/// What an HTML page says about itself: its <title>, else its first heading, else its first
/// text outside markup. Never the markup itself.
QString htmlSummary(QByteArrayView html) {
  const QString page =
      QString::fromUtf8(html.sliced(0, std::min<qsizetype>(html.size(), kMaxHtmlScan)));
  static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title\\s*>"),
                                        QRegularExpression::CaseInsensitiveOption |
                                            QRegularExpression::DotMatchesEverythingOption);
  static const QRegularExpression heading(QStringLiteral("<h([1-6])[^>]*>(.*?)</h\\1\\s*>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
  if (const auto m = title.match(page); m.hasMatch()) {
    const QString t = htmlText(m.captured(1));
    if (!t.isEmpty()) return t;
  }
  if (const auto m = heading.match(page); m.hasMatch()) {
    const QString t = htmlText(m.captured(2));
    if (!t.isEmpty()) return t;
  }
  // No title or heading: the first text outside tags, scripts and styles.
  static const QRegularExpression hidden(
      QStringLiteral("<(script|style|head)[^>]*>.*?</\\1\\s*>|<!--.*?-->"),
      QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
  QString body = page;
  body.replace(hidden, QStringLiteral(" "));
  static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
  body.replace(tag, QStringLiteral("\n"));
  const QStringList lines = body.split(QLatin1Char('\n'));
  for (const QString& line : lines) {
    const QString t = oneLine(decodeEntities(line), kMaxDetails);
    if (!t.isEmpty()) return t;
  }
  return {};
}

// ---- Healthdeck seed schema --------------------------------------------------------------

std::optional<Status> healthdeckStatus(const QJsonValue& v) {
  if (!v.isString()) return std::nullopt;
  const QByteArray s = v.toString().toLower().toUtf8();
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
  const QString s = v.toString().toLower();
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

std::optional<Status> springStatus(const QString& word) {
  const QString s = word.toUpper();
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
    if (st) comp.statusWord = keptWord(statusText, *st);
    const QJsonValue nested = c.value(QLatin1String("components"));
    const QJsonValue details = c.value(QLatin1String("details"));
    const bool legacyNested = details.isObject() && looksLikeIndicators(details.toObject());
    if (!legacyNested) comp.details = detailsText(details);
    if (!st) {
      comp.statusWord = oneLine(statusText, 40);
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
  const QString word = root.value(QLatin1String("status")).toString();
  doc.overall = *springStatus(word);
  doc.statusWord = keptWord(word, doc.overall);
  const QJsonValue components = root.value(QLatin1String("components"));
  const QJsonValue details = root.value(QLatin1String("details"));
  if (components.isObject()) {
    if (!parseSpringChildren(components.toObject(), {}, 1, doc, f)) return std::nullopt;
  } else if (details.isObject() && !details.toObject().isEmpty() &&
             !looksLikeIndicators(details.toObject())) {
    // A single indicator (/actuator/health/{name}, Boot 2.2+): its own details, plain values.
    doc.detail = detailsText(details);
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
  if (s.compare(QLatin1String("Healthy"), Qt::CaseInsensitive) == 0) return Status::Up;
  if (s.compare(QLatin1String("Degraded"), Qt::CaseInsensitive) == 0) return Status::Degraded;
  if (s.compare(QLatin1String("Unhealthy"), Qt::CaseInsensitive) == 0) return Status::Down;
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

// ---- etcd, MicroProfile Health, Elasticsearch ---------------------------------------------

/// etcd /health (and /livez-style JSON of its gateway): {"health":"true","reason":""}.
std::optional<HealthDocument> parseEtcd(const QJsonObject& root, Failure& f) {
  const QJsonValue h = root.value(QLatin1String("health"));
  std::optional<Status> st;
  if (h.isBool()) st = h.toBool() ? Status::Up : Status::Down;
  if (h.isString()) st = commonWord(h.toString());
  if (!st) {
    f.why = QStringLiteral("\"health\" is neither true nor false");
    return std::nullopt;
  }
  HealthDocument doc;
  doc.dialect = HealthDialect::Etcd;
  doc.overall = *st;
  doc.detail = oneLine(root.value(QLatin1String("reason")).toString(), kMaxDetails);
  doc.detailsHidden = true;
  return doc;
}

/// MicroProfile Health 2.x/3.x (Quarkus, Open Liberty, Keycloak, Helidon):
/// {"status":"UP","checks":[{"name":"db","status":"DOWN","data":{...}}]}.
std::optional<HealthDocument> parseMicroProfile(const QJsonObject& root, Failure& f) {
  HealthDocument doc;
  doc.dialect = HealthDialect::MicroProfile;
  const QString word = root.value(QLatin1String("status")).toString();
  doc.overall = *springStatus(word);
  doc.statusWord = keptWord(word, doc.overall);
  const QJsonArray arr = root.value(QLatin1String("checks")).toArray();
  for (qsizetype i = 0; i < arr.size(); ++i) {
    const QJsonObject c = arr.at(i).toObject();
    const QJsonValue name = c.value(QLatin1String("name"));
    const QString cword = c.value(QLatin1String("status")).toString();
    const auto st = springStatus(cword);
    if (!name.isString() || name.toString().isEmpty() || !st) {
      f.why = QStringLiteral("checks[%1] lacks a name or an UP/DOWN status").arg(i);
      return std::nullopt;
    }
    HealthComponent comp;
    comp.name = oneLine(name.toString(), kMaxLine);
    comp.path = QStringList{comp.name};
    comp.status = *st;
    comp.statusWord = keptWord(cword, *st);
    comp.details = detailsText(c.value(QLatin1String("data")));
    doc.components.push_back(std::move(comp));
  }
  return doc;
}

/// Elasticsearch / OpenSearch GET _cluster/health: green, yellow, red.
std::optional<HealthDocument> parseElasticsearch(const QJsonObject& root) {
  HealthDocument doc;
  doc.dialect = HealthDialect::Elasticsearch;
  const QString word = root.value(QLatin1String("status")).toString().toLower();
  doc.overall = word == QLatin1String("green")    ? Status::Up
                : word == QLatin1String("yellow") ? Status::Degraded
                                                  : Status::Down;
  doc.statusWord = word;
  QStringList parts;
  parts << QStringLiteral("cluster ") %
               oneLine(root.value(QLatin1String("cluster_name")).toString(), 80) %
               QStringLiteral(" ") % word;
  for (const char* key : {"unassigned_shards", "initializing_shards", "relocating_shards"}) {
    const QJsonValue v = root.value(QLatin1String(key));
    if (v.isDouble() && v.toDouble() > 0)
      parts << QString::fromLatin1(key).replace(QLatin1Char('_'), QLatin1Char(' ')) %
                   QStringLiteral(": ") % scalarText(v);
  }
  doc.detail = oneLine(parts.join(QStringLiteral(", ")), kMaxDetails);
  doc.detailsHidden = true;
  return doc;
}

bool isElasticsearchColour(const QString& s) {
  return s.compare(QLatin1String("green"), Qt::CaseInsensitive) == 0 ||
         s.compare(QLatin1String("yellow"), Qt::CaseInsensitive) == 0 ||
         s.compare(QLatin1String("red"), Qt::CaseInsensitive) == 0;
}

/// True when "checks" is a MicroProfile array: entries carry "name" (the seed schema's carry
/// "component"), or it is empty and nothing else marks the seed schema.
bool looksLikeMicroProfile(const QJsonObject& root) {
  const QJsonValue checks = root.value(QLatin1String("checks"));
  if (!checks.isArray()) return false;
  if (root.contains(QLatin1String("success")) || root.contains(QLatin1String("probe")))
    return false;
  const QJsonArray arr = checks.toArray();
  if (arr.isEmpty())
    return root.value(QLatin1String("status")).toString() == QLatin1String("UP") ||
           root.value(QLatin1String("status")).toString() == QLatin1String("DOWN");
  const QJsonObject first = arr.first().toObject();
  return first.contains(QLatin1String("name")) && !first.contains(QLatin1String("component"));
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
  if (!status.isString() && root.contains(QLatin1String("health"))) return parseEtcd(root, f);
  if (!status.isString()) {
    f.why = QStringLiteral("JSON without a \"status\" string");
    return std::nullopt;
  }
  const QString s = status.toString();
  if (aspNetStatus(s) && (root.contains(QLatin1String("entries")) ||
                          root.contains(QLatin1String("totalDuration")) || root.size() == 1))
    return parseAspNetJson(root, f);
  if (isElasticsearchColour(s) && root.contains(QLatin1String("cluster_name")))
    return parseElasticsearch(root);
  const bool ietfType = isHealthJsonType(contentType);
  if (!ietfType && springStatus(s) && looksLikeMicroProfile(root))
    return parseMicroProfile(root, f);
  // Spring's words in its own (upper) case; the same words in lower case are the seed schema.
  const bool springCase = s == s.toUpper();
  if (!ietfType && springStatus(s) && (springCase || !healthdeckStatus(status)))
    return parseSpring(root, f);
  if (!ietfType && healthdeckStatus(status) &&
      (root.value(QLatin1String("checks")).isArray() || root.contains(QLatin1String("success")) ||
       root.contains(QLatin1String("probe")) || !root.contains(QLatin1String("checks"))))
    return parseHealthdeck(root, f);
  const QString lower = s.toLower();
  if (ietfStatus(status) && (ietfType || root.value(QLatin1String("checks")).isObject() ||
                             lower == QLatin1String("pass") || lower == QLatin1String("warn") ||
                             lower == QLatin1String("fail")))
    return parseIetf(root, f);
  if (const auto st = commonWord(s); st && !root.contains(QLatin1String("checks"))) {
    HealthDocument doc;
    doc.dialect = HealthDialect::JsonStatus;
    doc.overall = *st;
    doc.statusWord = keptWord(s, *st);
    doc.detailsHidden = true;
    return doc;
  }
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
  // .NET stacks (and some Windows editors) start UTF-8 with a byte-order mark.
  if (body.startsWith("\xEF\xBB\xBF")) body = body.sliced(3);
  const bool ok2xx = httpStatus >= 200 && httpStatus < 300;
  const bool server5xx = httpStatus >= 500 && httpStatus < 600;
  const QByteArrayView text = trimmed(body);
  const bool html = looksLikeHtml(contentType, text);
  // HTML's first line is markup; what the page says about itself is its title or heading.
  result.rawFirstLine = html ? oneLine(htmlSummary(text), kMaxLine) : firstLine(body);

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
  } else if (const auto word = commonWord(
                 QString::fromUtf8(text.sliced(0, std::min<qsizetype>(text.size(), 32))));
             word && text.size() <= 32 && !html && (ok2xx || server5xx)) {
    // A bare status word ("UP", "healthy", "FAIL"): the word decides, the status code too.
    doc = statusCodeDocument(httpStatus);
    doc->dialect = HealthDialect::PlainText;
    doc->overall = server5xx ? Status::Down : *word;
    doc->detail = oneLine(QString::fromUtf8(text), kMaxLine);
  } else if (looksBinary(text)) {
    f.why = QStringLiteral("a binary body (not text)");
  } else if (ok2xx || server5xx) {
    // Text or HTML in no health format: the status code is the answer, the text its detail.
    doc = statusCodeDocument(httpStatus);
    doc->dialect = HealthDialect::PlainText;
    doc->detail = html ? htmlSummary(text) : firstLine(text, kMaxDetails);
  } else {
    f.why = QStringLiteral("HTTP %1 with a body in no known health format").arg(httpStatus);
  }

  if (!doc && server5xx) {
    // The server said 5xx; a body that claims a format and breaks it does not change that it
    // is not healthy.
    doc = statusCodeDocument(httpStatus);
    doc->detail = html ? htmlSummary(text) : QString();
  }
  result.document = std::move(doc);
  result.error = f.why;
  return result;
}

} // namespace healthdeck
