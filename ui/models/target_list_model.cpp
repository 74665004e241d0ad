#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_roles.h"

#include "healthdeck/client/format/unit_format.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_status.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/views/badge_overlay.h"

#include <algorithm>
#include <tuple>

namespace healthdeck {

namespace {

const QList<int> kAllRoles = {
    Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, StateRole,    FlappingRole,
    SeverityRole,    SortRole,        SentenceRole,           LatencyRole,  TimeRole,
    StaleRole,       OverlayRole,     StateWordsRole,         AttentionRole};

/// Flapping sorts just above its held state: it is the same trouble, only noisier.
int sortSeverity(TargetState s, bool flapping) {
  return severity(s) * 2 + (flapping ? 1 : 0);
}

/// What a target that has not answered yet shows (TargetStore::snapshot()'s fallback).
const TargetSnapshot& notPolledYet() {
  static const TargetSnapshot none = [] {
    TargetSnapshot s;
    s.state = TargetState::Unknown;
    s.sentence = presentation(TargetState::Unknown).genericSentence;
    return s;
  }();
  return none;
}

} // namespace

TargetListModel::TargetListModel(TargetStore& store, QObject* parent)
    : TwoLevelTreeModel(parent), m_store(store) {
  m_timer.setObjectName(QStringLiteral("TargetListModel: coalesced changes"));
  m_timer.setSingleShot(true);
  m_timer.setInterval(100);
  connect(&m_timer, &QTimer::timeout, this, &TargetListModel::flushPendingChanges);
  const auto reset = [this] {
    beginResetModel();
    rebuild();
    endResetModel();
  };
  connect(&m_store, &TargetStore::targetsReset, this, reset);
  connect(&m_store, &TargetStore::snapshotsReset, this, reset);
  connect(&m_store, &TargetStore::snapshotUpdated, this, &TargetListModel::onSnapshotUpdated);
  rebuild();
}

void TargetListModel::setTriage(TriageState* triage) {
  if (m_triage) disconnect(m_triage, nullptr, this, nullptr);
  m_triage = triage;
  if (!m_triage) return;
  connect(m_triage, &TriageState::triageChanged, this, [this](const QString& id) {
    if (!id.isEmpty() && m_store.target(id)) {
      onSnapshotUpdated(id);
      return;
    }
    for (const auto& t : m_store.targets()) // a group snooze or a window: every row may change
      onSnapshotUpdated(t.id);
  });
}

void TargetListModel::rebuild() {
  m_pending.clear();
  m_groups.clear();
  const auto& targets = m_store.targets();
  m_positions = QList<Position>(targets.size());
  QHash<QString, int> groupOf;
  for (int i = 0; i < targets.size(); ++i) {
    const QString name =
        targets.at(i).group.isEmpty() ? QStringLiteral("Servers") : targets.at(i).group;
    auto it = groupOf.constFind(name);
    if (it == groupOf.cend()) {
      it = groupOf.insert(name, static_cast<int>(m_groups.size()));
      m_groups.append(Group{name, {}});
    }
    Group& g = m_groups[*it];
    m_positions[i] = Position{*it, static_cast<int>(g.targets.size())};
    g.targets.append(i);
  }
}

void TargetListModel::setMetricsHub(const MetricsHub* hub, int sparklineIntervalMs) {
  if (m_hub) disconnect(m_hub, nullptr, this, nullptr);
  m_hub = hub;
  m_sparklineTimer.setObjectName(QStringLiteral("TargetListModel: sparklines"));
  m_sparklineTimer.setSingleShot(true);
  m_sparklineTimer.setInterval(sparklineIntervalMs);
  connect(&m_sparklineTimer, &QTimer::timeout, this, &TargetListModel::flushSparklines,
          Qt::UniqueConnection);
  if (!m_hub) return;
  connect(m_hub, &MetricsHub::metricsUpdated, this, [this](const QString& targetId) {
    m_pendingSparklines.insert(targetId);
    if (!m_sparklineTimer.isActive()) m_sparklineTimer.start();
  });
}

void TargetListModel::flushSparklines() {
  const QSet<QString> pending = std::exchange(m_pendingSparklines, {});
  for (const QString& id : pending) {
    const QModelIndex cell = indexForTarget(id, NameColumn);
    if (cell.isValid()) Q_EMIT dataChanged(cell, cell, {SparklineRole, MetricStaleRole});
  }
}

void TargetListModel::onSnapshotUpdated(const QString& targetId) {
  m_pending.insert(targetId);
  if (!m_timer.isActive()) m_timer.start();
}

void TargetListModel::flushPendingChanges() {
  m_timer.stop();
  if (m_pending.isEmpty()) return;
  const QSet<QString> pending = std::exchange(m_pending, {});
  // Rows by group, then one dataChanged per run of adjacent rows: a proxy and a view handle a
  // range in one pass, where one signal per row made 5,000 changed rows cost seconds.
  QList<Position> rows;
  rows.reserve(pending.size());
  for (const QString& id : pending) {
    const int ti = m_store.indexOf(id);
    if (ti >= 0 && ti < m_positions.size()) rows << m_positions.at(ti);
  }
  std::sort(rows.begin(), rows.end(), [](const Position& a, const Position& b) {
    return std::tie(a.group, a.row) < std::tie(b.group, b.row);
  });
  for (qsizetype i = 0; i < rows.size();) {
    qsizetype end = i + 1;
    while (end < rows.size() && rows.at(end).group == rows.at(i).group &&
           rows.at(end).row == rows.at(end - 1).row + 1)
      ++end;
    const Position& first = rows.at(i);
    Q_EMIT dataChanged(childIndex(first.group, first.row, 0),
                       childIndex(first.group, rows.at(end - 1).row, ColumnCount - 1), kAllRoles);
    i = end;
  }
  int lastGroup = -1;
  for (const Position& p : rows) {
    if (p.group == lastGroup) continue;
    lastGroup = p.group;
    const QModelIndex group = index(p.group, 0);
    Q_EMIT dataChanged(group, group.siblingAtColumn(ColumnCount - 1), kAllRoles);
  }
}

QModelIndex TargetListModel::indexForTarget(const QString& targetId, int column) const {
  const int ti = m_store.indexOf(targetId);
  if (ti < 0 || ti >= m_positions.size()) return {};
  const Position& p = m_positions.at(ti);
  return p.group >= 0 ? childIndex(p.group, p.row, column) : QModelIndex{};
}

QString TargetListModel::groupName(int groupRow) const {
  return groupRow >= 0 && groupRow < m_groups.size() ? m_groups.at(groupRow).name : QString{};
}

QVariant TargetListModel::groupData(int groupRow, int column, int role) const {
  const Group& g = m_groups.at(groupRow);
  const int count = static_cast<int>(g.targets.size());
  switch (role) { // the roles that need no look at the members (a proxy asks IsGroupRole a lot)
  case Qt::DisplayRole:
    if (column == NameColumn) return g.name;
    if (column == StateColumn) return QString::number(count);
    return {};
  case TargetIdRole: return QString{};
  case SortRole:
    // Groups keep their configured order whatever the column; only targets sort.
    return groupRow;
  case IsGroupRole: return true;
  case CountRole: return count;
  case Qt::ToolTipRole:
  case Qt::AccessibleTextRole:
  case StateRole:
  case FlappingRole:
  case SeverityRole:
  case SentenceRole: break;
  default: return {};
  }
  TargetState worst = TargetState::Up;
  bool flapping = false;
  for (int ti : g.targets) {
    const TargetSnapshot* s = m_store.findSnapshot(m_store.targets().at(ti).id);
    const TargetState state = s ? s->state : TargetState::Unknown;
    if (severity(state) > severity(worst)) worst = state;
    flapping = flapping || (s && s->flapping);
  }
  switch (role) {
  case StateRole: return static_cast<int>(worst);
  case FlappingRole: return flapping;
  case SeverityRole: return sortSeverity(worst, flapping);
  case SentenceRole: return presentation(worst).word;
  default: // tooltip, accessible text
    return QStringLiteral("%1: %2 servers, worst state %3")
        .arg(g.name)
        .arg(count)
        .arg(presentation(worst).word);
  }
}

void TargetListModel::setUptime(const QHash<QString, UptimeSet>& uptime) {
  m_uptime = uptime;
  const int groups = rowCount();
  for (int g = 0; g < groups; ++g) {
    const QModelIndex group = index(g, 0);
    const int n = rowCount(group);
    if (n > 0)
      Q_EMIT dataChanged(index(0, UptimeColumn, group), index(n - 1, UptimeColumn, group),
                         {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
  }
}

QVariant TargetListModel::targetData(int targetIndex, int column, int role) const {
  const TargetConfig& t = m_store.targets().at(targetIndex);
  if (column == UptimeColumn) {
    const auto up = m_uptime.constFind(t.id);
    const history::UptimeFigures* f = up == m_uptime.cend() ? nullptr : &up->periods[2];
    switch (role) {
    case Qt::DisplayRole: return f ? history::percentText(*f) : QString();
    case Qt::ToolTipRole: {
      if (!f) return QStringLiteral("No history yet");
      static const char* const labels[] = {"24 h", "7 d", "30 d"};
      QStringList lines;
      for (int i = 0; i < UptimeSet::kPeriods; ++i)
        lines << QLatin1String(labels[i]) % QStringLiteral(": ") %
                     history::describeUptime(up->periods[static_cast<std::size_t>(i)]);
      return lines.join(QLatin1Char('\n'));
    }
    case SortRole: return f && f->hasObservation() ? f->up() : -1.0;
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case TargetIdRole: return t.id;
    case IsGroupRole: return false;
    default: break;
    }
    if (role != StateRole && role != FlappingRole && role != SeverityRole) return {};
  }
  // Views ask per cell and role: no snapshot copies, and the roles a delegate asks for every
  // painted cell (font, colours, decoration, alignment, ...) cost no status computation.
  const TargetSnapshot* stored = m_store.findSnapshot(t.id);
  const TargetSnapshot& s = stored ? *stored : notPolledYet();
  const bool polled = s.polledAt.isValid();
  switch (role) {
  case Qt::DisplayRole:
    if (column == NameColumn) return t.name;
    if (column == LatencyColumn) return polled ? durationText(s.latency) : QString{};
    if (column != StateColumn) return {};
    break;
  case Qt::ToolTipRole:
  case Qt::AccessibleTextRole:
  case SentenceRole:
  case StaleRole:
  case OverlayRole:
  case StateWordsRole:
  case AttentionRole: break;
  case TargetIdRole: return t.id;
  case StateRole: return static_cast<int>(s.state);
  case FlappingRole: return s.flapping;
  case SeverityRole: return sortSeverity(s.state, s.flapping);
  case SortRole:
    if (column == StateColumn) return sortSeverity(s.state, s.flapping);
    if (column == LatencyColumn) return polled ? static_cast<qint64>(s.latency.count()) : -1;
    return t.name.toLower();
  case IsGroupRole: return false;
  case LatencyRole: return polled ? static_cast<qint64>(s.latency.count()) : qint64{-1};
  case TimeRole: return s.polledAt;
  case UrlRole: return t.baseUrl.toString();
  case SparklineRole: {
    if (!m_hub || column != NameColumn) return {};
    const auto* st = m_hub->state(t.id);
    return st ? QVariant::fromValue(st->sparkline) : QVariant{};
  }
  case MetricStaleRole: { // the sparkline's values are the last good scrape's
    if (!m_hub || column != NameColumn) return {};
    const auto* st = m_hub->state(t.id);
    return st && st->stale;
  }
  case TagsRole: return t.tags;
  case GroupRole: return t.group;
  case Qt::TextAlignmentRole:
    if (column == LatencyColumn) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
  default: return {};
  }
  // The roles left depend on the words shown: triage and freshness change them only for the
  // few rows they touch.
  StatePresentation p = presentation(s);
  QString sentence = s.sentence.isEmpty() ? p.genericSentence : s.sentence;
  std::optional<TargetStatus> status;
  if (m_triage || m_store.isStale(t.id) || !t.parentId.isEmpty() || s.certificateExpiry) {
    status = targetStatus(m_store, m_triage, t.id,
                          m_triage ? m_triage->now() : QDateTime::currentDateTimeUtc());
    p = status->presentation;
    sentence = status->sentence;
  }
  switch (role) {
  case Qt::DisplayRole: return p.word;
  case Qt::ToolTipRole: {
    QString tip = t.name % QStringLiteral(" — ") % p.word % QStringLiteral("\n") % sentence;
    if (status && !status->overlayToolTip.isEmpty())
      tip += QLatin1Char('\n') % status->overlayToolTip;
    return ui::plainToolTip(tip);
  }
  case Qt::AccessibleTextRole:
    return QString(t.name % QStringLiteral(", ") % p.word % QStringLiteral(": ") % sentence);
  case SentenceRole: return sentence;
  case StaleRole: return status && status->stale;
  case OverlayRole: return status ? static_cast<int>(overlaysOf(*status)) : 0;
  case StateWordsRole:
    return status ? status->stateWords : QStringList{presentation(s.state).word.toLower()};
  case AttentionRole: return status && status->needsAttention;
  default: return {};
  }
}

QVariant TargetListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case NameColumn: return QStringLiteral("Server");
  case StateColumn: return QStringLiteral("State");
  case LatencyColumn: return QStringLiteral("Latency");
  case UptimeColumn: return QStringLiteral("Uptime");
  default: return {};
  }
}

QHash<int, QByteArray> TargetListModel::roleNames() const {
  return withRoleNames(QAbstractItemModel::roleNames(),
                       {TargetIdRole, StateRole, FlappingRole, SeverityRole, SortRole, SentenceRole,
                        IsGroupRole, LatencyRole, TimeRole, UrlRole, CountRole});
}

int TargetListModel::parentCount() const {
  return static_cast<int>(m_groups.size());
}

int TargetListModel::childCount(int parentRow) const {
  return static_cast<int>(m_groups.at(parentRow).targets.size());
}

QVariant TargetListModel::childData(int parentRow, int childRow, int column, int role) const {
  return targetData(m_groups.at(parentRow).targets.at(childRow), column, role);
}

} // namespace healthdeck
