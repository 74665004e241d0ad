#include "healthdeck/checks/system_error_text.h"

#include <cctype>
#include <cstring>

namespace healthdeck {

std::string systemErrorText(int error) {
  char buf[256];
  // GNU strerror_r: returns either buf or a static string, never fails.
  std::string text = strerror_r(error, buf, sizeof buf);
  if (!text.empty() && std::isupper(static_cast<unsigned char>(text[0])) &&
      !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1]))))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

} // namespace healthdeck
