// Reading configuration files (see config_file.h).

#include "healthdeck/config/config_file.h"

#include "healthdeck/config/monitoring_config.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace healthdeck {

std::string readConfigFile(const std::string& path, const std::string& what) {
  const auto cannotRead = [&](int err) {
    return ConfigError(path, 0, {}, "cannot read " + path + ": " + std::strerror(err));
  };
  // Blocking on purpose: `--config <(generate)` hands over a pipe, which must be read to
  // its end. A directory fails at read() with EISDIR.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw cannotRead(errno);
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw cannotRead(err);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxConfigFileBytes) {
      ::close(fd);
      throw ConfigError(path, 0, {}, "the file is larger than 1 MiB; this is not " + what);
    }
  }
  ::close(fd);
  return text;
}

std::string unreadableReason(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return std::strerror(EISDIR);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  return {};
}

std::string resolveAgainst(const std::string& configFile, const std::string& path) {
  if (path.empty() || path.front() == '/' || configFile.empty()) return path;
  const std::filesystem::path parent = std::filesystem::path(configFile).parent_path();
  const std::filesystem::path base = parent.empty() ? std::filesystem::path(".") : parent;
  return (base / path).lexically_normal().string();
}

} // namespace healthdeck
