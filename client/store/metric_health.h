#pragma once
// MetricHealth: health components read from a /metrics page, for servers whose health lives
// in their metrics (exporters in front of a dependency, metrics-only servers).
//
// Two sources of components:
//  - well-known "up" gauges, one component per series: `up`, `<namespace>_up` with a
//    one-word namespace (`redis_up`, `pg_up`, `mysql_up`, `haproxy_up`, ...), `probe_success`
//    (blackbox_exporter) and `etcd_server_has_leader`. 0 is down, anything else up. Names
//    with more words before `_up` (`node_network_up{device}`, an interface's link state) are
//    facts about parts of the host, not the server's own health, and are not read.
//  - the admin's MetricRules (see metric_rule.h): one component per rule, down/degraded when
//    any matched series compares true; a selector that matches nothing makes the rule's
//    component degraded with "no series matches ..." so a typo is never silently green.
// The document's overall status is the worst component's (up with no components).
// Selectors follow PromQL instant-vector selectors (prometheus.io/docs/prometheus/latest/
// querying/basics): `name{l="v", l!="v", l=~"re", l!~"re"}`, regexes fully anchored; an
// absent label matches "" as in PromQL.
// Pure functions, thread-safe, no I/O.

#include "healthdeck/client/metric_rule.h"
#include "healthdeck/client/parse/exposition_types.h"
#include "healthdeck/client/parse/series_table.h"
#include "healthdeck/client/target_snapshot.h"

#include <QList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck::client {

struct SelectorMatcher {
  enum class Op : std::uint8_t { Equal, NotEqual, Regex, NotRegex };
  std::string label;
  Op op = Op::Equal;
  std::string value;
};

struct MetricSelector {
  std::string metric; ///< the sample name (`pg_up`, `http_requests_total`)
  std::vector<SelectorMatcher> matchers;
};

/// Parses a selector; on failure returns nullopt and, when `error` is given, says why
/// ("expected '=' after label name at column 12").
std::optional<MetricSelector> parseSelector(std::string_view text, std::string* error = nullptr);

/// Whether a family (sample) name is one of the well-known up gauges described above.
bool isUpGauge(std::string_view name) noexcept;

/// The components of a parsed page (page and the table that parsed it).
HealthDocument metricHealth(const ExpositionPage& page, const SeriesTable& table,
                            const QList<MetricRule>& rules);

struct MetricHealthResult {
  std::optional<HealthDocument> document; ///< nullopt when the page did not parse
  QString error;                          ///< "line 3, column 17: ..." when it did not
  std::uint32_t samples = 0;
};
/// Parses `body` (text format 0.0.4 or OpenMetrics) with a fresh table and evaluates it.
MetricHealthResult metricHealth(std::string_view body, const QList<MetricRule>& rules);

} // namespace healthdeck::client
