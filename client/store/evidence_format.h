#pragma once
// Evidence as stored and shown: the JSON kept with each event in the history database (and
// printed by `healthdeck history --format json`), the plain-text rendering the Events
// timeline and the text output show, "copy as curl", and the component diff against the last
// good answer. Pure functions, thread-safe.
//
// JSON shape (keys omitted when unknown): {"url", "method", "request_headers": [..],
// "status": 503, "reason", "headers": ["Content-Type: ..", ..], "body", "body_truncated",
// "error", "certificate": {"subject","issuer","not_after" (RFC 3339),"sha256" (hex)},
// "timings_ms": {"connect_start","tls_done","request_sent","first_byte","total"},
// "components": ["database: up → down: connection refused", "cache added", ..]}.
// Secrets never appear: the Poller already masks Authorization, and curl output keeps the
// mask (the user supplies the secret through a file, never on the command line).

#include "healthdeck/client/target_snapshot.h"

#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace healthdeck {

QJsonObject evidenceToJson(const Evidence& evidence, const QStringList& componentDiff);

/// Multi-line plain text: status line, headers, certificate, timings, components, then the
/// body excerpt. Never markup; show it with Qt::PlainText.
QString evidenceText(const QJsonObject& evidence);

/// A shell command that repeats the request: `curl -sS -i` with the URL, the headers (the
/// Authorization value masked, taken from a file the user names: `-H @token-header`), and the
/// TLS options (--cacert FILE; a pinned certificate as --pinnedpubkey is not possible from a
/// certificate digest, so it says so in a comment). Every argument is single-quoted.
QString curlCommand(const QJsonObject& evidence);

/// What changed in the components between the last good answer and this one, one line each:
/// "database: up → down: connection refused", "cache added", "queue removed". Components are
/// matched by probe and path. `lastGood` null: every component of `now` that is not up.
QStringList componentDiff(const TargetSnapshot* lastGood, const TargetSnapshot& now);

/// Every component of the snapshot's readiness and liveness documents by key: the probe and
/// the nesting path, "readiness:database", "liveness:db/primary" (the history database's
/// component key).
QMap<QString, Status> componentStatuses(const TargetSnapshot& snapshot);

/// How a component key reads to a person: its path ("database"), or "readiness database" when
/// `keys` also holds the same path under the other probe.
QString componentDisplayName(const QString& key, const QSet<QString>& keys);

} // namespace healthdeck
