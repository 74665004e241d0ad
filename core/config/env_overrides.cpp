// The HEALTHDECK_MONITORING_* stage of a load: one variable per key of the table (its name
// derived from the key path), HEALTHDECK_MONITORING_CHECKS_<index>_<KEY> for keys of listed
// checks, and a screen that refuses variables naming no key, so a typo in a unit file never
// leaves the file's value silently in force.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/config/config_loader.h"
#include "healthdeck/config/key_suggestion.h"

#include <algorithm>
#include <cstring>
#include <set>

extern char** environ; // POSIX; <unistd.h> declares it only with _GNU_SOURCE

namespace healthdeck {

namespace {

constexpr const char* kEnvMonitoringPrefix = "HEALTHDECK_MONITORING_";
constexpr const char* kEnvChecksPrefix = "HEALTHDECK_MONITORING_CHECKS_";

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string upperAscii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

std::string lowerAscii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

class EnvironmentStage {
public:
  explicit EnvironmentStage(LoadState& state) : m_state(state) {}

  void run() {
    for (const auto& key : settingKeys()) {
      const std::string var = environmentName(key.path);
      if (const auto value = lookup(var)) m_state.apply(key, *value, ConfigSource{var, 0});
    }

    std::vector<std::string> names;
    EnvNames lister = m_state.names;
    if (!lister && m_state.env == &processEnv) lister = &processEnvNames;
    if (lister) names = lister();

    // Check entries: look up every key the entry could take (so an injected lookup works
    // without a name list), plus whatever the name list shows.
    std::set<std::string> checkVars;
    for (const auto& check : m_state.cfg.checks) {
      const std::string prefix = kEnvChecksPrefix + std::to_string(check.index) + '_';
      std::set<std::string> keys;
      for (const auto& key : checkKeys())
        keys.emplace(key.name);
      for (const auto& [key, param] : check.params)
        keys.insert(key);
      if (const CheckType* type = findCheckType(check.type))
        keys.insert(type->keys.begin(), type->keys.end());
      for (const auto& key : keys)
        checkVars.insert(prefix + upperAscii(key));
    }
    for (const auto& name : names)
      if (startsWith(name, kEnvMonitoringPrefix)) screenName(name, checkVars);
    for (const auto& var : checkVars)
      if (const auto value = lookup(var)) applyCheckVariable(var, *value);
  }

private:
  std::optional<std::string> lookup(const std::string& name) const {
    return m_state.env ? m_state.env(name.c_str()) : std::nullopt;
  }

  // Refuses HEALTHDECK_MONITORING_* names that configure nothing.
  void screenName(const std::string& name, std::set<std::string>& checkVars) const {
    std::vector<std::string> known;
    for (const auto& key : settingKeys()) {
      known.push_back(environmentName(key.path));
      if (known.back() == name) return;
    }
    const std::string checksKey(kChecksKey);
    if (startsWith(name, kEnvChecksPrefix)) {
      const std::string rest = name.substr(std::strlen(kEnvChecksPrefix));
      const std::size_t underscore = rest.find('_');
      const std::string digits = rest.substr(0, underscore);
      // One spelling per index ("0", not "00"), so two variables never fight over one key.
      const bool numeric =
          !digits.empty() && digits.size() < 6 && (digits.size() == 1 || digits.front() != '0') &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!numeric || underscore == std::string::npos || underscore + 1 == rest.size())
        throw ConfigError(name, 0, {},
                          "expected HEALTHDECK_MONITORING_CHECKS_<index>_<KEY>, e.g. "
                          "HEALTHDECK_MONITORING_CHECKS_0_TIMEOUT");
      const std::size_t index = std::stoul(digits);
      if (index >= m_state.cfg.checks.size())
        throw ConfigError(name, 0, checksKey + '[' + digits + ']',
                          "there is no check at index " + digits + " (the file defines " +
                              std::to_string(m_state.cfg.checks.size()) +
                              "); the environment can override keys of listed checks but "
                              "cannot add checks");
      checkVars.insert(name);
      return;
    }
    std::string message = "unknown setting";
    const std::string guess = closestWord(name, known);
    if (!guess.empty())
      message += " (did you mean " + guess + "?)";
    else
      message += " (variables under HEALTHDECK_MONITORING_ must name a configuration key)";
    throw ConfigError(name, 0, {}, message);
  }

  void applyCheckVariable(const std::string& var, const std::string& value) {
    const std::string rest = var.substr(std::strlen(kEnvChecksPrefix));
    const std::size_t underscore = rest.find('_');
    const std::size_t index = std::stoul(rest.substr(0, underscore));
    if (index >= m_state.cfg.checks.size()) return; // screened already
    const std::string key = lowerAscii(rest.substr(underscore + 1));
    m_state.applyCheck(m_state.cfg.checks[index], key, value, ConfigSource{var, 0});
  }

  LoadState& m_state;
};

} // namespace

void applyEnvironment(LoadState& state) {
  EnvironmentStage(state).run();
}

std::optional<std::string> processEnv(const char* name) {
  const char* value = std::getenv(name);
  if (!value) return std::nullopt;
  return std::string(value);
}

std::vector<std::string> processEnvNames() {
  std::vector<std::string> names;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    names.emplace_back(text.substr(0, text.find('=')));
  }
  return names;
}

} // namespace healthdeck
