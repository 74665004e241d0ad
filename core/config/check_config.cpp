// ConfigError, parseDuration and the CheckConfig accessors that check types use to read their
// own keys. Values arrive as the YAML scalar text; parsing here is strict on purpose: a typo in
// a monitoring file must fail at load time with file, line and key, never silently turn into a
// default.

#include "healthdeck/config/monitoring_config.h"

#include "healthdeck/util/parse_bool.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace healthdeck {

namespace {

std::string formatConfigError(const std::string& file, int line, const std::string& key,
                              const std::string& message) {
  std::string out = file;
  if (line > 0) out += ':' + std::to_string(line);
  if (!key.empty()) out += ": " + key;
  out += ": " + message;
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// Quotes a value for an error message so empty strings and stray spaces stay visible.
std::string quoted(const std::string& value) {
  return '"' + value + '"';
}

} // namespace

ConfigError::ConfigError(std::string file, int line, std::string key, std::string message)
    : std::runtime_error(formatConfigError(file, line, key, message)), m_file(std::move(file)),
      m_line(line), m_key(std::move(key)), m_message(std::move(message)) {}

std::optional<std::chrono::milliseconds> parseDuration(const std::string& text) {
  // A sequence of <decimal><unit> terms ("1h30m" is accepted as well as "90m"); every term
  // needs a unit, signs are refused, and the total must be a whole number of milliseconds
  // that fits comfortably (below ~31 years) so arithmetic on deadlines never overflows.
  const std::string_view s = text;
  if (s.empty()) return std::nullopt;
  double totalMs = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t numberStart = pos;
    bool digits = false;
    bool dot = false;
    while (pos < s.size()) {
      const char c = s[pos];
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
      ++pos;
    }
    if (!digits) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data() + numberStart, s.data() + pos, value);
    if (ec != std::errc{} || end != s.data() + pos) return std::nullopt;

    const std::size_t unitStart = pos;
    while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos])))
      ++pos;
    const std::string_view unit = s.substr(unitStart, pos - unitStart);
    double factor = 0;
    if (unit == "ms") {
      factor = 1;
    } else if (unit == "s") {
      factor = 1000;
    } else if (unit == "m") {
      factor = 60'000;
    } else if (unit == "h") {
      factor = 3'600'000;
    } else {
      return std::nullopt;
    }
    totalMs += value * factor;
  }
  if (!std::isfinite(totalMs) || totalMs > 1e12) return std::nullopt;
  const double whole = std::round(totalMs);
  // "0.5ms" would silently become 0 or 1: refuse sub-millisecond precision instead.
  if (std::fabs(whole - totalMs) > 1e-6) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(whole));
}

void CheckConfig::fail(const std::string& key, const std::string& message) const {
  const ConfigParam* p = key.empty() ? nullptr : param(key);
  const int where = p && p->line > 0 ? p->line : line;
  std::string path = "monitoring.checks[" + std::to_string(index) + "]";
  if (!key.empty()) path += '.' + key;
  throw ConfigError(file, where, path, message);
}

const ConfigParam* CheckConfig::param(const std::string& key) const {
  const auto it = params.find(key);
  return it == params.end() ? nullptr : &it->second;
}

std::string CheckConfig::required(const std::string& key) const {
  const ConfigParam* p = param(key);
  if (!p) fail(key, "missing required key for type " + quoted(type));
  if (trimmed(p->value).empty()) fail(key, "must not be empty");
  return p->value;
}

std::string CheckConfig::optional(const std::string& key, std::string fallback) const {
  const ConfigParam* p = param(key);
  return p ? p->value : fallback;
}

std::chrono::milliseconds CheckConfig::duration(const std::string& key,
                                                std::chrono::milliseconds fallback) const {
  const ConfigParam* p = param(key);
  if (!p) return fallback;
  const auto parsed = parseDuration(std::string(trimmed(p->value)));
  if (!parsed)
    fail(key, "invalid duration " + quoted(p->value) +
                  " (expected a non-negative number with a unit: ms, s, m or h, e.g. 250ms, "
                  "1.5s, 10m)");
  return *parsed;
}

double CheckConfig::number(const std::string& key, double fallback) const {
  const ConfigParam* p = param(key);
  if (!p) return fallback;
  const std::string_view text = trimmed(p->value);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value))
    fail(key, "invalid number " + quoted(p->value) +
                  " (expected a decimal number, e.g. 10 or "
                  "12.5)");
  return value;
}

std::int64_t CheckConfig::integer(const std::string& key, std::int64_t fallback) const {
  const ConfigParam* p = param(key);
  if (!p) return fallback;
  const std::string_view text = trimmed(p->value);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range)
    fail(key, "integer " + quoted(p->value) + " is out of range");
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    fail(key, "invalid integer " + quoted(p->value) + " (expected whole number, e.g. 100)");
  return value;
}

bool CheckConfig::boolean(const std::string& key, bool fallback) const {
  const ConfigParam* p = param(key);
  if (!p) return fallback;
  if (const auto value = parseBool(p->value)) return *value;
  fail(key, "invalid boolean " + quoted(p->value) + " (" + kBoolSpellings + ")");
}

} // namespace healthdeck
