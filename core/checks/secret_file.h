#pragma once
// Secrets of the dependency checks (a PostgreSQL DSN, a Redis password) come from files named
// in the config, never inline. They are read when a check (re)connects, so a rotated secret
// is picked up by the next connection without restarting the exporter.
//
// Contract: thread-safe (no shared state). The file is read whole (at most 64 KiB) and one
// trailing line break is dropped, so `echo secret > file` works. Nothing read is ever put in
// an error message.

#include <optional>
#include <string>

namespace healthdeck {

/// The file's text, or nullopt with a sentence in `error` ("cannot read /etc/x: permission
/// denied", "/etc/x is empty").
std::optional<std::string> readSecretFile(const std::string& path, std::string* error);

} // namespace healthdeck
