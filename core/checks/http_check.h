#pragma once
// HttpCheck (`type: http`): does a URL answer with an expected status (and body text)?
//
// Contract: construction does no I/O. run() sends one GET with a QNetworkAccessManager kept
// between runs (keep-alive connections are reused, so a 1 s probe interval is not a TLS
// handshake per probe), driven by a QEventLoop on the calling thread and bounded by
// ctx.deadline (a timer aborts the request; the transfer timeout is the same budget). Between
// runs the manager has no thread affinity, so the check can be destroyed from any thread.
// Redirects are followed up to maxRedirects (never https → http); the body is read up to
// maxBodyBytes and only searched when bodyContains is set. With a CA file, only that CA is
// trusted for https. Outcomes: `up` ("200 in 12 ms"); `down` naming the unexpected status,
// the missing body text, refused, TLS failure, too many redirects, or no answer within the
// timeout. Not thread-safe against itself (the HealthManager never overlaps runs). Needs a
// QCoreApplication. Depends on an outside service: refused on liveness unless allow_liveness.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/health/health_check.h"

#include <QList>
#include <QSslCertificate>
#include <QUrl>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QNetworkAccessManager;

namespace healthdeck {

class HttpCheck : public HealthCheck {
public:
  struct Options {
    QUrl url;
    std::vector<std::pair<int, int>> expectedStatus{{200, 299}}; // inclusive ranges
    std::string bodyContains;
    std::string caFile;
    int maxRedirects = 3;
    qint64 maxBodyBytes = 64 * 1024;
  };

  /// "200", "200,204", "200-299", "2xx", "2xx,301"; nullopt with `error` set when malformed.
  static std::optional<std::vector<std::pair<int, int>>> parseStatusSet(const std::string& text,
                                                                        std::string* error);
  /// "200-299", "200, 204" — how a set is named in details.
  static std::string describeStatusSet(const std::vector<std::pair<int, int>>& set);

  explicit HttpCheck(Options options);
  ~HttpCheck() override;
  HttpCheck(const HttpCheck&) = delete;
  HttpCheck& operator=(const HttpCheck&) = delete;

  CheckOutcome run(const CheckContext& ctx) override;

private:
  CheckOutcome runOnce(const CheckContext& ctx);

  Options m_options;
  std::unique_ptr<QNetworkAccessManager> m_manager;
  QList<QSslCertificate> m_caCertificates; // loaded on first use
};

/// Registry entry for `type: http` (keys: url, expect_status, body_contains, ca_file,
/// max_redirects, max_body_bytes).
CheckType httpCheckType();

} // namespace healthdeck
