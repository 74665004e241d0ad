#include "healthdeck/exporter/http_util.h"

#include "healthdeck/util/secret_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace healthdeck::exporter {

char asciiLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  return true;
}

namespace {

constexpr bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && isSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

/// Calls f(token, q) for each comma-separated element "token;param;q=0.5". A malformed
/// q value counts as 0 (refusal), the cautious reading.
template <typename F> void forEachQualified(std::string_view header, F&& f) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = element.find(';');
    const std::string_view token = trim(element.substr(0, semi));
    double q = 1.0;
    std::string_view params =
        semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1);
    while (!params.empty()) {
      const auto next = params.find(';');
      const std::string_view param = trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
      if (param.size() >= 2 && asciiLower(param[0]) == 'q' &&
          trim(param.substr(1)).starts_with('=')) {
        std::string_view v = trim(trim(param.substr(1)).substr(1));
        // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
        double value = 0.0;
        bool ok = !v.empty() && (v[0] == '0' || v[0] == '1');
        if (ok) {
          value = v[0] == '1' ? 1.0 : 0.0;
          if (v.size() > 1) {
            ok = v[1] == '.' && v.size() <= 5;
            double scale = 0.1;
            for (std::size_t i = 2; ok && i < v.size(); ++i, scale /= 10) {
              ok = v[i] >= '0' && v[i] <= '9';
              value += (v[i] - '0') * scale;
            }
          }
        }
        q = ok && value <= 1.0 ? value : 0.0;
      }
    }
    if (!token.empty()) f(token, q);
  }
}

} // namespace

bool acceptsGzip(std::string_view acceptEncoding) noexcept {
  double gzipQ = -1.0;
  double starQ = -1.0;
  forEachQualified(acceptEncoding, [&](std::string_view token, double q) {
    if (iequals(token, "gzip") || iequals(token, "x-gzip"))
      gzipQ = std::max(gzipQ, q);
    else if (token == "*")
      starQ = std::max(starQ, q);
  });
  if (gzipQ >= 0.0) return gzipQ > 0.0;
  return starQ > 0.0;
}

bool acceptsMediaType(std::string_view accept, std::string_view mediaType) noexcept {
  bool accepted = false;
  forEachQualified(accept, [&](std::string_view token, double q) {
    if (iequals(token, mediaType) && q > 0.0) accepted = true;
  });
  return accepted;
}

std::string_view bearerCredentials(std::string_view authorization) noexcept {
  authorization = trim(authorization);
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() ||
      !iequals(authorization.substr(0, scheme.size()), scheme) ||
      !isSpace(authorization[scheme.size()]))
    return {};
  return trim(authorization.substr(scheme.size()));
}

bool basicCredentials(std::string_view authorization, std::string& user, std::string& password) {
  authorization = trim(authorization);
  constexpr std::string_view scheme = "basic";
  if (authorization.size() <= scheme.size() ||
      !iequals(authorization.substr(0, scheme.size()), scheme) ||
      !isSpace(authorization[scheme.size()]))
    return false;
  const std::string_view encoded = trim(authorization.substr(scheme.size()));
  if (encoded.empty() || encoded.size() % 4 != 0) return false;
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string decoded;
  decoded.reserve(encoded.size() / 4 * 3);
  for (std::size_t i = 0; i < encoded.size(); i += 4) {
    const bool last = i + 4 == encoded.size();
    const int pad = last ? (encoded[i + 3] == '=') + (encoded[i + 2] == '=') : 0;
    if (pad == 1 && encoded[i + 2] == '=') return false; // "x=y=" is not padding
    unsigned bits = 0;
    for (int k = 0; k < 4 - pad; ++k) {
      const int v = value(encoded[i + static_cast<std::size_t>(k)]);
      if (v < 0) return false;
      bits = (bits << 6) | static_cast<unsigned>(v);
    }
    bits <<= 6 * pad;
    decoded += static_cast<char>((bits >> 16) & 0xff);
    if (pad < 2) decoded += static_cast<char>((bits >> 8) & 0xff);
    if (pad < 1) decoded += static_cast<char>(bits & 0xff);
  }
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  user.assign(decoded, 0, colon);
  password.assign(decoded, colon + 1);
  std::fill(decoded.begin(), decoded.end(), '\0');
  return true;
}

bool constantTimeEquals(std::string_view given, std::string_view expected) noexcept {
  // Length is folded into the accumulator instead of returning early, and every byte of
  // `expected` is read whatever `given` holds, so timing reveals neither length nor prefix.
  volatile unsigned char diff = given.size() == expected.size() ? 0 : 1;
  const std::size_t n = given.size();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = n == 0 ? 0 : static_cast<unsigned char>(given[i % n]);
    diff = static_cast<unsigned char>(diff | (g ^ static_cast<unsigned char>(expected[i])));
  }
  return diff == 0 && !expected.empty();
}

bool wantsKeepAlive(const char* connectionHeader, const char* httpVersion) noexcept {
  if (connectionHeader != nullptr) {
    bool keep = false;
    forEachQualified(connectionHeader, [&](std::string_view token, double) {
      if (iequals(token, "keep-alive")) keep = true;
    });
    return keep;
  }
  return httpVersion != nullptr && std::strcmp(httpVersion, "1.1") == 0;
}

std::string readSecretFile(const std::string& path, const std::string& key) {
  std::string error;
  auto read = healthdeck::readSecretFile(path, &error);
  if (!read) throw std::runtime_error(key + ": " + error);
  std::string secret = std::move(*read);
  // Editors and `echo` leave line ends behind; a token never ends in whitespace.
  while (!secret.empty() &&
         (secret.back() == '\n' || secret.back() == '\r' || isSpace(secret.back())))
    secret.pop_back();
  if (secret.empty()) throw std::runtime_error(key + ": '" + path + "' is empty");
  if (secret.find_first_of("\r\n") != std::string::npos)
    throw std::runtime_error(key + ": '" + path + "' must hold a single line");
  return secret;
}

} // namespace healthdeck::exporter
