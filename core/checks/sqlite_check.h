#pragma once
// SqliteCheck (`type: sqlite`): is the SQLite database file there, readable, and sound?
//
// Contract: construction does no I/O. run() opens the file read-only (never creating it),
// keeps the handle between runs and reopens when the path now names another file (replaced
// or restored database), then runs `PRAGMA quick_check` (quick_check: true) or the
// configured query (default: a read of the schema cookie, which fails on anything that is
// not a database). The busy timeout and a progress handler bound the work by ctx.deadline,
// so a locked or huge database costs at most the timeout. Outcomes: `up` ("quick_check ok in
// 3 ms"); `down` with SQLite's own wording (unable to open, file is not a database, database
// disk image is malformed, locked past the deadline, interrupted at the deadline). Not
// thread-safe against itself (the HealthManager never overlaps runs). A local file: allowed on
// liveness without allow_liveness.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <memory>
#include <string>

namespace healthdeck {

class SqliteCheck : public HealthCheck {
public:
  struct Options {
    std::string path;
    bool quickCheck = false;
    std::string query; // empty → PRAGMA schema_version
  };

  explicit SqliteCheck(Options options);
  ~SqliteCheck() override;
  SqliteCheck(const SqliteCheck&) = delete;
  SqliteCheck& operator=(const SqliteCheck&) = delete;

  CheckOutcome run(const CheckContext& ctx) override;

private:
  struct Handle;
  Options m_options;
  std::unique_ptr<Handle> m_handle;
};

/// Registry entry for `type: sqlite` (keys: path, quick_check, query).
CheckType sqliteCheckType();

} // namespace healthdeck
