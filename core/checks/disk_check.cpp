#include "healthdeck/checks/disk_check.h"

#include "healthdeck/checks/system_error_text.h"

#include <cerrno>
#include <cmath>
#include <cstdio>

#include <sys/statvfs.h>

namespace healthdeck {

namespace {

std::string trimZero(std::string s) {
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string formatPercent(double percent) {
  char buf[32];
  // Near a threshold a decimal matters ("9.6 %" must not read as "10 %" while it is down).
  if (percent < 10)
    std::snprintf(buf, sizeof buf, "%.1f", std::floor(percent * 10) / 10);
  else
    std::snprintf(buf, sizeof buf, "%.0f", std::floor(percent));
  return trimZero(buf) + " %";
}

} // namespace

DiskCheck::DiskCheck(std::string path, double minFreePercent, std::optional<double> warnFreePercent)
    : m_path(std::move(path)), m_minFreePercent(minFreePercent),
      m_warnFreePercent(warnFreePercent) {}

std::string DiskCheck::formatBytes(double bytes) {
  static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  std::size_t u = 0;
  while (bytes >= 1024 && u + 1 < std::size(units)) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0 || bytes >= 100)
    std::snprintf(buf, sizeof buf, "%.0f", bytes);
  else
    std::snprintf(buf, sizeof buf, "%.1f", bytes);
  return trimZero(buf) + " " + units[u];
}

CheckOutcome DiskCheck::run(const CheckContext&) {
  struct statvfs st {};
  if (::statvfs(m_path.c_str(), &st) != 0)
    return {Status::Down, "cannot read " + m_path + ": " + systemErrorText(errno)};
  const double total = static_cast<double>(st.f_blocks) * static_cast<double>(st.f_frsize);
  const double free = static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize);
  if (total <= 0) return {Status::Down, m_path + " is on a filesystem that reports no size"};
  const double percent = free / total * 100;
  std::string details =
      formatBytes(free) + " free of " + formatBytes(total) + " (" + formatPercent(percent);
  if (percent < m_minFreePercent)
    return {Status::Down, details + " < " + formatPercent(m_minFreePercent) + ")"};
  if (m_warnFreePercent && percent < *m_warnFreePercent)
    return {Status::Degraded, details + " < " + formatPercent(*m_warnFreePercent) + ")"};
  return {Status::Up, details + ")"};
}

CheckType diskCheckType() {
  return CheckType{"disk",
                   {"path", "min_free_percent", "warn_free_percent"},
                   false,
                   [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                     const std::string path = cfg.required("path");
                     const auto percent = [&](const std::string& key) {
                       const double v = cfg.number(key, 0);
                       if (v < 0 || v > 100)
                         cfg.fail(key, "must be between 0 and 100 (percent of the disk)");
                       return v;
                     };
                     if (!cfg.param("min_free_percent")) cfg.required("min_free_percent");
                     const double minFree = percent("min_free_percent");
                     std::optional<double> warnFree;
                     if (cfg.param("warn_free_percent")) {
                       warnFree = percent("warn_free_percent");
                       if (*warnFree < minFree)
                         cfg.fail("warn_free_percent", "must not be below min_free_percent (" +
                                                           cfg.required("min_free_percent") + ")");
                     }
                     return std::make_shared<DiskCheck>(path, minFree, warnFree);
                   }};
}

} // namespace healthdeck
