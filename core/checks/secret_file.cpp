#include "healthdeck/checks/secret_file.h"

#include "healthdeck/checks/system_error_text.h"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace healthdeck {

namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;

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

} // namespace

std::optional<std::string> readSecretFile(const std::string& path, std::string* error) {
  const auto failWith = [&](std::string message) -> std::optional<std::string> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  // O_NONBLOCK: a FIFO in place of the file must not stall the check's thread.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return failWith("cannot read " + path + ": " + systemErrorText(errno));
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
    if (text.size() > kMaxSecretBytes) return failWith(path + " is larger than 64 KiB");
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) return failWith(path + " is empty");
  return text;
}

} // namespace healthdeck
