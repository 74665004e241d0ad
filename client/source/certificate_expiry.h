#pragma once
// Certificate expiry: the earliest notAfter over a TLS peer's chain, and how urgent it is.
// The leaf is not always the first to expire (an intermediate can be), so the whole chain the
// peer presented counts. Levels follow the console's rule (issue 12): Warning ("degraded
// level") at `warnDays` or fewer days left, Critical ("down level") at `critDays` or fewer,
// Expired once notAfter has passed. Pure functions; thread-safe. Times are UTC QDateTime;
// days are whole days left, rounded down (5 days 23 h = 5).

#include <QDateTime>
#include <QList>
#include <QSslCertificate>

#include <cstdint>
#include <optional>

namespace healthdeck {

enum class CertificateLevel : std::uint8_t { Ok, Warning, Critical, Expired };

/// Defaults of the thresholds (Settings and per-server override them).
inline constexpr int kDefaultCertWarnDays = 21;
inline constexpr int kDefaultCertCritDays = 7;

/// The earliest expiry of `chain` (null certificates skipped); nullopt for an empty chain.
std::optional<QDateTime> earliestExpiry(const QList<QSslCertificate>& chain);

/// Whole days from `now` until `expiry` (negative once expired).
qint64 certificateDaysLeft(const QDateTime& expiry, const QDateTime& now);

CertificateLevel certificateLevel(const QDateTime& expiry, const QDateTime& now, int warnDays,
                                  int critDays);

/// "certificate expires in 6 days (2026-12-08)", "certificate expired on 2026-10-01".
QString certificateSentence(const QDateTime& expiry, const QDateTime& now);

} // namespace healthdeck
