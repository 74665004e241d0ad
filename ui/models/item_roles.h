#pragma once
// Item-data roles shared by the console's models, so delegates and proxies take role ids and
// never need a model type. Every model documents which of these it answers.

#include <QByteArray>
#include <QHash>
#include <Qt>

#include <initializer_list>

namespace healthdeck {

enum ItemRole : int {
  TargetIdRole = Qt::UserRole, ///< QString: target id (empty on group rows)
  StateRole,                   ///< int: TargetState shown (group rows: the worst of the group)
  FlappingRole,                ///< bool: the target is flapping (group rows: any member is)
  SeverityRole,                ///< int: raw severity for sorting, higher is worse (see severity())
  SortRole,                    ///< QVariant: raw sort key of the cell (name, severity, ms, time)
  SentenceRole,                ///< QString: the one sentence that explains the state
  IsGroupRole,                 ///< bool: a group header row
  LatencyRole,                 ///< qint64: last poll latency in ms, -1 when not polled
  TimeRole,                    ///< QDateTime (UTC): last poll / event time / component since
  UrlRole,                     ///< QString: the target's base URL
  CountRole,                   ///< int: targets in a group
  DurationRole,                ///< qint64: component check duration in ns, -1 when unknown
  DepthRole,                   ///< int: nesting depth of a component (0 = top level)
  // Triage (issue 12).
  StaleRole,      ///< bool: the last state is older than 2x the interval (draw it greyed)
  OverlayRole,    ///< int: BadgeOverlay flags (acknowledged, snoozed, maintenance, cert)
  TagsRole,       ///< QStringList: the server's tags
  GroupRole,      ///< QString: the server's group
  StateWordsRole, ///< QStringList: lower-case state words the filter matches
  AttentionRole,  ///< bool: needs attention now (not acknowledged, not in maintenance)
  UptimeRole,     ///< double: share of good polls in the kept history (0..1), -1 when none
  UptimeSpanRole, ///< qint64: seconds of history the uptime covers, 0 when none
  CertDaysRole,   ///< qint64: whole days until the certificate expires; absent when no TLS
};

/// `base` (the Qt roles' names) plus the names of `roles` ("targetId", "state", ...), for a
/// model's roleNames(): one spelling of each role's name for every model.
inline QHash<int, QByteArray> withRoleNames(QHash<int, QByteArray> base,
                                            std::initializer_list<ItemRole> roles) {
  static const QHash<int, QByteArray> kNames{
      {TargetIdRole, "targetId"},     {StateRole, "state"},
      {FlappingRole, "flapping"},     {SeverityRole, "severity"},
      {SortRole, "sortKey"},          {SentenceRole, "sentence"},
      {IsGroupRole, "isGroup"},       {LatencyRole, "latency"},
      {TimeRole, "polledAt"},         {UrlRole, "url"},
      {CountRole, "count"},           {DurationRole, "duration"},
      {DepthRole, "depth"},           {StaleRole, "stale"},
      {OverlayRole, "overlays"},      {TagsRole, "tags"},
      {GroupRole, "group"},           {StateWordsRole, "stateWords"},
      {AttentionRole, "attention"},   {UptimeRole, "uptime"},
      {UptimeSpanRole, "uptimeSpan"}, {CertDaysRole, "certDays"}};
  for (ItemRole r : roles)
    base.insert(r, kNames.value(r));
  return base;
}

} // namespace healthdeck
