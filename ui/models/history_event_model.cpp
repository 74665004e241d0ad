#include "healthdeck/ui/models/history_event_model.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/ui/models/item_roles.h"

#include <QDateTime>

#include <algorithm>

namespace healthdeck {

namespace {
QString word(int state) {
  if (state < 0 || state >= history::kNotObserved) return QStringLiteral("Not observed");
  return presentation(static_cast<TargetState>(state)).word;
}
} // namespace

HistoryEventModel::HistoryEventModel(QObject* parent) : QAbstractTableModel(parent) {}

void HistoryEventModel::setEvents(std::vector<history::StoredEvent> events) {
  beginResetModel();
  m_events = std::move(events);
  std::stable_sort(m_events.begin(), m_events.end(),
                   [](const auto& a, const auto& b) { return a.t > b.t; });
  endResetModel();
}

const history::StoredEvent* HistoryEventModel::eventAt(int row) const {
  if (row < 0 || row >= static_cast<int>(m_events.size())) return nullptr;
  return &m_events[static_cast<std::size_t>(row)];
}

int HistoryEventModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int HistoryEventModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryEventModel::data(const QModelIndex& index, int role) const {
  const history::StoredEvent* e = index.isValid() ? eventAt(index.row()) : nullptr;
  if (!e || index.column() >= ColumnCount) return {};
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case TimeColumn:
      return QDateTime::fromMSecsSinceEpoch(e->t).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ServerColumn: return e->serverName;
    case ChangeColumn:
      return QString(word(e->from) % QStringLiteral(" → ") %
                     (e->flapping ? QStringLiteral("Flapping") : word(e->to)));
    case SentenceColumn: return e->sentence;
    default: return {};
    }
  case Qt::ToolTipRole:
    if (index.column() == TimeColumn)
      return QDateTime::fromMSecsSinceEpoch(e->t, Qt::UTC).toString(Qt::ISODateWithMs);
    if (index.column() == SentenceColumn) return e->sentence;
    return {};
  case StateRole: return e->to;
  case FlappingRole: return e->flapping;
  case TargetIdRole: return e->serverKey;
  case SortRole:
    if (index.column() == TimeColumn) return e->t;
    return data(index, Qt::DisplayRole);
  default: return {};
  }
}

QVariant HistoryEventModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case TimeColumn: return QStringLiteral("Time");
  case ServerColumn: return QStringLiteral("Server");
  case ChangeColumn: return QStringLiteral("Change");
  case SentenceColumn: return QStringLiteral("What it said");
  default: return {};
  }
}

} // namespace healthdeck
