#include "core/client/series_table.h"

namespace healthdeck::client {

const std::string* SeriesTable::Series::label(std::string_view labelName) const noexcept {
  for (const Label& l : labels)
    if (l.name == labelName) return &l.value;
  return nullptr;
}

std::optional<SeriesId> SeriesTable::findSeries(std::string_view key) const {
  auto it = m_seriesIndex.find(key);
  if (it == m_seriesIndex.end()) return std::nullopt;
  return it->second;
}

std::optional<FamilyId> SeriesTable::findFamily(std::string_view name) const {
  auto it = m_familyIndex.find(name);
  if (it == m_familyIndex.end()) return std::nullopt;
  return it->second;
}

std::size_t SeriesTable::memoryBytes() const noexcept {
  auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  std::size_t total = 0;
  for (const Series& s : m_series) {
    total += sizeof(Series) + str(s.key) + s.labels.capacity() * sizeof(Label);
    for (const Label& l : s.labels)
      total += str(l.name) + str(l.value);
  }
  for (const Family& f : m_families)
    total += sizeof(Family) + str(f.name) + str(f.help) * 2;
  // Hash nodes: key view + id + next pointer + cached hash, plus the bucket array.
  const std::size_t node = sizeof(void*) * 2 + sizeof(std::string_view) + sizeof(std::uint32_t);
  total += (m_seriesIndex.size() + m_familyIndex.size()) * (node + sizeof(void*));
  for (const auto& g : m_groups)
    total += node + str(g.first);
  return total;
}

void SeriesTable::clear() {
  m_seriesIndex.clear();
  m_familyIndex.clear();
  m_groups.clear();
  m_series.clear();
  m_families.clear();
  m_generation = 0;
}

} // namespace healthdeck::client
