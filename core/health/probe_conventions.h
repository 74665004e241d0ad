#pragma once
// Kubernetes probe conventions over a ProbeResult: the `?verbose` text form, `?exclude=NAME`
// and one check on its own (`/health/ready/NAME`). Pure functions next to report.h; the
// exporter routes requests to them.
//
// Spec: the Kubernetes API server's health endpoints (kubernetes.io/docs/reference/using-api/
// health-checks): one line per check, `[+]name ok`, `[-]name failed: reason`, `[+]name
// excluded: ok`, a `warn:` line for exclude names that matched nothing, and a last line
// `readyz check passed` / `readyz check failed` (`livez` for liveness). A passing probe without
// `verbose` answers just `ok`; a failing one always lists its checks, as Kubernetes does.
// Kubernetes knows only ok/failed: a degraded check passes (the probe answers 200), so it is a
// `[+]` line; the JSON forms keep the difference.
//
// Contract: pure, thread-safe, no allocation beyond the returned values. Failure reasons are
// written only when `details` is true (the caller decides: authorized, show_details), else
// "reason withheld"; a reason is one line (control characters become spaces) so it cannot
// forge a check line.

#include "healthdeck/health/status.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck {

/// The probe parameters of a request's query string.
struct ProbeQuery {
  bool verbose = false;             // `verbose` present, with or without a value
  std::vector<std::string> exclude; // every `exclude=NAME`, in order
};

/// Parses a raw query string (without '?'), as Go's url.ParseQuery: pairs split at '&',
/// '+' is a space, %XX decoded (a malformed escape leaves the pair out). Other parameters are
/// ignored.
ProbeQuery parseProbeQuery(std::string_view query);

/// `result` without the checks named in `names`; the status is aggregated again over the
/// checks that remain (DESIGN.md rule).
struct Exclusion {
  ProbeResult result;
  std::vector<std::string> excluded;  // names that were left out, in the result's order
  std::vector<std::string> unmatched; // names that matched no check, in request order
};
Exclusion excludeChecks(const ProbeResult& result, const std::vector<std::string>& names);

/// The Kubernetes text answer to a probe request with `query`: the HTTP status (200 or 503,
/// after exclusions) and the body (text/plain; charset=utf-8).
struct TextAnswer {
  int httpStatus = 200;
  std::string body;
};
TextAnswer writeKubernetesText(const ProbeResult& result, const ProbeQuery& query, bool details);

/// One check of `result` as a probe result of its own (`/health/ready/NAME`): the probe's
/// status is that check's status — asked for by name, a non-critical check that is down
/// answers 503. nullopt when no check has that name (answer 404).
std::optional<ProbeResult> selectCheck(const ProbeResult& result, std::string_view name);

} // namespace healthdeck
