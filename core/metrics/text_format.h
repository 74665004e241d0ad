#pragma once
// Text exposition format 0.0.4 building blocks, shared by the Registry's own families and
// its serializer of prometheus-cpp MetricFamily values.
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

namespace healthdeck::metrics::text {

void appendDouble(std::string& out, double value);
void appendUnsigned(std::string& out, std::uint64_t value);
/// Escapes `\` and newline (HELP text rules).
void appendEscapedHelp(std::string& out, std::string_view help);
/// Escapes `\`, `"` and newline (label value rules).
void appendEscapedLabelValue(std::string& out, std::string_view value);

bool isValidMetricName(std::string_view name) noexcept;
bool isValidLabelName(std::string_view name) noexcept;

/// Serializes prometheus-cpp families (any type, incl. summary, untyped, timestamps).
void appendFamilies(std::string& out, const std::vector<prometheus::MetricFamily>& families);

} // namespace healthdeck::metrics::text
