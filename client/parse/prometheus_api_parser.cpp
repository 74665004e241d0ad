#include "healthdeck/client/parse/prometheus_api_parser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <limits>

namespace healthdeck {

namespace {

struct Reader {
  ApiEnvelope envelope;
  QJsonValue data;
};

ApiEnvelope malformed(const QString& why) {
  ApiEnvelope e;
  e.errorType = QStringLiteral("malformed");
  e.error = why;
  return e;
}

/// Parses the envelope; on success `data` holds the "data" member.
Reader readEnvelope(QByteArrayView body) {
  Reader r;
  QJsonParseError pe{};
  const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &pe);
  if (pe.error != QJsonParseError::NoError) {
    r.envelope =
        malformed(QStringLiteral("not JSON (at byte %1: %2)").arg(pe.offset).arg(pe.errorString()));
    return r;
  }
  if (!doc.isObject()) {
    r.envelope = malformed(QStringLiteral("not a JSON object"));
    return r;
  }
  const QJsonObject root = doc.object();
  for (const auto& w : root.value(QStringLiteral("warnings")).toArray())
    if (w.isString()) r.envelope.warnings << w.toString();
  const QString status = root.value(QStringLiteral("status")).toString();
  if (status == QLatin1String("error")) {
    r.envelope.errorType = root.value(QStringLiteral("errorType")).toString();
    r.envelope.error = root.value(QStringLiteral("error")).toString();
    if (r.envelope.error.isEmpty()) r.envelope.error = QStringLiteral("error without a message");
    return r;
  }
  if (status != QLatin1String("success")) {
    const QStringList warnings = r.envelope.warnings;
    r.envelope = malformed(QStringLiteral("status: neither \"success\" nor \"error\""));
    r.envelope.warnings = warnings;
    return r;
  }
  r.envelope.ok = true;
  r.data = root.value(QStringLiteral("data"));
  return r;
}

bool readLabels(const QJsonValue& v, LabelSet& out) {
  if (!v.isObject()) return false;
  const QJsonObject o = v.toObject();
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().isString()) return false;
    out.insert(it.key(), it.value().toString());
  }
  return true;
}

/// A sample value is a string ("1", "NaN", "+Inf"); numbers are accepted too.
bool readValue(const QJsonValue& v, double& out) {
  if (v.isDouble()) {
    out = v.toDouble();
    return true;
  }
  if (!v.isString()) return false;
  const QString s = v.toString();
  if (s == QLatin1String("NaN")) {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (s == QLatin1String("+Inf") || s == QLatin1String("Inf")) {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == QLatin1String("-Inf")) {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  bool ok = false;
  out = s.toDouble(&ok);
  return ok;
}

/// [unixSeconds, "value"]
bool readPoint(const QJsonValue& v, qint64& ms, double& value) {
  const QJsonArray a = v.toArray();
  if (!v.isArray() || a.size() != 2 || !a.at(0).isDouble()) return false;
  const double t = a.at(0).toDouble();
  if (!std::isfinite(t) || std::abs(t) > 1e11) return false;
  ms = static_cast<qint64>(std::llround(t * 1000.0));
  return readValue(a.at(1), value);
}

QDateTime readTime(const QJsonValue& v) {
  if (!v.isString()) return {};
  QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
  // Prometheus writes "0001-01-01T00:00:00Z" for "never".
  if (!t.isValid() || t.date().year() < 1971) return {};
  return t.toUTC();
}

template <typename T> ApiResult<T> fail(ApiEnvelope e) {
  ApiResult<T> r;
  r.envelope = std::move(e);
  r.envelope.ok = false;
  return r;
}

QJsonArray resultOf(const Reader& r, const char* expectedType, QString* why) {
  const QJsonObject data = r.data.toObject();
  if (!r.data.isObject()) {
    *why = QStringLiteral("data: not an object");
    return {};
  }
  const QString type = data.value(QStringLiteral("resultType")).toString();
  if (type != QLatin1String(expectedType)) {
    *why = QStringLiteral("data.resultType: \"%1\", expected \"%2\"")
               .arg(type, QLatin1String(expectedType));
    return {};
  }
  const QJsonValue result = data.value(QStringLiteral("result"));
  if (!result.isArray()) *why = QStringLiteral("data.result: not an array");
  return result.toArray();
}

} // namespace

ApiEnvelope PrometheusApiParser::parseEnvelope(QByteArrayView body) {
  return readEnvelope(body).envelope;
}

ApiResult<ApiTarget> PrometheusApiParser::parseTargets(QByteArrayView body) {
  const Reader r = readEnvelope(body);
  if (!r.envelope.ok) return fail<ApiTarget>(r.envelope);
  const QJsonValue active = r.data.toObject().value(QStringLiteral("activeTargets"));
  if (!active.isArray())
    return fail<ApiTarget>(malformed(QStringLiteral("data.activeTargets: not an array")));
  ApiResult<ApiTarget> out;
  out.envelope = r.envelope;
  const QJsonArray list = active.toArray();
  out.items.reserve(static_cast<std::size_t>(list.size()));
  for (qsizetype i = 0; i < list.size(); ++i) {
    const QString where = QStringLiteral("data.activeTargets[%1]").arg(i);
    if (!list.at(i).isObject())
      return fail<ApiTarget>(malformed(where + QStringLiteral(": not an object")));
    const QJsonObject o = list.at(i).toObject();
    ApiTarget t;
    if (!readLabels(o.value(QStringLiteral("labels")), t.labels))
      return fail<ApiTarget>(
          malformed(where + QStringLiteral(".labels: not an object of strings")));
    t.scrapePool = o.value(QStringLiteral("scrapePool")).toString();
    t.scrapeUrl = o.value(QStringLiteral("scrapeUrl")).toString();
    t.health = o.value(QStringLiteral("health")).toString();
    if (t.health.isEmpty()) t.health = QStringLiteral("unknown");
    t.lastError = o.value(QStringLiteral("lastError")).toString();
    t.lastScrape = readTime(o.value(QStringLiteral("lastScrape")));
    t.lastScrapeDurationSeconds = o.value(QStringLiteral("lastScrapeDuration")).toDouble();
    out.items.push_back(std::move(t));
  }
  return out;
}

ApiResult<ApiSample> PrometheusApiParser::parseVector(QByteArrayView body) {
  const Reader r = readEnvelope(body);
  if (!r.envelope.ok) return fail<ApiSample>(r.envelope);
  ApiResult<ApiSample> out;
  out.envelope = r.envelope;
  const QJsonObject data = r.data.toObject();
  if (data.value(QStringLiteral("resultType")).toString() == QLatin1String("scalar")) {
    ApiSample s;
    qint64 ms = 0;
    if (!readPoint(data.value(QStringLiteral("result")), ms, s.value))
      return fail<ApiSample>(malformed(QStringLiteral("data.result: not a [time, value] pair")));
    out.items.push_back(std::move(s));
    return out;
  }
  QString why;
  const QJsonArray result = resultOf(r, "vector", &why);
  if (!why.isEmpty()) return fail<ApiSample>(malformed(why));
  out.items.reserve(static_cast<std::size_t>(result.size()));
  for (qsizetype i = 0; i < result.size(); ++i) {
    const QJsonObject o = result.at(i).toObject();
    ApiSample s;
    qint64 ms = 0;
    if (!readLabels(o.value(QStringLiteral("metric")), s.labels) ||
        !readPoint(o.value(QStringLiteral("value")), ms, s.value))
      return fail<ApiSample>(
          malformed(QStringLiteral("data.result[%1]: not {metric, value:[time, \"v\"]}").arg(i)));
    out.items.push_back(std::move(s));
  }
  return out;
}

ApiResult<ApiSeries> PrometheusApiParser::parseMatrix(QByteArrayView body) {
  const Reader r = readEnvelope(body);
  if (!r.envelope.ok) return fail<ApiSeries>(r.envelope);
  QString why;
  const QJsonArray result = resultOf(r, "matrix", &why);
  if (!why.isEmpty()) return fail<ApiSeries>(malformed(why));
  ApiResult<ApiSeries> out;
  out.envelope = r.envelope;
  out.items.reserve(static_cast<std::size_t>(result.size()));
  for (qsizetype i = 0; i < result.size(); ++i) {
    const QJsonObject o = result.at(i).toObject();
    ApiSeries s;
    const QJsonValue values = o.value(QStringLiteral("values"));
    if (!readLabels(o.value(QStringLiteral("metric")), s.labels) || !values.isArray())
      return fail<ApiSeries>(
          malformed(QStringLiteral("data.result[%1]: not {metric, values:[…]}").arg(i)));
    const QJsonArray points = values.toArray();
    s.points.reserve(static_cast<std::size_t>(points.size()));
    for (qsizetype k = 0; k < points.size(); ++k) {
      qint64 ms = 0;
      double v = 0;
      if (!readPoint(points.at(k), ms, v))
        return fail<ApiSeries>(malformed(
            QStringLiteral("data.result[%1].values[%2]: not [time, \"v\"]").arg(i).arg(k)));
      if (!s.points.empty() && ms <= s.points.back().first)
        return fail<ApiSeries>(malformed(
            QStringLiteral("data.result[%1].values[%2]: out of time order").arg(i).arg(k)));
      s.points.emplace_back(ms, v);
    }
    out.items.push_back(std::move(s));
  }
  return out;
}

ApiResult<ApiAlert> PrometheusApiParser::parseAlerts(QByteArrayView body) {
  const Reader r = readEnvelope(body);
  if (!r.envelope.ok) return fail<ApiAlert>(r.envelope);
  const QJsonValue alerts = r.data.toObject().value(QStringLiteral("alerts"));
  if (!alerts.isArray())
    return fail<ApiAlert>(malformed(QStringLiteral("data.alerts: not an array")));
  ApiResult<ApiAlert> out;
  out.envelope = r.envelope;
  const QJsonArray list = alerts.toArray();
  for (qsizetype i = 0; i < list.size(); ++i) {
    const QJsonObject o = list.at(i).toObject();
    ApiAlert a;
    if (!readLabels(o.value(QStringLiteral("labels")), a.labels))
      return fail<ApiAlert>(
          malformed(QStringLiteral("data.alerts[%1].labels: not an object of strings").arg(i)));
    a.state = o.value(QStringLiteral("state")).toString();
    const QJsonObject annotations = o.value(QStringLiteral("annotations")).toObject();
    a.summary = annotations.value(QStringLiteral("summary")).toString();
    if (a.summary.isEmpty())
      a.summary = annotations.value(QStringLiteral("description")).toString();
    a.activeAt = readTime(o.value(QStringLiteral("activeAt")));
    out.items.push_back(std::move(a));
  }
  return out;
}

} // namespace healthdeck
