#pragma once
// The one table of configuration keys: every scalar setting of the `monitoring:` section and
// every common key of a `monitoring.checks` entry, each with its dotted path, the function that
// parses, checks and stores its value, and a one-line description. The YAML reader, the
// HEALTHDECK_* environment overrides, the "did you mean" suggestions and the documentation test
// all read this table, so a key added here exists everywhere at once.
//
// Contract: the apply functions check one value on its own (relations between values are
// core/config/config_validation.cpp's job) and throw ConfigError naming the input's source
// and key. Thread-safety: the tables are immutable after first use.

#include "healthdeck/config/monitoring_config.h"

#include <string>
#include <string_view>
#include <vector>

namespace healthdeck {

/// One value to apply, with where it came from.
struct SettingInput {
  std::string raw;        // as written: the YAML scalar or the variable's value
  std::string key;        // full dotted key, for messages ("monitoring.checks[0].timeout")
  ConfigSource source;    // file and line, or the variable (line 0)
  std::string configFile; // the config file, against whose directory file paths resolve
};

/// A scalar setting of `monitoring:`.
struct SettingKey {
  std::string_view path; // "monitoring.health_check.timeout"
  std::string_view doc;  // one line
  void (*apply)(MonitoringConfig& config, const SettingInput& input);
};

/// A common key of one `monitoring.checks` entry (type-specific keys belong to the check type).
struct CheckKey {
  std::string_view name; // "timeout"
  std::string_view doc;
  void (*apply)(CheckConfig& check, const SettingInput& input);
};

/// `monitoring.checks`: the one list-valued key.
inline constexpr std::string_view kChecksKey = "monitoring.checks";

const std::vector<SettingKey>& settingKeys();
const SettingKey* findSettingKey(std::string_view path);
const std::vector<CheckKey>& checkKeys();
const CheckKey* findCheckKey(std::string_view name);

/// The mappings that hold the settings ("monitoring", "monitoring.health_check", ...),
/// derived from the paths above.
const std::vector<std::string>& sectionKeys();
bool isSectionKey(std::string_view path);
/// Direct children of a section, for suggestions: {"listen", "prometheus", ...}.
std::vector<std::string> childKeys(std::string_view section);

/// "monitoring.health_check.timeout" → "HEALTHDECK_MONITORING_HEALTH_CHECK_TIMEOUT".
std::string environmentName(std::string_view dottedKey);

/// Applies `input` to a check entry: a common key through checkKeys(), any other key kept in
/// check.params for the check type to read.
void applyCheckSetting(CheckConfig& check, const std::string& name, const SettingInput& input);

} // namespace healthdeck
