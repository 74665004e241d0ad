// Hot-path cost of the metrics core, side by side with a raw relaxed atomic add (baseline)
// and prometheus-cpp's own instruments:
//   counter: raw atomic add vs our bound Counter vs an Instruments helper vs prometheus-cpp;
//   histogram observe from 1 and 2 threads: ours (striped, lock-free) vs prometheus-cpp.
// Ratios compare CPU time per call (see metrics_bench_ratio.h).
// Run: build-*/bench/bench_instruments [--benchmark_repetitions=5]

#include "bench/metrics_bench_ratio.h"
#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/registry.h"

#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdio>

namespace {

using namespace healthdeck::metrics;

struct Fixture {
  Registry registry;
  Instruments instruments{registry};
  Counter& counter = registry.counter("bench_total", "help");
  Histogram& histogram = registry.histogram("bench_seconds", "help", buckets::httpLatency());
  prometheus::Registry promRegistry;
  prometheus::Counter& promCounter =
      prometheus::BuildCounter().Name("prom_total").Help("help").Register(promRegistry).Add({});
  prometheus::Histogram& promHistogram =
      prometheus::BuildHistogram()
          .Name("prom_seconds")
          .Help("help")
          .Register(promRegistry)
          .Add({}, prometheus::Histogram::BucketBoundaries(buckets::httpLatency()));
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// Values spread over the buckets so the bucket search is not always the first compare.
constexpr double kValues[8] = {0.001, 0.02, 0.07, 0.3, 0.004, 0.9, 3, 12};

std::atomic<std::uint64_t> g_raw{0};

void BM_RawAtomicAdd(benchmark::State& state) {
  for (auto _ : state)
    g_raw.fetch_add(1, std::memory_order_relaxed);
  benchmark::DoNotOptimize(g_raw.load());
}
BENCHMARK(BM_RawAtomicAdd);

void BM_CounterOurs(benchmark::State& state) {
  Counter& counter = fixture().counter;
  for (auto _ : state)
    counter.inc();
  benchmark::DoNotOptimize(counter.integerValue());
}
BENCHMARK(BM_CounterOurs);

void BM_InstrumentHelper(benchmark::State& state) {
  Instruments& instruments = fixture().instruments;
  for (auto _ : state)
    instruments.recordAuthAttempt(AuthResult::Success);
}
BENCHMARK(BM_InstrumentHelper);

void BM_CounterPrometheusCpp(benchmark::State& state) {
  prometheus::Counter& counter = fixture().promCounter;
  for (auto _ : state)
    counter.Increment();
  benchmark::DoNotOptimize(counter.Value());
}
BENCHMARK(BM_CounterPrometheusCpp);

void BM_HistogramOurs(benchmark::State& state) {
  Histogram& histogram = fixture().histogram;
  std::size_t i = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state)
    histogram.observe(kValues[i++ & 7]);
}
BENCHMARK(BM_HistogramOurs)->Threads(1)->Threads(2);

void BM_HistogramPrometheusCpp(benchmark::State& state) {
  prometheus::Histogram& histogram = fixture().promHistogram;
  std::size_t i = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state)
    histogram.Observe(kValues[i++ & 7]);
}
BENCHMARK(BM_HistogramPrometheusCpp)->Threads(1)->Threads(2);

} // namespace

int main(int argc, char** argv) {
  fixture();
  using healthdeck::bench::printRatio;
  return healthdeck::bench::runWithSummary(argc, argv, [](const auto& t) {
    std::printf("\n");
    printRatio(t, "our counter inc vs raw atomic add", "BM_CounterOurs/threads:1",
               "BM_RawAtomicAdd/threads:1");
    printRatio(t, "Instruments::recordAuthAttempt vs raw atomic add",
               "BM_InstrumentHelper/threads:1", "BM_RawAtomicAdd/threads:1");
    printRatio(t, "prometheus-cpp Counter::Increment vs raw atomic add",
               "BM_CounterPrometheusCpp/threads:1", "BM_RawAtomicAdd/threads:1");
    printRatio(t, "our histogram: per-call cost 2 threads vs 1", "BM_HistogramOurs/threads:2",
               "BM_HistogramOurs/threads:1");
    printRatio(t, "prometheus-cpp histogram: per-call 2 threads vs 1",
               "BM_HistogramPrometheusCpp/threads:2", "BM_HistogramPrometheusCpp/threads:1");
    printRatio(t, "prometheus-cpp vs our histogram, 1 thread",
               "BM_HistogramPrometheusCpp/threads:1", "BM_HistogramOurs/threads:1");
    printRatio(t, "prometheus-cpp vs our histogram, 2 threads",
               "BM_HistogramPrometheusCpp/threads:2", "BM_HistogramOurs/threads:2");
  });
}
