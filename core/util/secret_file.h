#pragma once
// The one reader of secret files (bearer tokens, passwords, DSNs) for every part of Healthdeck:
// the dependency checks, the exporter's auth, the console's per-server credentials.
//
// Rules, the same everywhere: the file must be a regular file (a FIFO, socket or device named as
// a secret is refused at once, never waited on: it is opened with O_NONBLOCK and checked with
// fstat before any read); at most `maxBytes` are read (64 KiB by default; a larger file is an
// error, not truncated); exactly one trailing line break ("\n" or "\r\n") is dropped, so
// `echo secret > file` works and a secret may still end in spaces; an empty result is an error.
// Nothing read ever appears in an error message or a log.
//
// Thread-safe (no shared state). Blocking file I/O: callers on a GUI thread go through a cache
// that reads off that thread (client/source/secret_cache.h).

#include <cstddef>
#include <optional>
#include <string>

namespace healthdeck {

inline constexpr std::size_t kMaxSecretBytes = std::size_t{64} * 1024;

/// The file's text, or nullopt with a sentence in `error` ("cannot read /etc/x: permission
/// denied", "/etc/x is empty", "/etc/x is not a regular file (a FIFO)").
std::optional<std::string> readSecretFile(const std::string& path, std::string* error,
                                          std::size_t maxBytes = kMaxSecretBytes);

} // namespace healthdeck
