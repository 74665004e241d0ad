#pragma once
// The exporter's HTTP/1.1 request-head screen (RFC 9112 §2-§7, RFC 9110 §9 and §7.2).
//
// The exporter never reads request bodies, so it only has to frame and judge request heads.
// Everything RFC 9112 tells a server to reject is refused here, before any routing, because
// the cases a lenient parser lets through are the ones that let a request be smuggled past a
// reverse proxy:
// - a field line that starts with whitespace (obs-fold) → 400 (§5.2);
// - whitespace between a field name and its colon → 400 (§5.1);
// - Content-Length that is not 1*DIGIT (e.g. `+5`, `5, 5`), or given twice → 400 (§6.3);
// - Transfer-Encoding together with Content-Length, in HTTP/1.0, or without `chunked` last
//   → 400 (§6.1, §6.3);
// - an HTTP/1.1 request without a Host field or with more than one → 400 (§3.2);
// - bare CR, bare LF, NUL or other control bytes in the head → 400 (§2.2);
// - HTTP major version other than 1 (including the HTTP/2 connection preface) → 505.
// Accepted as RFC 9112 requires: leading empty lines before the request line (§2.2), the
// origin-form, the absolute-form (`GET http://host/metrics`, §3.2.2; its authority wins over
// Host) and the asterisk-form for OPTIONS (§3.2.4).
//
// Contract: pure function over the bytes given; the views in RequestHead point into that
// buffer and live as long as it does. Thread-safe; no allocation beyond `fields`.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace healthdeck::exporter {

enum class MethodKind : std::uint8_t {
  Get,
  Head,
  Options,
  Known,  // defined by RFC 9110/5789 but not served here (POST, PUT, TRACE, ...) → 405
  Unknown // any other token, method names are case-sensitive (`get`, `PURGE`) → 501
};

struct RequestHead {
  std::string_view method;
  MethodKind kind = MethodKind::Unknown;
  std::string_view target; // as sent
  std::string_view path;   // origin path ("/metrics"); "*" for the asterisk form
  std::string_view query;  // after '?', without it; empty when none
  int versionMinor = 1;    // HTTP/1.<minor>
  bool keepAlive = true;   // from the version and the Connection options
  bool hasBody = false;    // Content-Length > 0 or Transfer-Encoding: a body we will not read
  std::vector<std::pair<std::string_view, std::string_view>> fields; // value trimmed of OWS

  /// Value of the first field named `name` (case-insensitive); empty view when absent.
  std::string_view field(std::string_view name) const noexcept;
  /// True when a field named `name` is present (even with an empty value).
  bool has(std::string_view name) const noexcept;
};

enum class ParseState : std::uint8_t { Incomplete, Complete, Invalid };

struct ParseResult {
  ParseState state = ParseState::Incomplete;
  std::size_t consumed = 0;  // bytes of the head including its empty line (Complete only)
  int status = 0;            // the answer for Invalid: 400, 414, 431 or 505
  std::string_view reason{}; // one line for the error body; static storage
};

/// Screens the request head at the start of `buffer`. Incomplete while the empty line has not
/// arrived and the buffer is within `maxHeadBytes`; Invalid (431, or 414 while still in the
/// request line) once it is beyond. Leading CRLFs are skipped and counted in `consumed`.
ParseResult parseRequestHead(std::string_view buffer, RequestHead& out, std::size_t maxHeadBytes);

/// Percent-decodes a query component (`+` stays `+`); false on a malformed escape.
bool percentDecode(std::string_view in, std::string& out);

/// Calls f(name, value) for each `name[=value]` of a query string, both percent-decoded;
/// malformed pairs are skipped.
template <typename F> void forEachQueryParameter(std::string_view query, F&& f);

} // namespace healthdeck::exporter

#include <string>

template <typename F>
void healthdeck::exporter::forEachQueryParameter(std::string_view query, F&& f) {
  std::string name;
  std::string value;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    name.clear();
    value.clear();
    if (!percentDecode(pair.substr(0, eq), name)) continue;
    if (eq != std::string_view::npos && !percentDecode(pair.substr(eq + 1), value)) continue;
    f(std::string_view(name), std::string_view(value));
  }
}
