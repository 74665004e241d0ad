#pragma once
// Writers for the health wire formats of DESIGN.md. Pure functions of a ProbeResult.
//
// - writeHealthJson: the seed schema {"success","status","probe","timestamp","checks":[...]}
//   with duration as integer nanoseconds. With details=false the checks array is omitted.
// - writeSummaryJson: `/health` — {"success": bool, "status": "..."} only.
// - writeIetfHealthJson: application/health+json (draft-inadarei-api-health-check):
//   {"status":"pass|warn|fail", "checks": {"component:probe": [{...}]}} (details optional).

#include "core/health/status.h"

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
