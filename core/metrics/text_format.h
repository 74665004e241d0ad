#pragma once
// Exposition format building blocks, shared by the Registry's own families and its serializer
// of prometheus-cpp MetricFamily values: the Prometheus text format 0.0.4 and OpenMetrics 1.0
// (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md),
// and the content negotiation between them.
//
// Contract: pure functions, thread-safe, append to a caller-owned string. Numbers are
// written the way Prometheus' Go clients write them: integral values without exponent or
// fraction (`42`, `-3`), others in the shortest form that parses back exactly, and `+Inf`,
// `-Inf`, `NaN`.

#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck::metrics {

/// The two exposition formats a Registry writes.
enum class ExpositionFormat {
  Text004,    ///< Prometheus text format 0.0.4 (the default)
  OpenMetrics ///< OpenMetrics 1.0 text: `# EOF`, `_created`, `# UNIT`, counters as `_total`
};

} // namespace healthdeck::metrics

namespace healthdeck::metrics::text {

inline constexpr std::string_view kText004ContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr std::string_view kOpenMetricsContentType =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The HTTP Content-Type of a page in `format`.
std::string_view contentType(ExpositionFormat format) noexcept;

/// Picks the format for an HTTP `Accept` header value (RFC 9110 §12.5.1): OpenMetrics when
/// `application/openmetrics-text` (version absent, 1.0.0 or 0.0.1) is listed with q > 0 and
/// no less than the best q of `text/plain`, `text/*` or `*/*`; text 0.0.4 otherwise, and for
/// an empty or unparsable header. Prometheus' own scrape header therefore gets OpenMetrics
/// and curl's `*/*` gets 0.0.4. Never throws; linear in the header's length.
ExpositionFormat negotiateFormat(std::string_view accept) noexcept;

/// The OpenMetrics unit of a family name: the name's last `_`-separated word when it is a
/// base unit (seconds, bytes, ratio, volts, amperes, joules, grams, meters, celsius), else
/// empty. `name` is the OpenMetrics family name (a counter's without `_total`).
std::string_view unitOf(std::string_view name) noexcept;

/// The OpenMetrics family name of a counter named `name`: `name` without a `_total` suffix.
std::string_view openMetricsCounterName(std::string_view name) noexcept;

void appendDouble(std::string& out, double value);
void appendUnsigned(std::string& out, std::uint64_t value);
/// Writes a Unix time given in milliseconds as seconds with exactly three decimals
/// (`1764633600.250`): OpenMetrics timestamps and `_created` values, exact and readable.
void appendUnixSeconds(std::string& out, std::int64_t milliseconds);
/// Escapes `\` and newline (HELP text rules).
void appendEscapedHelp(std::string& out, std::string_view help);
/// Escapes `\`, `"` and newline (label value rules; also OpenMetrics HELP text).
void appendEscapedLabelValue(std::string& out, std::string_view value);

bool isValidMetricName(std::string_view name) noexcept;
bool isValidLabelName(std::string_view name) noexcept;

/// Serializes prometheus-cpp families (any type, incl. summary, untyped, timestamps) in
/// `format`. OpenMetrics: counters are written as `<name without _total>_total`, untyped as
/// `unknown`, timestamps in seconds; no `_created` (prometheus-cpp does not keep one) and no
/// `# EOF` (the Registry ends the page).
void appendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families,
                    ExpositionFormat format = ExpositionFormat::Text004);

} // namespace healthdeck::metrics::text
