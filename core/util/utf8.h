#pragma once
// The one UTF-8 validator (Unicode 15 §3.9, Table 3-7: no overlong forms, no surrogates, nothing
// above U+10FFFF). Used by the exporter for label values and HELP text, by the health report
// writer when escaping, and by the console's exposition parser on every label value — hence the
// eight-bytes-at-a-time ASCII fast path. Pure functions, thread-safe, no allocation.

#include <cstddef>
#include <string_view>

namespace healthdeck {

/// True when every byte of `text` belongs to a well-formed UTF-8 sequence.
bool isValidUtf8(std::string_view text) noexcept;

/// Length (1-4) of the well-formed sequence starting at text[i], or 0 if it is malformed or
/// cut off by the end of `text`. `i` must be < text.size().
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) noexcept;

} // namespace healthdeck
