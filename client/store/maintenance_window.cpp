#include "healthdeck/client/store/maintenance_window.h"

#include <QLocale>
#include <QSet>

#include <vector>

namespace healthdeck {

namespace {

QString repeatName(MaintenanceWindow::Repeat r) {
  switch (r) {
  case MaintenanceWindow::Repeat::Daily: return QStringLiteral("daily");
  case MaintenanceWindow::Repeat::Weekly: return QStringLiteral("weekly");
  case MaintenanceWindow::Repeat::None: break;
  }
  return QStringLiteral("none");
}

QString durationText(std::chrono::minutes d) {
  const auto m = d.count();
  if (m % (24 * 60) == 0) return QStringLiteral("%1 d").arg(m / (24 * 60));
  if (m % 60 == 0) return QStringLiteral("%1 h").arg(m / 60);
  if (m > 60) return QStringLiteral("%1 h %2 min").arg(m / 60).arg(m % 60);
  return QStringLiteral("%1 min").arg(m);
}

/// The UTC instant of `time` on `day` in `zone`. A local time that happens twice (the night a
/// DST change falls back) is its first occurrence — when the wall clock first shows it.
QDateTime localStart(const QDate& day, const QTime& time, const QTimeZone& zone) {
  QDateTime start = QDateTime(day, time, zone);
  for (const qint64 back : {3600, 1800}) {
    const QDateTime earlier = start.addSecs(-back);
    const QDateTime local = earlier.toTimeZone(zone);
    if (local.date() == day && local.time() == time) return earlier.toUTC();
  }
  return start.toUTC();
}

} // namespace

bool MaintenanceWindow::covers(const QString& serverId, const QString& targetGroup) const {
  if (!targetId.isEmpty()) return targetId == serverId;
  return !group.isEmpty() && group == targetGroup;
}

std::optional<std::pair<QDateTime, QDateTime>>
MaintenanceWindow::occurrenceAt(const QDateTime& at) const {
  if (!startDate.isValid() || !startTime.isValid() || duration.count() <= 0) return std::nullopt;
  const qint64 len = static_cast<qint64>(duration.count()) * 60 * 1000;
  const auto test = [&](const QDate& day) -> std::optional<std::pair<QDateTime, QDateTime>> {
    if (day < startDate) return std::nullopt;
    const QDateTime start = localStart(day, startTime, zone);
    const QDateTime end = start.addMSecs(len);
    if (start <= at && at < end) return std::make_pair(start, end);
    return std::nullopt;
  };
  if (repeat == Repeat::None) return test(startDate);
  // Candidate days: the local day of `at` and as many before it as the duration can reach
  // back (a 23:00 + 2 h window covers 00:30 of the next day from the day before).
  const QDate today = at.toTimeZone(zone).date();
  const qint64 reachDays = len / (24LL * 3600 * 1000) + 1;
  for (qint64 back = 0; back <= reachDays + (repeat == Repeat::Weekly ? 7 : 0); ++back) {
    const QDate day = today.addDays(-back);
    if (repeat == Repeat::Weekly && day.dayOfWeek() != startDate.dayOfWeek()) continue;
    if (auto hit = test(day)) return hit;
  }
  return std::nullopt;
}

std::optional<QDateTime> MaintenanceWindow::nextStart(const QDateTime& at) const {
  if (!startDate.isValid() || !startTime.isValid()) return std::nullopt;
  const auto startOn = [&](const QDate& day) { return localStart(day, startTime, zone); };
  if (repeat == Repeat::None) {
    const QDateTime s = startOn(startDate);
    return s > at ? std::optional<QDateTime>(s) : std::nullopt;
  }
  QDate day = std::max(startDate, at.toTimeZone(zone).date().addDays(-1));
  for (int i = 0; i < 16; ++i, day = day.addDays(1)) {
    if (repeat == Repeat::Weekly && day.dayOfWeek() != startDate.dayOfWeek()) continue;
    const QDateTime s = startOn(day);
    if (s > at) return s;
  }
  return std::nullopt;
}

QString MaintenanceWindow::describe() const {
  const QString time = startTime.toString(QStringLiteral("HH:mm"));
  QString when;
  switch (repeat) {
  case Repeat::None: when = startDate.toString(Qt::ISODate) % QLatin1Char(' ') % time; break;
  case Repeat::Daily: when = QStringLiteral("daily ") % time; break;
  case Repeat::Weekly:
    when = QStringLiteral("weekly on ") %
           QLocale::c().dayName(startDate.dayOfWeek(), QLocale::LongFormat) % QLatin1Char(' ') %
           time;
    break;
  }
  return when % QStringLiteral(" for ") % durationText(duration) % QStringLiteral(" (") %
         QString::fromUtf8(zone.id()) % QLatin1Char(')');
}

QJsonObject MaintenanceWindow::toJson() const {
  QJsonObject o{
      {QStringLiteral("id"), id},
      {QStringLiteral("start"), QString(startDate.toString(Qt::ISODate) % QLatin1Char('T') %
                                        startTime.toString(QStringLiteral("HH:mm")))},
      {QStringLiteral("duration_minutes"), static_cast<qint64>(duration.count())},
      {QStringLiteral("repeat"), repeatName(repeat)},
      {QStringLiteral("time_zone"), QString::fromUtf8(zone.id())}};
  if (!targetId.isEmpty()) o.insert(QStringLiteral("server"), targetId);
  if (!group.isEmpty()) o.insert(QStringLiteral("group"), group);
  if (!note.isEmpty()) o.insert(QStringLiteral("note"), note);
  return o;
}

std::optional<MaintenanceWindow> MaintenanceWindow::fromJson(const QJsonObject& o, QString* error) {
  static const QSet<QString> keys = {QStringLiteral("id"),
                                     QStringLiteral("server"),
                                     QStringLiteral("group"),
                                     QStringLiteral("start"),
                                     QStringLiteral("duration_minutes"),
                                     QStringLiteral("repeat"),
                                     QStringLiteral("time_zone"),
                                     QStringLiteral("note")};
  const auto fail = [error](const QString& key, const QString& msg) {
    if (error) *error = key % QStringLiteral(": ") % msg;
    return std::optional<MaintenanceWindow>{};
  };
  for (auto it = o.begin(); it != o.end(); ++it)
    if (!keys.contains(it.key())) return fail(it.key(), QStringLiteral("unknown key"));
  MaintenanceWindow w;
  w.id = o.value(QStringLiteral("id")).toString();
  w.targetId = o.value(QStringLiteral("server")).toString();
  w.group = o.value(QStringLiteral("group")).toString();
  w.note = o.value(QStringLiteral("note")).toString();
  if (w.targetId.isEmpty() == w.group.isEmpty())
    return fail(QStringLiteral("server"), QStringLiteral("exactly one of server or group"));
  const QString start = o.value(QStringLiteral("start")).toString();
  const QDateTime local = QDateTime::fromString(start, QStringLiteral("yyyy-MM-ddTHH:mm"));
  if (!local.isValid())
    return fail(QStringLiteral("start"), QStringLiteral("expected YYYY-MM-DDTHH:MM (local time)"));
  w.startDate = local.date();
  w.startTime = local.time();
  const qint64 minutes = o.value(QStringLiteral("duration_minutes")).toInteger(-1);
  if (minutes < 1 || minutes > 14 * 24 * 60)
    return fail(QStringLiteral("duration_minutes"), QStringLiteral("1 to 20160 minutes"));
  w.duration = std::chrono::minutes(minutes);
  const QString repeat = o.value(QStringLiteral("repeat")).toString(QStringLiteral("none"));
  if (repeat == QLatin1String("daily"))
    w.repeat = Repeat::Daily;
  else if (repeat == QLatin1String("weekly"))
    w.repeat = Repeat::Weekly;
  else if (repeat != QLatin1String("none"))
    return fail(QStringLiteral("repeat"), QStringLiteral("one of none, daily, weekly"));
  const QString zone = o.value(QStringLiteral("time_zone")).toString();
  if (!zone.isEmpty()) {
    w.zone = QTimeZone(zone.toUtf8());
    if (!w.zone.isValid())
      return fail(QStringLiteral("time_zone"), QStringLiteral("unknown time zone ") % zone);
  }
  if (w.id.isEmpty())
    w.id = (w.targetId.isEmpty() ? w.group : w.targetId) % QLatin1Char('@') % start;
  return w;
}

} // namespace healthdeck
