#pragma once
// TlsContextSource: the exporter's TLS server context (OpenSSL 3 through Boost.Asio), built
// from TlsServerOptions (tls_options.h) and rebuilt when the certificate, key or client CA
// file changes. Internal to the exporter (needs Boost and OpenSSL headers).
//
// Contract:
// - The constructor builds the first context and throws ExporterError naming the key at
//   fault (`<prefix>.cert_file`, `.key_file`, `.client_ca_file`, `.client_auth_type`,
//   `.min_version`, `.max_version`, `.cipher_suites`).
// - current() returns the context a new connection must use: it stats the files (inode,
//   size, mtime) and, when one changed, builds a new context; a file caught half-written or
//   otherwise unusable keeps the previous context (reloadFailures() counts those). Existing
//   connections keep the context they started with (they hold the shared_ptr).
// - Thread-safe: current() may be called from any thread.
// - Server-side session resumption is on (session cache + tickets), so a scraper reconnecting
//   skips the full handshake; the session id context is fixed so resumption also works with
//   client certificates.

#include "healthdeck/exporter/tls_options.h"

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace healthdeck {

class TlsContextSource {
public:
  explicit TlsContextSource(TlsServerOptions options);
  std::shared_ptr<boost::asio::ssl::context> current();
  std::uint64_t reloads() const noexcept { return m_reloads.load(); }
  std::uint64_t reloadFailures() const noexcept { return m_failures.load(); }

private:
  struct Stamp {
    std::uint64_t inode = 0;
    std::int64_t size = -1;
    std::int64_t mtimeNs = 0;
    bool operator==(const Stamp&) const = default;
  };
  std::vector<Stamp> stamps() const;
  std::shared_ptr<boost::asio::ssl::context> build() const;

  TlsServerOptions m_options;
  std::mutex m_mutex;
  std::shared_ptr<boost::asio::ssl::context> m_context;
  std::vector<Stamp> m_stamps;
  std::atomic<std::uint64_t> m_reloads{0};
  std::atomic<std::uint64_t> m_failures{0};
};

} // namespace healthdeck
