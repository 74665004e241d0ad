#pragma once
// ExpositionParser: reads Prometheus text format 0.0.4 in full and tolerates OpenMetrics
// text, straight from a byte buffer (no copy per sample), interning series into the
// target's SeriesTable so that a repeated scrape of the same server allocates nothing: a
// line whose bytes match the series that followed the previous one last time is
// recognised with one memcmp and skips label parsing altogether.
//
// Strictness. Fatal (the parse stops, ExpositionPage::error names line and column):
// malformed names, label sets, escapes, values and timestamps; a missing value; label
// names that break the rules or repeat within a series; invalid UTF-8 in label values or
// HELP; unknown TYPE; a second HELP/TYPE/UNIT for a family; TYPE after samples of its
// family; a sample name that contradicts its declared family (e.g. `foo` under a
// histogram `foo`); a bucket without `le` or a summary quantile without `quantile`, or a
// bound that is not a float; text after OpenMetrics `# EOF`; more series than
// Options::maxSeries. Warnings (recorded, the parse goes on): a family whose samples are
// split across the page (the runs are kept), and a series repeated within one page (the
// later sample is dropped). Plain `#` comments, empty lines, a trailing `\r` and
// OpenMetrics exemplars are read without a word.
//
// OpenMetrics is recognised by a final `# EOF` line (Format::Auto) or forced; in that mode
// timestamps are seconds (converted to milliseconds) and HELP may escape `"`.
//
// Thread-safety: none; a parser and its table belong to one thread at a time. The parser
// keeps no pointer into the input after parse() returns. Units: timestamps in ms.

#include "healthdeck/client/parse/exposition_types.h"
#include "healthdeck/client/parse/series_table.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace healthdeck::client {

class ExpositionParser {
public:
  enum class Format : std::uint8_t { Auto, Text004, OpenMetrics };
  struct Options {
    Format format = Format::Auto;
    std::size_t maxSeries = 2'000'000; // a hostile page cannot grow the table without bound
  };

  explicit ExpositionParser(SeriesTable& table) : ExpositionParser(table, Options{}) {}
  ExpositionParser(SeriesTable& table, Options options);

  /// Parses `text` into `page` (cleared first). Returns page.ok().
  bool parse(std::string_view text, ExpositionPage& page);

private:
  struct LabelRef {
    std::string_view name;
    std::string_view raw; // between the quotes, still escaped
    const char* at;       // start of the name, for error columns
    bool escaped;
  };

  bool parseLine(const char* s, const char* e);
  bool parseComment(const char* s, const char* e);
  bool parseSample(const char* s, const char* e);
  bool scanLabelSet(const char*& p, const char* e, bool keep);
  bool parseExemplar(const char*& p, const char* e);
  bool internNewSeries(std::string_view key, std::uint64_t hash, std::uint32_t nameLength,
                       SeriesId& id);
  bool resolveFamily(SeriesId id, const char* lineStart);
  bool assignFamily(SeriesId id, FamilyId fam, const char* lineStart);
  FamilyId familyFor(std::string_view name);
  void startRun(FamilyId fam);
  bool fail(const char* at, std::string message);
  void warn(const char* at, std::string message);

  SeriesTable& m_table;
  Options m_options;
  ExpositionPage* m_page = nullptr;
  const char* m_lineStart = nullptr;
  std::uint32_t m_lineNo = 0;
  std::uint32_t m_gen = 0;
  bool m_openMetrics = false;
  bool m_eofSeen = false;
  bool m_verifyRun = false; // re-check every sample's family in the current run
  FamilyId m_currentFamily = kNoId;
  SeriesId m_previous = kNoId;
  SeriesId m_predicted = 0;
  std::vector<LabelRef> m_labels; // scratch of the label set being read
};

} // namespace healthdeck::client
