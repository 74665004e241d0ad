#include "healthdeck/ui/models/component_matrix_model.h"

#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/overview_model.h"

#include <QSet>

namespace healthdeck {

namespace {

const HealthComponent* findTop(const HealthDocument& doc, const QString& name) {
  for (const auto& c : doc.components)
    if (c.path.size() <= 1 && c.name == name) return &c;
  return nullptr;
}

TargetState fromStatus(Status s) {
  switch (s) {
  case Status::Up: return TargetState::Up;
  case Status::Degraded: return TargetState::Degraded;
  case Status::Down: return TargetState::Down;
  }
  return TargetState::Unknown;
}

} // namespace

ComponentMatrixModel::ComponentMatrixModel(TargetStore& store, OverviewModel& rows, QObject* parent)
    : QAbstractTableModel(parent), m_store(store), m_rows(rows) {
  connect(&m_rows, &QAbstractItemModel::modelReset, this, &ComponentMatrixModel::rebuild);
  connect(&m_rows, &QAbstractItemModel::layoutChanged, this, &ComponentMatrixModel::rebuild);
  connect(&m_rows, &QAbstractItemModel::dataChanged, this, [this] {
    // Components can appear with any poll; a new column needs a reset, values only a repaint.
    QSet<QString> now;
    for (int r = 0; r < m_rows.rowCount(); ++r)
      if (const TargetSnapshot* s = m_store.findSnapshot(m_rows.targetIdAt(r)))
        if (const HealthDocument* d = s->primaryDocument())
          for (const auto& c : d->components)
            if (c.path.size() <= 1) now.insert(c.name);
    if (now != QSet<QString>(m_columns.cbegin(), m_columns.cend())) {
      rebuild();
      return;
    }
    if (rowCount() > 0 && columnCount() > 0)
      Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT headerDataChanged(Qt::Vertical, 0, std::max(0, rowCount() - 1));
  });
  rebuild();
}

void ComponentMatrixModel::rebuild() {
  beginResetModel();
  QSet<QString> names;
  for (int r = 0; r < m_rows.rowCount(); ++r)
    if (const TargetSnapshot* s = m_store.findSnapshot(m_rows.targetIdAt(r)))
      if (const HealthDocument* d = s->primaryDocument())
        for (const auto& c : d->components)
          if (c.path.size() <= 1) names.insert(c.name);
  m_columns = QStringList(names.cbegin(), names.cend());
  m_columns.sort(Qt::CaseInsensitive);
  endResetModel();
}

int ComponentMatrixModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_rows.rowCount();
}

int ComponentMatrixModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_columns.size()) + 1;
}

QVariant ComponentMatrixModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const QString id = m_rows.targetIdAt(index.row());
  if (role == TargetIdRole) return id;
  if (index.column() == kStateColumn) {
    // The server's own state first, so a server that answers nothing still reads.
    if (role == Qt::DisplayRole) {
      const QString sentence = m_rows.data(m_rows.index(index.row()), SentenceRole).toString();
      return sentence;
    }
    return m_rows.data(m_rows.index(index.row()), role);
  }
  const TargetSnapshot* s = m_store.findSnapshot(id);
  const HealthDocument* d = s ? s->primaryDocument() : nullptr;
  const HealthComponent* c = d ? findTop(*d, m_columns.at(index.column() - 1)) : nullptr;
  if (!c) return {};
  switch (role) {
  case StateRole: return static_cast<int>(fromStatus(c->status));
  case StaleRole: return m_store.isStale(id);
  case Qt::ToolTipRole:
  case Qt::AccessibleTextRole: {
    const auto word = toString(c->status);
    QString text = m_rows.data(m_rows.index(index.row()), Qt::DisplayRole).toString() %
                   QStringLiteral(" / ") % c->name % QStringLiteral(": ") %
                   QString::fromLatin1(word.data(), static_cast<qsizetype>(word.size()));
    if (!c->details.isEmpty()) text += QStringLiteral(" — ") % c->details;
    return text;
  }
  default: return {};
  }
}

QVariant ComponentMatrixModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
  if (orientation == Qt::Horizontal) {
    if (role != Qt::DisplayRole) return {};
    if (section == kStateColumn) return QStringLiteral("Server state");
    if (section > 0 && section <= m_columns.size()) return m_columns.at(section - 1);
    return {};
  }
  // Row headers: the server, with its badge roles, straight from the row model.
  return m_rows.data(m_rows.index(section), role);
}

} // namespace healthdeck
