// libFuzzer target for HealthDocumentParser. The first byte picks the HTTP status and the
// content type so every dialect branch (bare status, 5xx fallback, health+json) is reached.

#include "healthdeck/client/parse/health_document_parser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int kStatuses[] = {200, 204, 503, 500, 400, 502, 401, 404};
  static const char* const kTypes[] = {"application/json", "application/health+json", "text/plain",
                                       "text/html"};
  int status = 200;
  const char* type = "application/json";
  if (size > 0) {
    status = kStatuses[data[0] % 8];
    type = kTypes[(data[0] / 8) % 4];
    ++data;
    --size;
  }
  const QByteArrayView body(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
  const auto r = healthdeck::HealthDocumentParser::parse(status, type, body);
  if (r.document) {
    // The server's own words are one bounded line (they reach labels and sentences).
    if (r.document->detail.size() > 500 || r.document->detail.contains(QLatin1Char('\n')))
      __builtin_trap();
    if (r.document->statusWord.size() > 40) __builtin_trap();
    for (const auto& c : r.document->components) {
      // Every component names itself as the end of its path.
      if (c.path.isEmpty() || c.path.last() != c.name) __builtin_trap();
    }
  } else if (r.error.isEmpty()) {
    __builtin_trap(); // not understood must say why
  }
  if (r.rawFirstLine.size() > 200) __builtin_trap();
  return 0;
}
