#pragma once
// `healthdeck check`'s TLS options (issue 12), kept apart from the rest of its option parsing:
// the console's trust options (--ca-file F, --pin SHA256) and certificate expiry thresholds
// (--cert-warn DAYS, --cert-crit DAYS; defaults 21 and 7). Each takes "--opt value" or
// "--opt=value". The verdict: a certificate with at most warn days left makes the exit
// status at least 1 (WARNING), at most crit days or expired at least 2 (CRITICAL); the first
// line names the expiry date whenever the server presented a certificate.

#include "healthdeck/client/source/certificate_expiry.h"
#include "healthdeck/client/target.h"

#include <QString>

#include <functional>

namespace healthdeck::app {

struct CheckTlsOptions {
  QString caFile;
  QByteArray pinSha256; ///< 32 raw bytes when set
  int warnDays = kDefaultCertWarnDays;
  int critDays = kDefaultCertCritDays;
};

enum class OptionResult { NotMine, Taken, Error };

/// Parses `arg` if it is one of the options above; `next` fetches the following argument.
OptionResult parseCheckTlsOption(const QString& arg, const std::function<bool(QString*)>& next,
                                 CheckTlsOptions& options, QString* error);

/// Applies the trust options to the probe's target (CA file or pinned digest).
void applyCheckTls(const CheckTlsOptions& options, TargetConfig& config);

/// The exit status raised by the certificate's level (0 when fine or no certificate).
int certificateExitCode(const CheckTlsOptions& options, const std::optional<QDateTime>& expiry,
                        const QDateTime& now);

} // namespace healthdeck::app
