#include "healthdeck/exporter/http_request.h"

#include "healthdeck/exporter/http_util.h"

#include <array>

namespace healthdeck::exporter {
namespace {

using namespace std::string_view_literals;

/// tchar of RFC 9110 §5.6.2.
bool isTchar(unsigned char c) noexcept {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '^':
  case '_':
  case '`':
  case '|':
  case '~': return true;
  default: return false;
  }
}

bool isToken(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s)
    if (!isTchar(static_cast<unsigned char>(c))) return false;
  return true;
}

/// field-value bytes (RFC 9110 §5.5): VCHAR, obs-text, SP, HTAB.
bool isFieldValue(std::string_view s) noexcept {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

std::string_view trimOws(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

MethodKind classify(std::string_view m) noexcept {
  if (m == "GET"sv) return MethodKind::Get;
  if (m == "HEAD"sv) return MethodKind::Head;
  if (m == "OPTIONS"sv) return MethodKind::Options;
  static constexpr std::array<std::string_view, 6> known{"POST",    "PUT",   "DELETE",
                                                         "CONNECT", "TRACE", "PATCH"};
  for (const std::string_view k : known)
    if (m == k) return MethodKind::Known;
  return MethodKind::Unknown;
}

/// reg-name / IP-literal / IPv4 with an optional port: the bytes RFC 3986 allows in an
/// authority without userinfo.
bool isHostValue(std::string_view s) noexcept {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    "-._~%!$&'()*+,;=:[]"sv.find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

/// Visible ASCII without '#': what a request-target may hold on the wire.
bool isTargetBytes(std::string_view s) noexcept {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '#') return false;
  }
  return true;
}

ParseResult invalid(int status, std::string_view reason) noexcept {
  return {ParseState::Invalid, 0, status, reason};
}

/// Each "comma-separated" token of a list field, trimmed.
template <typename F> void forEachListToken(std::string_view v, F&& f) {
  while (!v.empty()) {
    const auto comma = v.find(',');
    const std::string_view t = trimOws(v.substr(0, comma));
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
    if (!t.empty()) f(t);
  }
}

} // namespace

std::string_view RequestHead::field(std::string_view name) const noexcept {
  for (const auto& [n, v] : fields)
    if (iequals(n, name)) return v;
  return {};
}

bool RequestHead::has(std::string_view name) const noexcept {
  for (const auto& f : fields)
    if (iequals(f.first, name)) return true;
  return false;
}

ParseResult parseRequestHead(std::string_view buffer, RequestHead& out, std::size_t maxHeadBytes) {
  out = RequestHead{};
  std::size_t pos = 0;
  // §2.2: a server SHOULD ignore at least one empty line received before the request-line.
  while (buffer.size() - pos >= 2 && buffer[pos] == '\r' && buffer[pos + 1] == '\n')
    pos += 2;
  const std::size_t start = pos;

  // Lines are judged only once the whole head is here, so a half-sent head is never
  // mistaken for a bad one; the size limit still applies while it arrives.
  const auto endOfHead = buffer.find("\r\n\r\n"sv, start);
  if (endOfHead == std::string_view::npos) {
    // A bare LF anywhere means this head can never end the way RFC 9112 requires.
    for (std::size_t i = start; i < buffer.size(); ++i)
      if (buffer[i] == '\n' && (i == start || buffer[i - 1] != '\r'))
        return invalid(400, "bare LF in the request head"sv);
    if (buffer.size() - start > maxHeadBytes) {
      const auto firstLineEnd = buffer.find("\r\n"sv, start);
      const bool inRequestLine =
          firstLineEnd == std::string_view::npos || firstLineEnd - start > maxHeadBytes;
      return inRequestLine ? invalid(414, "request line too long"sv)
                           : invalid(431, "request header fields too large"sv);
    }
    return {ParseState::Incomplete, 0, 0, {}};
  }
  if (endOfHead + 4 - start > maxHeadBytes)
    return invalid(431, "request header fields too large"sv);
  const std::string_view head = buffer.substr(start, endOfHead + 2 - start); // lines with CRLF
  for (std::size_t i = 0; i < head.size(); ++i) {
    const char c = head[i];
    if (c == '\n' && (i == 0 || head[i - 1] != '\r'))
      return invalid(400, "bare LF in the request head"sv);
    if (c == '\r' && (i + 1 >= head.size() || head[i + 1] != '\n'))
      return invalid(400, "bare CR in the request head"sv);
  }

  // Request line: method SP request-target SP HTTP-version (§3), single spaces.
  const auto lineEnd = head.find("\r\n"sv);
  const std::string_view line = head.substr(0, lineEnd);
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos)
    return invalid(400, "malformed request line"sv);
  out.method = line.substr(0, sp1);
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!isToken(out.method)) return invalid(400, "malformed method"sv);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/"sv || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return invalid(400, "malformed HTTP version"sv);
  if (version[5] != '1') return invalid(505, "only HTTP/1.0 and HTTP/1.1 are served"sv);
  out.versionMinor = version[7] - '0';
  out.kind = classify(out.method);
  if (out.target.empty() || !isTargetBytes(out.target))
    return invalid(400, "malformed request target"sv);

  // Request target forms (§3.2).
  std::string_view pathAndQuery;
  if (out.target.front() == '/') {
    pathAndQuery = out.target;
  } else if (out.target == "*"sv) {
    if (out.kind != MethodKind::Options)
      return invalid(400, "the asterisk form is for OPTIONS only"sv);
    out.path = out.target;
  } else {
    const auto schemeEnd = out.target.find("://"sv);
    const std::string_view scheme =
        schemeEnd == std::string_view::npos ? std::string_view{} : out.target.substr(0, schemeEnd);
    if (!iequals(scheme, "http"sv) && !iequals(scheme, "https"sv)) {
      // authority-form belongs to CONNECT, which is refused by method below.
      if (out.method != "CONNECT"sv) return invalid(400, "malformed request target"sv);
      pathAndQuery = "/"sv;
    } else {
      const std::string_view rest = out.target.substr(schemeEnd + 3);
      const auto pathStart = rest.find_first_of("/?"sv);
      const std::string_view targetAuthority = rest.substr(0, pathStart);
      if (targetAuthority.empty() || targetAuthority.find('@') != std::string_view::npos ||
          !isHostValue(targetAuthority))
        return invalid(400, "malformed authority in the request target"sv);
      pathAndQuery = pathStart == std::string_view::npos ? "/"sv : rest.substr(pathStart);
      if (pathAndQuery.front() == '?') {
        out.path = "/"sv;
        out.query = pathAndQuery.substr(1);
        pathAndQuery = {};
      }
    }
  }
  if (!pathAndQuery.empty()) {
    const auto q = pathAndQuery.find('?');
    out.path = pathAndQuery.substr(0, q);
    out.query = q == std::string_view::npos ? std::string_view{} : pathAndQuery.substr(q + 1);
  }

  // Field lines (§5).
  int hosts = 0;
  int contentLengths = 0;
  bool transferEncoding = false;
  bool chunkedLast = false;
  std::uint64_t contentLength = 0;
  bool connectionClose = false;
  bool connectionKeepAlive = false;
  std::size_t p = lineEnd + 2;
  while (p < head.size()) {
    const auto e = head.find("\r\n"sv, p);
    const std::string_view fl = head.substr(p, e - p);
    p = e + 2;
    if (fl.front() == ' ' || fl.front() == '\t')
      return invalid(400, "obsolete line folding is not accepted"sv);
    const auto colon = fl.find(':');
    if (colon == std::string_view::npos) return invalid(400, "field line without a colon"sv);
    const std::string_view name = fl.substr(0, colon);
    if (!isToken(name)) {
      const bool spaceBeforeColon = !name.empty() && (name.back() == ' ' || name.back() == '\t');
      return invalid(400, spaceBeforeColon ? "whitespace between field name and colon"sv
                                           : "malformed field name"sv);
    }
    const std::string_view value = trimOws(fl.substr(colon + 1));
    if (!isFieldValue(value)) return invalid(400, "control character in a field value"sv);
    out.fields.emplace_back(name, value);

    if (iequals(name, "host"sv)) {
      if (++hosts > 1) return invalid(400, "more than one Host field"sv);
      if (!isHostValue(value) || value.find('@') != std::string_view::npos)
        return invalid(400, "malformed Host field"sv);
    } else if (iequals(name, "content-length"sv)) {
      if (++contentLengths > 1) return invalid(400, "more than one Content-Length field"sv);
      if (value.empty() || value.size() > 18) return invalid(400, "malformed Content-Length"sv);
      for (const char c : value) {
        if (c < '0' || c > '9') return invalid(400, "malformed Content-Length"sv);
        contentLength = contentLength * 10 + static_cast<std::uint64_t>(c - '0');
      }
    } else if (iequals(name, "transfer-encoding"sv)) {
      transferEncoding = true;
      forEachListToken(value, [&](std::string_view t) {
        const auto semi = t.find(';');
        chunkedLast = iequals(trimOws(t.substr(0, semi)), "chunked"sv);
      });
    } else if (iequals(name, "connection"sv)) {
      forEachListToken(value, [&](std::string_view t) {
        if (iequals(t, "close"sv)) connectionClose = true;
        if (iequals(t, "keep-alive"sv)) connectionKeepAlive = true;
      });
    }
  }

  if (out.versionMinor >= 1 && hosts == 0) return invalid(400, "HTTP/1.1 request without Host"sv);
  if (transferEncoding) {
    if (contentLengths > 0) return invalid(400, "both Transfer-Encoding and Content-Length"sv);
    if (out.versionMinor == 0) return invalid(400, "Transfer-Encoding in an HTTP/1.0 request"sv);
    if (!chunkedLast) return invalid(400, "Transfer-Encoding without chunked last"sv);
  }
  out.hasBody = transferEncoding || contentLength > 0;
  out.keepAlive =
      out.versionMinor >= 1 ? !connectionClose : connectionKeepAlive && !connectionClose;
  return {ParseState::Complete, endOfHead + 4, 0, {}};
}

bool percentDecode(std::string_view in, std::string& out) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int h = hex(in[i + 1]);
    const int l = hex(in[i + 2]);
    if (h < 0 || l < 0) return false;
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return true;
}

} // namespace healthdeck::exporter
