// Any bytes as what a client sends first on a connection: the request-head screen must never
// read outside the buffer, must agree with itself when the same bytes arrive in two pieces,
// and every view it returns must lie inside the buffer.

#include "healthdeck/exporter/http_request.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool inside(std::string_view buffer, std::string_view part) {
  if (part.empty()) return true;
  return part.data() >= buffer.data() && part.data() + part.size() <= buffer.data() + buffer.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace healthdeck::exporter;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string_view buffer(input);
  RequestHead head;
  const ParseResult whole = parseRequestHead(buffer, head, 4096);
  if (whole.state == ParseState::Complete) {
    if (whole.consumed == 0 || whole.consumed > buffer.size()) __builtin_trap();
    for (std::string_view part : {head.method, head.target, head.query})
      if (!inside(buffer, part)) __builtin_trap();
    // An absolute-form target with no path ("GET http://host HTTP/1.1") is served as "/",
    // a view of a literal rather than of the buffer (RFC 9112 §3.2.2).
    if (!inside(buffer, head.path) && head.path != "/") __builtin_trap();
    for (const auto& [name, value] : head.fields)
      if (!inside(buffer, name) || !inside(buffer, value) || name.empty()) __builtin_trap();
    if (head.versionMinor < 0 || head.versionMinor > 9) __builtin_trap();
    // Query parameters decode without reading past the query.
    std::size_t n = 0;
    forEachQueryParameter(head.query, [&](std::string_view, std::string_view) { ++n; });
    if (n > head.query.size()) __builtin_trap();
  }
  if (whole.state == ParseState::Invalid && whole.status < 400) __builtin_trap();
  // A complete head is complete in any prefix that contains it, and a prefix of an incomplete
  // head is never judged complete.
  for (std::size_t cut : {size / 2, size / 3}) {
    RequestHead part;
    const ParseResult r = parseRequestHead(buffer.substr(0, cut), part, 4096);
    if (r.state == ParseState::Complete &&
        (whole.state != ParseState::Complete || r.consumed != whole.consumed))
      __builtin_trap();
  }
  return 0;
}
