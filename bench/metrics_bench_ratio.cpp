#include "metrics_bench_ratio.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <vector>

namespace healthdeck::bench {

namespace {

class RecordingReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "mean") continue;
      std::string name = run.run_name.function_name;
      name = name.substr(0, name.find('/'));
      const std::string key = name + "/threads:" + std::to_string(run.threads);
      // CPU time per call in nanoseconds. Google Benchmark sums CPU time over a run's threads
      // and divides by all their iterations, so this is what one call costs its caller, and
      // it stays meaningful on a loaded machine where wall time also counts waiting for a core.
      const double ns =
          run.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
      m_timings[key] = ns; // a mean aggregate, reported last, overrides single repetitions
    }
    ConsoleReporter::ReportRuns(runs);
  }
  const Timings& timings() const { return m_timings; }

private:
  Timings m_timings;
};

} // namespace

int runWithSummary(int argc, char** argv, const std::function<void(const Timings&)>& summary) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::fflush(stdout);
  summary(reporter.timings());
  return 0;
}

void printRatio(const Timings& t, const std::string& label, const std::string& numerator,
                const std::string& denominator, double numeratorScale) {
  const auto a = t.find(numerator);
  const auto b = t.find(denominator);
  if (a == t.end() || b == t.end() || b->second <= 0) return;
  std::printf("RATIO %-52s %10.2f ns / %10.2f ns = %.2fx\n", label.c_str(),
              a->second * numeratorScale, b->second, a->second * numeratorScale / b->second);
}

} // namespace healthdeck::bench
