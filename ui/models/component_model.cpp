#include "healthdeck/ui/models/component_model.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/views/plain_text.h"

#include <QLocale>

#include <vector>

namespace healthdeck {

namespace {

TargetState asTargetState(Status s) {
  switch (s) {
  case Status::Up: return TargetState::Up;
  case Status::Degraded: return TargetState::Degraded;
  case Status::Down: return TargetState::Down;
  }
  return TargetState::Unknown;
}

QString statusWord(Status s) {
  const auto v = toString(s);
  return QString::fromLatin1(v.data(), static_cast<qsizetype>(v.size()));
}

} // namespace

ComponentModel::ComponentModel(TargetStore& store, Probe probe, QObject* parent)
    : QAbstractTableModel(parent), m_store(store), m_probe(probe) {
  connect(&m_store, &TargetStore::snapshotUpdated, this, [this](const QString& id) {
    if (id == m_targetId) refresh(false);
  });
  connect(&m_store, &TargetStore::snapshotsReset, this, [this] { refresh(true); });
  connect(&m_store, &TargetStore::targetsReset, this, [this] { refresh(true); });
}

void ComponentModel::setTargetId(const QString& targetId) {
  if (targetId == m_targetId) return;
  m_targetId = targetId;
  refresh(true);
}

QList<ComponentModel::Row> ComponentModel::currentRows() const {
  QList<Row> rows;
  if (m_targetId.isEmpty()) return rows;
  const TargetSnapshot s = m_store.snapshot(m_targetId);
  const auto& doc = m_probe == Probe::Readiness ? s.readiness : s.liveness;
  std::vector<const HealthComponent*> components;
  if (doc)
    for (const auto& c : doc->components)
      components.push_back(&c);
  // Health from metrics: the up gauges and rules of the /metrics page join the readiness box
  // (they decide whether the server can serve, like readiness checks).
  if (m_probe == Probe::Readiness && s.metricsHealth)
    for (const auto& c : s.metricsHealth->components)
      components.push_back(&c);
  for (const HealthComponent* cp : components) {
    const HealthComponent& c = *cp;
    Row r;
    r.name = c.name;
    r.path = c.path.isEmpty() ? QStringList{c.name} : c.path;
    r.status = c.status;
    r.details = c.details;
    if (c.duration) r.durationNs = static_cast<qint64>(c.duration->count());
    r.since = m_store.componentSince(m_targetId, m_probe, r.path);
    rows.append(r);
  }
  return rows;
}

void ComponentModel::refresh(bool forceReset) {
  QList<Row> rows = currentRows();
  bool samePaths = !forceReset && rows.size() == m_rows.size();
  for (int i = 0; samePaths && i < rows.size(); ++i)
    samePaths = rows.at(i).path == m_rows.at(i).path;
  if (samePaths) {
    m_rows = std::move(rows);
    if (!m_rows.isEmpty())
      Q_EMIT dataChanged(index(0, 0), index(static_cast<int>(m_rows.size()) - 1, ColumnCount - 1));
  } else {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
  }
  const QString reason = emptyReason();
  if (reason != m_emptyReason) {
    m_emptyReason = reason;
    Q_EMIT emptyReasonChanged(reason);
  }
}

QString ComponentModel::emptyReason() const {
  if (!m_rows.isEmpty()) return {};
  if (m_targetId.isEmpty()) return QStringLiteral("No server selected");
  const TargetConfig* t = m_store.target(m_targetId);
  const QString path = t ? (m_probe == Probe::Readiness ? t->readyPath : t->livePath) : QString{};
  if (t && path.isEmpty()) return QStringLiteral("Route turned off for this server");
  const TargetSnapshot s = m_store.snapshot(m_targetId);
  if (!s.polledAt.isValid()) return QStringLiteral("Waiting for the first poll");
  const auto& doc = m_probe == Probe::Readiness ? s.readiness : s.liveness;
  if (!doc)
    return s.httpStatus > 0
               ? QStringLiteral("No health document in the answer (HTTP %1)").arg(s.httpStatus)
               : QStringLiteral("No answer from the server");
  if (doc->detailsHidden) return QStringLiteral("The server hides component details");
  return QStringLiteral("The server reports no components");
}

int ComponentModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ComponentModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ComponentModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Row& r = m_rows.at(index.row());
  const int depth = static_cast<int>(r.path.size()) - 1;
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case NameColumn: return QString(QString(depth * 2, QLatin1Char(' ')) + r.name);
    case StatusColumn: return statusWord(r.status);
    case DetailsColumn: return r.details;
    case DurationColumn:
      return r.durationNs ? durationText(std::chrono::nanoseconds(*r.durationNs)) : QString{};
    case SinceColumn: return agoText(r.since, QDateTime::currentDateTimeUtc());
    default: return {};
    }
  case Qt::ToolTipRole:
    if (index.column() == SinceColumn && r.since.isValid())
      return QLocale().toString(r.since.toLocalTime(), QLocale::LongFormat);
    // Names and details come from the server: literal text, never markup.
    if (index.column() == DetailsColumn) return ui::plainToolTip(r.details);
    return ui::plainToolTip(r.path.join(QLatin1Char('/')));
  case Qt::AccessibleTextRole:
    return QString(r.path.join(QLatin1Char('/')) % QStringLiteral(": ") % statusWord(r.status) %
                   (r.details.isEmpty() ? QString{} : QStringLiteral(", ") % r.details));
  case Qt::TextAlignmentRole:
    if (index.column() == DurationColumn) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
  case StateRole: return static_cast<int>(asTargetState(r.status));
  case FlappingRole: return false;
  case SeverityRole: return static_cast<int>(r.status);
  case SortRole:
    switch (index.column()) {
    case StatusColumn: return static_cast<int>(r.status);
    case DurationColumn: return r.durationNs.value_or(-1);
    case SinceColumn: return r.since;
    default: return data(index, Qt::DisplayRole);
    }
  case DurationRole: return r.durationNs.value_or(-1);
  case TimeRole: return r.since;
  case DepthRole: return depth;
  default: return {};
  }
}

QVariant ComponentModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case NameColumn: return QStringLiteral("Component");
  case StatusColumn: return QStringLiteral("Status");
  case DetailsColumn: return QStringLiteral("Details");
  case DurationColumn: return QStringLiteral("Duration");
  case SinceColumn: return QStringLiteral("Since");
  default: return {};
  }
}

} // namespace healthdeck
