#pragma once
// Small HTTP helpers of the exporter, kept apart so they are unit-testable and fuzzable:
// content negotiation (Accept-Encoding, Accept), bearer and basic credentials and a
// constant-time token comparison, ASCII case-insensitive comparison of header names and
// tokens, and reading a secret file.
//
// Contract: pure functions over their arguments (readSecretFile reads the file system);
// thread-safe; never log or copy a secret anywhere but the returned value.

#include <string>
#include <string_view>

namespace healthdeck::exporter {

/// ASCII lower case of `c` (header names and tokens are ASCII; RFC 9110 §5.1).
char asciiLower(char c) noexcept;
/// `a` equals `b` ignoring ASCII case (header field names, scheme and token comparisons).
bool iequals(std::string_view a, std::string_view b) noexcept;

/// True when an Accept-Encoding header value allows gzip (RFC 9110 §12.5.3): an explicit
/// `gzip`/`x-gzip` with q>0, or `*` with q>0 when gzip is not listed. q=0 refuses.
/// A missing header (nullptr / empty) means identity only.
bool acceptsGzip(std::string_view acceptEncoding) noexcept;

/// True when an Accept header value names `mediaType` (exact type/subtype) with q>0.
bool acceptsMediaType(std::string_view accept, std::string_view mediaType) noexcept;

/// The credentials of an `Authorization: Bearer <token>` header (scheme case-insensitive,
/// surrounding spaces trimmed); empty when the header is absent or of another scheme.
std::string_view bearerCredentials(std::string_view authorization) noexcept;

/// Decodes an `Authorization: Basic <base64(user:password)>` header (RFC 7617; scheme
/// case-insensitive, strict base64 with padding). False when absent, of another scheme,
/// malformed or without a colon; `user`/`password` are then unspecified.
bool basicCredentials(std::string_view authorization, std::string& user, std::string& password);

/// Compares `given` with `expected` in time that depends only on expected.size(): every
/// byte of `expected` is visited and differences are OR-accumulated, no early exit.
bool constantTimeEquals(std::string_view given, std::string_view expected) noexcept;

/// True when the Connection header / HTTP version ask to keep the connection open
/// (HTTP/1.1 default keep-alive; a Connection header must carry the keep-alive option).
bool wantsKeepAlive(const char* connectionHeader, const char* httpVersion) noexcept;

/// Reads a secret from `path`: trailing CR/LF/spaces trimmed. Throws std::runtime_error
/// naming `key` and the path (never the content) when unreadable or empty.
std::string readSecretFile(const std::string& path, const std::string& key);

} // namespace healthdeck::exporter
