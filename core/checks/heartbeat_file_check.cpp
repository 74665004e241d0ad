#include "healthdeck/checks/heartbeat_file_check.h"

#include "healthdeck/checks/system_error_text.h"
#include "healthdeck/util/duration_text.h"

#include <cerrno>

#include <sys/stat.h>

namespace healthdeck {

HeartbeatFileCheck::HeartbeatFileCheck(std::string file, std::chrono::milliseconds maxAge)
    : m_file(std::move(file)), m_maxAge(maxAge) {}

CheckOutcome HeartbeatFileCheck::run(const CheckContext&) {
  struct stat st {};
  if (::stat(m_file.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT) return {Status::Down, "never ran (file " + m_file + " does not exist)"};
    return {Status::Down, "cannot read " + m_file + ": " + systemErrorText(error)};
  }
  using namespace std::chrono;
  const auto mtime = system_clock::time_point{duration_cast<system_clock::duration>(
      seconds{st.st_mtim.tv_sec} + nanoseconds{st.st_mtim.tv_nsec})};
  auto age = duration_cast<milliseconds>(system_clock::now() - mtime);
  if (age.count() < 0) age = milliseconds{0};
  if (age > m_maxAge)
    return {Status::Down, "last beat " + formatAge(age) + " ago (> " + formatAge(m_maxAge) + ")"};
  return {Status::Up, "last beat " + formatAge(age) + " ago"};
}

CheckType heartbeatFileCheckType() {
  return CheckType{"heartbeat",
                   {"file", "max_age"},
                   false,
                   [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                     const std::string file = cfg.required("file");
                     cfg.required("max_age");
                     const auto maxAge = cfg.duration("max_age", {});
                     if (maxAge.count() <= 0) cfg.fail("max_age", "must be greater than 0s");
                     return std::make_shared<HeartbeatFileCheck>(file, maxAge);
                   }};
}

} // namespace healthdeck
