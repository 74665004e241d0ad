// libFuzzer target for the exposition parser and the gzip decoder. Beyond "no crash", it
// checks the parser's own invariants: a second parse of the same bytes with the same table
// agrees with the first and adds no series, and every sample refers to a valid series of a
// family run that covers it.

#include "healthdeck/client/parse/exposition_gzip.h"
#include "healthdeck/client/parse/exposition_parser.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

using namespace healthdeck::client;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool sameBits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  SeriesTable table;
  ExpositionParser parser(table, {ExpositionParser::Format::Auto, 100000});
  ExpositionPage first;
  const bool ok = parser.parse(text, first);
  check(ok == !first.error.has_value());
  if (first.error) check(first.error->line >= 1 && first.error->column >= 1);

  std::uint32_t covered = 0;
  for (const FamilyRun& run : first.families) {
    check(run.family < table.familyCount());
    check(run.firstSample == covered);
    covered += run.sampleCount;
  }
  check(covered == first.samples.size());
  for (const Sample& s : first.samples)
    check(s.series < table.seriesCount());

  ExpositionPage second;
  const std::size_t seriesBefore = table.seriesCount();
  check(parser.parse(text, second) == ok);
  if (ok) {
    check(second.newSeries == 0 && table.seriesCount() == seriesBefore);
    check(second.samples.size() == first.samples.size());
    for (std::size_t i = 0; i < first.samples.size(); ++i) {
      check(second.samples[i].series == first.samples[i].series);
      check(sameBits(second.samples[i].value, first.samples[i].value));
    }
  }

  std::string inflated;
  std::string error;
  if (gunzip(text, inflated, error, 1 << 20)) {
    ExpositionPage page;
    parser.parse(inflated, page);
  }
  return 0;
}
