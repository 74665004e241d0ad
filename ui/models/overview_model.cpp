#include "healthdeck/ui/models/overview_model.h"

#include "healthdeck/client/store/target_status.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/views/badge_overlay.h"

#include <QSet>

#include <algorithm>

namespace healthdeck {

OverviewModel::OverviewModel(TargetStore& store, TriageState* triage, QObject* parent)
    : QAbstractListModel(parent), m_store(store), m_triage(triage),
      m_clock([this] { return m_triage ? m_triage->now() : QDateTime::currentDateTimeUtc(); }) {
  m_timer.setObjectName(QStringLiteral("OverviewModel: re-sort"));
  m_timer.setSingleShot(true);
  m_timer.setInterval(250);
  connect(&m_timer, &QTimer::timeout, this, &OverviewModel::refresh);
  connect(&m_store, &TargetStore::targetsReset, this, &OverviewModel::refresh);
  connect(&m_store, &TargetStore::snapshotsReset, this, &OverviewModel::schedule);
  connect(&m_store, &TargetStore::snapshotUpdated, this, &OverviewModel::schedule);
  if (m_triage) connect(m_triage, &TriageState::triageChanged, this, &OverviewModel::schedule);
  m_ids = ordered();
}

void OverviewModel::setAttentionOnly(bool on) {
  m_attentionOnly = on;
  refresh();
}

void OverviewModel::schedule() {
  if (!m_active)
    m_dirty = true;
  else if (!m_timer.isActive())
    m_timer.start();
}

void OverviewModel::setActive(bool active) {
  if (active == m_active) return;
  m_active = active;
  if (!active) {
    m_dirty = m_dirty || m_timer.isActive();
    m_timer.stop();
  } else if (m_dirty) {
    refresh();
  }
}

QStringList OverviewModel::ordered() const {
  struct Row {
    QString id;
    int rank;
    int index;
    QString name;
  };
  std::vector<Row> rows;
  const QDateTime now = m_clock();
  const auto& targets = m_store.targets();
  rows.reserve(static_cast<std::size_t>(targets.size()));
  for (int i = 0; i < targets.size(); ++i) {
    const TargetStatus st = targetStatus(m_store, m_triage, targets.at(i).id, now);
    if (m_attentionOnly && !st.needsAttention) continue;
    rows.push_back({targets.at(i).id, st.troubleRank, i, targets.at(i).name.toLower()});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.rank != b.rank) return a.rank > b.rank;
    return a.name < b.name;
  });
  QStringList ids;
  ids.reserve(static_cast<qsizetype>(rows.size()));
  for (const auto& r : rows)
    ids << r.id;
  return ids;
}

void OverviewModel::refresh() {
  m_timer.stop();
  m_dirty = false;
  const QStringList ids = ordered();
  bool sameSet = ids.size() == m_ids.size();
  if (sameSet) {
    const QSet<QString> before(m_ids.cbegin(), m_ids.cend());
    sameSet = std::all_of(ids.cbegin(), ids.cend(),
                          [&](const QString& id) { return before.contains(id); });
  }
  if (!sameSet) {
    beginResetModel();
    m_ids = ids;
    endResetModel();
    return;
  }
  if (ids != m_ids) {
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex& i : from)
      to << index(static_cast<int>(ids.indexOf(m_ids.at(i.row()))), i.column());
    m_ids = ids;
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
  }
  if (!m_ids.isEmpty()) Q_EMIT dataChanged(index(0), index(static_cast<int>(m_ids.size()) - 1));
}

int OverviewModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

namespace {

/// Share of good polls (Up or Degraded) over the kept history, and the span it covers.
std::pair<double, qint64> uptimeOf(const std::deque<TargetStore::HistoryPoint>& history,
                                   const QDateTime& now) {
  const QDateTime since = now.addSecs(qint64{-24} * 3600);
  int good = 0, all = 0;
  QDateTime first;
  for (const auto& p : history) {
    if (p.at < since) continue;
    if (!first.isValid()) first = p.at;
    ++all;
    good += p.state == TargetState::Up || p.state == TargetState::Degraded ? 1 : 0;
  }
  if (all == 0) return {-1.0, 0};
  return {static_cast<double>(good) / all, first.secsTo(now)};
}

} // namespace

QVariant OverviewModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const QString id = m_ids.at(index.row());
  const TargetConfig* t = m_store.target(id);
  if (!t) return {};
  switch (role) {
  case Qt::DisplayRole: return t->name;
  case TargetIdRole: return id;
  case GroupRole: return t->group;
  case TagsRole: return t->tags;
  case UrlRole: return t->baseUrl.toString();
  case UptimeRole:
  case UptimeSpanRole: {
    const auto [share, span] = uptimeOf(m_store.history(id), m_clock());
    return role == UptimeRole ? QVariant(share) : QVariant(span);
  }
  default: break;
  }
  const TargetStatus st = targetStatus(m_store, m_triage, id, m_clock());
  switch (role) {
  case Qt::ToolTipRole: {
    QString tip =
        t->name % QStringLiteral(" — ") % st.presentation.word % QLatin1Char('\n') % st.sentence;
    if (!st.overlayToolTip.isEmpty()) tip += QLatin1Char('\n') % st.overlayToolTip;
    return tip;
  }
  case Qt::AccessibleTextRole:
    return QString(t->name % QStringLiteral(", ") % st.presentation.word % QStringLiteral(": ") %
                   st.sentence);
  case StateRole: return static_cast<int>(st.state);
  case FlappingRole: return st.flapping;
  case StaleRole: return st.stale;
  case OverlayRole: return static_cast<int>(overlaysOf(st));
  case SentenceRole: return st.sentence;
  case StateWordsRole: return st.stateWords;
  case AttentionRole: return st.needsAttention;
  case SeverityRole: return st.troubleRank;
  case CertDaysRole: return st.certificateExpiry ? QVariant(st.certificateDaysLeft) : QVariant();
  default: return {};
  }
}

QHash<int, QByteArray> OverviewModel::roleNames() const {
  return withRoleNames(QAbstractListModel::roleNames(), {TargetIdRole, StateRole, StaleRole,
                                                         OverlayRole, SentenceRole, AttentionRole});
}

} // namespace healthdeck
