#pragma once
// Normalises a health endpoint's answer (HTTP status, Content-Type, body) into a
// HealthDocument, for every dialect of HealthDialect: the seed schema, IETF health+json,
// Spring Boot Actuator (composite and single indicator), ASP.NET Core, Kubernetes ?verbose,
// MicroProfile Health, etcd /health, Elasticsearch/OpenSearch _cluster/health, JSON with a
// well-known "status" word, and plain text / HTML in no health format.
// Rules: status words are case-insensitive; a leading UTF-8 byte-order mark is ignored; a 2xx
// or 5xx body in no health format is answered by its status code, with its first meaningful
// text as `detail` (HTML: <title>, else the first heading, else the first text; never markup);
// only a body that claims a format (JSON, "[+]" check lines) and breaks it is not understood.
// Pure function of its input: thread-safe, bounded work (HTML is scanned in its first 64 KiB,
// nesting deeper than kMaxNesting levels is "not understood"), never throws.

#include "healthdeck/client/target_snapshot.h"

#include <QByteArrayView>

namespace healthdeck {

struct HealthParseResult {
  std::optional<HealthDocument> document; ///< set when the answer was understood
  QString error;                          ///< why not understood ("malformed JSON at byte 17: ...")
  /// First non-empty line of the body (of an HTML body: its title or first heading, never
  /// markup), at most 200 characters.
  QString rawFirstLine;
};

class HealthDocumentParser {
public:
  static constexpr int kMaxNesting = 32;

  /// `httpStatus` decides bare-status answers: an empty body, "ok", a bare status word, or a
  /// body in no known dialect (2xx up, 5xx down). Other statuses with a body in no dialect
  /// are not understood. 401/403/404 are not health answers: the caller handles them first.
  static HealthParseResult parse(int httpStatus, QByteArrayView contentType, QByteArrayView body);
};

} // namespace healthdeck
