#pragma once
// An in-process Exporter on an ephemeral port with a real Registry and HealthManager, and
// checks whose answer the test sets.

#include "healthdeck/exporter/exporter.h"
#include "healthdeck/health/health_manager.h"
#include "healthdeck/metrics/registry.h"

#include <QtGlobal>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace healthdeck::testing {

/// A check whose status the test controls; counts its runs.
class ControlledCheck final : public HealthCheck {
public:
  explicit ControlledCheck(Status s = Status::Up, std::string details = "ok")
      : m_status(s), m_details(std::move(details)) {}
  CheckOutcome run(const CheckContext&) override {
    m_runs.fetch_add(1);
    std::lock_guard lock(m_mutex);
    return {m_status, m_details};
  }
  void set(Status s, std::string details) {
    std::lock_guard lock(m_mutex);
    m_status = s;
    m_details = std::move(details);
  }
  int runs() const { return m_runs.load(); }

private:
  std::mutex m_mutex;
  Status m_status;
  std::string m_details;
  std::atomic<int> m_runs{0};
};

struct ExporterFixture {
  explicit ExporterFixture(ExporterOptions options = {}, std::string ns = {},
                           HealthManager::Options hm = {std::chrono::milliseconds(2000),
                                                        std::chrono::milliseconds(0)})
      : registry(std::move(ns)), health(hm) {
    options.listen = "127.0.0.1:0";
    exporter = std::make_unique<Exporter>(std::move(options), registry, health);
  }
  std::shared_ptr<ControlledCheck> addCheck(const std::string& name, Probe probe, bool critical,
                                            Status s = Status::Up) {
    auto check = std::make_shared<ControlledCheck>(s, name + " answered");
    CheckSpec spec;
    spec.name = name;
    spec.probe = probe;
    spec.critical = critical;
    health.add(spec, check);
    return check;
  }
  quint16 port() const { return static_cast<quint16>(exporter->listeningPort()); }

  metrics::Registry registry;
  HealthManager health;
  std::unique_ptr<Exporter> exporter;
};

} // namespace healthdeck::testing
