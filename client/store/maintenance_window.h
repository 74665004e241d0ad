#pragma once
// MaintenanceWindow: a planned period in which a server (or every server of a group) is polled
// as usual but shown as "maintenance" and sends no notifications. One-off, or recurring daily
// or weekly at a local wall-clock time in a time zone, for a fixed duration.
//
// Recurrence is computed in the window's time zone (QTimeZone), never by adding 24 h to a UTC
// instant: a daily 01:00 window stays at 01:00 local across a DST change, and a window that
// starts before midnight and ends after it (23:00 for 2 h) is found from either side of
// midnight. A local start time that does not exist on a DST spring-forward day is moved forward
// by the gap (Qt's rule); one that happens twice (fall back) is its first occurrence. The
// duration is elapsed time (2 h is 2 h even across a DST change).
// Plain value type; the functions are pure and thread-safe. Times in and out are QDateTime; the
// results are UTC.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QTimeZone>

#include <chrono>
#include <cstdint>
#include <optional>

namespace healthdeck {

struct MaintenanceWindow {
  enum class Repeat : std::uint8_t { None, Daily, Weekly };

  QString id;       ///< stable key, unique in the server list
  QString targetId; ///< the server it covers, or empty when `group` is set
  QString group;    ///< every server of this group, or empty when `targetId` is set
  QDate startDate;  ///< first (or only) day, in `zone`; Weekly repeats on its weekday
  QTime startTime;  ///< local wall-clock start in `zone`
  std::chrono::minutes duration{60};
  Repeat repeat = Repeat::None;
  QTimeZone zone = QTimeZone::systemTimeZone();
  QString note; ///< why ("kernel upgrade"); plain text

  /// The occurrence that contains `at` (start inclusive, end exclusive), as UTC [start, end).
  std::optional<std::pair<QDateTime, QDateTime>> occurrenceAt(const QDateTime& at) const;
  bool contains(const QDateTime& at) const { return occurrenceAt(at).has_value(); }
  /// The first occurrence that starts after `at` (UTC start), nullopt when none (a past one-off).
  std::optional<QDateTime> nextStart(const QDateTime& at) const;
  /// Does this window cover a server with this id and group?
  bool covers(const QString& serverId, const QString& targetGroup) const;

  /// "daily 23:00 for 2 h (Europe/Berlin)", "2026-12-01 22:00 for 30 min".
  QString describe() const;

  QJsonObject toJson() const;
  /// nullopt with `error` naming the key ("start: expected YYYY-MM-DDTHH:MM").
  static std::optional<MaintenanceWindow> fromJson(const QJsonObject& o, QString* error);
};

} // namespace healthdeck
