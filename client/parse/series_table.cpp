#include "healthdeck/client/parse/series_table.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace healthdeck::client {
namespace {
// Blocks start small — a typical exporter page keeps 1–4 KiB of keys, and the console holds a
// table per target (16 KiB first blocks were 16 MiB at 1,000 servers) — and double up to
// 256 KiB.
constexpr std::size_t kFirstBlock = 4 * 1024;
constexpr std::size_t kMaxBlock = 256 * 1024;
} // namespace

std::optional<std::string_view>
SeriesTable::Series::label(std::string_view labelName) const noexcept {
  for (const LabelView& l : labels)
    if (l.name == labelName) return l.value;
  return std::nullopt;
}

std::uint64_t SeriesTable::hash(std::string_view key) noexcept {
  // Eight bytes per step with a multiply-xorshift mix: keys are short and mostly ASCII,
  // and the table compares the full key on a hit anyway.
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = key.size() * kMul;
  const char* p = key.data();
  std::size_t n = key.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul;
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

SeriesId SeriesTable::find(std::string_view key, std::uint64_t h) const noexcept {
  if (m_slots.empty()) return kNoId;
  const std::size_t mask = m_slots.size() - 1;
  const auto tag = static_cast<std::uint32_t>(h);
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = m_slots[i];
    if (slot == 0) return kNoId;
    const Series& s = m_series[slot - 1];
    if (s.m_hash == tag && s.key == key) return slot - 1;
  }
}

void SeriesTable::index(SeriesId id) {
  // Called after the series was appended; keep the load factor at or below one half.
  if (m_series.size() * 2 > m_slots.size()) {
    std::vector<std::uint32_t> slots(m_slots.empty() ? 128 : m_slots.size() * 2, 0);
    const std::size_t mask = slots.size() - 1; // < 2^32: the stored low hash bits suffice
    for (SeriesId other = 0; other < id; ++other) {
      std::size_t i = m_series[other].m_hash & mask;
      while (slots[i] != 0)
        i = (i + 1) & mask;
      slots[i] = other + 1;
    }
    m_slots.swap(slots);
  }
  const std::size_t mask = m_slots.size() - 1;
  std::size_t i = m_series[id].m_hash & mask;
  while (m_slots[i] != 0)
    i = (i + 1) & mask;
  m_slots[i] = id + 1;
}

char* SeriesTable::allocate(std::size_t bytes, std::size_t align) {
  std::size_t offset = (m_blockUsed + align - 1) & ~(align - 1);
  if (m_blocks.empty() || offset + bytes > m_blockSize) {
    m_blockSize = std::max(std::clamp(m_arenaBytes, kFirstBlock, kMaxBlock), bytes);
    m_blocks.push_back(std::make_unique_for_overwrite<char[]>(m_blockSize)); // not zeroed
    m_arenaBytes += m_blockSize;
    offset = 0;
  }
  m_blockUsed = offset + bytes;
  return m_blocks.back().get() + offset;
}

std::optional<SeriesId> SeriesTable::findSeries(std::string_view key) const {
  const SeriesId id = find(key, hash(key));
  if (id == kNoId) return std::nullopt;
  return id;
}

std::optional<FamilyId> SeriesTable::findFamily(std::string_view name) const {
  auto it = m_familyIndex.find(name);
  if (it == m_familyIndex.end()) return std::nullopt;
  return it->second;
}

std::size_t SeriesTable::memoryBytes() const noexcept {
  auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  std::size_t total = m_arenaBytes + m_series.capacity() * sizeof(Series) +
                      m_slots.capacity() * sizeof(std::uint32_t);
  for (const Family& f : m_families)
    total += sizeof(Family) + str(f.name) + str(f.help) * 2;
  // Hash nodes: key + id + next pointer + cached hash, plus one bucket pointer each.
  const std::size_t node = sizeof(void*) * 3 + sizeof(std::string_view) + sizeof(std::uint32_t);
  total += m_familyIndex.size() * node;
  for (const auto& g : m_groups)
    total += node + str(g.first);
  return total;
}

void SeriesTable::clear() {
  m_series.clear();
  m_slots.clear();
  m_familyIndex.clear();
  m_groups.clear();
  m_families.clear();
  m_blocks.clear();
  m_blockUsed = 0;
  m_blockSize = 0;
  m_arenaBytes = 0;
  m_generation = 0;
}

} // namespace healthdeck::client
