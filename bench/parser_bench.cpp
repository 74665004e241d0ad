// Exposition parser throughput (Google Benchmark). Two payloads: the captured
// node_exporter page (tests/data/node_exporter.prom) and a synthetic 10,000-series page
// replicated (a `replica` label per copy) to about 10 MB. Per payload, in one run:
//   MemchrSplit  - memchr over the buffer counting lines: the limit any parser can reach
//   ParseCold    - a fresh SeriesTable every time (first scrape of a target)
//   ParseWarm    - the same table every time (repeated scrape: series interning on)
// bench/parser_compare.py runs this with the Python and Go peers and prints the ratios.
// `parser_bench --write-synthetic FILE` writes the synthetic page for the peers.

#include "healthdeck/client/parse/exposition_parser.h"

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace healthdeck::client;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

class Lcg {
public:
  std::uint64_t next() {
    return m_state = m_state * 6364136223846793005ull + 1442695040888963407ull;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>((next() >> 33) % n); }
  std::string number() {
    char buf[32];
    std::to_chars_result r{};
    switch (below(3)) {
    case 0: r = std::to_chars(buf, buf + sizeof buf, below(100000)); break;
    case 1:
      r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(below(1u << 30)) / 1024.0);
      break;
    default:
      r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(below(1000000)) * 1e-9);
      break;
    }
    return std::string(buf, r.ptr);
  }

private:
  std::uint64_t m_state = 42;
};

// 60 counter and 60 gauge families of 50 series, 29 histogram families of 10 instances
// with 12 buckets: 10,060 series per replica.
std::string syntheticPage(std::size_t targetBytes) {
  static const char* const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  static const char* const codes[] = {"200", "201", "204", "400", "404", "500", "503"};
  static const char* const les[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                    "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
  std::string probe;
  std::size_t replicas = 1;
  for (int pass = 0; pass < 2; ++pass) {
    Lcg rng;
    std::string out;
    out.reserve(targetBytes + targetBytes / 8);
    for (int f = 0; f < 149; ++f) {
      const bool counter = f < 60;
      const bool gauge = f >= 60 && f < 120;
      const std::string name = counter ? "app_requests_" + std::to_string(f) + "_total"
                               : gauge ? "app_queue_depth_" + std::to_string(f)
                                       : "app_request_duration_" + std::to_string(f) + "_seconds";
      out += "# HELP " + name + " Synthetic family number " + std::to_string(f) + ".\n";
      out += "# TYPE " + name + (counter ? " counter\n" : gauge ? " gauge\n" : " histogram\n");
      for (std::size_t r = 0; r < replicas; ++r) {
        const std::string replica = "replica=\"" + std::to_string(r) + "\"";
        if (counter || gauge) {
          for (int s = 0; s < 50; ++s) {
            out += name + "{" + replica + ",method=\"" + methods[s % 5] +
                   "\",route=\"/api/v1/items/" + std::to_string(s / 5) + "\",code=\"" +
                   codes[s % 7] + "\"} " + rng.number() + "\n";
          }
        } else {
          for (int i = 0; i < 10; ++i) {
            const std::string labels =
                replica + ",route=\"/api/v1/orders/" + std::to_string(i) + "\"";
            std::size_t cumulative = 0;
            for (const char* le : les) {
              cumulative += rng.below(1000);
              out += name + "_bucket{" + labels + ",le=\"" + le + "\"} " +
                     std::to_string(cumulative) + "\n";
            }
            out += name + "_sum{" + labels + "} " + rng.number() + "\n";
            out += name + "_count{" + labels + "} " + std::to_string(cumulative) + "\n";
          }
        }
      }
    }
    if (pass == 0)
      replicas = std::max<std::size_t>(1, targetBytes / out.size());
    else
      probe = std::move(out);
  }
  return probe;
}

const std::string& nodeExporter() {
  static const std::string page = readFile(HEALTHDECK_SOURCE_DIR "/tests/data/node_exporter.prom");
  return page;
}
const std::string& synthetic() {
  static const std::string page = syntheticPage(10u << 20);
  return page;
}

void memchrSplit(benchmark::State& state, const std::string& page) {
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = page.data();
    const char* end = p + page.size();
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
      ++lines;
      p = static_cast<const char*>(nl) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}

void parseCold(benchmark::State& state, const std::string& page) {
  ExpositionPage result;
  for (auto _ : state) {
    SeriesTable table;
    ExpositionParser parser(table);
    if (!parser.parse(page, result)) state.SkipWithError(result.error->toString().c_str());
    benchmark::DoNotOptimize(result.samples.data());
  }
  state.counters["samples"] = static_cast<double>(result.samples.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}

void parseWarm(benchmark::State& state, const std::string& page) {
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage result;
  parser.parse(page, result); // the first scrape interns every series
  const std::size_t seriesAfterFirst = table.seriesCount();
  for (auto _ : state) {
    if (!parser.parse(page, result)) state.SkipWithError(result.error->toString().c_str());
    benchmark::DoNotOptimize(result.samples.data());
  }
  if (table.seriesCount() != seriesAfterFirst) state.SkipWithError("a warm scrape added series");
  state.counters["samples"] = static_cast<double>(result.samples.size());
  state.counters["table_bytes"] = static_cast<double>(table.memoryBytes());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}

} // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-synthetic") == 0) {
    std::ofstream(argv[2], std::ios::binary) << synthetic();
    std::printf("%zu bytes\n", synthetic().size());
    return 0;
  }
  benchmark::RegisterBenchmark("MemchrSplit/node_exporter", memchrSplit, nodeExporter());
  benchmark::RegisterBenchmark("ParseCold/node_exporter", parseCold, nodeExporter());
  benchmark::RegisterBenchmark("ParseWarm/node_exporter", parseWarm, nodeExporter());
  benchmark::RegisterBenchmark("MemchrSplit/synthetic_10MB", memchrSplit, synthetic());
  benchmark::RegisterBenchmark("ParseCold/synthetic_10MB", parseCold, synthetic());
  benchmark::RegisterBenchmark("ParseWarm/synthetic_10MB", parseWarm, synthetic());
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
