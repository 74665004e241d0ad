#pragma once
// WebConfig: the Prometheus exporter-toolkit web configuration file (the file node_exporter
// and the other Prometheus exporters read with --web.config.file), as plain data.
//
// Spec: prometheus/exporter-toolkit docs/web-configuration.md. Keys: tls_server_config (cert,
// key, client_ca, cert_file, key_file, client_auth_type, client_ca_file, client_allowed_sans,
// min_version, max_version, cipher_suites, prefer_server_cipher_suites, curve_preferences),
// http_server_config (http2, headers), basic_auth_users (user → bcrypt hash) and rate_limit
// (interval, burst). Like exporter-toolkit: unknown keys and duplicate keys are errors, relative
// file names resolve against the directory of the web config file, only the five security
// headers exporter-toolkit allows may be set, client CAs need a client_auth_type that asks for
// a certificate, and every basic_auth_users value must be a bcrypt hash. Stricter than
// exporter-toolkit where it would fail later anyway: min_version above max_version, a cipher
// suite that the TLS library here cannot offer (3DES), and header values with control
// characters (they would split the response) are refused at load.
//
// Contract: parseWebConfig()/loadWebConfig() either return a validated WebConfig or throw
// ConfigError "FILE:LINE: KEY: message" (KEY a dotted path such as
// tls_server_config.client_auth_type, basic_auth_users.alice). Files named in the config are
// checked for readability (opened, never read into the struct) unless checkFiles is false;
// their contents (certificate, key) are for the server to load, and to re-load when they
// change. Inline `key` and the bcrypt hashes are secrets: never log them. Thread-safety:
// plain data, no shared state.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace healthdeck {

/// Go's tls.ClientAuthType values, as exporter-toolkit spells them.
enum class ClientAuthType : std::uint8_t {
  NoClientCert,
  RequestClientCert,
  RequireAnyClientCert, // also spelt RequireClientCert (exporter-toolkit keeps the old name)
  VerifyClientCertIfGiven,
  RequireAndVerifyClientCert,
};

/// Protocol versions as on the wire (TLS 1.2 = 0x0303), so a TLS library can take them as is.
enum class TlsVersion : std::uint16_t {
  Tls10 = 0x0301,
  Tls11 = 0x0302,
  Tls12 = 0x0303,
  Tls13 = 0x0304,
};

/// One entry of cipher_suites: the Go name from the file, its IANA code point and the
/// OpenSSL name. tls13 suites are not configurable in Go (nor here): the server may ignore
/// them, as Go does.
struct CipherSuite {
  std::string goName; // e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  std::uint16_t id = 0;
  std::string openSslName; // e.g. ECDHE-RSA-AES128-GCM-SHA256
  bool tls13 = false;
};

/// One entry of curve_preferences: the Go name, the IANA group id and the OpenSSL group name.
struct CurvePreference {
  std::string goName;      // CurveP256 | CurveP384 | CurveP521 | X25519
  std::uint16_t id = 0;    // 23 | 24 | 25 | 29
  std::string openSslName; // P-256 | P-384 | P-521 | X25519
};

struct WebConfig {
  struct TlsServer {
    std::string certFile;     // resolved path, or empty
    std::string keyFile;      // resolved path, or empty
    std::string certPem;      // inline `cert`, or empty (certFile wins when both are set)
    std::string keyPem;       // inline `key` (a secret), or empty (keyFile wins)
    std::string clientCaFile; // resolved path, or empty (clientCaFile wins over clientCaPem)
    std::string clientCaPem;  // inline `client_ca`, or empty
    ClientAuthType clientAuth = ClientAuthType::NoClientCert;
    std::vector<std::string> clientAllowedSans; // empty: any verified client
    TlsVersion minVersion = TlsVersion::Tls12;
    TlsVersion maxVersion = TlsVersion::Tls13;
    std::vector<CipherSuite> cipherSuites; // empty: the library's defaults
    bool preferServerCipherSuites = true;
    std::vector<CurvePreference> curvePreferences; // empty: the library's defaults

    /// True when any TLS key is set (exporter-toolkit's rule): the port then speaks only TLS.
    bool enabled() const;
    /// True when the client must present a certificate (RequireAny…/RequireAndVerify…).
    bool requiresClientCert() const;
    /// True when a presented client certificate is verified against the client CAs.
    bool verifiesClientCert() const;
  } tls;

  struct HttpServer {
    bool http2 = true;
    /// Response headers to add, name → value, as written (only the allowed names; blank
    /// values are dropped, as exporter-toolkit's "unset if blank").
    std::map<std::string, std::string> headers;
  } http;

  /// User name → bcrypt hash ($2a$/$2b$/$2x$/$2y$). Empty: no basic authentication.
  std::map<std::string, std::string> basicAuthUsers;

  struct RateLimit {
    std::chrono::milliseconds interval{0}; // 0: no rate limit
    int burst = 0;
  } rateLimit;

  std::string sourceFile;            // the file it was read from
  std::vector<std::string> warnings; // accepted but probably not meant, e.g. a user name with ':'
};

/// Reads and validates the web configuration file at `path` (at most 1 MiB). Throws ConfigError.
WebConfig loadWebConfig(const std::string& path, bool checkFiles = true);

/// Same from text; `fileName` names the file in messages and relative paths resolve against
/// its directory.
WebConfig parseWebConfig(const std::string& yaml, const std::string& fileName,
                         bool checkFiles = true);

/// The Go names cipher_suites accepts (Go's tls.CipherSuites()), in Go's order.
const std::vector<CipherSuite>& knownCipherSuites();

std::string_view toString(ClientAuthType type) noexcept; // the exporter-toolkit spelling
std::string_view toString(TlsVersion version) noexcept;  // TLS10 … TLS13

} // namespace healthdeck
