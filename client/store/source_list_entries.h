#pragma once
// The "sources" list of the server list file (client/store/server_list_file.h): Prometheus
// sources as JSON entries, read strictly (errors name the file, the entry and the key:
// "servers.json: sources[0].selector: offset 4: expected a quoted value") and written back.
// Secrets are never written: `secret` is "keychain:<id>" or "file:<path>", as for servers.
// Pure functions over plain data; thread-safe.
//
// Entry keys: id, name (required), url (required, http/https), selector, group_label,
// interval (≥ 1s, default 15s), timeout (≥ 100ms), auth (none|bearer|basic), secret,
// tls (system|ca-file|pinned), ca_file, pinned_sha256, headers ({"Name": "value"}).

#include "healthdeck/client/source/prometheus_source_config.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace healthdeck {

/// Reads `entries` (the value of "sources"); on error returns an empty list and sets `error`.
/// `takenIds` are ids already used by servers in the same file (a source id must differ).
QList<PrometheusSourceConfig> parseSourceEntries(const QJsonArray& entries, const QString& fileName,
                                                 const QStringList& takenIds, QString* error);
QJsonArray serializeSourceEntries(const QList<PrometheusSourceConfig>& sources);

} // namespace healthdeck
