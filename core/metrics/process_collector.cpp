#include "healthdeck/metrics/process_collector.h"

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace healthdeck::metrics {

namespace {

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(buffer).str();
}

std::optional<std::uint64_t> parseUnsigned(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  if (result.ec != std::errc() || result.ptr != end || text.empty()) return std::nullopt;
  return value;
}

// The fields after the `(comm)` of /proc/<pid>/stat; comm may hold spaces and parentheses,
// so split after the last ')'. Index 0 is field 3 (state).
std::optional<std::vector<std::string_view>> statFields(std::string_view stat) {
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> fields;
  std::string_view rest = stat.substr(close + 1);
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  return fields;
}

std::optional<std::uint64_t> statField(const std::vector<std::string_view>& fields, int number) {
  const auto index = static_cast<std::size_t>(number - 3);
  if (index >= fields.size()) return std::nullopt;
  return parseUnsigned(fields[index]);
}

std::optional<std::uint64_t> bootTime(const std::string& procRoot) {
  const auto stat = readFile(procRoot + "/stat");
  if (!stat) return std::nullopt;
  std::string_view text = *stat;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    if (line.starts_with("btime ")) {
      std::string_view value = line.substr(6);
      while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
        value.remove_suffix(1);
      return parseUnsigned(value);
    }
    pos = eol + 1;
  }
  return std::nullopt;
}

// Soft limit of "Max open files"; "unlimited" is 2^64-1 as in the Go procfs package.
std::optional<double> maxOpenFiles(const std::string& procRoot) {
  const auto limits = readFile(procRoot + "/self/limits");
  if (!limits) return std::nullopt;
  std::string_view text = *limits;
  constexpr std::string_view kKey = "Max open files";
  const auto at = text.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + kKey.size());
  rest = rest.substr(0, rest.find('\n'));
  const auto start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(start);
  const std::string_view soft = rest.substr(0, rest.find(' '));
  if (soft == "unlimited") return 18446744073709551615.0;
  const auto value = parseUnsigned(soft);
  if (!value) return std::nullopt;
  return static_cast<double>(*value);
}

std::optional<double> openFds(const std::string& procRoot) {
  std::error_code ec;
  std::filesystem::directory_iterator it(procRoot + "/self/fd", ec);
  if (ec) return std::nullopt;
  std::uint64_t count = 0;
  for (const std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  if (ec) return std::nullopt;
  return static_cast<double>(count);
}

void addFamily(std::vector<prometheus::MetricFamily>& out, std::string name, std::string help,
               prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  prometheus::ClientMetric& metric = family.metric.emplace_back();
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  out.push_back(std::move(family));
}

} // namespace

ProcessCollector::ProcessCollector(std::string procRoot, long clockTicks, long pageSize)
    : m_procRoot(std::move(procRoot)), m_clockTicks(clockTicks > 0 ? clockTicks : 0),
      m_pageSize(pageSize > 0 ? pageSize : 0) {
  if (m_clockTicks == 0) m_clockTicks = sysconf(_SC_CLK_TCK);
  if (m_pageSize == 0) m_pageSize = sysconf(_SC_PAGESIZE);
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  const double ticks = m_clockTicks > 0 ? static_cast<double>(m_clockTicks) : 0.0;

  std::optional<std::vector<std::string_view>> fields;
  const auto stat = readFile(m_procRoot + "/self/stat");
  if (stat) fields = statFields(*stat);

  if (fields && ticks > 0) {
    const auto utime = statField(*fields, 14);
    const auto stime = statField(*fields, 15);
    if (utime && stime)
      addFamily(out, "process_cpu_seconds_total",
                "Total user and system CPU time spent in seconds.", MetricType::Counter,
                static_cast<double>(*utime + *stime) / ticks);
  }
  if (const auto fds = openFds(m_procRoot))
    addFamily(out, "process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds);
  if (const auto max = maxOpenFiles(m_procRoot))
    addFamily(out, "process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
              *max);
  if (fields) {
    if (const auto vsize = statField(*fields, 23))
      addFamily(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
                MetricType::Gauge, static_cast<double>(*vsize));
    if (const auto rss = statField(*fields, 24); rss && m_pageSize > 0)
      addFamily(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
                MetricType::Gauge, static_cast<double>(*rss) * static_cast<double>(m_pageSize));
    if (const auto start = statField(*fields, 22); start && ticks > 0)
      if (const auto btime = bootTime(m_procRoot))
        addFamily(out, "process_start_time_seconds",
                  "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                  static_cast<double>(*btime) + static_cast<double>(*start) / ticks);
    if (const auto threads = statField(*fields, 20))
      addFamily(out, "process_threads", "Number of OS threads in the process.", MetricType::Gauge,
                static_cast<double>(*threads));
  }
  return out;
}

} // namespace healthdeck::metrics
