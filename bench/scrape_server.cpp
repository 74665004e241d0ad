// bench_scrape_server: our Exporter serving N series, for bench/scrape.sh.
//   bench_scrape_server PORT SERIES [TTL_MS [CERT KEY]]   (CERT/KEY → HTTPS)
// Also registers one readiness check standing in for a dependency: each call takes 1 ms and
// is counted in bench_dependency_calls_total, so the script can compare calls with the TTL.

#include "bench/scrape_series.h"
#include "healthdeck/exporter/exporter.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/metrics/counter.h"
#include "healthdeck/metrics/gauge.h"
#include "healthdeck/metrics/registry.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <thread>

namespace {

class CountingDependency final : public healthdeck::HealthCheck {
public:
  explicit CountingDependency(healthdeck::metrics::Counter& calls) : m_calls(calls) {}
  healthdeck::CheckOutcome run(const healthdeck::CheckContext&) override {
    m_calls.inc();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {healthdeck::Status::Up, "SELECT 1"};
  }

private:
  healthdeck::metrics::Counter& m_calls;
};

} // namespace

int main(int argc, char** argv) {
  using namespace healthdeck;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT SERIES [TTL_MS]\n", argv[0]);
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const int port = std::atoi(argv[1]);
  const auto shape = bench::shapeFor(std::atoi(argv[2]));
  const int ttl = argc > 3 ? std::atoi(argv[3]) : 1000;

  metrics::Registry registry;
  for (int f = 0; f < shape.families; ++f) {
    auto& family =
        registry.gaugeFamily(bench::familyName(f), "Benchmark series.", {"instance", "series"});
    for (int s = 0; s < shape.perFamily; ++s)
      family.with({bench::instanceLabel(s), bench::seriesLabel(s)}).set(bench::seriesValue(f, s));
  }
  auto& calls = registry.counter("bench_dependency_calls_total", "Calls of the dependency.");
  HealthManager health(
      HealthManager::Options{std::chrono::milliseconds(2000), std::chrono::milliseconds(ttl)});
  CheckSpec spec;
  spec.name = "database";
  health.add(spec, std::make_shared<CountingDependency>(calls));

  ExporterOptions options;
  options.listen = "127.0.0.1:" + std::to_string(port);
  if (argc > 5) {
    options.tls.certFile = argv[4];
    options.tls.keyFile = argv[5];
  }
  Exporter exporter(options, registry, health);
  exporter.start();
  std::printf("ready %d\n", exporter.listeningPort());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  exporter.stop();
  return 0;
}
