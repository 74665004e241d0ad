// bench_scrape_mhd_peer: the engine comparison behind docs/exporter.md "Why Boost.Asio": the
// same Registry page served by libmicrohttpd 0.9.75 (Debian 12, GnuTLS) instead of the
// exporter's Asio engine. Not a product path; bench/scrape.sh runs it next to ours.
//   bench_scrape_mhd_peer PORT SERIES [CERT KEY]   (CERT/KEY → HTTPS through GnuTLS)

#include "bench/scrape_series.h"
#include "healthdeck/metrics/gauge.h"
#include "healthdeck/metrics/registry.h"

#include <microhttpd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <string>

namespace {

healthdeck::metrics::Registry* g_registry = nullptr;

MHD_Result answer(void*, MHD_Connection* connection, const char* url, const char* method,
                  const char*, const char*, size_t*, void** state) {
  if (*state == nullptr) { // first call: headers only
    static int marker;
    *state = &marker;
    return MHD_YES;
  }
  if (std::string(method) != "GET" || std::string(url) != "/metrics") {
    MHD_Response* r = MHD_create_response_from_buffer(0, nullptr, MHD_RESPMEM_PERSISTENT);
    const MHD_Result ret = MHD_queue_response(connection, MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return ret;
  }
  thread_local std::string body;
  body.clear();
  g_registry->appendText(body);
  MHD_Response* r =
      MHD_create_response_from_buffer(body.size(), body.data(), MHD_RESPMEM_MUST_COPY);
  MHD_add_response_header(r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  const MHD_Result ret = MHD_queue_response(connection, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  return ret;
}

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

int main(int argc, char** argv) {
  using namespace healthdeck;
  if (argc != 3 && argc != 5) {
    std::fprintf(stderr, "usage: %s PORT SERIES [CERT KEY]\n", argv[0]);
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const auto shape = bench::shapeFor(std::atoi(argv[2]));
  metrics::Registry registry;
  for (int f = 0; f < shape.families; ++f) {
    auto& family =
        registry.gaugeFamily(bench::familyName(f), "Benchmark series.", {"instance", "series"});
    for (int s = 0; s < shape.perFamily; ++s)
      family.with({bench::instanceLabel(s), bench::seriesLabel(s)}).set(bench::seriesValue(f, s));
  }
  g_registry = &registry;
  const bool tls = argc == 5;
  const std::string cert = tls ? slurp(argv[3]) : std::string();
  const std::string key = tls ? slurp(argv[4]) : std::string();
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TCP_FASTOPEN;
  if (tls) flags |= MHD_USE_TLS;
  MHD_Daemon* daemon =
      tls ? MHD_start_daemon(flags, static_cast<uint16_t>(std::atoi(argv[1])), nullptr, nullptr,
                             &answer, nullptr, MHD_OPTION_THREAD_POOL_SIZE, 2u,
                             MHD_OPTION_HTTPS_MEM_CERT, cert.c_str(), MHD_OPTION_HTTPS_MEM_KEY,
                             key.c_str(), MHD_OPTION_END)
          : MHD_start_daemon(flags, static_cast<uint16_t>(std::atoi(argv[1])), nullptr, nullptr,
                             &answer, nullptr, MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_END);
  if (daemon == nullptr) {
    std::fprintf(stderr, "libmicrohttpd could not start\n");
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  MHD_stop_daemon(daemon);
  return 0;
}
