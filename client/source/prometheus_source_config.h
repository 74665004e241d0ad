#pragma once
// PrometheusSourceConfig: what the console knows about one Prometheus source (a
// Prometheus-compatible HTTP API it reads targets and states from instead of polling them).
// Plain value type, copyable, no locking. Like TargetConfig it never holds a secret: the
// connection's secretRef names where it lives. Persisted in the server list
// (client/store/server_list_file.h, "sources").

#include "healthdeck/client/target.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace healthdeck {

/// Where a source reads from and what it shows.
struct PrometheusSourceConfig {
  /// id, name, baseUrl (scheme://host:port[/prefix] of the API), interval (refresh, default
  /// 15 s), timeout (per request), auth + secretRef, TLS trust: as for a server.
  TargetConfig connection;
  QString selector;                                 ///< label filter, `job=~"api|db"`; empty = all
  QString groupLabel = QStringLiteral("job");       ///< rows are grouped by this target label
  QList<std::pair<QByteArray, QByteArray>> headers; ///< extra request headers (X-Scope-OrgID…)

  PrometheusSourceConfig() { connection.interval = std::chrono::milliseconds(15000); }
};

} // namespace healthdeck
