#pragma once
// The stages of one configuration load and the state they pass along: YAML file → HEALTHDECK_*
// environment overrides → validation → warnings. Internal to core/config (each stage lives in
// its own file); monitoring_config.cpp runs them in that order.
//
// Order matters: single values are checked as they are read (file, then environment, with the
// same parsers from setting_keys.cpp), and relations between values (route collisions, the TLS
// pair, duplicate check names, readable files, check types) are checked once, after the
// overrides, so an override can neither slip past a rule nor be blamed for the file's error.

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/config/setting_keys.h"

#include <string>

namespace healthdeck {

struct LoadState {
  MonitoringConfig cfg;
  std::string file; // the config file ("" for built-in defaults or unnamed text)
  EnvLookup env = nullptr;
  EnvNames names = nullptr;

  [[noreturn]] void fail(const ConfigSource& source, const std::string& key,
                         const std::string& message) const {
    throw ConfigError(source.file, source.line, key, message);
  }
  /// Where `key`'s value came from; the file (line 0) or "<defaults>" when it was never set.
  ConfigSource sourceOf(const std::string& key) const;
  /// True when `key` was last set by an environment variable.
  bool fromEnvironment(const std::string& key) const;
  /// Applies one value through the key table and records where it came from.
  void apply(const SettingKey& key, const std::string& raw, const ConfigSource& source);
  void applyCheck(CheckConfig& check, const std::string& name, const std::string& raw,
                  const ConfigSource& source);
};

/// Name used as FILE for problems in the built-in defaults.
inline constexpr const char* kDefaultsName = "<defaults>";

void readYaml(LoadState& state, const std::string& text); // config_yaml.cpp
void applyEnvironment(LoadState& state);                  // env_overrides.cpp
void validate(LoadState& state);                          // config_validation.cpp
void addWarnings(MonitoringConfig& config);               // config_validation.cpp

} // namespace healthdeck
