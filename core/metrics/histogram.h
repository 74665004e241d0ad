#pragma once
// Histogram: one series of a histogram family, lock-free and striped per thread.
//
// Contract: observe() is thread-safe, lock-free and wait-free for the bucket increment.
// Each thread writes to its own stripe (a cache-line aligned block of per-bucket counters
// plus a sum), chosen by a small per-thread slot that is reused when a thread exits, so two
// threads observing the same series do not bounce one cache line. snapshot() sums the
// stripes; it never blocks writers. The count it reports is the sum of the bucket counts,
// so `_count` always equals the `+Inf` bucket; `_sum` may lag a concurrent observation by
// that observation (Prometheus tolerates this, as it does for client_golang).
// NaN observations land in the +Inf bucket and make the sum NaN (as in client_golang).
// Bounds are in the unit of the family name, seconds for `_seconds` families.
// Owned by its Family; references stay valid for the Registry's lifetime.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace healthdeck::metrics {

namespace detail {
/// The calling thread's stripe slot, or kNoSlot before its first observation.
inline constexpr unsigned kNoSlot = ~0u;
extern thread_local constinit unsigned t_stripeSlot;
unsigned acquireStripeSlot() noexcept;
} // namespace detail

class Histogram {
public:
  /// `bounds` must be finite and strictly increasing (Registry validates); +Inf is implicit.
  explicit Histogram(std::shared_ptr<const std::vector<double>> bounds);
  ~Histogram();
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void observe(double value) noexcept {
    unsigned slot = detail::t_stripeSlot;
    if (slot == detail::kNoSlot) [[unlikely]]
      slot = detail::acquireStripeSlot();
    std::atomic<std::uint64_t>* stripe = m_cells + (slot & m_stripeMask) * m_stride;
    stripe[1 + bucketIndex(value)].fetch_add(1, std::memory_order_relaxed);
    addToSum(stripe[0], value);
  }

  struct Snapshot {
    std::vector<std::uint64_t> cumulative; // one per bound, then +Inf (== count)
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  /// Same as snapshot() into caller-owned storage (no allocation once sized).
  void snapshotInto(std::vector<std::uint64_t>& cumulative, double& sum) const;

  const std::vector<double>& bounds() const noexcept { return *m_bounds; }
  /// Number of stripes every histogram uses in this process (a power of two).
  static std::size_t stripeCount() noexcept;

private:
  std::size_t bucketIndex(double value) const noexcept {
    // Linear search beats binary search for the small bucket sets used in practice.
    if (m_boundCount <= 16) {
      std::size_t i = 0;
      while (i < m_boundCount && !(value <= m_bound[i]))
        ++i;
      return i;
    }
    std::size_t lo = 0;
    std::size_t hi = m_boundCount;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (value <= m_bound[mid])
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }
  static void addToSum(std::atomic<std::uint64_t>& cell, double value) noexcept;

  std::shared_ptr<const std::vector<double>> m_bounds;
  const double* m_bound;
  std::size_t m_boundCount;
  std::size_t m_stride;     // cells per stripe: sum, buckets..., padded to 64 bytes
  std::size_t m_stripeMask; // stripeCount() - 1
  std::atomic<std::uint64_t>* m_cells;
};

} // namespace healthdeck::metrics
