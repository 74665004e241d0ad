// libFuzzer: the first line is a metric rule's series selector, the rest a /metrics page.
// Parses the selector, then evaluates the page's up gauges and a rule with that selector.
#include "healthdeck/client/store/metric_health.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string_view selector = input.substr(0, nl);
  const std::string_view page =
      nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
  std::string error;
  (void)healthdeck::client::parseSelector(selector, &error);
  healthdeck::MetricRule rule;
  rule.name = QStringLiteral("fuzz");
  rule.selector = QString::fromUtf8(selector.data(), static_cast<qsizetype>(selector.size()));
  rule.comparison = healthdeck::MetricComparison::GreaterOrEqual;
  (void)healthdeck::client::metricHealth(page, {rule});
  return 0;
}
