#pragma once
// PrometheusApiParser: reads the JSON answers of a Prometheus-compatible HTTP API (Prometheus,
// Thanos, VictoriaMetrics, Mimir) that the PrometheusSource asks for:
//   GET /api/v1/targets?state=active   → active targets
//   GET /api/v1/query                  → instant vector
//   GET /api/v1/query_range            → range matrix
//   GET /api/v1/alerts                 → alerts
// Spec: https://prometheus.io/docs/prometheus/latest/querying/api/ (response envelope
// {"status":"success"|"error","data":…,"errorType":…,"error":…,"warnings":[…]}).
// Pure functions of their input: thread-safe, never throw; bodies come from a server the
// console does not control, so every shape is checked and a mismatch is an error that says
// where ("data.activeTargets[3].labels: not an object"). Units: sample values as the API
// sends them (doubles; "NaN"/"+Inf" accepted), timestamps UTC.

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace healthdeck {

using LabelSet = QMap<QString, QString>; ///< sorted by name, so equal sets compare equal

/// One entry of data.activeTargets.
struct ApiTarget {
  LabelSet labels; ///< target labels after relabelling (job, instance, …)
  QString scrapePool;
  QString scrapeUrl;
  QString health; ///< "up" | "down" | "unknown"
  QString lastError;
  QDateTime lastScrape; ///< invalid when never scraped
  double lastScrapeDurationSeconds = 0;
};

/// One series of an instant vector: labels and the sample value.
struct ApiSample {
  LabelSet labels; ///< includes __name__ when the query keeps it
  double value = 0;
};

/// One series of a range matrix: labels and (unix milliseconds, value) points in time order.
struct ApiSeries {
  LabelSet labels;
  std::vector<std::pair<qint64, double>> points;
};

/// One entry of data.alerts.
struct ApiAlert {
  LabelSet labels; ///< includes alertname and the labels of the series that fired
  QString state;   ///< "firing" | "pending"
  QString summary; ///< annotations.summary, else annotations.description, else empty
  QDateTime activeAt;
};

/// The envelope every endpoint shares. `ok` false: `errorType`/`error` say why (either the
/// server's "status":"error" answer or a shape problem found while reading).
struct ApiEnvelope {
  bool ok = false;
  QString errorType; ///< the server's errorType ("bad_data", "execution", …) or "malformed"
  QString error;
  QStringList warnings;
};

template <typename T> struct ApiResult {
  ApiEnvelope envelope;
  std::vector<T> items;
};

class PrometheusApiParser {
public:
  static ApiResult<ApiTarget> parseTargets(QByteArrayView body);
  /// A query answer of resultType "vector" (a "scalar" is one sample with no labels).
  static ApiResult<ApiSample> parseVector(QByteArrayView body);
  /// A query_range answer of resultType "matrix".
  static ApiResult<ApiSeries> parseMatrix(QByteArrayView body);
  static ApiResult<ApiAlert> parseAlerts(QByteArrayView body);
  /// Only the envelope (for answers whose data is not needed, and error bodies of 4xx/5xx).
  static ApiEnvelope parseEnvelope(QByteArrayView body);
};

} // namespace healthdeck
