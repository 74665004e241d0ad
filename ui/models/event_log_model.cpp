#include "healthdeck/ui/models/event_log_model.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"

#include <QLocale>

namespace healthdeck {

EventLogModel::EventLogModel(TargetStore& store, QObject* parent)
    : QAbstractTableModel(parent), m_store(store), m_maxRows(store.limits().events) {
  connect(&m_store, &TargetStore::eventRecorded, this, &EventLogModel::onEventRecorded);
  connect(&m_store, &TargetStore::eventsReset, this, [this] {
    beginResetModel();
    reload();
    endResetModel();
  });
  reload();
}

void EventLogModel::setTargetFilter(const QString& targetId) {
  if (targetId == m_filter) return;
  beginResetModel();
  m_filter = targetId;
  reload();
  endResetModel();
}

void EventLogModel::setMaximumRows(int rows) {
  beginResetModel();
  m_maxRows = std::max(1, rows);
  reload();
  endResetModel();
}

bool EventLogModel::accepts(const TargetEvent& e) const {
  return m_filter.isEmpty() || e.targetId == m_filter;
}

void EventLogModel::reload() {
  m_rows.clear();
  const auto& events = m_store.events();
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (!accepts(*it)) continue;
    m_rows.push_back(*it);
    if (static_cast<int>(m_rows.size()) >= m_maxRows) break;
  }
}

void EventLogModel::onEventRecorded(const TargetEvent& e) {
  if (!accepts(e)) return;
  if (static_cast<int>(m_rows.size()) >= m_maxRows) {
    const int last = static_cast<int>(m_rows.size()) - 1;
    beginRemoveRows({}, last, last);
    m_rows.pop_back();
    endRemoveRows();
  }
  beginInsertRows({}, 0, 0);
  m_rows.push_front(e);
  endInsertRows();
}

int EventLogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const TargetEvent& e = m_rows.at(static_cast<std::size_t>(index.row()));
  const QString name = e.targetName.isEmpty() ? e.targetId : e.targetName;
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case TimeColumn:
      return QLocale().toString(e.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ServerColumn: return name;
    case ChangeColumn: return e.changeText();
    case DetailsColumn: return e.sentence;
    default: return {};
    }
  case Qt::ToolTipRole: return ui::plainToolTip(e.sentence); // server words: never markup
  case Qt::AccessibleTextRole:
    return QString(name % QStringLiteral(": ") % e.changeText() % QStringLiteral(", ") %
                   e.sentence);
  case TargetIdRole: return e.targetId;
  case StateRole: return static_cast<int>(e.to);
  case FlappingRole: return e.flapping;
  case SeverityRole: return severity(e.to);
  case SortRole:
    if (index.column() == TimeColumn) return e.at;
    if (index.column() == ChangeColumn) return severity(e.to);
    return data(index, Qt::DisplayRole);
  case TimeRole: return e.at;
  case SentenceRole: return e.sentence;
  default: return {};
  }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case TimeColumn: return QStringLiteral("Time");
  case ServerColumn: return QStringLiteral("Server");
  case ChangeColumn: return QStringLiteral("Change");
  case DetailsColumn: return QStringLiteral("Details");
  default: return {};
  }
}

} // namespace healthdeck
