#pragma once
// Normalises a health endpoint's answer (HTTP status, Content-Type, body) into a
// HealthDocument, for every dialect of HealthDialect. Shapes it does not recognise are not
// guessed: the result says the body was not understood and carries its first line.
// Pure function of its input: thread-safe, no allocation beyond the result, bounded nesting
// (deeper than kMaxNesting levels is "not understood"), never throws.

#include "healthdeck/client/target_snapshot.h"

#include <QByteArrayView>

namespace healthdeck {

struct HealthParseResult {
  std::optional<HealthDocument> document; ///< set when the answer was understood
  QString error;                          ///< why not understood ("malformed JSON at byte 17: ...")
  QString rawFirstLine; ///< first non-empty line of the body, at most 200 characters
};

class HealthDocumentParser {
public:
  static constexpr int kMaxNesting = 32;

  /// `httpStatus` decides bare-status answers: an empty body, "ok", or — for 5xx only — a
  /// body in no known dialect (the status still says "down"). A 2xx body in no known dialect
  /// is not understood. 401/403/404 are not health answers: the caller handles them first.
  static HealthParseResult parse(int httpStatus, QByteArrayView contentType, QByteArrayView body);
};

} // namespace healthdeck
