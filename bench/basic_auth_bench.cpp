// BasicAuthVerifier with a cost-10 bcrypt hash (exporter-toolkit's documented cost): every
// request paying bcrypt (cache off) against the cached answer a repeating scraper gets, and an
// unknown user (who must cost what a known one costs: one bcrypt run). The hash is made here
// with libcrypt.

#include "healthdeck/exporter/basic_auth.h"
#include "metrics_bench_ratio.h"

#include <benchmark/benchmark.h>
#include <crypt.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace {

std::string bcryptHash(const char* password, unsigned long cost) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting, sizeof setting))
    throw std::runtime_error("crypt_gensalt_rn failed");
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(password, setting, data.get(), sizeof(crypt_data));
  if (!out) throw std::runtime_error("crypt_rn failed");
  return out;
}

const std::map<std::string, std::string>& users() {
  static const std::map<std::string, std::string> u = {{"prometheus", bcryptHash("scrape-me", 10)}};
  return u;
}

void BM_VerifyUncached(benchmark::State& state) {
  const healthdeck::BasicAuthVerifier verifier(users(), {0, 0});
  for (auto _ : state)
    benchmark::DoNotOptimize(verifier.verify("prometheus", "scrape-me"));
}
BENCHMARK(BM_VerifyUncached)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_VerifyUnknownUser(benchmark::State& state) {
  const healthdeck::BasicAuthVerifier verifier(users(), {0, 0});
  for (auto _ : state)
    benchmark::DoNotOptimize(verifier.verify("mallory", "scrape-me"));
}
BENCHMARK(BM_VerifyUnknownUser)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_VerifyCached(benchmark::State& state) {
  const healthdeck::BasicAuthVerifier verifier(users());
  verifier.verify("prometheus", "scrape-me");
  for (auto _ : state)
    benchmark::DoNotOptimize(verifier.verify("prometheus", "scrape-me"));
}
BENCHMARK(BM_VerifyCached)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char** argv) {
  return healthdeck::bench::runWithSummary(argc, argv, [](const healthdeck::bench::Timings& t) {
    healthdeck::bench::printRatio(t, "bcrypt per request / cached answer",
                                  "BM_VerifyUncached/threads:1", "BM_VerifyCached/threads:1");
    healthdeck::bench::printRatio(t, "unknown user / known user (both uncached)",
                                  "BM_VerifyUnknownUser/threads:1", "BM_VerifyUncached/threads:1");
  });
}
