#include "healthdeck/client/source/certificate_expiry.h"

#include <QString>

namespace healthdeck {

std::optional<QDateTime> earliestExpiry(const QList<QSslCertificate>& chain) {
  std::optional<QDateTime> earliest;
  for (const QSslCertificate& cert : chain) {
    if (cert.isNull()) continue;
    const QDateTime at = cert.expiryDate().toUTC();
    if (!at.isValid()) continue;
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

qint64 certificateDaysLeft(const QDateTime& expiry, const QDateTime& now) {
  const qint64 secs = now.secsTo(expiry);
  // Round towards minus infinity so "expired 2 hours ago" is -1, not 0.
  return secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
}

CertificateLevel certificateLevel(const QDateTime& expiry, const QDateTime& now, int warnDays,
                                  int critDays) {
  if (expiry <= now) return CertificateLevel::Expired;
  const qint64 days = certificateDaysLeft(expiry, now);
  if (days <= critDays) return CertificateLevel::Critical;
  if (days <= warnDays) return CertificateLevel::Warning;
  return CertificateLevel::Ok;
}

QString certificateSentence(const QDateTime& expiry, const QDateTime& now) {
  const QString date = expiry.toUTC().date().toString(Qt::ISODate);
  if (expiry <= now) return QStringLiteral("certificate expired on %1").arg(date);
  const qint64 days = certificateDaysLeft(expiry, now);
  if (days == 0) return QStringLiteral("certificate expires today (%1)").arg(date);
  return QStringLiteral("certificate expires in %1 day%2 (%3)")
      .arg(days)
      .arg(days == 1 ? QString() : QStringLiteral("s"))
      .arg(date);
}

} // namespace healthdeck
