// The key table (see setting_keys.h) and the parsers of single values it uses. Each value is
// checked as it is read, with the same parser whether it came from the file or from the
// environment, so both are held to one rule.

#include "healthdeck/config/setting_keys.h"

#include "healthdeck/config/config_file.h"
#include "healthdeck/config/config_text.h"
#include "healthdeck/config/key_suggestion.h"
#include "healthdeck/config/listen_address.h"
#include "healthdeck/util/parse_bool.h"

#include <algorithm>

namespace healthdeck {

namespace {

using config_text::inQuotes;
using config_text::trimmed;

[[noreturn]] void fail(const SettingInput& in, const std::string& message) {
  throw ConfigError(in.source.file, in.source.line, in.key, message);
}

bool boolValue(const SettingInput& in) {
  const auto value = parseBool(in.raw);
  if (!value) fail(in, "invalid boolean " + inQuotes(in.raw) + " (" + kBoolSpellings + ")");
  return *value;
}

std::chrono::milliseconds durationValue(const SettingInput& in, bool allowZero) {
  const std::string text = trimmed(in.raw);
  if (!text.empty() && text.front() == '-')
    fail(in, inQuotes(text) + " is negative: durations must be 0 or more");
  const auto value = parseDuration(text);
  if (!value)
    fail(in, "invalid duration " + inQuotes(in.raw) +
                 " (a number with a unit: ms, s, m or h, e.g. 250ms, 2s, 1.5s, 10m)");
  if (!allowZero && value->count() == 0) fail(in, "must be greater than 0s");
  return *value;
}

// Why `path` cannot serve as an HTTP route, or empty when it can.
std::string endpointProblem(const std::string& path) {
  if (path.empty()) return "must not be empty (a path such as /metrics)";
  if (path.front() != '/') return inQuotes(path) + " must start with '/'";
  for (const char c : path) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    if (!ok)
      return inQuotes(path) + " contains " + inQuotes(std::string(1, c)) +
             ": use letters, digits and - . _ ~ /";
  }
  if (path.size() > 1 && path.back() == '/') return inQuotes(path) + " must not end with '/'";
  if (path.find("//") != std::string::npos) return inQuotes(path) + " contains an empty segment";
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, end - start);
    if (segment == "." || segment == "..")
      return inQuotes(path) + " must not contain '.' or '..' segments";
    start = end + 1;
  }
  return {};
}

std::string endpointValue(const SettingInput& in) {
  std::string text = trimmed(in.raw);
  const std::string problem = endpointProblem(text);
  if (!problem.empty()) fail(in, problem);
  return text;
}

// A file name: relative names written in the config file mean "next to this file", so a
// config and its secrets move together; names from the environment are used as given.
std::string pathValue(const SettingInput& in) {
  const std::string text = trimmed(in.raw);
  const bool fromFile = in.source.file == in.configFile && in.source.line > 0;
  return fromFile ? resolveAgainst(in.configFile, text) : text;
}

bool validMetricPrefix(const std::string& ns) {
  for (std::size_t i = 0; i < ns.size(); ++i) {
    const char c = ns[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool validCheckName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

// ---- setters of monitoring: --------------------------------------------------------------

void setListen(MonitoringConfig& c, const SettingInput& in) {
  ListenParts parts;
  const std::string problem = parseListen(in.raw, parts);
  if (!problem.empty()) fail(in, problem);
  c.listen = trimmed(in.raw);
  c.listenHost = parts.host;
  c.listenPort = parts.port;
}

void setNamespace(MonitoringConfig& c, const SettingInput& in) {
  const std::string ns = trimmed(in.raw);
  if (!validMetricPrefix(ns))
    fail(in, inQuotes(ns) + " is not a metric name prefix (letters, digits and '_', not starting "
                            "with a digit)");
  c.prometheus.ns = ns;
}

void setShowDetails(MonitoringConfig& c, const SettingInput& in) {
  const std::string v = trimmed(in.raw);
  if (v == "always") {
    c.auth.showDetails = ShowDetails::Always;
  } else if (v == "when_authorized") {
    c.auth.showDetails = ShowDetails::WhenAuthorized;
  } else if (v == "never") {
    c.auth.showDetails = ShowDetails::Never;
  } else {
    std::string message =
        "invalid value " + inQuotes(v) + " (expected always, when_authorized or never)";
    const std::string guess = closestWord(v, {"always", "when_authorized", "never"});
    if (!guess.empty()) message += "; did you mean " + inQuotes(guess) + "?";
    fail(in, message);
  }
}

// ---- setters of one check entry ----------------------------------------------------------

void setCheckName(CheckConfig& check, const SettingInput& in) {
  const std::string name = trimmed(in.raw);
  if (name.empty()) fail(in, "must not be empty");
  if (!validCheckName(name))
    fail(in, inQuotes(name) + " is not a valid check name (use letters, digits, '_', '.' and '-')");
  check.name = name;
}

void setCheckType(CheckConfig& check, const SettingInput& in) {
  const std::string type = trimmed(in.raw);
  if (type.empty()) fail(in, "must not be empty");
  check.type = type;
}

void setCheckProbe(CheckConfig& check, const SettingInput& in) {
  const std::string v = trimmed(in.raw);
  if (v == "readiness") {
    check.probe = Probe::Readiness;
  } else if (v == "liveness") {
    check.probe = Probe::Liveness;
  } else {
    fail(in, "invalid probe " + inQuotes(v) + " (expected readiness or liveness)");
  }
}

} // namespace

const std::vector<SettingKey>& settingKeys() {
  // In documentation order. Environment variable names are derived from the paths.
  static const std::vector<SettingKey> keys = {
      {"monitoring.listen", "HOST:PORT to serve on (IPv4 or a host name resolved to IPv4)",
       &setListen},
      {"monitoring.prometheus.enabled", "false: the metrics route answers 404",
       [](MonitoringConfig& c, const SettingInput& in) { c.prometheus.enabled = boolValue(in); }},
      {"monitoring.prometheus.endpoint", "path of the Prometheus text exposition",
       [](MonitoringConfig& c, const SettingInput& in) {
         c.prometheus.endpoint = endpointValue(in);
       }},
      {"monitoring.prometheus.namespace", "prefix for the standard metric families", &setNamespace},
      {"monitoring.health_check.enabled", "false: the health routes answer 404",
       [](MonitoringConfig& c, const SettingInput& in) { c.health.enabled = boolValue(in); }},
      {"monitoring.health_check.endpoints.health", "readiness summary route",
       [](MonitoringConfig& c, const SettingInput& in) {
         c.health.healthPath = endpointValue(in);
       }},
      {"monitoring.health_check.endpoints.live", "liveness probe route",
       [](MonitoringConfig& c, const SettingInput& in) { c.health.livePath = endpointValue(in); }},
      {"monitoring.health_check.endpoints.ready", "readiness probe route",
       [](MonitoringConfig& c, const SettingInput& in) { c.health.readyPath = endpointValue(in); }},
      {"monitoring.health_check.timeout", "default per-check timeout, more than 0s",
       [](MonitoringConfig& c, const SettingInput& in) {
         c.health.timeout = durationValue(in, false);
       }},
      {"monitoring.health_check.cache_ttl", "how long an aggregate result is reused; 0s: off",
       [](MonitoringConfig& c, const SettingInput& in) {
         c.health.cacheTtl = durationValue(in, true);
       }},
      {"monitoring.health_check.kubernetes_aliases", "true: also answer /livez and /readyz",
       [](MonitoringConfig& c, const SettingInput& in) {
         c.health.kubernetesAliases = boolValue(in);
       }},
      {"monitoring.auth.bearer_token_file", "file holding the bearer token every route requires",
       [](MonitoringConfig& c, const SettingInput& in) { c.auth.bearerTokenFile = pathValue(in); }},
      {"monitoring.auth.show_details", "per-check details: always, when_authorized or never",
       &setShowDetails},
      {"monitoring.tls.cert_file", "PEM certificate; with key_file turns on HTTPS",
       [](MonitoringConfig& c, const SettingInput& in) { c.tls.certFile = pathValue(in); }},
      {"monitoring.tls.key_file", "PEM private key",
       [](MonitoringConfig& c, const SettingInput& in) { c.tls.keyFile = pathValue(in); }},
      {"monitoring.web_config_file", "Prometheus exporter-toolkit web configuration file",
       [](MonitoringConfig& c, const SettingInput& in) { c.webConfigFile = pathValue(in); }},
  };
  return keys;
}

const std::vector<CheckKey>& checkKeys() {
  static const std::vector<CheckKey> keys = {
      {"name", "component name in reports and metric labels", &setCheckName},
      {"type", "check type (postgres, redis, tcp, ...)", &setCheckType},
      {"probe", "readiness or liveness", &setCheckProbe},
      {"critical", "a critical down makes the probe down",
       [](CheckConfig& c, const SettingInput& in) { c.critical = boolValue(in); }},
      {"timeout", "this check's timeout",
       [](CheckConfig& c, const SettingInput& in) { c.timeout = durationValue(in, false); }},
      {"degraded_after", "a successful run slower than this is degraded",
       [](CheckConfig& c, const SettingInput& in) { c.degradedAfter = durationValue(in, true); }},
      {"allow_liveness", "lets a check of an outside service decide liveness",
       [](CheckConfig& c, const SettingInput& in) { c.allowLiveness = boolValue(in); }},
  };
  return keys;
}

const SettingKey* findSettingKey(std::string_view path) {
  for (const auto& key : settingKeys())
    if (key.path == path) return &key;
  return nullptr;
}

const CheckKey* findCheckKey(std::string_view name) {
  for (const auto& key : checkKeys())
    if (key.name == name) return &key;
  return nullptr;
}

const std::vector<std::string>& sectionKeys() {
  static const std::vector<std::string> sections = [] {
    std::vector<std::string> out;
    const auto addParents = [&](std::string_view path) {
      for (std::size_t dot = path.find('.'); dot != std::string_view::npos;
           dot = path.find('.', dot + 1)) {
        const std::string parent(path.substr(0, dot));
        if (std::find(out.begin(), out.end(), parent) == out.end()) out.push_back(parent);
      }
    };
    for (const auto& key : settingKeys())
      addParents(key.path);
    addParents(kChecksKey);
    return out;
  }();
  return sections;
}

bool isSectionKey(std::string_view path) {
  const auto& sections = sectionKeys();
  return std::find(sections.begin(), sections.end(), path) != sections.end();
}

std::vector<std::string> childKeys(std::string_view section) {
  std::vector<std::string> out;
  const std::string prefix = section.empty() ? std::string{} : std::string(section) + '.';
  const auto add = [&](std::string_view key) {
    if (key.substr(0, prefix.size()) != prefix) return;
    std::string rest(key.substr(prefix.size()));
    rest = rest.substr(0, rest.find('.'));
    if (!rest.empty() && std::find(out.begin(), out.end(), rest) == out.end()) out.push_back(rest);
  };
  for (const auto& key : sectionKeys())
    add(key);
  for (const auto& key : settingKeys())
    add(key.path);
  add(kChecksKey);
  return out;
}

std::string environmentName(std::string_view dottedKey) {
  std::string name = "HEALTHDECK_";
  for (const char c : dottedKey)
    name += c == '.' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return name;
}

void applyCheckSetting(CheckConfig& check, const std::string& name, const SettingInput& input) {
  if (const CheckKey* key = findCheckKey(name)) {
    key->apply(check, input);
    return;
  }
  check.params[name] = ConfigParam{input.raw, input.source.line};
}

} // namespace healthdeck
