#pragma once
// The one boolean spelling for configuration (YAML values, check parameters, HEALTHDECK_*
// environment overrides): true/false, yes/no, on/off, any case, surrounding blanks ignored.
// Pure functions, thread-safe.

#include <optional>
#include <string_view>

namespace healthdeck {

/// The value, or nullopt when `text` is none of the spellings.
std::optional<bool> parseBool(std::string_view text) noexcept;

/// For error messages: "expected true/false, yes/no or on/off".
inline constexpr const char* kBoolSpellings = "expected true/false, yes/no or on/off";

} // namespace healthdeck
