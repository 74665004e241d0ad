#include "healthdeck/util/secret_file.h"

#include "healthdeck/checks/system_error_text.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace healthdeck {

namespace {

class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
};

const char* kindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISDIR(mode)) return "a directory";
  return "not a plain file";
}

} // namespace

std::optional<std::string> readSecretFile(const std::string& path, std::string* error,
                                          std::size_t maxBytes) {
  const auto failWith = [&](std::string message) -> std::optional<std::string> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  if (path.empty()) return failWith("no secret file named");
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return failWith("cannot read " + path + ": " + systemErrorText(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return failWith("cannot read " + path + ": " + systemErrorText(errno));
  if (!S_ISREG(st.st_mode))
    return failWith(path + " is not a regular file (" + kindOf(st.st_mode) + ")");
  if (static_cast<unsigned long long>(st.st_size) > maxBytes)
    return failWith(path + " is larger than " + std::to_string(maxBytes / 1024) + " KiB");
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return failWith("cannot read " + path + ": " + systemErrorText(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    // The file may grow between fstat and read.
    if (text.size() > maxBytes)
      return failWith(path + " is larger than " + std::to_string(maxBytes / 1024) + " KiB");
  }
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
  }
  if (text.empty()) return failWith(path + " is empty");
  return text;
}

} // namespace healthdeck
