// Any bytes as the value of each request header the exporter interprets.

#include "healthdeck/exporter/http_util.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace healthdeck::exporter;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)acceptsGzip(input);
  (void)acceptsMediaType(input, "application/health+json");
  const std::string_view token = bearerCredentials(input);
  if (token.size() > input.size()) __builtin_trap();
  (void)constantTimeEquals(token, "expected-token");
  if (!constantTimeEquals(input, input) && !input.empty()) __builtin_trap();
  std::string user;
  std::string password;
  if (basicCredentials(input, user, password) && user.size() + password.size() >= input.size())
    __builtin_trap();                  // base64 always shrinks
  const std::string terminated(input); // the Connection header arrives NUL-terminated
  (void)wantsKeepAlive(terminated.c_str(), "1.1");
  return 0;
}
