#pragma once
// What the three parts of HistoryDb share (history_db.cpp: file, schema, writes;
// history_rollup.cpp: roll-ups and retention; history_query.cpp: reads): bucket sizes, bucket
// arithmetic and the roll-up tables' state columns. Internal to the client library.

#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <utility>
#include <vector>

namespace healthdeck::history::detail {

inline constexpr qint64 kMinute = 60 * 1000;
inline constexpr qint64 kHour = 60 * kMinute;
inline constexpr qint64 kDay = 24 * kHour;

/// The bucket start at or before `t` (also for negative times).
inline qint64 floorTo(qint64 t, qint64 step) {
  qint64 q = t / step;
  if (t < 0 && q * step != t) --q;
  return q * step;
}
/// The bucket start at or after `t`.
inline qint64 ceilTo(qint64 t, qint64 step) {
  const qint64 f = floorTo(t, step);
  return f == t ? t : f + step;
}

inline QString errorOf(const QSqlQuery& q) {
  return q.lastError().text();
}

/// Runs `select` (ending in a WHERE clause whose placeholders `binds` fill) narrowed by
/// " AND <column> = ?" for each filter with a non-empty value, then `tail` (ORDER BY, LIMIT
/// with placeholders `tailBinds` fill). False (the query holds the error) when it fails.
inline bool execFiltered(QSqlQuery& q, QString select, const QVariantList& binds,
                         const std::vector<std::pair<const char*, QString>>& filters,
                         const QString& tail, const QVariantList& tailBinds = {}) {
  QVariantList values = binds;
  for (const auto& [column, value] : filters)
    if (!value.isEmpty()) {
      select += QStringLiteral(" AND %1 = ?").arg(QLatin1String(column));
      values << value;
    }
  q.setForwardOnly(true);
  q.prepare(select + tail);
  for (const QVariant& v : values + tailBinds)
    q.addBindValue(v);
  return q.exec();
}

/// The roll-up tables' time-per-state columns, in StateDurations' slot order.
inline constexpr char kStateColumns[] =
    "ms_up, ms_degraded, ms_down, ms_unreachable, ms_unauthorized, ms_disabled, ms_unknown, "
    "ms_offline";

/// "sum(ms_up), sum(ms_degraded), ..." in kStateColumns' order.
inline QString stateSums() {
  QStringList sums;
  for (const QString& column : QString::fromLatin1(kStateColumns).split(QStringLiteral(", ")))
    sums << QStringLiteral("sum(%1)").arg(column);
  return sums.join(QStringLiteral(", "));
}

} // namespace healthdeck::history::detail
