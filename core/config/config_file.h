#pragma once
// Reading configuration files: the whole text of a small file, whether a named file can be
// opened, and where a relative path in a file points. Shared by the monitoring config and the
// web config loaders so both refuse the same things in the same words.
//
// Contract: readConfigFile() throws ConfigError naming `path` (never content); the others do
// not throw except std::bad_alloc. Thread-safe; no state.

#include <cstddef>
#include <string>

namespace healthdeck {

/// Largest configuration file read; anything bigger is not a configuration file.
constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

/// The whole content of `path` (a pipe, as from `--config <(cmd)`, is read to its end).
/// Refuses directories and anything over kMaxConfigFileBytes; `what` names the kind of file
/// in that message ("a monitoring config").
std::string readConfigFile(const std::string& path, const std::string& what);

/// Why the file at `path` cannot be opened for reading, or empty when it can. Opens without
/// reading (O_NONBLOCK, so a FIFO cannot stall the caller): loaders never hold secrets.
std::string unreadableReason(const std::string& path);

/// `path` as seen from the directory of `configFile`: absolute paths and empty strings are
/// returned as they are; relative ones are joined to that directory (".", when the config
/// file has none) and normalised lexically.
std::string resolveAgainst(const std::string& configFile, const std::string& path);

} // namespace healthdeck
