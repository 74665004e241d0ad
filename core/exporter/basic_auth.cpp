// Basic authentication against bcrypt hashes (see basic_auth.h for the contract).

#include "healthdeck/exporter/basic_auth.h"

#include <QByteArray>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <crypt.h>

#include <cstring>
#include <list>
#include <stdexcept>
#include <unordered_map>

namespace healthdeck {

namespace {

using Digest = std::array<unsigned char, 32>;

struct DigestHash {
  std::size_t operator()(const Digest& d) const noexcept {
    // The digest is already uniformly random (HMAC output): its first bytes are the hash.
    std::size_t h = 0;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};

// A bounded set with least-recently-used eviction.
class LruSet {
public:
  explicit LruSet(std::size_t capacity) : m_capacity(capacity) {}

  bool touch(const Digest& d) {
    const auto it = m_index.find(d);
    if (it == m_index.end()) return false;
    m_order.splice(m_order.begin(), m_order, it->second);
    return true;
  }

  void insert(const Digest& d) {
    if (m_capacity == 0 || touch(d)) return;
    if (m_index.size() >= m_capacity) {
      m_index.erase(m_order.back());
      m_order.pop_back();
    }
    m_order.push_front(d);
    m_index.emplace(d, m_order.begin());
  }

private:
  std::size_t m_capacity;
  std::list<Digest> m_order;
  std::unordered_map<Digest, std::list<Digest>::iterator, DigestHash> m_index;
};

bool constantTimeEqual(const unsigned char* a, const unsigned char* b, std::size_t n) noexcept {
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i)
    diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

bool isBcrypt(const std::string& hash) {
  return hash.size() == 60 && hash.compare(0, 2, "$2") == 0 &&
         (hash[2] == 'a' || hash[2] == 'b' || hash[2] == 'x' || hash[2] == 'y') && hash[3] == '$' &&
         hash[4] >= '0' && hash[4] <= '3' && hash[5] >= '0' && hash[5] <= '9' && hash[6] == '$';
}

int costOf(const std::string& hash) {
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

} // namespace

struct BasicAuthVerifier::Entry {
  Digest userDigest;
  std::string hash;
};

struct BasicAuthVerifier::Cache {
  Cache(std::size_t ok, std::size_t bad) : successes(ok), failures(bad) {}
  std::mutex mutex;
  LruSet successes;
  LruSet failures;
};

BasicAuthVerifier::BasicAuthVerifier(const std::map<std::string, std::string>& users)
    : BasicAuthVerifier(users, Options{}) {}

BasicAuthVerifier::BasicAuthVerifier(const std::map<std::string, std::string>& users,
                                     Options options)
    : m_cache(std::make_unique<Cache>(options.cacheCapacity, options.failureCapacity)) {
  std::uint32_t keyWords[8];
  QRandomGenerator::system()->fillRange(keyWords);
  m_key.assign(reinterpret_cast<const char*>(keyWords), sizeof keyWords);

  int maxCost = 4;
  for (const auto& [user, hash] : users) {
    if (!isBcrypt(hash))
      throw std::invalid_argument("basic_auth_users." + user + ": not a bcrypt hash");
    maxCost = std::max(maxCost, costOf(hash));
    m_entries.push_back(Entry{keyed('u', user, {}), hash});
  }

  // A salt of the highest configured cost: bcrypt over it costs what the most expensive real
  // hash costs, and no password can match it (it has no hash part to match).
  std::uint32_t saltWords[4];
  QRandomGenerator::system()->fillRange(saltWords);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(maxCost),
                        reinterpret_cast<const char*>(saltWords), sizeof saltWords, setting,
                        sizeof setting))
    throw std::runtime_error("libcrypt cannot make a bcrypt salt (crypt_gensalt_rn failed)");
  m_dummySetting = setting;
}

BasicAuthVerifier::~BasicAuthVerifier() = default;

BasicAuthVerifier::Digest BasicAuthVerifier::keyed(char domain, std::string_view a,
                                                   std::string_view b) const {
  QMessageAuthenticationCode mac(QCryptographicHash::Sha256,
                                 QByteArray::fromRawData(m_key.data(), qsizetype(m_key.size())));
  // Domain byte and a length prefix keep ("ab", "c") and ("a", "bc") apart.
  const std::uint64_t length = a.size();
  mac.addData(&domain, 1);
  mac.addData(reinterpret_cast<const char*>(&length), sizeof length);
  mac.addData(a.data(), qsizetype(a.size()));
  mac.addData(b.data(), qsizetype(b.size()));
  const QByteArray result = mac.result();
  Digest out{};
  std::memcpy(out.data(), result.constData(), std::min<std::size_t>(out.size(), result.size()));
  return out;
}

bool BasicAuthVerifier::runBcrypt(const std::string& password, const std::string& hash) const {
  // crypt_data is ~32 KiB: on the heap, one per call, so calls need no shared buffer.
  auto data = std::make_unique<crypt_data>();
  m_bcryptRuns.fetch_add(1, std::memory_order_relaxed);
  const char* out = crypt_rn(password.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  if (!out) return false;
  const std::size_t n = std::strlen(out);
  if (n != hash.size()) return false;
  return constantTimeEqual(reinterpret_cast<const unsigned char*>(out),
                           reinterpret_cast<const unsigned char*>(hash.data()), n);
}

bool BasicAuthVerifier::verify(std::string_view user, std::string_view password) const {
  if (m_entries.empty()) return false;
  if (password.find('\0') != std::string_view::npos) return false;

  // Visit every entry, whatever matches, and pick the match without branching on it.
  const Digest wanted = keyed('u', user, {});
  std::size_t selected = 0;
  std::size_t found = 0;
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    const std::size_t eq =
        constantTimeEqual(wanted.data(), m_entries[i].userDigest.data(), wanted.size()) ? 1 : 0;
    const std::size_t mask = 0 - eq;
    selected = (selected & ~mask) | (i & mask);
    found |= eq;
  }

  const Digest credentials = keyed('c', user, password);
  {
    std::lock_guard lock(m_cache->mutex);
    if (m_cache->successes.touch(credentials)) return true;
    if (m_cache->failures.touch(credentials)) return false;
  }

  const std::string phrase(password);
  std::lock_guard bcryptLock(m_bcryptMutex);
  {
    // Another thread may have answered the same credentials while this one waited.
    std::lock_guard lock(m_cache->mutex);
    if (m_cache->successes.touch(credentials)) return true;
    if (m_cache->failures.touch(credentials)) return false;
  }
  const std::string& hash = found ? m_entries[selected].hash : m_dummySetting;
  const bool ok = runBcrypt(phrase, hash) && found;
  // Stored before the bcrypt lock is released, so the next waiter finds the answer.
  std::lock_guard lock(m_cache->mutex);
  if (ok)
    m_cache->successes.insert(credentials);
  else
    m_cache->failures.insert(credentials);
  return ok;
}

} // namespace healthdeck
