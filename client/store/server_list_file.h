#pragma once
// ServerListFile: the console's list of servers as a human-readable JSON file
// ($XDG_CONFIG_HOME/healthdeck/servers.json by default), also the import/export format.
// Secrets are never written: a target names where its secret lives (`secret`:
// "keychain:<id>" or "file:<path>"). Loading is strict: an error names the file, the entry
// and the key ("servers.json: servers[2].url: not an http or https URL"). Pure functions over
// plain data; thread-safe.

#include "healthdeck/client/source/prometheus_source_config.h"
#include "healthdeck/client/store/maintenance_window.h"
#include "healthdeck/client/target.h"

#include <QList>
#include <QString>

#include <optional>

namespace healthdeck {

struct ServerListResult {
  QList<TargetConfig> servers;
  /// Top-level "maintenance": windows per server or group (see maintenance_window.h).
  QList<MaintenanceWindow> maintenance;
  QString error; ///< empty on success
  /// Prometheus sources ("sources": optional; see source_list_entries.h).
  QList<PrometheusSourceConfig> sources;
};

/// Default location of the server list.
QString defaultServerListPath();

/// Reads and validates a server list. A missing file is an error here; callers decide.
ServerListResult loadServerList(const QString& path);
/// Parses the JSON text of a server list; `fileName` is used in messages.
ServerListResult parseServerList(const QByteArray& json, const QString& fileName);
/// Writes atomically; returns an error message, empty on success.
QString saveServerList(const QString& path, const QList<TargetConfig>& servers,
                       const QList<MaintenanceWindow>& maintenance = {},
                       const QList<PrometheusSourceConfig>& sources = {});
QByteArray serializeServerList(const QList<TargetConfig>& servers,
                               const QList<MaintenanceWindow>& maintenance = {},
                               const QList<PrometheusSourceConfig>& sources = {});

/// "15s", "500ms", "2m" — the shortest exact spelling.
QString formatDurationSetting(std::chrono::milliseconds ms);

} // namespace healthdeck
