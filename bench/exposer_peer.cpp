// bench_exposer_peer: prometheus-cpp's own Exposer serving the same N series, the peer
// baseline of bench/scrape.sh.   bench_exposer_peer PORT SERIES

#include "bench/scrape_series.h"

#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>

int main(int argc, char** argv) {
  using namespace healthdeck;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PORT SERIES\n", argv[0]);
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const std::string port = argv[1];
  const auto shape = bench::shapeFor(std::atoi(argv[2]));
  auto registry = std::make_shared<prometheus::Registry>();
  for (int f = 0; f < shape.families; ++f) {
    auto& family = prometheus::BuildGauge()
                       .Name(bench::familyName(f))
                       .Help("Benchmark series.")
                       .Register(*registry);
    for (int s = 0; s < shape.perFamily; ++s)
      family.Add({{"instance", bench::instanceLabel(s)}, {"series", bench::seriesLabel(s)}})
          .Set(bench::seriesValue(f, s));
  }
  prometheus::Exposer exposer("127.0.0.1:" + port);
  exposer.RegisterCollectable(registry);
  std::printf("ready %s\n", port.c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}
