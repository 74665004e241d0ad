#pragma once
// DriverHealthAdapter<T>: turns anything with a `healthCheck()` member into a HealthCheck, so
// a service's own database pool, cache client or job runner can join the readiness probe
// without a hand-written check class.
//
// Contract: T::healthCheck() may take no arguments or a `const CheckContext&`, and may
// return bool (false → down), Status, or CheckOutcome. An exception becomes `down` with its
// message. The adapter shares ownership of the driver; it calls healthCheck() only from the
// thread the manager runs this check on, so the driver sees the same thread every time.

#include "healthdeck/health/health_check.h"

#include <concepts>
#include <exception>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace healthdeck {

template <typename T> class DriverHealthAdapter : public HealthCheck {
public:
  explicit DriverHealthAdapter(std::shared_ptr<T> driver) : m_driver(std::move(driver)) {
    if (!m_driver) throw std::invalid_argument("DriverHealthAdapter: null driver");
  }

  CheckOutcome run(const CheckContext& ctx) override {
    try {
      return toOutcome(call(ctx));
    } catch (const std::exception& e) {
      return {Status::Down, *e.what() ? std::string(e.what()) : std::string("healthCheck failed")};
    } catch (...) {
      return {Status::Down, "healthCheck() threw an unknown exception"};
    }
  }

private:
  decltype(auto) call(const CheckContext& ctx) {
    if constexpr (requires(T & t, const CheckContext& c) { t.healthCheck(c); })
      return m_driver->healthCheck(ctx);
    else
      return m_driver->healthCheck();
  }

  template <typename R> static CheckOutcome toOutcome(R&& r) {
    using V = std::remove_cvref_t<R>;
    if constexpr (std::same_as<V, CheckOutcome>) {
      return std::forward<R>(r);
    } else if constexpr (std::same_as<V, Status>) {
      return {r, std::string(toString(r))};
    } else {
      static_assert(std::same_as<V, bool>,
                    "healthCheck() must return bool, healthdeck::Status or CheckOutcome");
      return r ? CheckOutcome{Status::Up, "ok"}
               : CheckOutcome{Status::Down, "healthCheck() reported failure"};
    }
  }

  std::shared_ptr<T> m_driver;
};

} // namespace healthdeck
