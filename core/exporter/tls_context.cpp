#include "healthdeck/exporter/tls_context.h"

#include "healthdeck/exporter/exporter.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <sys/stat.h>

#include <array>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace healthdeck {
namespace {

namespace ssl = boost::asio::ssl;

std::string opensslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown TLS library error";
  std::string text(256, '\0');
  ERR_error_string_n(e, text.data(), text.size());
  text.resize(std::strlen(text.c_str()));
  return text;
}

void checkReadable(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ExporterError(key, "cannot read '" + path + "': " + std::strerror(err));
  }
}

/// RequestClientCert / RequireAnyClientCert take any certificate, as Go does; the Verify*
/// policies keep OpenSSL's chain verification result.
int acceptAnyCertificate(int, X509_STORE_CTX*) {
  return 1;
}

int allowedSansIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

/// The subjectAltName entries of `cert` as text: DNS, e-mail, URI as written, IP addresses
/// in their usual notation.
std::vector<std::string> subjectAltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS || n->type == GEN_EMAIL || n->type == GEN_URI) {
      const ASN1_IA5STRING* v = n->d.ia5;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(v)),
                       static_cast<std::size_t>(ASN1_STRING_length(v)));
    } else if (n->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = n->d.iPAddress;
      std::array<char, INET6_ADDRSTRLEN> text{};
      const int len = ASN1_STRING_length(ip);
      const int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
      if (family != 0 && inet_ntop(family, ASN1_STRING_get0_data(ip), text.data(),
                                   static_cast<socklen_t>(text.size())) != nullptr)
        out.emplace_back(text.data());
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

/// The Verify* policies: OpenSSL's chain verdict, and for the leaf a subjectAltName in
/// client_allowed_sans when that list is set (exporter-toolkit's rule).
int verifyWithAllowedSans(int preverified, X509_STORE_CTX* store) {
  if (preverified != 1) return 0;
  if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const auto* allowed = static_cast<const std::vector<std::string>*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), allowedSansIndex()));
  if (allowed == nullptr || allowed->empty()) return 1;
  for (const std::string& name : subjectAltNames(X509_STORE_CTX_get_current_cert(store)))
    for (const std::string& a : *allowed)
      if (name == a) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
}

} // namespace

TlsContextSource::TlsContextSource(TlsServerOptions options) : m_options(std::move(options)) {
  m_stamps = stamps();
  m_context = build();
}

std::vector<TlsContextSource::Stamp> TlsContextSource::stamps() const {
  std::vector<Stamp> out;
  for (const std::string* path :
       {&m_options.certFile, &m_options.keyFile, &m_options.clientCaFile}) {
    Stamp s;
    struct stat st {};
    if (!path->empty() && ::stat(path->c_str(), &st) == 0) {
      s.inode = st.st_ino;
      s.size = st.st_size;
      s.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    }
    out.push_back(s);
  }
  return out;
}

std::shared_ptr<ssl::context> TlsContextSource::current() {
  const std::vector<Stamp> now = stamps();
  std::lock_guard lock(m_mutex);
  if (now != m_stamps) {
    m_stamps = now;
    try {
      m_context = build();
      m_reloads.fetch_add(1);
    } catch (const std::exception&) {
      // Half-written or mismatched files: keep serving with the previous pair; the next
      // change of any file is tried again.
      m_failures.fetch_add(1);
    }
  }
  return m_context;
}

std::shared_ptr<ssl::context> TlsContextSource::build() const {
  const TlsServerOptions& o = m_options;
  const std::string& p = o.keyPrefix;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ERR_clear_error();
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);

  if (!o.certFile.empty()) {
    checkReadable(o.certFile, p + ".cert_file");
    if (SSL_CTX_use_certificate_chain_file(native, o.certFile.c_str()) != 1)
      throw ExporterError(p + ".cert_file", "'" + o.certFile + "': " + opensslError());
  } else {
    boost::system::error_code ec;
    ctx->use_certificate_chain(boost::asio::buffer(o.certPem), ec);
    if (ec) throw ExporterError(p + ".cert", "not a PEM certificate chain: " + opensslError());
  }
  const std::string keySource = !o.keyFile.empty() ? o.keyFile : o.certFile;
  if (!o.keyPem.empty() && o.keyFile.empty()) {
    boost::system::error_code ec;
    ctx->use_private_key(boost::asio::buffer(o.keyPem), ssl::context::pem, ec);
    if (ec) throw ExporterError(p + ".key", "not a PEM private key: " + opensslError());
  } else {
    const std::string key = p + (o.keyFile.empty() ? ".cert_file" : ".key_file");
    checkReadable(keySource, key);
    if (SSL_CTX_use_PrivateKey_file(native, keySource.c_str(), SSL_FILETYPE_PEM) != 1)
      throw ExporterError(key, "'" + keySource + "': " + opensslError());
  }
  if (SSL_CTX_check_private_key(native) != 1)
    throw ExporterError(p + ".key_file", "the key does not match the certificate");

  if (SSL_CTX_set_min_proto_version(native, o.minVersion) != 1)
    throw ExporterError(p + ".min_version", "version not supported by the TLS library");
  if (SSL_CTX_set_max_proto_version(native, o.maxVersion) != 1)
    throw ExporterError(p + ".max_version", "version not supported by the TLS library");
  if (!o.cipherSuites.empty()) {
    std::string list;
    for (const std::string& c : o.cipherSuites)
      list += (list.empty() ? "" : ":") + c;
    if (SSL_CTX_set_cipher_list(native, list.c_str()) != 1)
      throw ExporterError(p + ".cipher_suites", "none of '" + list + "' is available");
  }
  if (!o.curves.empty()) {
    std::string list;
    for (const std::string& c : o.curves)
      list += (list.empty() ? "" : ":") + c;
    if (SSL_CTX_set1_groups_list(native, list.c_str()) != 1)
      throw ExporterError(p + ".curve_preferences", "'" + list + "' is not available");
  }

  const bool verify = o.clientAuth == TlsClientAuth::VerifyClientCertIfGiven ||
                      o.clientAuth == TlsClientAuth::RequireAndVerifyClientCert;
  if (verify) {
    if (!o.clientCaFile.empty()) {
      checkReadable(o.clientCaFile, p + ".client_ca_file");
      if (SSL_CTX_load_verify_locations(native, o.clientCaFile.c_str(), nullptr) != 1)
        throw ExporterError(p + ".client_ca_file", "'" + o.clientCaFile + "': " + opensslError());
      // Name the acceptable CAs in the CertificateRequest, as Go does.
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.clientCaFile.c_str()))
        SSL_CTX_set_client_CA_list(native, names);
    } else if (!o.clientCaPem.empty()) {
      boost::system::error_code ec;
      ctx->add_certificate_authority(boost::asio::buffer(o.clientCaPem), ec);
      if (ec) throw ExporterError(p + ".client_ca", "not a PEM CA bundle: " + opensslError());
    } else {
      throw ExporterError(p + ".client_ca_file", "required by this client_auth_type");
    }
  }
  switch (o.clientAuth) {
  case TlsClientAuth::NoClientCert: SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr); break;
  case TlsClientAuth::RequestClientCert:
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, &acceptAnyCertificate);
    break;
  case TlsClientAuth::RequireAnyClientCert:
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       &acceptAnyCertificate);
    break;
  case TlsClientAuth::VerifyClientCertIfGiven:
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, &verifyWithAllowedSans);
    break;
  case TlsClientAuth::RequireAndVerifyClientCert:
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       &verifyWithAllowedSans);
    break;
  }
  if (!o.clientAllowedSans.empty()) {
    if (!verify)
      throw ExporterError(p + ".client_allowed_sans",
                          "needs a client_auth_type that verifies certificates");
    // m_options outlives every context it builds (the exporter drops the source last).
    SSL_CTX_set_ex_data(native, allowedSansIndex(),
                        const_cast<std::vector<std::string>*>(&o.clientAllowedSans));
  }

  // Resumption: a server-side cache plus tickets (OpenSSL's defaults), under a fixed id
  // context, which OpenSSL requires before it resumes a session that verified a peer.
  static constexpr unsigned char kSessionContext[] = "healthdeck-exporter";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  return ctx;
}

} // namespace healthdeck
