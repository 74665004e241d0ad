#pragma once
// SeriesTable: the interning table of one scrape target. It maps a series' exact exposed
// bytes (`name{labels}`) to a stable SeriesId and a family name to a stable FamilyId, and
// keeps what the parser learnt about each (unescaped labels, the `le`/`quantile` bound,
// the histogram/summary instance it belongs to). Ids stay valid for the table's lifetime,
// so ring buffers and models can key on them; the table only grows (clear() resets it).
// Series bytes live in an append-only arena (keys in first-seen order, so a repeated
// scrape reads them sequentially; label views point into the key), and the index is an
// open-addressing hash of ids: interning a series costs no heap allocation of its own.
// Not thread-safe: one table per target, used by one thread at a time (the parser and
// the readers of its pages must not run concurrently). The string views a Series or
// Family exposes stay valid until clear(); references to the Series/Family entries
// themselves until the next parse().

#include "healthdeck/client/parse/exposition_types.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
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
    std::string_view key;         // bytes as exposed: `name{labels}` (or `name`)
    std::uint32_t nameLength = 0; // the sample name is key[0, nameLength)
    FamilyId family = kNoId;
    std::span<const LabelView> labels; // in exposition order
    double bound = 0.0;                // `le` of a bucket or `quantile` of a summary, else NaN
    std::uint32_t group = kNoId;       // histogram/summary series: one id per instance (buckets,
                                       // sum, count, quantiles share it); kNoId for other types

    std::string_view name() const noexcept { return key.substr(0, nameLength); }
    /// The value of label `labelName`, if the series has it.
    std::optional<std::string_view> label(std::string_view labelName) const noexcept;

  private:
    friend class ExpositionParser;
    friend class SeriesTable;
    std::uint32_t m_hash = 0;
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

  /// Heap bytes held (arena, entries, indexes), for the memory figures.
  std::size_t memoryBytes() const noexcept;

  void clear();

private:
  friend class ExpositionParser;

  static std::uint64_t hash(std::string_view key) noexcept;
  SeriesId find(std::string_view key, std::uint64_t h) const noexcept;
  void index(SeriesId id);
  char* allocate(std::size_t bytes, std::size_t align);

  std::vector<Series> m_series;
  std::vector<std::uint32_t> m_slots; // open addressing: 0 empty, else SeriesId + 1
  std::deque<Family> m_families;      // deque: the index below views the names
  std::unordered_map<std::string_view, FamilyId> m_familyIndex;
  std::unordered_map<std::string, std::uint32_t> m_groups;
  std::vector<std::unique_ptr<char[]>> m_blocks; // the arena
  std::size_t m_blockUsed = 0;
  std::size_t m_blockSize = 0;
  std::size_t m_arenaBytes = 0;
  std::uint32_t m_generation = 0;
};

} // namespace healthdeck::client
