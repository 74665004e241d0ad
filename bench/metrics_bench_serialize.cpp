// Serialising 10,000 series (5 counter + 5 gauge families × 1,000 series, 2 labels each), the
// same data in our Registry and in a prometheus-cpp Registry:
//   ours: Registry::appendText (pre-rendered series prefixes, numbers formatted per scrape);
//   baseline: prometheus-cpp Registry::Collect + TextSerializer::Serialize;
//   interop: our Registry::Collect (prometheus::Collectable) + TextSerializer.
// Run: build-*/bench/bench_serialize [--benchmark_repetitions=5]

#include "bench/metrics_bench_ratio.h"
#include "healthdeck/metrics/registry.h"

#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstdio>
#include <memory>
#include <string>

namespace {

using namespace healthdeck::metrics;

constexpr int kFamilies = 10;
constexpr int kSeriesPerFamily = 1000;

struct Data {
  Registry ours;
  std::shared_ptr<prometheus::Registry> theirs = std::make_shared<prometheus::Registry>();

  Data() {
    for (int f = 0; f < kFamilies; ++f) {
      const bool counter = f % 2 == 0;
      const std::string name = "bench_family_" + std::to_string(f) + (counter ? "_total" : "");
      const std::string help = "Benchmark family " + std::to_string(f) + '.';
      CounterFamily* oursCounter = nullptr;
      GaugeFamily* oursGauge = nullptr;
      prometheus::Family<prometheus::Counter>* theirCounter = nullptr;
      prometheus::Family<prometheus::Gauge>* theirGauge = nullptr;
      if (counter) {
        oursCounter = &ours.counterFamily(name, help, {"instance", "route"});
        theirCounter = &prometheus::BuildCounter().Name(name).Help(help).Register(*theirs);
      } else {
        oursGauge = &ours.gaugeFamily(name, help, {"instance", "route"});
        theirGauge = &prometheus::BuildGauge().Name(name).Help(help).Register(*theirs);
      }
      for (int s = 0; s < kSeriesPerFamily; ++s) {
        const std::string instance = "host-" + std::to_string(s % 100) + ".example:9797";
        const std::string route = "/api/v1/resource" + std::to_string(s / 100) + "/{id}";
        // Counters hold integer counts; gauges a mix of fractions and integers.
        const double value = counter ? double(s * 37 + f) : (s % 3 == 0 ? s * 0.125 : s + 1.0);
        if (counter) {
          oursCounter->with({instance, route}).inc(static_cast<std::uint64_t>(value));
          theirCounter->Add({{"instance", instance}, {"route", route}}).Increment(value);
        } else {
          oursGauge->with({instance, route}).set(value);
          theirGauge->Add({{"instance", instance}, {"route", route}}).Set(value);
        }
      }
    }
  }
};

Data& data() {
  static Data d;
  return d;
}

void BM_SerializeOurs(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    data().ours.appendText(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(out.size()) * state.iterations());
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_SerializeOurs)->Unit(benchmark::kMicrosecond);

void BM_SerializePrometheusCpp(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out = prometheus::TextSerializer().Serialize(data().theirs->Collect());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(out.size()) * state.iterations());
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_SerializePrometheusCpp)->Unit(benchmark::kMicrosecond);

void BM_SerializeOursViaCollectable(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    out = prometheus::TextSerializer().Serialize(data().ours.Collect());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(out.size()) * state.iterations());
}
BENCHMARK(BM_SerializeOursViaCollectable)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char** argv) {
  data();
  using healthdeck::bench::printRatio;
  return healthdeck::bench::runWithSummary(argc, argv, [](const auto& t) {
    std::printf("\n");
    printRatio(t, "prometheus-cpp Collect+TextSerializer vs our appendText (10k series)",
               "BM_SerializePrometheusCpp/threads:1", "BM_SerializeOurs/threads:1");
    printRatio(t, "our Collect+TextSerializer vs our appendText",
               "BM_SerializeOursViaCollectable/threads:1", "BM_SerializeOurs/threads:1");
    const auto ours = t.find("BM_SerializeOurs/threads:1");
    if (ours != t.end())
      std::printf("RATIO our appendText 10k series vs the 2 ms target: %.3f ms = %.2fx\n",
                  ours->second / 1e6, ours->second / 2e6);
  });
}
