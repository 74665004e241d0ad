// Any bytes as the Accept header of a scrape (negotiateFormat), and — when they are valid
// UTF-8 — as the HELP text and a label value of a counter written as OpenMetrics: the page
// must read back with the console's parser, with the value intact.

#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/metrics/registry.h"
#include "healthdeck/metrics/text_format.h"
#include "healthdeck/util/utf8.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace healthdeck::metrics;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const ExpositionFormat format = text::negotiateFormat(input);
  if (format != ExpositionFormat::Text004 && format != ExpositionFormat::OpenMetrics)
    __builtin_trap();
  if (!healthdeck::isValidUtf8(input)) return 0;

  Registry registry;
  registry.counterFamily("fuzz_total", input, {"value"}).with({input}).inc(7);
  const std::string page = registry.text(ExpositionFormat::OpenMetrics);
  healthdeck::client::SeriesTable table;
  healthdeck::client::ExpositionParser parser(
      table, {healthdeck::client::ExpositionParser::Format::OpenMetrics, 1000});
  healthdeck::client::ExpositionPage parsed;
  if (!parser.parse(page, parsed)) __builtin_trap();
  bool found = false;
  for (const auto& sample : parsed.samples) {
    const auto& series = table.series(sample.series);
    if (series.name() != "fuzz_total") continue;
    const auto label = series.label("value");
    if (!label || *label != input || sample.value != 7.0) __builtin_trap();
    found = true;
  }
  if (!found) __builtin_trap();
  return 0;
}
