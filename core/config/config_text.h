#pragma once
// String helpers the configuration stages share when they read keys and word their messages:
// trimming a value, quoting it, joining a key path, testing a suffix. Internal to core/config
// (installed with the other core headers, like yaml_support.h). Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace healthdeck::config_text {

/// `text` without leading and trailing spaces, tabs, CR and LF.
inline std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

/// 'value', for messages.
inline std::string inQuotes(const std::string& value) {
  return '\'' + value + '\'';
}

/// "a.b" (a key path) without the temporaries of a + '.' + b.
inline std::string dotted(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(a.size() + 1 + b.size());
  out.append(a).append(1, '.').append(b);
  return out;
}

inline bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace healthdeck::config_text
