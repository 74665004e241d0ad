#include "healthdeck/ui/session/console_settings.h"

#include "healthdeck/util/host_port.h"

#include <QSettings>

namespace healthdeck {

namespace {

constexpr int kMinInterval = 1;
constexpr int kMaxInterval = 3600;
constexpr int kMaxFailures = 20;
constexpr int kMaxReminderMinutes = 24 * 60;

} // namespace

QString consoleSettingsOrganization() {
  return QStringLiteral("healthdeck");
}
QString consoleSettingsApplication() {
  return QStringLiteral("console");
}

ConsoleSettings ConsoleSettings::load(const QSettings& s) {
  ConsoleSettings out;
  const ConsoleSettings defaults;
  // Out-of-range values from a hand-edited file fall back to the default, one key at a time.
  const int interval = s.value(QStringLiteral("console/default_interval_s"),
                               static_cast<int>(defaults.defaultInterval.count()))
                           .toInt();
  if (interval >= kMinInterval && interval <= kMaxInterval)
    out.defaultInterval = std::chrono::seconds(interval);
  const int failures =
      s.value(QStringLiteral("console/notify_after_failures"), defaults.failuresBeforeNotify)
          .toInt();
  if (failures >= 1 && failures <= kMaxFailures) out.failuresBeforeNotify = failures;
  const int reminder = s.value(QStringLiteral("console/reminder_interval_min"),
                               static_cast<int>(defaults.reminderInterval.count()))
                           .toInt();
  if (reminder >= 0 && reminder <= kMaxReminderMinutes)
    out.reminderInterval = std::chrono::minutes(reminder);
  out.exporterEnabled =
      s.value(QStringLiteral("console/exporter_enabled"), defaults.exporterEnabled).toBool();
  out.exporterAddress = s.value(QStringLiteral("console/exporter_address")).toString().trimmed();
  if (out.exporterHostPort() == std::nullopt) out.exporterAddress.clear();
  const int warn = s.value(QStringLiteral("console/cert_warn_days"), defaults.certWarnDays).toInt();
  const int crit = s.value(QStringLiteral("console/cert_crit_days"), defaults.certCritDays).toInt();
  if (warn >= 0 && warn <= kMaxCertDays) out.certWarnDays = warn;
  if (crit >= 0 && crit <= kMaxCertDays) out.certCritDays = crit;
  out.notifyCommand = s.value(QStringLiteral("console/notify_command")).toStringList();
  const int hookTimeout = s.value(QStringLiteral("console/notify_command_timeout_s"),
                                  static_cast<int>(defaults.notifyCommandTimeout.count()))
                              .toInt();
  if (hookTimeout >= 1 && hookTimeout <= kMaxNotifyCommandTimeout)
    out.notifyCommandTimeout = std::chrono::seconds(hookTimeout);
  const auto days = [&](const char* key, int fallback, int min, int max) {
    const int v = s.value(QLatin1String(key), fallback).toInt();
    return v >= min && v <= max ? v : fallback;
  };
  out.historyRawDays =
      days("console/history_raw_days", defaults.historyRawDays, 1, kMaxHistoryRawDays);
  out.historyMinuteDays =
      days("console/history_minute_days", defaults.historyMinuteDays, 1, kMaxHistoryMinuteDays);
  out.historyHourDays =
      days("console/history_hour_days", defaults.historyHourDays, 1, kMaxHistoryHourDays);
  return out;
}

void ConsoleSettings::save(QSettings& s) const {
  s.setValue(QStringLiteral("console/default_interval_s"),
             static_cast<int>(defaultInterval.count()));
  s.setValue(QStringLiteral("console/notify_after_failures"), failuresBeforeNotify);
  s.setValue(QStringLiteral("console/reminder_interval_min"),
             static_cast<int>(reminderInterval.count()));
  s.setValue(QStringLiteral("console/exporter_enabled"), exporterEnabled);
  s.setValue(QStringLiteral("console/exporter_address"), exporterAddress);
  s.setValue(QStringLiteral("console/cert_warn_days"), certWarnDays);
  s.setValue(QStringLiteral("console/cert_crit_days"), certCritDays);
  if (notifyCommand.isEmpty())
    s.remove(QStringLiteral("console/notify_command"));
  else
    s.setValue(QStringLiteral("console/notify_command"), notifyCommand);
  s.setValue(QStringLiteral("console/notify_command_timeout_s"),
             static_cast<int>(notifyCommandTimeout.count()));
  s.setValue(QStringLiteral("console/history_raw_days"), historyRawDays);
  s.setValue(QStringLiteral("console/history_minute_days"), historyMinuteDays);
  s.setValue(QStringLiteral("console/history_hour_days"), historyHourDays);
  s.sync();
}

std::optional<std::pair<QString, std::uint16_t>> ConsoleSettings::exporterHostPort() const {
  const auto parsed =
      parseHostPort(exporterAddress.trimmed().toStdString(), nullptr, PortZero::Allowed);
  if (!parsed || parsed->ipv6) return std::nullopt; // the embedded exporter listens on IPv4
  return std::pair{QString::fromStdString(parsed->host), parsed->port};
}

QString ConsoleSettings::validationError() const {
  if (defaultInterval.count() < kMinInterval || defaultInterval.count() > kMaxInterval)
    return QStringLiteral("The default interval is between %1 s and %2 s.")
        .arg(kMinInterval)
        .arg(kMaxInterval);
  if (failuresBeforeNotify < 1 || failuresBeforeNotify > kMaxFailures)
    return QStringLiteral("Notify after 1 to %1 failed polls.").arg(kMaxFailures);
  if (reminderInterval.count() < 0 || reminderInterval.count() > kMaxReminderMinutes)
    return QStringLiteral("The reminder interval is at most %1 minutes.").arg(kMaxReminderMinutes);
  if (certCritDays > certWarnDays)
    return QStringLiteral("The certificate warning comes before the critical level (warn days "
                          "≥ critical days).");
  if (certWarnDays < 0 || certWarnDays > kMaxCertDays || certCritDays < 0)
    return QStringLiteral("Certificate days are between 0 and %1.").arg(kMaxCertDays);
  if (notifyCommandTimeout.count() < 1 || notifyCommandTimeout.count() > kMaxNotifyCommandTimeout)
    return QStringLiteral("The notify command's time limit is 1 to %1 s.")
        .arg(kMaxNotifyCommandTimeout);
  if (!notifyCommand.isEmpty() && notifyCommand.front().trimmed().isEmpty())
    return QStringLiteral("The notify command starts with the program to run.");
  if (historyRawDays < 1 || historyRawDays > kMaxHistoryRawDays)
    return QStringLiteral("Polls are kept 1 to %1 days.").arg(kMaxHistoryRawDays);
  if (historyMinuteDays < 1 || historyMinuteDays > kMaxHistoryMinuteDays)
    return QStringLiteral("Per-minute history is kept 1 to %1 days.").arg(kMaxHistoryMinuteDays);
  if (historyHourDays < 1 || historyHourDays > kMaxHistoryHourDays)
    return QStringLiteral("Per-hour history is kept 1 to %1 days.").arg(kMaxHistoryHourDays);
  if (historyHourDays < historyMinuteDays)
    return QStringLiteral("Per-hour history is kept at least as long as per-minute history.");
  if (exporterEnabled && !exporterAddress.trimmed().isEmpty() && !exporterHostPort())
    return QStringLiteral("The exporter address is HOST:PORT, e.g. 127.0.0.1:9797 (IPv4 or a "
                          "host name, port 0–65535).");
  return {};
}

} // namespace healthdeck
