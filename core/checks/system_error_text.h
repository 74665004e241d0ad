#pragma once
// errno wording for check details: thread-safe (strerror_r) and lower-case, so it reads as
// part of a sentence ("connection refused", "no such file or directory").

#include <string>

namespace healthdeck {

std::string systemErrorText(int error);

} // namespace healthdeck
