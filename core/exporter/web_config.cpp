// The exporter-toolkit web configuration file → WebConfig. Strict like exporter-toolkit's
// UnmarshalStrict (an unknown or repeated key is an error, not a silent default), and every
// error names the file, line and dotted key so the operator edits one place.

#include "healthdeck/exporter/web_config.h"

#include "healthdeck/config/config_file.h"
#include "healthdeck/config/key_suggestion.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/config/yaml_support.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace healthdeck {

namespace {

const std::vector<std::string>& topKeys() {
  static const std::vector<std::string> keys = {"tls_server_config", "http_server_config",
                                                "basic_auth_users", "rate_limit"};
  return keys;
}

const std::vector<std::string>& tlsKeys() {
  static const std::vector<std::string> keys = {"cert",
                                                "key",
                                                "client_ca",
                                                "cert_file",
                                                "key_file",
                                                "client_ca_file",
                                                "client_auth_type",
                                                "client_allowed_sans",
                                                "min_version",
                                                "max_version",
                                                "cipher_suites",
                                                "prefer_server_cipher_suites",
                                                "curve_preferences"};
  return keys;
}

const std::vector<std::string>& httpKeys() {
  static const std::vector<std::string> keys = {"http2", "headers"};
  return keys;
}

const std::vector<std::string>& rateLimitKeys() {
  static const std::vector<std::string> keys = {"interval", "burst"};
  return keys;
}

// exporter-toolkit's list of settable headers; an empty value list means any value.
struct AllowedHeader {
  std::string name;
  std::vector<std::string> values;
};

const std::vector<AllowedHeader>& allowedHeaders() {
  static const std::vector<AllowedHeader> headers = {
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  };
  return headers;
}

const std::vector<CurvePreference>& knownCurves() {
  static const std::vector<CurvePreference> curves = {
      {"CurveP256", 23, "P-256"},
      {"CurveP384", 24, "P-384"},
      {"CurveP521", 25, "P-521"},
      {"X25519", 29, "X25519"},
  };
  return curves;
}

struct ClientAuthName {
  const char* name;
  ClientAuthType type;
};

constexpr ClientAuthName kClientAuthNames[] = {
    {"NoClientCert", ClientAuthType::NoClientCert},
    {"RequestClientCert", ClientAuthType::RequestClientCert},
    {"RequireAnyClientCert", ClientAuthType::RequireAnyClientCert},
    {"VerifyClientCertIfGiven", ClientAuthType::VerifyClientCertIfGiven},
    {"RequireAndVerifyClientCert", ClientAuthType::RequireAndVerifyClientCert},
};

struct VersionName {
  const char* name;
  TlsVersion version;
};

constexpr VersionName kVersionNames[] = {
    {"TLS10", TlsVersion::Tls10},
    {"TLS11", TlsVersion::Tls11},
    {"TLS12", TlsVersion::Tls12},
    {"TLS13", TlsVersion::Tls13},
};

std::string quoted(const std::string& text) {
  return '\'' + text + '\'';
}

std::string lowerAscii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// bcrypt's modular crypt format: $2a$/$2b$/$2x$/$2y$, a two-digit cost 04-31, then 22 salt
// and 31 hash characters of bcrypt's base64 alphabet.
bool isBcryptHash(const std::string& hash) {
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$')
    return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'x' && hash[2] != 'y') return false;
  if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9') return false;
  const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost < 4 || cost > 31) return false;
  return std::all_of(hash.begin() + 7, hash.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/';
  });
}

// A header value that would end the header line early or smuggle a second one.
bool hasControlCharacter(const std::string& value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

class WebConfigLoader {
public:
  WebConfigLoader(std::string file, bool checkFiles)
      : m_file(std::move(file)), m_checkFiles(checkFiles) {}

  WebConfig run(const std::string& text) {
    m_cfg.sourceFile = m_file;
    const YAML::Node root =
        loadYamlDocument(text, m_file, "web configuration (tls_server_config, ...)");
    if (!root.IsNull()) {
      if (!root.IsMap())
        fail(lineOf(root), {},
             std::string("expected a mapping (tls_server_config, http_server_config, "
                         "basic_auth_users), got ") +
                 nodeKind(root));
      walk(root, {}, topKeys(),
           [this](const std::string& key, const YAML::Node& value, int keyLine) {
             readTop(key, value, keyLine);
           });
    }
    validate();
    return std::move(m_cfg);
  }

private:
  template <typename Handler>
  void walk(const YAML::Node& map, const std::string& path, const std::vector<std::string>& known,
            Handler handle) {
    std::map<std::string, int> seen;
    for (const auto& pair : map) {
      // Copies: yaml-cpp iterators hand out temporaries, and a Node is a cheap handle.
      const YAML::Node keyNode = pair.first;
      const YAML::Node value = pair.second;
      const int keyLine = lineOf(keyNode);
      if (!keyNode.IsScalar())
        fail(keyLine, path,
             "keys in " + (path.empty() ? std::string("the top level") : path) +
                 " must be plain words");
      const std::string key = keyNode.Scalar();
      const std::string full = path.empty() ? key : path + '.' + key;
      if (const auto prev = seen.find(key); prev != seen.end())
        fail(keyLine, full,
             "duplicate key (first set at line " + std::to_string(prev->second) + ")");
      seen.emplace(key, keyLine);
      if (!known.empty() && std::find(known.begin(), known.end(), key) == known.end())
        fail(keyLine, full, unknownKeyMessage(key, known));
      // A section is blamed at its key; a value at the value.
      m_lines[full] = value.IsMap() ? keyLine : valueLineOf(value, keyLine);
      handle(key, value, keyLine);
    }
  }

  void expectMapping(const YAML::Node& value, const std::string& key, int keyLine) const {
    if (!value.IsMap())
      fail(valueLineOf(value, keyLine), key,
           std::string("expected a mapping, got ") + nodeKind(value));
  }

  void readTop(const std::string& key, const YAML::Node& value, int keyLine) {
    if (value.IsNull()) return; // `tls_server_config:` with nothing under it: defaults
    expectMapping(value, key, keyLine);
    if (key == "tls_server_config") {
      walk(value, key, tlsKeys(),
           [this](const std::string& k, const YAML::Node& v, int line) { readTls(k, v, line); });
    } else if (key == "http_server_config") {
      walk(value, key, httpKeys(),
           [this](const std::string& k, const YAML::Node& v, int line) { readHttp(k, v, line); });
    } else if (key == "basic_auth_users") {
      walk(value, key, {}, [this](const std::string& user, const YAML::Node& v, int line) {
        readUser(user, v, line);
      });
    } else if (key == "rate_limit") {
      walk(value, key, rateLimitKeys(),
           [this](const std::string& k, const YAML::Node& v, int line) {
             readRateLimit(k, v, line);
           });
    }
  }

  std::string scalar(const YAML::Node& value, const std::string& key, int keyLine) const {
    if (value.IsNull()) return {};
    if (!value.IsScalar())
      fail(valueLineOf(value, keyLine), key,
           std::string("expected a single value, got ") + nodeKind(value));
    return value.Scalar();
  }

  std::vector<std::pair<std::string, int>> list(const YAML::Node& value, const std::string& key,
                                                int keyLine) const {
    std::vector<std::pair<std::string, int>> out;
    if (value.IsNull()) return out;
    if (!value.IsSequence())
      fail(valueLineOf(value, keyLine), key,
           std::string("expected a list, got ") + nodeKind(value));
    for (const YAML::Node& item : value) {
      const int line = valueLineOf(item, keyLine);
      if (!item.IsScalar())
        fail(line, key, std::string("expected a list of single values, got ") + nodeKind(item));
      out.emplace_back(item.Scalar(), line);
    }
    return out;
  }

  bool boolean(const YAML::Node& value, const std::string& key, int keyLine) const {
    const std::string text = scalar(value, key, keyLine);
    // YAML 1.1 spellings, as the Go YAML library that exporter-toolkit uses reads them.
    const std::string v = lowerAscii(text);
    if (v == "true" || v == "yes" || v == "on" || v == "y") return true;
    if (v == "false" || v == "no" || v == "off" || v == "n") return false;
    fail(valueLineOf(value, keyLine), key,
         "invalid boolean " + quoted(text) + " (expected true or false)");
  }

  std::string path(const YAML::Node& value, const std::string& key, int keyLine) const {
    return resolveAgainst(m_file, scalar(value, key, keyLine));
  }

  void readTls(const std::string& key, const YAML::Node& value, int keyLine) {
    const std::string full = "tls_server_config." + key;
    WebConfig::TlsServer& t = m_cfg.tls;
    if (key == "cert") {
      t.certPem = scalar(value, full, keyLine);
    } else if (key == "key") {
      t.keyPem = scalar(value, full, keyLine);
    } else if (key == "client_ca") {
      t.clientCaPem = scalar(value, full, keyLine);
    } else if (key == "cert_file") {
      t.certFile = path(value, full, keyLine);
    } else if (key == "key_file") {
      t.keyFile = path(value, full, keyLine);
    } else if (key == "client_ca_file") {
      t.clientCaFile = path(value, full, keyLine);
    } else if (key == "client_auth_type") {
      const std::string text = scalar(value, full, keyLine);
      m_clientAuthSet = !text.empty();
      t.clientAuth = clientAuth(text, full, valueLineOf(value, keyLine));
    } else if (key == "client_allowed_sans") {
      m_sansSet = true;
      for (const auto& [san, line] : list(value, full, keyLine))
        t.clientAllowedSans.push_back(san);
    } else if (key == "min_version") {
      t.minVersion = version(scalar(value, full, keyLine), full, valueLineOf(value, keyLine));
    } else if (key == "max_version") {
      t.maxVersion = version(scalar(value, full, keyLine), full, valueLineOf(value, keyLine));
    } else if (key == "cipher_suites") {
      for (const auto& [name, line] : list(value, full, keyLine))
        t.cipherSuites.push_back(cipher(name, full, line));
    } else if (key == "prefer_server_cipher_suites") {
      t.preferServerCipherSuites = boolean(value, full, keyLine);
    } else if (key == "curve_preferences") {
      for (const auto& [name, line] : list(value, full, keyLine))
        t.curvePreferences.push_back(curve(name, full, line));
    }
  }

  ClientAuthType clientAuth(const std::string& text, const std::string& key, int line) const {
    if (text.empty()) return ClientAuthType::NoClientCert;
    if (text == "RequireClientCert") return ClientAuthType::RequireAnyClientCert;
    std::vector<std::string> names;
    for (const auto& entry : kClientAuthNames) {
      if (text == entry.name) return entry.type;
      names.emplace_back(entry.name);
    }
    fail(line, key, invalidChoice(text, names));
  }

  TlsVersion version(const std::string& text, const std::string& key, int line) const {
    std::vector<std::string> names;
    for (const auto& entry : kVersionNames) {
      if (text == entry.name) return entry.version;
      names.emplace_back(entry.name);
    }
    fail(line, key,
         "unknown TLS version " + quoted(text) + " (expected " + joinedWords(names) + ")");
  }

  CipherSuite cipher(const std::string& name, const std::string& key, int line) const {
    std::vector<std::string> names;
    for (const auto& suite : knownCipherSuites()) {
      if (name == suite.goName) {
        if (suite.openSslName.empty())
          fail(line, key,
               quoted(name) + " cannot be offered: the TLS library here (OpenSSL 3) has no 3DES; "
                              "remove it from the list");
        return suite;
      }
      names.push_back(suite.goName);
    }
    std::string message = "unknown cipher suite " + quoted(name);
    const std::string guess = closestWord(name, names);
    if (!guess.empty())
      message += " (did you mean " + quoted(guess) + "?)";
    else
      message += " (Go names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)";
    fail(line, key, message);
  }

  CurvePreference curve(const std::string& name, const std::string& key, int line) const {
    std::vector<std::string> names;
    for (const auto& c : knownCurves()) {
      if (name == c.goName) return c;
      names.push_back(c.goName);
    }
    fail(line, key, "unknown curve " + quoted(name) + " (expected " + joinedWords(names) + ")");
  }

  std::string invalidChoice(const std::string& text, const std::vector<std::string>& names) const {
    std::string message = "invalid value " + quoted(text);
    const std::string guess = closestWord(text, names);
    if (!guess.empty()) return message + " (did you mean " + quoted(guess) + "?)";
    return message + " (expected one of " + joinedWords(names) + ")";
  }

  void readHttp(const std::string& key, const YAML::Node& value, int keyLine) {
    const std::string full = "http_server_config." + key;
    if (key == "http2") {
      m_cfg.http.http2 = boolean(value, full, keyLine);
      return;
    }
    if (value.IsNull()) return;
    expectMapping(value, full, keyLine);
    std::vector<std::string> names;
    for (const auto& h : allowedHeaders())
      names.push_back(h.name);
    walk(value, full, {}, [&](const std::string& name, const YAML::Node& v, int line) {
      const std::string headerKey = full + '.' + name;
      const auto it = std::find_if(allowedHeaders().begin(), allowedHeaders().end(),
                                   [&](const AllowedHeader& h) { return h.name == name; });
      if (it == allowedHeaders().end()) {
        std::string message = "HTTP header " + quoted(name) + " cannot be configured";
        const std::string guess = closestWord(name, names);
        if (!guess.empty())
          message += " (did you mean " + quoted(guess) + "?)";
        else
          message += " (allowed: " + joinedWords(names) + ")";
        fail(line, headerKey, message);
      }
      const std::string text = scalar(v, headerKey, line);
      const int valueLine = valueLineOf(v, line);
      if (hasControlCharacter(text))
        fail(valueLine, headerKey, "the value contains a control character (line break?)");
      if (!it->values.empty() &&
          std::find(it->values.begin(), it->values.end(), text) == it->values.end())
        fail(valueLine, headerKey,
             "invalid value " + quoted(text) + " (expected " + joinedWords(it->values) + ")");
      if (!text.empty()) m_cfg.http.headers[name] = text;
    });
  }

  void readUser(const std::string& user, const YAML::Node& value, int keyLine) {
    const std::string full = "basic_auth_users." + user;
    const std::string hash = scalar(value, full, keyLine);
    // The hash itself stays out of the message: it is the secret an offline attack needs.
    if (!isBcryptHash(hash))
      fail(valueLineOf(value, keyLine), full,
           "not a bcrypt hash (expected $2y$, $2b$ or $2a$, a cost 04-31 and 53 characters, "
           "as `htpasswd -nBC 10 \"\" | tr -d ':\\n'` prints)");
    if (user.find(':') != std::string::npos)
      m_cfg.warnings.push_back(
          m_file + ':' + std::to_string(keyLine) + ": " + full +
          ": a user name with ':' can never log in (Basic credentials split at the first ':')");
    m_cfg.basicAuthUsers[user] = hash;
  }

  void readRateLimit(const std::string& key, const YAML::Node& value, int keyLine) {
    const std::string full = "rate_limit." + key;
    const std::string text = scalar(value, full, keyLine);
    const int line = valueLineOf(value, keyLine);
    if (key == "interval") {
      if (text.empty() || text == "0") {
        m_cfg.rateLimit.interval = std::chrono::milliseconds{0};
        return;
      }
      const auto parsed = parseDuration(text);
      if (!parsed)
        fail(line, full,
             "invalid duration " + quoted(text) + " (e.g. 1s, 250ms, 1m; 0 turns the limit off)");
      m_cfg.rateLimit.interval = *parsed;
    } else if (key == "burst") {
      int burst = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), burst);
      if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || burst < 0)
        fail(line, full, "invalid burst " + quoted(text) + " (a whole number, 0 or more)");
      m_cfg.rateLimit.burst = burst;
    }
  }

  // ---- relations between values ------------------------------------------------------

  int lineFor(const std::string& key) const {
    const auto it = m_lines.find(key);
    if (it != m_lines.end()) return it->second;
    const auto section = m_lines.find(key.substr(0, key.find('.')));
    return section != m_lines.end() ? section->second : 0;
  }

  void checkReadable(const std::string& key, const std::string& file) const {
    if (!m_checkFiles || file.empty()) return;
    const std::string reason = unreadableReason(file);
    if (!reason.empty()) fail(lineFor(key), key, "cannot read " + file + ": " + reason);
  }

  void validate() {
    const WebConfig::TlsServer& t = m_cfg.tls;
    const bool caGiven = !t.clientCaFile.empty() || !t.clientCaPem.empty();
    // exporter-toolkit counts a client_auth_type alone (even NoClientCert) as asking for TLS.
    if (t.enabled() || m_clientAuthSet) {
      if (t.certFile.empty() && t.certPem.empty())
        fail(lineFor("tls_server_config.cert_file"), "tls_server_config.cert_file",
             "TLS needs a certificate: set cert_file (or an inline cert)");
      if (t.keyFile.empty() && t.keyPem.empty())
        fail(lineFor("tls_server_config.key_file"), "tls_server_config.key_file",
             "TLS needs the certificate's key: set key_file (or an inline key)");
    }
    if (caGiven && t.clientAuth == ClientAuthType::NoClientCert) {
      const std::string key = !t.clientCaFile.empty() ? "tls_server_config.client_ca_file"
                                                      : "tls_server_config.client_ca";
      fail(lineFor(key), key,
           "client CAs are configured but client_auth_type does not ask for a client "
           "certificate; set client_auth_type: RequireAndVerifyClientCert");
    }
    if (m_sansSet && !t.requiresClientCert())
      fail(lineFor("tls_server_config.client_allowed_sans"),
           "tls_server_config.client_allowed_sans",
           "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert (with "
           "the other types a client may send no certificate, leaving no SAN to match)");
    if (static_cast<std::uint16_t>(t.minVersion) > static_cast<std::uint16_t>(t.maxVersion)) {
      const std::string key =
          lineFor("tls_server_config.min_version") >= lineFor("tls_server_config.max_version")
              ? "tls_server_config.min_version"
              : "tls_server_config.max_version";
      fail(lineFor(key), key,
           "min_version " + std::string(toString(t.minVersion)) + " is above max_version " +
               std::string(toString(t.maxVersion)) + ": no protocol version is left");
    }
    checkReadable("tls_server_config.cert_file", t.certFile);
    checkReadable("tls_server_config.key_file", t.keyFile);
    checkReadable("tls_server_config.client_ca_file", t.clientCaFile);
  }

  [[noreturn]] void fail(int line, const std::string& key, const std::string& message) const {
    throw ConfigError(m_file, line, key, message);
  }

  WebConfig m_cfg;
  std::string m_file;
  bool m_checkFiles;
  bool m_clientAuthSet = false;
  bool m_sansSet = false;
  std::map<std::string, int> m_lines; // dotted key → line of its value
};

} // namespace

bool WebConfig::TlsServer::enabled() const {
  return !certFile.empty() || !certPem.empty() || !keyFile.empty() || !keyPem.empty() ||
         !clientCaFile.empty() || !clientCaPem.empty() ||
         clientAuth != ClientAuthType::NoClientCert;
}

bool WebConfig::TlsServer::requiresClientCert() const {
  return clientAuth == ClientAuthType::RequireAnyClientCert ||
         clientAuth == ClientAuthType::RequireAndVerifyClientCert;
}

bool WebConfig::TlsServer::verifiesClientCert() const {
  return clientAuth == ClientAuthType::VerifyClientCertIfGiven ||
         clientAuth == ClientAuthType::RequireAndVerifyClientCert;
}

const std::vector<CipherSuite>& knownCipherSuites() {
  // Go's tls.CipherSuites() (the suites Go does not flag insecure), with the IANA code point
  // and OpenSSL's name for each; 3DES has no OpenSSL 3 name (it was removed from the default
  // provider), so a file naming it is refused with that reason instead of being half-honoured.
  static const std::vector<CipherSuite> suites = {
      {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x000a, "", false},
      {"TLS_RSA_WITH_AES_128_CBC_SHA", 0x002f, "AES128-SHA", false},
      {"TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035, "AES256-SHA", false},
      {"TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c, "AES128-GCM-SHA256", false},
      {"TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009d, "AES256-GCM-SHA384", false},
      {"TLS_AES_128_GCM_SHA256", 0x1301, "TLS_AES_128_GCM_SHA256", true},
      {"TLS_AES_256_GCM_SHA384", 0x1302, "TLS_AES_256_GCM_SHA384", true},
      {"TLS_CHACHA20_POLY1305_SHA256", 0x1303, "TLS_CHACHA20_POLY1305_SHA256", true},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009, "ECDHE-ECDSA-AES128-SHA", false},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a, "ECDHE-ECDSA-AES256-SHA", false},
      {"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0xc012, "", false},
      {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc013, "ECDHE-RSA-AES128-SHA", false},
      {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc014, "ECDHE-RSA-AES256-SHA", false},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b, "ECDHE-ECDSA-AES128-GCM-SHA256", false},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c, "ECDHE-ECDSA-AES256-GCM-SHA384", false},
      {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f, "ECDHE-RSA-AES128-GCM-SHA256", false},
      {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030, "ECDHE-RSA-AES256-GCM-SHA384", false},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8, "ECDHE-RSA-CHACHA20-POLY1305", false},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9, "ECDHE-ECDSA-CHACHA20-POLY1305",
       false},
  };
  return suites;
}

std::string_view toString(ClientAuthType type) noexcept {
  for (const auto& entry : kClientAuthNames)
    if (entry.type == type) return entry.name;
  return "NoClientCert";
}

std::string_view toString(TlsVersion version) noexcept {
  for (const auto& entry : kVersionNames)
    if (entry.version == version) return entry.name;
  return "TLS12";
}

WebConfig loadWebConfig(const std::string& path, bool checkFiles) {
  const std::string text = readConfigFile(path, "a web configuration file");
  return WebConfigLoader(path, checkFiles).run(text);
}

WebConfig parseWebConfig(const std::string& yaml, const std::string& fileName, bool checkFiles) {
  return WebConfigLoader(fileName, checkFiles).run(yaml);
}

} // namespace healthdeck
