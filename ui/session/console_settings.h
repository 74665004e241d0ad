#pragma once
// ConsoleSettings: the console's own preferences (UI.md "Settings") — the poll interval new
// servers start with, when a failing server notifies (after N consecutive failed polls, then
// at most once per reminder interval), whether and where the embedded exporter serves, and
// how long history is kept.
// Plain value type; load()/save() read and write the [console] keys of a QSettings the caller
// owns. An empty exporter address means "as the monitoring configuration says".
// Units: std::chrono seconds / minutes.

#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <optional>

class QSettings;

namespace healthdeck {

struct ConsoleSettings {
  std::chrono::seconds defaultInterval{15};
  int failuresBeforeNotify = 2; ///< becomes every target's FlapPolicy::failuresToDown
  std::chrono::minutes reminderInterval{5};
  bool exporterEnabled = true;
  QString exporterAddress; ///< "HOST:PORT" (IPv4 or a name); empty → monitoring config
  // Triage (issue 12).
  int certWarnDays = 21; ///< certificate expiry: degraded-level warning at this many days
  int certCritDays = 7;  ///< … and down-level at this many (servers may override both)
  /// Notification command hook: program and fixed arguments (never a shell string); empty =
  /// off. Stored as a list in console.ini (console/notify_command).
  QStringList notifyCommand;
  std::chrono::seconds notifyCommandTimeout{10};
  /// History retention in days ([console] history_raw_days, history_minute_days,
  /// history_hour_days): polls at full resolution, per-minute and per-hour roll-ups.
  int historyRawDays = 7;
  int historyMinuteDays = 90;
  int historyHourDays = 730;
  /// Ranges load() and validationError() accept (days; hour roll-ups kept at least as long as
  /// minute roll-ups).
  static constexpr int kMaxHistoryRawDays = 90;
  static constexpr int kMaxHistoryMinuteDays = 3650;
  static constexpr int kMaxHistoryHourDays = 36500;
  static constexpr int kMaxCertDays = 3650;
  static constexpr int kMaxNotifyCommandTimeout = 600; ///< seconds

  static ConsoleSettings load(const QSettings& settings);
  void save(QSettings& settings) const;
  /// Why these settings cannot be used, empty when they can.
  QString validationError() const;
  /// The exporter address split into host and port; nullopt when empty or malformed.
  std::optional<std::pair<QString, std::uint16_t>> exporterHostPort() const;

  bool operator==(const ConsoleSettings&) const = default;
};

/// The QSettings the console keeps its preferences in (INI, user scope, healthdeck/console).
QString consoleSettingsOrganization();
QString consoleSettingsApplication();

} // namespace healthdeck
