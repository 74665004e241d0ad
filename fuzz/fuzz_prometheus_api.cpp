// libFuzzer target for PrometheusApiParser and LabelSelector. The first byte picks which
// reader gets the rest: targets, vector, matrix, alerts, or the label-filter parser.

#include "healthdeck/client/parse/label_selector.h"
#include "healthdeck/client/parse/prometheus_api_parser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int which = data[0] % 5;
  const QByteArrayView body(reinterpret_cast<const char*>(data + 1),
                            static_cast<qsizetype>(size - 1));
  using P = healthdeck::PrometheusApiParser;
  const auto check = [](const auto& r) {
    // A refusal always says why and carries nothing; an answer carries no error.
    if (!r.envelope.ok && (r.envelope.error.isEmpty() || !r.items.empty())) __builtin_trap();
    if (r.envelope.ok && !r.envelope.error.isEmpty()) __builtin_trap();
  };
  switch (which) {
  case 0: check(P::parseTargets(body)); break;
  case 1: check(P::parseVector(body)); break;
  case 2: {
    const auto r = P::parseMatrix(body);
    check(r);
    for (const auto& s : r.items)
      for (std::size_t i = 1; i < s.points.size(); ++i)
        if (s.points[i].first <= s.points[i - 1].first) __builtin_trap();
    break;
  }
  case 3: check(P::parseAlerts(body)); break;
  default: {
    QString error;
    const auto sel = healthdeck::LabelSelector::parse(QString::fromUtf8(body), &error);
    if (!sel && error.isEmpty()) __builtin_trap();
    if (sel) {
      // The canonical form must read back to itself.
      const auto again = healthdeck::LabelSelector::parse(sel->toPromQL());
      if (!again || again->toPromQL() != sel->toPromQL()) __builtin_trap();
    }
  }
  }
  return 0;
}
