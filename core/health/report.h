#pragma once
// Writers for the health wire formats of DESIGN.md. Pure functions of a ProbeResult.
//
// - writeHealthJson: the seed schema {"success","status","probe","timestamp","checks":[...]}
//   with duration as integer nanoseconds. With details=false the checks array is omitted.
// - writeSummaryJson: `/health` — {"success": bool, "status": "..."} only.
// - writeIetfHealthJson: application/health+json (draft-inadarei-api-health-check-06):
//   {"status":"pass|warn|fail","description":"healthdeck readiness probe",
//    "checks":{"<component>":[{"componentId","status","observedValue","observedUnit":"ms",
//    "time","output"}]}}; observedValue is the check's duration in milliseconds, `output`
//   (the details) only for warn/fail as the draft asks. With details=false no `checks`.
// Output is compact (no whitespace), like Go's encoding/json. Strings are escaped per RFC 8259;
// valid UTF-8 passes through, malformed bytes become U+FFFD so the output is always valid JSON.

#include "healthdeck/health/status.h"

#include <string>

namespace healthdeck {

std::string writeHealthJson(const ProbeResult& result, bool details);
std::string writeSummaryJson(const ProbeResult& result);
std::string writeIetfHealthJson(const ProbeResult& result, bool details);

/// RFC 3339 UTC with seconds ("2026-11-27T10:00:00Z").
std::string formatTimestamp(std::chrono::system_clock::time_point t);
/// Appends `text` as a JSON string literal (quotes included), escaping per RFC 8259.
void appendJsonString(std::string& out, std::string_view text);

} // namespace healthdeck
