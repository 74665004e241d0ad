#include "healthdeck/util/parse_bool.h"

#include <cctype>
#include <string>

namespace healthdeck {

std::optional<bool> parseBool(std::string_view text) noexcept {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > 5) return std::nullopt;
  char lower[6] = {};
  for (std::size_t i = 0; i < text.size(); ++i)
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  const std::string_view v(lower, text.size());
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  return std::nullopt;
}

} // namespace healthdeck
