#pragma once
// Value types of the exposition parser: what one parsed /metrics page is made of.
// Plain data, no Qt, no locking; a page refers to series and families by id into the
// SeriesTable that parsed it, so it is only meaningful together with that table.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck::client {

/// Metric types of the text format 0.0.4, plus the OpenMetrics ones read for tolerance
/// (OpenMetrics `unknown` reads as Untyped).
enum class MetricType : std::uint8_t {
  Untyped,
  Counter,
  Gauge,
  Histogram,
  Summary,
  GaugeHistogram,
  StateSet,
  Info,
};

/// "untyped", "counter", "gauge", "histogram", "summary", "gaugehistogram", "stateset", "info".
std::string_view toString(MetricType type) noexcept;
/// Accepts the names above and OpenMetrics "unknown" (as Untyped); case-sensitive like the spec.
std::optional<MetricType> metricTypeFromString(std::string_view name) noexcept;

using SeriesId = std::uint32_t;
using FamilyId = std::uint32_t;
inline constexpr std::uint32_t kNoId = 0xffffffffu;

struct Label {
  std::string name;
  std::string value; // unescaped, valid UTF-8
};

/// A label as the SeriesTable keeps it: views into the table's own storage.
struct LabelView {
  std::string_view name;
  std::string_view value; // unescaped, valid UTF-8
};

/// One sample of a page. 24 bytes; pages keep their vectors between scrapes.
struct Sample {
  SeriesId series = kNoId;
  bool hasTimestamp = false;
  std::int64_t timestampMs = 0; // milliseconds since the Unix epoch, when hasTimestamp
  double value = 0.0;
};

/// A contiguous run of samples of one family, in page order. A family whose samples are
/// split across the page (a warning) has more than one run.
struct FamilyRun {
  FamilyId family = kNoId;
  std::uint32_t firstSample = 0; // index into ExpositionPage::samples
  std::uint32_t sampleCount = 0;
};

/// An error or warning, located in the input. Lines and columns count from 1; columns
/// count bytes.
struct ParseIssue {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;

  /// "line 3, column 17: invalid escape sequence ..."
  std::string toString() const;
};

/// Everything one parse produced. Reuse one page per target: clear() keeps the capacity
/// so a repeated scrape of the same server does not allocate.
struct ExpositionPage {
  std::vector<Sample> samples;
  std::vector<FamilyRun> families;
  std::vector<ParseIssue> warnings;
  std::optional<ParseIssue> error; // set when the parse stopped (fatal)
  bool openMetrics = false;        // the input was read as OpenMetrics text
  std::uint64_t bytes = 0;         // bytes of text parsed (after decompression)
  std::uint32_t lines = 0;         // lines read
  std::uint32_t newSeries = 0;     // series this page added to the table

  void clear() noexcept;
  bool ok() const noexcept { return !error.has_value(); }
};

} // namespace healthdeck::client
