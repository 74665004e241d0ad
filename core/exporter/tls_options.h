#pragma once
// TLS settings of the exporter, as plain data: the `tls_server_config` section of the
// Prometheus exporter-toolkit web configuration
// (https://prometheus.io/docs/prometheus/latest/configuration/https/) or the legacy
// `monitoring.tls` keys. No TLS library types here, so the public exporter header stays free of
// Boost and OpenSSL; TlsContextSource (tls_context.h) turns it into a context.

#include <cstdint>
#include <string>
#include <vector>

namespace healthdeck {

/// Go crypto/tls client authentication policies (the web config's client_auth_type).
enum class TlsClientAuth : std::uint8_t {
  NoClientCert,
  RequestClientCert,       // ask, accept anything or nothing
  RequireAnyClientCert,    // require one, do not verify it
  VerifyClientCertIfGiven, // verify against the client CAs when one is sent
  RequireAndVerifyClientCert,
};

struct TlsServerOptions {
  std::string certFile; // PEM chain; empty → certPem, both empty → plain HTTP
  std::string keyFile;  // PEM key; empty → keyPem, or the key is in certFile
  std::string certPem;  // inline chain (web config `cert`)
  std::string keyPem;   // inline key (web config `key`), a secret
  TlsClientAuth clientAuth = TlsClientAuth::NoClientCert;
  std::string clientCaFile; // PEM bundle; required by the two Verify* policies
  std::string clientCaPem;  // inline bundle
  /// A verified client certificate must carry one of these in its subjectAltName (DNS, IP,
  /// e-mail or URI, exact match); empty → any verified client.
  std::vector<std::string> clientAllowedSans;
  int minVersion = 0x0303; // wire value (TLS 1.2 = 0x0303); exporter-toolkit's default
  int maxVersion = 0x0304;
  std::vector<std::string> cipherSuites; // OpenSSL names of TLS 1.2 suites; empty → defaults
  std::vector<std::string> curves;       // OpenSSL group names; empty → defaults
  /// Prefix of the keys named in errors: "monitoring.tls" or "tls_server_config".
  std::string keyPrefix = "monitoring.tls";

  bool enabled() const noexcept { return !certFile.empty() || !certPem.empty(); }
};

} // namespace healthdeck
