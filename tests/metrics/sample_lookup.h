#pragma once
// Reads sample values back out of a text exposition, for the metrics suites.

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace healthdeck::testing {

/// The value of the sample whose `name{labels}` part is exactly `series`, or nullopt.
inline std::optional<double> sampleValue(std::string_view text, std::string_view series) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.size() <= series.size() || !line.starts_with(series) || line[series.size()] != ' ')
      continue;
    std::string_view value = line.substr(series.size() + 1);
    value = value.substr(0, value.find(' '));
    if (value == "+Inf") return std::numeric_limits<double>::infinity();
    if (value == "-Inf") return -std::numeric_limits<double>::infinity();
    if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
    double parsed = 0;
    const auto result = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (result.ec != std::errc() || result.ptr != value.data() + value.size()) return std::nullopt;
    return parsed;
  }
  return std::nullopt;
}

/// Like sampleValue() but NaN when missing, for QCOMPARE with a readable failure.
inline double sampleOr(std::string_view text, std::string_view series) {
  return sampleValue(text, series).value_or(std::numeric_limits<double>::quiet_NaN());
}

} // namespace healthdeck::testing
