#include "app/check_tls.h"

#include <QFile>

namespace healthdeck::app {

OptionResult parseCheckTlsOption(const QString& arg, const std::function<bool(QString*)>& next,
                                 CheckTlsOptions& options, QString* error) {
  const qsizetype eq = arg.indexOf(QLatin1Char('='));
  const QString name = eq > 0 ? arg.left(eq) : arg;
  if (name != QLatin1String("--ca-file") && name != QLatin1String("--pin") &&
      name != QLatin1String("--cert-warn") && name != QLatin1String("--cert-crit"))
    return OptionResult::NotMine;
  QString value;
  if (eq > 0)
    value = arg.mid(eq + 1);
  else if (!next(&value)) {
    *error = name % QStringLiteral(" takes a value");
    return OptionResult::Error;
  }
  if (name == QLatin1String("--ca-file")) {
    if (!QFile::exists(value)) {
      *error = QStringLiteral("--ca-file: cannot read ") % value;
      return OptionResult::Error;
    }
    options.caFile = value;
  } else if (name == QLatin1String("--pin")) {
    QString hex = value;
    hex.remove(QLatin1Char(':'));
    if (hex.startsWith(QLatin1String("sha256/"), Qt::CaseInsensitive)) hex = hex.mid(7);
    const QByteArray raw = QByteArray::fromHex(hex.toLatin1());
    if (hex.size() != 64 || raw.size() != 32) {
      *error = QStringLiteral("--pin takes a SHA-256 fingerprint (64 hex digits, ':' allowed)");
      return OptionResult::Error;
    }
    options.pinSha256 = raw;
  } else {
    bool ok = false;
    const int days = value.toInt(&ok);
    if (!ok || days < 0 || days > 3650) {
      *error = name % QStringLiteral(" takes whole days between 0 and 3650");
      return OptionResult::Error;
    }
    (name == QLatin1String("--cert-warn") ? options.warnDays : options.critDays) = days;
  }
  return OptionResult::Taken;
}

void applyCheckTls(const CheckTlsOptions& options, TargetConfig& config) {
  if (!options.pinSha256.isEmpty()) {
    config.tlsMode = TlsMode::Pinned;
    config.pinnedSha256 = options.pinSha256;
  } else if (!options.caFile.isEmpty()) {
    config.tlsMode = TlsMode::CaFile;
    config.caFile = options.caFile;
  }
}

int certificateExitCode(const CheckTlsOptions& options, const std::optional<QDateTime>& expiry,
                        const QDateTime& now) {
  if (!expiry) return 0;
  switch (certificateLevel(*expiry, now, options.warnDays, options.critDays)) {
  case CertificateLevel::Ok: return 0;
  case CertificateLevel::Warning: return 1;
  case CertificateLevel::Critical:
  case CertificateLevel::Expired: return 2;
  }
  return 0;
}

} // namespace healthdeck::app
