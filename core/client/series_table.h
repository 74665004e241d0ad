#pragma once
// SeriesTable: the interning table of one scrape target. It maps a series' exact exposed
// bytes (`name{labels}`) to a stable SeriesId and a family name to a stable FamilyId, and
// keeps what the parser learnt about each (unescaped labels, the `le`/`quantile` bound,
// the histogram/summary instance it belongs to). Ids stay valid for the table's lifetime,
// so ring buffers and models can key on them; the table only grows (clear() resets it).
// Not thread-safe: one table per target, used by one thread at a time (the parser and
// the readers of its pages must not run concurrently). References returned by series()
// and family() stay valid until clear() (storage is a deque: growth never moves entries).

#include "core/client/exposition_types.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace healthdeck::client {

class ExpositionParser;

class SeriesTable {
public:
  struct Family {
    std::string name;
    MetricType type = MetricType::Untyped; // as declared by the latest page that had it
    std::string help;                      // unescaped; empty when the page had no HELP
    std::string unit;                      // OpenMetrics `# UNIT`, else empty

  private:
    friend class ExpositionParser;
    std::string m_helpRaw;         // HELP text as exposed, to skip unescaping when unchanged
    std::uint32_t m_pageGen = 0;   // last page that mentioned the family (resets type/help)
    std::uint32_t m_helpGen = 0;   // last page with a HELP line for it
    std::uint32_t m_typeGen = 0;   // last page with a TYPE line for it
    std::uint32_t m_unitGen = 0;   // last page with a UNIT line for it
    std::uint32_t m_runGen = 0;    // last page in which it had a run
    std::uint32_t m_sampleGen = 0; // last page in which it had a sample
    MetricType m_lastType = MetricType::Untyped; // type at the end of the previous page
  };

  struct Series {
    std::string key;              // bytes as exposed: `name{labels}` (or `name`)
    std::uint32_t nameLength = 0; // the sample name is key[0, nameLength)
    FamilyId family = kNoId;
    std::vector<Label> labels;   // in exposition order
    double bound = 0.0;          // `le` of a bucket or `quantile` of a summary, else NaN
    std::uint32_t group = kNoId; // same for all series of one histogram/summary instance

    std::string_view name() const noexcept { return std::string_view(key).substr(0, nameLength); }
    /// The value of label `labelName`, or nullptr.
    const std::string* label(std::string_view labelName) const noexcept;

  private:
    friend class ExpositionParser;
    SeriesId m_successor = kNoId; // the series that followed this one on the latest page
    std::uint32_t m_pageGen = 0;  // last page that had a sample of it (duplicate detection)
  };

  SeriesTable() = default;
  SeriesTable(const SeriesTable&) = delete;
  SeriesTable& operator=(const SeriesTable&) = delete;

  std::size_t seriesCount() const noexcept { return m_series.size(); }
  std::size_t familyCount() const noexcept { return m_families.size(); }
  std::size_t groupCount() const noexcept { return m_groups.size(); }
  const Series& series(SeriesId id) const { return m_series[id]; }
  const Family& family(FamilyId id) const { return m_families[id]; }

  /// The id of the series exposed as exactly `key` (`name{labels}` bytes), if seen before.
  std::optional<SeriesId> findSeries(std::string_view key) const;
  std::optional<FamilyId> findFamily(std::string_view name) const;

  /// Approximate heap bytes held (strings, labels, index), for the memory figures.
  std::size_t memoryBytes() const noexcept;

  void clear();

private:
  friend class ExpositionParser;

  std::deque<Series> m_series;
  std::deque<Family> m_families;
  // Keys view strings owned by the deques above (stable addresses).
  std::unordered_map<std::string_view, SeriesId> m_seriesIndex;
  std::unordered_map<std::string_view, FamilyId> m_familyIndex;
  std::unordered_map<std::string, std::uint32_t> m_groups;
  std::uint32_t m_generation = 0;
};

} // namespace healthdeck::client
