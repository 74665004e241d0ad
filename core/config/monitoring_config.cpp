// The monitoring configuration loader: YAML file → HEALTHDECK_MONITORING_* overrides →
// validation. Every setting remembers where its value came from (file and line, or the
// variable that overrode it) so each error points at the one place the operator must edit.
//
// Order matters: single values are checked as they are read (from the file, then from the
// environment, with the same parsers), and relations between values (route collisions, the
// TLS pair, duplicate check names, readable files, check types) are checked once, after the
// overrides, so an override can neither slip past a rule nor be blamed for the file's error.

#include "healthdeck/config/monitoring_config.h"

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/util/host_port.h"
#include "healthdeck/util/parse_bool.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <netdb.h>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

extern char** environ; // POSIX; <unistd.h> declares it only with _GNU_SOURCE

namespace healthdeck {

namespace {

constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr const char* kDefaultsName = "<defaults>";
constexpr const char* kEnvPrefix = "HEALTHDECK_";
constexpr const char* kEnvMonitoringPrefix = "HEALTHDECK_MONITORING_";
constexpr const char* kEnvChecksPrefix = "HEALTHDECK_MONITORING_CHECKS_";

// The scalar settings, as dotted paths. Their environment variables are derived from these
// names, so a key added here is configurable from both places.
const std::vector<std::string>& scalarKeys() {
  static const std::vector<std::string> keys = {
      "monitoring.listen",
      "monitoring.prometheus.enabled",
      "monitoring.prometheus.endpoint",
      "monitoring.prometheus.namespace",
      "monitoring.health_check.enabled",
      "monitoring.health_check.endpoints.health",
      "monitoring.health_check.endpoints.live",
      "monitoring.health_check.endpoints.ready",
      "monitoring.health_check.timeout",
      "monitoring.health_check.cache_ttl",
      "monitoring.health_check.kubernetes_aliases",
      "monitoring.auth.bearer_token_file",
      "monitoring.auth.show_details",
      "monitoring.tls.cert_file",
      "monitoring.tls.key_file",
      "monitoring.web_config_file",
  };
  return keys;
}

const std::vector<std::string>& mappingKeys() {
  static const std::vector<std::string> keys = {
      "monitoring",
      "monitoring.prometheus",
      "monitoring.health_check",
      "monitoring.health_check.endpoints",
      "monitoring.auth",
      "monitoring.tls",
  };
  return keys;
}

constexpr const char* kChecksKey = "monitoring.checks";

const std::vector<std::string>& commonCheckKeys() {
  static const std::vector<std::string> keys = {
      "name", "type", "probe", "critical", "timeout", "degraded_after", "allow_liveness",
  };
  return keys;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
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

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string inQuotes(const std::string& value) {
  return '\'' + value + '\'';
}

// "monitoring.health_check.endpoints.ready" → "HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY"
std::string envName(const std::string& dottedKey) {
  std::string name = dottedKey;
  std::replace(name.begin(), name.end(), '.', '_');
  return kEnvPrefix + upperAscii(name);
}

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest candidate when it is close enough to be a plausible typo, else empty.
std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t bestDistance = std::string::npos;
  for (const auto& candidate : candidates) {
    const std::size_t d = editDistance(lowerAscii(word), lowerAscii(candidate));
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return bestDistance <= limit ? best : std::string{};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string unknownKeyMessage(const std::string& word, const std::vector<std::string>& known) {
  std::string message = "unknown key " + inQuotes(word);
  const std::string suggestion = closest(word, known);
  if (!suggestion.empty()) return message + " (did you mean " + inQuotes(suggestion) + "?)";
  return message + " (known keys: " + joined(known) + ")";
}

// Direct children of a mapping path, for "known keys" and suggestions.
std::vector<std::string> childrenOf(const std::string& path) {
  std::vector<std::string> out;
  const std::string prefix = path.empty() ? std::string{} : path + '.';
  auto add = [&](const std::string& key) {
    if (!startsWith(key, prefix)) return;
    const std::string rest = key.substr(prefix.size());
    if (rest.empty() || rest.find('.') != std::string::npos) return;
    if (!contains(out, rest)) out.push_back(rest);
  };
  for (const auto& key : mappingKeys())
    add(key);
  for (const auto& key : scalarKeys())
    add(key);
  add(kChecksKey);
  return out;
}

const char* nodeKind(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map: return "a mapping";
  case YAML::NodeType::Sequence: return "a list";
  case YAML::NodeType::Scalar: return "a scalar";
  case YAML::NodeType::Null: return "nothing";
  case YAML::NodeType::Undefined: break;
  }
  return "an undefined value";
}

int lineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? 0 : mark.line + 1;
}

// An empty value's mark points past it (often at the next key), so blame the key's line.
int valueLineOf(const YAML::Node& value, int keyLine) {
  const int line = lineOf(value);
  return value.IsNull() || line == 0 ? keyLine : line;
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

struct ListenParts {
  std::string host;
  std::uint16_t port = 0;
};

// Splits and checks HOST:PORT; an empty error means `parts` is filled.
std::string parseListen(const std::string& raw, ListenParts& parts) {
  const std::string text = trimmed(raw);
  const std::string example = " (e.g. 127.0.0.1:9797, or 0.0.0.0:9797 for every interface)";
  if (!text.empty() && (text.front() == '[' || std::count(text.begin(), text.end(), ':') > 1))
    return inQuotes(text) +
           " looks like an IPv6 address: IPv6 is not supported (the embedded HTTP server is "
           "built without it); use an IPv4 address such as 127.0.0.1 or 0.0.0.0";
  std::string error;
  const auto hp = parseHostPort(text, &error);
  if (!hp) return error + example;
  parts.host = hp->host;
  parts.port = hp->port;
  return {};
}

// The IPv4 address `host` stands for, or an error message.
std::string resolveIpv4(const std::string& host, std::string& address) {
  in_addr addr{};
  if (inet_pton(AF_INET, host.c_str(), &addr) == 1) {
    address = host;
    return {};
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || !result)
    return "cannot resolve host " + inQuotes(host) + " to an IPv4 address: " + gai_strerror(rc);
  char buffer[INET_ADDRSTRLEN] = {};
  sockaddr_in sin{};
  std::memcpy(&sin, result->ai_addr, sizeof sin);
  freeaddrinfo(result);
  inet_ntop(AF_INET, &sin.sin_addr, buffer, sizeof buffer);
  address = buffer;
  return {};
}

// Why the file at `path` cannot be read, or empty. Opens without reading: the loader never
// holds secrets, and O_NONBLOCK keeps a FIFO from stalling the load.
std::string unreadableReason(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return std::strerror(EISDIR);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  return {};
}

// Records the shape of one YAML document without building it: where it starts and whether
// it is a bare null (and where), which is all screenDocuments needs.
class DocumentProbe : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override { m_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (++m_events == 1) m_null = mark;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { m_events += 2; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    m_events += 2;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    m_events += 2;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    m_events += 2;
  }
  void OnMapEnd() override {}

  const YAML::Mark& start() const { return m_start; }
  bool onlyNull() const { return m_events == 1; }
  const YAML::Mark& nullMark() const { return m_null; }

private:
  YAML::Mark m_start;
  YAML::Mark m_null = YAML::Mark::null_mark();
  int m_events = 0;
};

// Parses the text of a config file or string into a MonitoringConfig.
class Loader {
public:
  Loader(std::string fileName, EnvLookup env, EnvNames names)
      : m_file(std::move(fileName)), m_env(env), m_names(names) {
    if (!m_file.empty()) {
      const std::filesystem::path parent = std::filesystem::path(m_file).parent_path();
      m_baseDir = parent.empty() ? std::filesystem::path(".") : parent;
    }
  }

  MonitoringConfig run(const std::string* yaml) {
    m_cfg.sourceFile = yaml ? m_file : std::string{};
    if (yaml) readYaml(*yaml);
    applyEnvironment();
    validate();
    m_cfg.warnings = {};
    addWarnings(m_cfg);
    return std::move(m_cfg);
  }

  static void addWarnings(MonitoringConfig& cfg);
  static void resolveListen(MonitoringConfig& cfg);

private:
  [[noreturn]] void fail(const ConfigSource& src, const std::string& key,
                         const std::string& message) const {
    throw ConfigError(src.file, src.line, key, message);
  }

  ConfigSource fileSource(int line) const { return ConfigSource{m_file, line}; }

  // ---- YAML ---------------------------------------------------------------------------

  void readYaml(const std::string& text) {
    YAML::Node root;
    try {
      screenDocuments(text);
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      throw ConfigError(m_file, markLine(e.mark), {}, "YAML syntax error: " + e.msg);
    }
    if (root.IsNull()) return;
    if (!root.IsMap())
      fail(fileSource(lineOf(root)), {},
           std::string("expected a mapping with a `monitoring:` key at the top, got ") +
               nodeKind(root));
    walkMapping(root, {});
  }

  static int markLine(const YAML::Mark& mark) {
    return mark.is_null() || mark.line < 0 ? 0 : mark.line + 1;
  }

  // Refuses a second document, and a token yaml-cpp 0.7 cannot place (a lone ',' at the top):
  // its LoadAll then reports an empty document at the same spot forever, allocating each
  // time, so documents are walked here one by one and the walk stops at the second.
  void screenDocuments(const std::string& text) const {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentProbe first;
    if (!parser.HandleNextDocument(first)) return;
    DocumentProbe second;
    if (!parser.HandleNextDocument(second)) return;
    const bool stuck = first.onlyNull() && second.start().pos <= first.nullMark().pos;
    const std::size_t pos = static_cast<std::size_t>(std::max(0, first.nullMark().pos));
    if (stuck && pos < text.size() && text[pos] != '-')
      fail(fileSource(markLine(first.nullMark())), {},
           "YAML syntax error: unexpected " + inQuotes(std::string(1, text[pos])));
    fail(fileSource(markLine(second.start())), {},
         "the file holds more than one YAML document; keep one `monitoring:` document");
  }

  void walkMapping(const YAML::Node& node, const std::string& path) {
    std::map<std::string, int> seen;
    for (const auto& pair : node) {
      // Copies: yaml-cpp iterators hand out temporaries, and a Node is a cheap handle.
      const YAML::Node keyNode = pair.first;
      const YAML::Node value = pair.second;
      const std::string where = path.empty() ? std::string("the top level") : path;
      if (!keyNode.IsScalar())
        fail(fileSource(lineOf(keyNode)), path, "keys in " + where + " must be plain words");
      const std::string key = keyNode.Scalar();
      const std::string full = path.empty() ? key : path + '.' + key;
      const int keyLine = lineOf(keyNode);
      if (const auto prev = seen.find(key); prev != seen.end())
        fail(fileSource(keyLine), full,
             "duplicate key (first set at line " + std::to_string(prev->second) + ")");
      seen.emplace(key, keyLine);

      if (contains(scalarKeys(), full)) {
        const int valueLine = valueLineOf(value, keyLine);
        applySetting(full, scalarText(value, full, valueLine), fileSource(valueLine));
      } else if (contains(mappingKeys(), full)) {
        if (value.IsNull()) continue; // `tls:` with nothing under it: all defaults
        if (!value.IsMap())
          fail(fileSource(lineOf(value) > 0 ? lineOf(value) : keyLine), full,
               std::string("expected a mapping, got ") + nodeKind(value));
        walkMapping(value, full);
      } else if (full == kChecksKey) {
        readChecks(value, keyLine);
      } else {
        fail(fileSource(keyLine), full, unknownKeyMessage(key, childrenOf(path)));
      }
    }
  }

  std::string scalarText(const YAML::Node& value, const std::string& key, int line) const {
    if (value.IsNull()) return {};
    if (!value.IsScalar())
      fail(fileSource(line), key, std::string("expected a single value, got ") + nodeKind(value));
    return value.Scalar();
  }

  void readChecks(const YAML::Node& list, int keyLine) {
    if (list.IsNull()) return;
    if (!list.IsSequence())
      fail(fileSource(lineOf(list) > 0 ? lineOf(list) : keyLine), kChecksKey,
           std::string("expected a list of checks, got ") + nodeKind(list));
    int index = 0;
    for (const YAML::Node& entry : list) {
      const std::string path = std::string(kChecksKey) + '[' + std::to_string(index) + ']';
      const int entryLine = lineOf(entry) > 0 ? lineOf(entry) : keyLine;
      if (!entry.IsMap())
        fail(fileSource(entryLine), path,
             std::string("expected a mapping with at least name and type, got ") + nodeKind(entry));
      CheckConfig check;
      check.file = m_file;
      check.line = entryLine;
      check.index = index;
      m_cfg.sources[path] = fileSource(entryLine);
      std::map<std::string, int> seen;
      for (const auto& pair : entry) {
        const YAML::Node keyNode = pair.first;
        const YAML::Node value = pair.second;
        const int entryKeyLine = lineOf(keyNode);
        if (!keyNode.IsScalar())
          fail(fileSource(entryKeyLine), path, "keys in a check must be plain words");
        const std::string key = keyNode.Scalar();
        const std::string full = path + '.' + key;
        if (const auto prev = seen.find(key); prev != seen.end())
          fail(fileSource(entryKeyLine), full,
               "duplicate key (first set at line " + std::to_string(prev->second) + ")");
        seen.emplace(key, entryKeyLine);
        const int valueLine = valueLineOf(value, entryKeyLine);
        std::string text = scalarText(value, full, valueLine);
        if (!contains(commonCheckKeys(), key) && endsWith(key, "_file") && !text.empty())
          text = resolvePath(text);
        applyCheckKey(check, key, text, fileSource(valueLine));
      }
      m_cfg.checks.push_back(std::move(check));
      ++index;
    }
  }

  // Relative paths in a file mean "next to this file", so a config and its secrets can move
  // together; the stored path is what the exporter will open.
  std::string resolvePath(const std::string& path) const {
    if (path.empty() || path.front() == '/' || m_baseDir.empty()) return path;
    return (m_baseDir / path).lexically_normal().string();
  }

  // ---- single values (file and environment alike) ---------------------------------------

  std::chrono::milliseconds durationValue(const std::string& raw, const std::string& key,
                                          const ConfigSource& src, bool allowZero) const {
    const std::string text = trimmed(raw);
    if (!text.empty() && text.front() == '-')
      fail(src, key, inQuotes(text) + " is negative: durations must be 0 or more");
    const auto value = parseDuration(text);
    if (!value)
      fail(src, key,
           "invalid duration " + inQuotes(raw) +
               " (a number with a unit: ms, s, m or h, e.g. 250ms, 2s, 1.5s, 10m)");
    if (!allowZero && value->count() == 0) fail(src, key, "must be greater than 0s");
    return *value;
  }

  bool boolValue(const std::string& raw, const std::string& key, const ConfigSource& src) const {
    const auto value = parseBool(raw);
    if (!value) fail(src, key, "invalid boolean " + inQuotes(raw) + " (" + kBoolSpellings + ")");
    return *value;
  }

  std::string endpointValue(const std::string& raw, const std::string& key,
                            const ConfigSource& src) const {
    const std::string text = trimmed(raw);
    const std::string problem = endpointProblem(text);
    if (!problem.empty()) fail(src, key, problem);
    return text;
  }

  void applySetting(const std::string& key, const std::string& raw, const ConfigSource& src) {
    MonitoringConfig& c = m_cfg;
    if (key == "monitoring.listen") {
      ListenParts parts;
      const std::string problem = parseListen(raw, parts);
      if (!problem.empty()) fail(src, key, problem);
      c.listen = trimmed(raw);
      c.listenHost = parts.host;
      c.listenPort = parts.port;
    } else if (key == "monitoring.prometheus.enabled") {
      c.prometheus.enabled = boolValue(raw, key, src);
    } else if (key == "monitoring.prometheus.endpoint") {
      c.prometheus.endpoint = endpointValue(raw, key, src);
    } else if (key == "monitoring.prometheus.namespace") {
      const std::string ns = trimmed(raw);
      if (!validMetricPrefix(ns))
        fail(src, key,
             inQuotes(ns) + " is not a metric name prefix (letters, digits and '_', not starting "
                            "with a digit)");
      c.prometheus.ns = ns;
    } else if (key == "monitoring.health_check.enabled") {
      c.health.enabled = boolValue(raw, key, src);
    } else if (key == "monitoring.health_check.endpoints.health") {
      c.health.healthPath = endpointValue(raw, key, src);
    } else if (key == "monitoring.health_check.endpoints.live") {
      c.health.livePath = endpointValue(raw, key, src);
    } else if (key == "monitoring.health_check.endpoints.ready") {
      c.health.readyPath = endpointValue(raw, key, src);
    } else if (key == "monitoring.health_check.timeout") {
      c.health.timeout = durationValue(raw, key, src, false);
    } else if (key == "monitoring.health_check.cache_ttl") {
      c.health.cacheTtl = durationValue(raw, key, src, true);
    } else if (key == "monitoring.health_check.kubernetes_aliases") {
      c.health.kubernetesAliases = boolValue(raw, key, src);
    } else if (key == "monitoring.web_config_file") {
      c.webConfigFile = pathValue(raw, src);
    } else if (key == "monitoring.auth.bearer_token_file") {
      c.auth.bearerTokenFile = pathValue(raw, src);
    } else if (key == "monitoring.auth.show_details") {
      const std::string v = trimmed(raw);
      if (v == "always") {
        c.auth.showDetails = ShowDetails::Always;
      } else if (v == "when_authorized") {
        c.auth.showDetails = ShowDetails::WhenAuthorized;
      } else if (v == "never") {
        c.auth.showDetails = ShowDetails::Never;
      } else {
        std::string message =
            "invalid value " + inQuotes(v) + " (expected always, when_authorized or never)";
        const std::string guess = closest(v, {"always", "when_authorized", "never"});
        if (!guess.empty()) message += "; did you mean " + inQuotes(guess) + "?";
        fail(src, key, message);
      }
    } else if (key == "monitoring.tls.cert_file") {
      c.tls.certFile = pathValue(raw, src);
    } else if (key == "monitoring.tls.key_file") {
      c.tls.keyFile = pathValue(raw, src);
    }
    c.sources[key] = src;
  }

  std::string pathValue(const std::string& raw, const ConfigSource& src) const {
    const std::string text = trimmed(raw);
    return src.file == m_file && src.line > 0 ? resolvePath(text) : text;
  }

  void applyCheckKey(CheckConfig& check, const std::string& key, const std::string& raw,
                     const ConfigSource& src) {
    const std::string full =
        std::string(kChecksKey) + '[' + std::to_string(check.index) + "]." + key;
    if (key == "name") {
      const std::string name = trimmed(raw);
      if (name.empty()) fail(src, full, "must not be empty");
      if (!validCheckName(name))
        fail(src, full,
             inQuotes(name) + " is not a valid check name (use letters, digits, '_', '.' and '-')");
      check.name = name;
    } else if (key == "type") {
      const std::string type = trimmed(raw);
      if (type.empty()) fail(src, full, "must not be empty");
      check.type = type;
    } else if (key == "probe") {
      const std::string v = trimmed(raw);
      if (v == "readiness") {
        check.probe = Probe::Readiness;
      } else if (v == "liveness") {
        check.probe = Probe::Liveness;
      } else {
        fail(src, full, "invalid probe " + inQuotes(v) + " (expected readiness or liveness)");
      }
    } else if (key == "critical") {
      check.critical = boolValue(raw, full, src);
    } else if (key == "allow_liveness") {
      check.allowLiveness = boolValue(raw, full, src);
    } else if (key == "timeout") {
      check.timeout = durationValue(raw, full, src, false);
    } else if (key == "degraded_after") {
      check.degradedAfter = durationValue(raw, full, src, true);
    } else {
      check.params[key] = ConfigParam{raw, src.line};
    }
    m_cfg.sources[full] = src;
  }

  // ---- environment ------------------------------------------------------------------------

  std::optional<std::string> lookup(const std::string& name) const {
    return m_env ? m_env(name.c_str()) : std::nullopt;
  }

  void applyEnvironment() {
    for (const auto& key : scalarKeys()) {
      const std::string var = envName(key);
      if (const auto value = lookup(var)) applySetting(key, *value, ConfigSource{var, 0});
    }

    std::vector<std::string> names;
    EnvNames lister = m_names;
    if (!lister && m_env == &processEnv) lister = &processEnvNames;
    if (lister) names = lister();

    // Check entries: look up every key the entry could take (so an injected lookup works
    // without a name list), plus whatever the name list shows.
    std::set<std::string> checkVars;
    for (const auto& check : m_cfg.checks) {
      const std::string prefix = kEnvChecksPrefix + std::to_string(check.index) + '_';
      std::set<std::string> keys(commonCheckKeys().begin(), commonCheckKeys().end());
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

  // Refuses HEALTHDECK_MONITORING_* names that configure nothing: a typo must not silently
  // leave the file's value in force.
  void screenName(const std::string& name, std::set<std::string>& checkVars) const {
    std::vector<std::string> known;
    for (const auto& key : scalarKeys()) {
      known.push_back(envName(key));
      if (known.back() == name) return;
    }
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
      if (index >= m_cfg.checks.size())
        throw ConfigError(name, 0, std::string(kChecksKey) + '[' + digits + ']',
                          "there is no check at index " + digits + " (the file defines " +
                              std::to_string(m_cfg.checks.size()) +
                              "); the environment can override keys of listed checks but "
                              "cannot add checks");
      checkVars.insert(name);
      return;
    }
    std::string message = "unknown setting";
    const std::string guess = closest(name, known);
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
    if (index >= m_cfg.checks.size()) return; // screened already
    const std::string key = lowerAscii(rest.substr(underscore + 1));
    CheckConfig& check = m_cfg.checks[index];
    applyCheckKey(check, key, value, ConfigSource{var, 0});
  }

  // ---- relations between values ----------------------------------------------------------

  ConfigSource sourceOf(const std::string& key) const {
    const auto it = m_cfg.sources.find(key);
    if (it != m_cfg.sources.end()) return it->second;
    return ConfigSource{m_cfg.sourceFile.empty() ? kDefaultsName : m_cfg.sourceFile, 0};
  }

  bool fromEnvironment(const std::string& key) const {
    const auto it = m_cfg.sources.find(key);
    return it != m_cfg.sources.end() && startsWith(it->second.file, kEnvPrefix) &&
           it->second.line == 0;
  }

  // Of two keys in conflict, the one to blame: an environment override, else the later line.
  std::string laterOf(const std::string& a, const std::string& b) const {
    if (fromEnvironment(a) != fromEnvironment(b)) return fromEnvironment(a) ? a : b;
    return sourceOf(a).line >= sourceOf(b).line ? a : b;
  }

  void checkReadable(const std::string& key, const std::string& path) const {
    if (path.empty()) return;
    const std::string reason = unreadableReason(path);
    if (!reason.empty()) fail(sourceOf(key), key, "cannot read " + path + ": " + reason);
  }

  void validate() {
    MonitoringConfig& c = m_cfg;
    resolveListen(c);

    const std::vector<std::pair<std::string, std::string>> routes = {
        {"monitoring.prometheus.endpoint", c.prometheus.endpoint},
        {"monitoring.health_check.endpoints.health", c.health.healthPath},
        {"monitoring.health_check.endpoints.live", c.health.livePath},
        {"monitoring.health_check.endpoints.ready", c.health.readyPath},
    };
    for (std::size_t i = 0; i < routes.size(); ++i)
      for (std::size_t j = i + 1; j < routes.size(); ++j)
        if (routes[i].second == routes[j].second) {
          const std::string blamed = laterOf(routes[i].first, routes[j].first);
          const std::string other = blamed == routes[i].first ? routes[j].first : routes[i].first;
          fail(sourceOf(blamed), blamed,
               inQuotes(routes[i].second) + " collides with " + other +
                   ": every route needs its own path");
        }

    if (c.tls.certFile.empty() != c.tls.keyFile.empty()) {
      const std::string given =
          c.tls.certFile.empty() ? "monitoring.tls.key_file" : "monitoring.tls.cert_file";
      const std::string missing = c.tls.certFile.empty() ? "cert_file" : "key_file";
      fail(sourceOf(given), given,
           "TLS needs both cert_file and key_file; " + missing + " is not set");
    }
    checkReadable("monitoring.auth.bearer_token_file", c.auth.bearerTokenFile);
    checkReadable("monitoring.tls.cert_file", c.tls.certFile);
    checkReadable("monitoring.tls.key_file", c.tls.keyFile);
    checkReadable("monitoring.web_config_file", c.webConfigFile);
    if (!c.webConfigFile.empty()) {
      // Its own errors name its own file, line and key (the operator edits that file).
      c.webConfig = loadWebConfig(c.webConfigFile);
      if (c.webConfig->tls.enabled() && !c.tls.certFile.empty())
        fail(sourceOf("monitoring.web_config_file"), "monitoring.web_config_file",
             "TLS is configured twice: " + c.webConfigFile +
                 " has tls_server_config and monitoring.tls is set too; keep one");
    }

    std::map<std::string, std::string> names; // name → key of its first definition
    for (auto& check : c.checks)
      validateCheck(check, names);
  }

  void validateCheck(CheckConfig& check, std::map<std::string, std::string>& names) {
    const std::string path = std::string(kChecksKey) + '[' + std::to_string(check.index) + ']';
    if (check.name.empty()) fail(sourceOf(path), path + ".name", "missing required key 'name'");
    if (check.type.empty()) fail(sourceOf(path), path + ".type", "missing required key 'type'");
    const auto [first, inserted] = names.emplace(check.name, path + ".name");
    if (!inserted) {
      const ConfigSource earlier = sourceOf(first->second);
      std::string where = earlier.line > 0 ? "line " + std::to_string(earlier.line) : earlier.file;
      fail(sourceOf(path + ".name"), path + ".name",
           "duplicate check name " + inQuotes(check.name) + " (first used by " + first->second +
               ", " + where + ")");
    }
    for (const auto& [key, param] : check.params)
      if (endsWith(key, "_file")) checkReadable(path + '.' + key, param.value);

    const CheckType* type = findCheckType(check.type);
    if (!type) {
      std::vector<std::string> known;
      for (const auto& t : checkTypes())
        known.push_back(t.type);
      std::string message = "unknown check type " + inQuotes(check.type);
      const std::string guess = closest(check.type, known);
      if (!guess.empty())
        message += " (did you mean " + inQuotes(guess) + "?)";
      else
        message += " (known types: " + joined(known) + ")";
      fail(sourceOf(path + ".type"), path + ".type", message);
    }
    if (type->outsideService && check.probe == Probe::Liveness && !check.allowLiveness)
      fail(sourceOf(path + ".probe"), path + ".probe",
           "a " + check.type +
               " check depends on an outside service and must not decide liveness (a restart "
               "cannot fix the dependency); use probe: readiness, or set allow_liveness: true");

    try {
      (void)buildCheck(check);
    } catch (const ConfigError& e) {
      // The check type knows only the entry; re-aim at the environment variable when the
      // offending value came from one.
      if (fromEnvironment(e.key())) fail(sourceOf(e.key()), e.key(), e.message());
      throw;
    } catch (const std::exception& e) {
      fail(sourceOf(path), path, e.what());
    }
  }

  MonitoringConfig m_cfg;
  std::string m_file;
  std::filesystem::path m_baseDir;
  EnvLookup m_env;
  EnvNames m_names;
};

void Loader::resolveListen(MonitoringConfig& cfg) {
  std::string address;
  const std::string problem = resolveIpv4(cfg.listenHost, address);
  if (!problem.empty()) throw cfg.error("monitoring.listen", problem);
  cfg.listenAddress = address;
}

void Loader::addWarnings(MonitoringConfig& cfg) {
  const bool basicAuth = cfg.webConfig && !cfg.webConfig->basicAuthUsers.empty();
  const bool webTls = cfg.webConfig && cfg.webConfig->tls.enabled();
  if (cfg.webConfig)
    cfg.warnings.insert(cfg.warnings.end(), cfg.webConfig->warnings.begin(),
                        cfg.webConfig->warnings.end());
  if (!cfg.listensOnLoopback()) {
    if (cfg.auth.bearerTokenFile.empty() && !basicAuth &&
        !(webTls && cfg.webConfig->tls.clientAuth == ClientAuthType::RequireAndVerifyClientCert)) {
      cfg.warnings.push_back(
          "monitoring.listen " + cfg.listen +
          " accepts connections from other hosts and monitoring.auth.bearer_token_file is not "
          "set: anyone who can reach the port can read the metrics and health details");
    } else if (cfg.tls.certFile.empty() && !webTls) {
      cfg.warnings.push_back("monitoring.listen " + cfg.listen +
                             " accepts connections from other hosts without TLS: the " +
                             std::string(basicAuth ? "password" : "bearer token") +
                             " crosses the network in clear text");
    }
  }
  for (const auto& check : cfg.checks) {
    const auto timeout = check.timeout.count() > 0 ? check.timeout : cfg.health.timeout;
    if (check.degradedAfter.count() > 0 && check.degradedAfter >= timeout)
      cfg.warnings.push_back(
          "monitoring.checks[" + std::to_string(check.index) + "].degraded_after (" +
          std::to_string(check.degradedAfter.count()) + " ms) is not below the check's timeout (" +
          std::to_string(timeout.count()) + " ms): the check can never report degraded");
  }
}

std::string readWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw ConfigError(path, 0, {}, "cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw ConfigError(path, 0, {}, "cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxFileBytes) {
      ::close(fd);
      throw ConfigError(path, 0, {},
                        "the file is larger than 1 MiB; this is not a monitoring config");
    }
  }
  ::close(fd);
  return text;
}

} // namespace

bool MonitoringConfig::listensOnLoopback() const {
  in_addr addr{};
  if (inet_pton(AF_INET, listenAddress.c_str(), &addr) != 1) return false;
  return (ntohl(addr.s_addr) >> 24) == 127;
}

ConfigError MonitoringConfig::error(const std::string& key, const std::string& message) const {
  const auto it = sources.find(key);
  if (it != sources.end()) return ConfigError(it->second.file, it->second.line, key, message);
  return ConfigError(sourceFile.empty() ? kDefaultsName : sourceFile, 0, key, message);
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
      return Loader({}, env, names).run(nullptr);
    file = fallback;
  }
  const std::string text = readWholeFile(file);
  return Loader(file, env, names).run(&text);
}

MonitoringConfig parseMonitoringConfig(const std::string& yaml, const std::string& fileName,
                                       EnvLookup env, EnvNames names) {
  return Loader(fileName, env, names).run(&yaml);
}

void overrideListen(MonitoringConfig& config, const std::string& hostPort,
                    const std::string& origin) {
  ListenParts parts;
  const std::string problem = parseListen(hostPort, parts);
  if (!problem.empty()) throw ConfigError(origin, 0, "monitoring.listen", problem);
  MonitoringConfig updated = config;
  updated.listen = trimmed(hostPort);
  updated.listenHost = parts.host;
  updated.listenPort = parts.port;
  updated.sources["monitoring.listen"] = ConfigSource{origin, 0};
  Loader::resolveListen(updated);
  updated.warnings.clear();
  Loader::addWarnings(updated);
  config = std::move(updated);
}

void checkListenAvailable(const MonitoringConfig& config) {
  const std::string where = config.listenAddress + ':' + std::to_string(config.listenPort);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(config.listenPort);
  if (inet_pton(AF_INET, config.listenAddress.c_str(), &sin.sin_addr) != 1)
    throw config.error("monitoring.listen",
                       inQuotes(config.listenAddress) + " is not an IPv4 address");
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw config.error("monitoring.listen",
                       std::string("cannot create a socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr* addr = reinterpret_cast<sockaddr*>(&sin);
  const int rc = ::bind(fd, addr, sizeof sin);
  const int err = errno;
  ::close(fd);
  if (rc == 0) return;
  std::string message;
  switch (err) {
  case EADDRINUSE: message = where + " is already in use"; break;
  case EACCES:
    message = "permission denied binding " + where +
              " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
    break;
  case EADDRNOTAVAIL: message = config.listenAddress + " is not an address of this host"; break;
  default: message = "cannot bind " + where + ": " + std::strerror(err); break;
  }
  throw config.error("monitoring.listen", message);
}

} // namespace healthdeck
