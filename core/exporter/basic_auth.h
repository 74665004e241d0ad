#pragma once
// BasicAuthVerifier: checks HTTP Basic credentials against the bcrypt hashes of a web
// configuration file's basic_auth_users, with the system's libcrypt.
//
// Contract:
// - verify() is thread-safe and may be called from every server thread at once.
// - The user lookup is constant-time in the user name: every configured user is compared
//   (keyed digests, constant-time compare), and an unknown user still pays one bcrypt run, at
//   the highest cost among the configured hashes, so timing tells neither whether a user
//   exists nor which one it is.
// - Results are cached under a keyed digest of user and password (HMAC-SHA-256 with a random
//   key per verifier; the password itself is never stored): successes and failures in two
//   bounded LRU sets, so a flood of wrong passwords cannot evict the scraper's entry. Only one
//   bcrypt runs at a time (bcrypt is CPU-bound on purpose; parallel runs would let a flood of
//   guesses take every core) and concurrent requests with the same credentials share it.
// - Hashes: $2a$, $2b$, $2x$, $2y$ (htpasswd -B writes $2y$, Go's bcrypt $2a$); bcrypt reads at
//   most 72 bytes of a password, as every bcrypt does. A password containing a NUL byte never
//   matches (libcrypt would read it as shorter).
// - A verifier is immutable: when the web config changes, build a new one (its cache starts
//   empty, so a removed user or changed hash takes effect at once).
// Errors: the constructor throws std::invalid_argument for a value that is not a bcrypt hash
// (naming the user, never the hash).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace healthdeck {

class BasicAuthVerifier {
public:
  struct Options {
    std::size_t cacheCapacity = 1024;  // successful (user, password) pairs remembered
    std::size_t failureCapacity = 256; // failed pairs remembered
  };

  /// `users`: user name → bcrypt hash, as WebConfig::basicAuthUsers.
  explicit BasicAuthVerifier(const std::map<std::string, std::string>& users);
  BasicAuthVerifier(const std::map<std::string, std::string>& users, Options options);
  ~BasicAuthVerifier();
  BasicAuthVerifier(const BasicAuthVerifier&) = delete;
  BasicAuthVerifier& operator=(const BasicAuthVerifier&) = delete;

  /// True when `user` is configured and `password` matches its hash.
  bool verify(std::string_view user, std::string_view password) const;

  /// False when no users are configured (then Basic authentication is off).
  bool enabled() const noexcept { return !m_entries.empty(); }

  /// bcrypt runs so far (cache misses), for tests and the exporter's own metrics.
  std::uint64_t bcryptRuns() const noexcept { return m_bcryptRuns.load(std::memory_order_relaxed); }

private:
  struct Entry;
  struct Cache;
  using Digest = std::array<unsigned char, 32>;

  Digest keyed(char domain, std::string_view a, std::string_view b) const;
  bool runBcrypt(const std::string& password, const std::string& hash) const;

  std::vector<Entry> m_entries;
  std::string m_dummySetting; // bcrypt salt at the highest configured cost, for unknown users
  std::string m_key;          // HMAC key, random per verifier
  std::unique_ptr<Cache> m_cache;
  mutable std::mutex m_bcryptMutex;
  mutable std::atomic<std::uint64_t> m_bcryptRuns{0};
};

} // namespace healthdeck
