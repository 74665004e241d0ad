#include "healthdeck/exporter/process_liveness_check.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace healthdeck {

ProcessLivenessCheck::ProcessLivenessCheck(std::string fdDir) : m_fdDir(std::move(fdDir)) {}

CheckOutcome ProcessLivenessCheck::run(const CheckContext&) {
  std::error_code ec;
  std::size_t open = 0;
  for (std::filesystem::directory_iterator it(m_fdDir, ec), end; !ec && it != end; it.increment(ec))
    ++open;
  const std::string pid = "pid " + std::to_string(::getpid());
  rlimit limit{};
  if (ec || ::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return {Status::Up, "process responsive (" + pid + ")"};
  // The directory iterator holds one descriptor of its own while counting.
  if (open > 0) --open;
  const auto max = static_cast<std::size_t>(limit.rlim_cur);
  const std::string usage =
      std::to_string(open) + " of " + std::to_string(max) + " file descriptors in use";
  if (open >= max) return {Status::Down, "no file descriptors left: " + usage};
  if (open * 10 >= max * 9) return {Status::Degraded, "running out of file descriptors: " + usage};
  return {Status::Up, "process responsive (" + pid + "), " + usage};
}

} // namespace healthdeck
