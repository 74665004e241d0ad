// The monitoring configuration loader's entry points. A load runs the stages of
// config_loader.h in order — YAML (config_yaml.cpp), HEALTHDECK_MONITORING_* overrides
// (env_overrides.cpp), validation and warnings (config_validation.cpp) — over the one key table
// (setting_keys.cpp). Every setting remembers where its value came from (file and line, or the
// variable that overrode it) so each error points at the one place the operator must edit.

#include "healthdeck/config/monitoring_config.h"

#include "healthdeck/config/config_file.h"
#include "healthdeck/config/config_loader.h"

#include <sys/stat.h>

namespace healthdeck {

namespace {

constexpr const char* kEnvPrefix = "HEALTHDECK_";

MonitoringConfig runLoad(const std::string& file, const std::string* yaml, EnvLookup env,
                         EnvNames names) {
  LoadState state;
  state.file = file;
  state.env = env;
  state.names = names;
  state.cfg.sourceFile = yaml ? file : std::string{};
  if (yaml) readYaml(state, *yaml);
  applyEnvironment(state);
  validate(state);
  state.cfg.warnings = {};
  addWarnings(state.cfg);
  return std::move(state.cfg);
}

} // namespace

ConfigSource LoadState::sourceOf(const std::string& key) const {
  const auto it = cfg.sources.find(key);
  if (it != cfg.sources.end()) return it->second;
  return ConfigSource{cfg.sourceFile.empty() ? kDefaultsName : cfg.sourceFile, 0};
}

bool LoadState::fromEnvironment(const std::string& key) const {
  const auto it = cfg.sources.find(key);
  return it != cfg.sources.end() && it->second.file.rfind(kEnvPrefix, 0) == 0 &&
         it->second.line == 0;
}

void LoadState::apply(const SettingKey& key, const std::string& raw, const ConfigSource& source) {
  const std::string path(key.path);
  key.apply(cfg, SettingInput{raw, path, source, file});
  cfg.sources[path] = source;
}

void LoadState::applyCheck(CheckConfig& check, const std::string& name, const std::string& raw,
                           const ConfigSource& source) {
  const std::string full =
      std::string(kChecksKey) + '[' + std::to_string(check.index) + "]." + name;
  applyCheckSetting(check, name, SettingInput{raw, full, source, file});
  cfg.sources[full] = source;
}

ConfigError MonitoringConfig::error(const std::string& key, const std::string& message) const {
  const auto it = sources.find(key);
  if (it != sources.end()) return ConfigError(it->second.file, it->second.line, key, message);
  return ConfigError(sourceFile.empty() ? kDefaultsName : sourceFile, 0, key, message);
}

std::string defaultConfigPath(EnvLookup env) {
  const auto xdg = env ? env("XDG_CONFIG_HOME") : std::nullopt;
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg && !xdg->empty() && xdg->front() == '/') return *xdg + "/healthdeck/monitoring.yaml";
  const auto home = env ? env("HOME") : std::nullopt;
  if (home && !home->empty()) return *home + "/.config/healthdeck/monitoring.yaml";
  return {};
}

std::string defaultConfigPath() {
  return defaultConfigPath(&processEnv);
}

MonitoringConfig loadMonitoringConfig(const std::string& path, EnvLookup env, EnvNames names) {
  std::string file = path;
  if (file.empty()) {
    const std::string fallback = defaultConfigPath(env);
    struct stat st {};
    if (fallback.empty() || ::stat(fallback.c_str(), &st) != 0)
      return runLoad({}, nullptr, env, names);
    file = fallback;
  }
  const std::string text = readConfigFile(file, "a monitoring config");
  return runLoad(file, &text, env, names);
}

MonitoringConfig parseMonitoringConfig(const std::string& yaml, const std::string& fileName,
                                       EnvLookup env, EnvNames names) {
  return runLoad(fileName, &yaml, env, names);
}

} // namespace healthdeck
