#pragma once
// ProcessCollector: the process_* families (Linux), read from procfs at every scrape with the
// semantics of the Prometheus Go client's process collector:
//   process_cpu_seconds_total      (utime + stime) / clock ticks     /proc/self/stat
//   process_virtual_memory_bytes   vsize                             /proc/self/stat
//   process_resident_memory_bytes  rss × page size                   /proc/self/stat
//   process_threads                num_threads                       /proc/self/stat
//   process_start_time_seconds     btime + starttime / clock ticks   /proc/stat, /proc/self/stat
//   process_open_fds               entries of /proc/self/fd
//   process_max_fds                soft "Max open files"             /proc/self/limits
// A value that cannot be read or parsed is omitted (no sample, no family), never exported as
// NaN. Names never carry a namespace prefix.
//
// Contract: Collect() is thread-safe (it only reads files) and costs a few small reads.
// The proc root is injectable so tests can point it at a directory of crafted files.
// Register with Registry::addCollectable(std::make_shared<ProcessCollector>()).

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

namespace healthdeck::metrics {

class ProcessCollector final : public prometheus::Collectable {
public:
  /// `procRoot` is the procfs mount; the collector reads `<procRoot>/self/...` and
  /// `<procRoot>/stat`. `clockTicks`/`pageSize` of 0 mean sysconf(_SC_CLK_TCK/_SC_PAGESIZE).
  explicit ProcessCollector(std::string procRoot = "/proc", long clockTicks = 0, long pageSize = 0);

  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  std::string m_procRoot;
  long m_clockTicks;
  long m_pageSize;
};

} // namespace healthdeck::metrics
