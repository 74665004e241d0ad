#include "healthdeck/metrics/histogram.h"

#include <algorithm>
#include <bit>
#include <new>
#include <thread>

namespace healthdeck::metrics {

namespace detail {

thread_local constinit unsigned t_stripeSlot = kNoSlot;

namespace {
// Slots 0..63 are handed out lowest-first and returned when the thread exits, so the threads
// alive at one time get distinct stripes whenever there are enough of them. Past 64 live
// threads, slots are simply counted up (stripes are then shared, which stays correct).
std::atomic<std::uint64_t> g_slotsInUse{0};
std::atomic<unsigned> g_overflowSlots{64};

struct SlotRelease {
  ~SlotRelease() {
    if (t_stripeSlot < 64)
      g_slotsInUse.fetch_and(~(std::uint64_t{1} << t_stripeSlot), std::memory_order_relaxed);
  }
};
} // namespace

unsigned acquireStripeSlot() noexcept {
  thread_local SlotRelease release;
  static_cast<void>(&release);
  std::uint64_t used = g_slotsInUse.load(std::memory_order_relaxed);
  unsigned slot = kNoSlot;
  while (slot == kNoSlot) {
    if (used == ~std::uint64_t{0}) {
      slot = g_overflowSlots.fetch_add(1, std::memory_order_relaxed);
      if (slot == kNoSlot) slot = 64;
      break;
    }
    const auto bit = static_cast<unsigned>(std::countr_one(used));
    if (g_slotsInUse.compare_exchange_weak(used, used | (std::uint64_t{1} << bit),
                                           std::memory_order_relaxed))
      slot = bit;
  }
  t_stripeSlot = slot;
  return slot;
}

} // namespace detail

namespace {
constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kCellsPerLine = kCacheLine / sizeof(std::atomic<std::uint64_t>);
} // namespace

std::size_t Histogram::stripeCount() noexcept {
  // Twice the cores, at least 4: threads alive at once rarely share a stripe, and the memory
  // stays small (a 12-bucket series is 128 bytes per stripe).
  static const std::size_t count = std::bit_ceil(
      std::clamp<std::size_t>(2 * std::size_t{std::thread::hardware_concurrency()}, 4, 32));
  return count;
}

Histogram::Histogram(std::shared_ptr<const std::vector<double>> bounds)
    : m_bounds(std::move(bounds)), m_bound(m_bounds->data()), m_boundCount(m_bounds->size()),
      m_stride((1 + m_boundCount + 1 + kCellsPerLine - 1) / kCellsPerLine * kCellsPerLine),
      m_stripeMask(stripeCount() - 1), m_cells(nullptr) {
  const std::size_t cells = m_stride * stripeCount();
  void* memory =
      ::operator new (cells * sizeof(std::atomic<std::uint64_t>), std::align_val_t{kCacheLine});
  m_cells = static_cast<std::atomic<std::uint64_t>*>(memory);
  for (std::size_t i = 0; i < cells; ++i)
    new (m_cells + i) std::atomic<std::uint64_t>(0);
}

Histogram::~Histogram() {
  ::operator delete (m_cells, std::align_val_t{kCacheLine});
}

void Histogram::addToSum(std::atomic<std::uint64_t>& cell, double value) noexcept {
  std::uint64_t old = cell.load(std::memory_order_relaxed);
  while (!cell.compare_exchange_weak(
      old, std::bit_cast<std::uint64_t>(std::bit_cast<double>(old) + value),
      std::memory_order_relaxed)) {
  }
}

void Histogram::snapshotInto(std::vector<std::uint64_t>& cumulative, double& sum) const {
  cumulative.assign(m_boundCount + 1, 0);
  sum = 0.0;
  for (std::size_t s = 0; s <= m_stripeMask; ++s) {
    const std::atomic<std::uint64_t>* stripe = m_cells + s * m_stride;
    sum += std::bit_cast<double>(stripe[0].load(std::memory_order_relaxed));
    for (std::size_t i = 0; i <= m_boundCount; ++i)
      cumulative[i] += stripe[1 + i].load(std::memory_order_relaxed);
  }
  for (std::size_t i = 1; i <= m_boundCount; ++i)
    cumulative[i] += cumulative[i - 1];
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snap;
  snapshotInto(snap.cumulative, snap.sum);
  snap.count = snap.cumulative.back();
  return snap;
}

} // namespace healthdeck::metrics
