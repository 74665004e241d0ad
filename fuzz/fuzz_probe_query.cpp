// Any bytes as the query string of a probe request, rendered in the Kubernetes text form
// against a fixed result: the body always ends in the verdict line and every check line is
// one line, whatever the query names.

#include "healthdeck/health/probe_conventions.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace healthdeck;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const ProbeQuery q = parseProbeQuery(input);
  for (const auto& name : q.exclude)
    if (name.size() > input.size()) __builtin_trap();
  ProbeResult r;
  r.checks = {ComponentResult{"database", Status::Up, "SELECT 1", {}, true, {}},
              ComponentResult{"cache", Status::Down, "refused\nline", {}, true, {}}};
  r.status = aggregate(r.checks);
  const TextAnswer a = writeKubernetesText(r, q, true);
  if (a.httpStatus != 200 && a.httpStatus != 503) __builtin_trap();
  if (a.body != "ok" && a.body.rfind(" check passed\n") != a.body.size() - 14 &&
      a.body.rfind(" check failed\n") != a.body.size() - 14)
    __builtin_trap();
  (void)selectCheck(r, input);
  return 0;
}
