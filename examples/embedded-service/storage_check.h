#pragma once
// StorageCheck: the service's own readiness check — can it still write to its data folder?
// It creates, syncs and removes a small probe file on every run.
//
// Contract: run() is called by the HealthManager from its worker thread for this check only;
// it touches nothing but the file system. Up when the file could be written and removed,
// down otherwise, with the system's reason.

#include <healthdeck/health/health_check.h>

#include <string>

class StorageCheck : public healthdeck::HealthCheck {
public:
  explicit StorageCheck(std::string directory);
  healthdeck::CheckOutcome run(const healthdeck::CheckContext& ctx) override;

private:
  std::string m_directory;
};
