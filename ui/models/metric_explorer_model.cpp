#include "healthdeck/ui/models/metric_explorer_model.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_roles.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace healthdeck {

namespace {

QString fromStd(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Exposition spelling of a value: full precision, Prometheus' names for the specials.
QString valueText(double v) {
  if (std::isnan(v)) return QStringLiteral("NaN");
  if (std::isinf(v)) return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
  return QLocale::c().toString(v, 'g', 15);
}

bool sameShape(const std::vector<client::ExplorerFamily>& a,
               const std::vector<client::ExplorerFamily>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type || a[i].help != b[i].help ||
        a[i].series.size() != b[i].series.size())
      return false;
    for (std::size_t j = 0; j < a[i].series.size(); ++j)
      if (a[i].series[j].key != b[i].series[j].key) return false;
  }
  return true;
}

// Family rows carry internal id 0; series rows carry their family's row + 1.

} // namespace

MetricExplorerModel::MetricExplorerModel(MetricsHub& hub, QObject* parent)
    : TwoLevelTreeModel(parent), m_hub(hub) {
  connect(&m_hub, &MetricsHub::explorerUpdated, this, [this](const QString& id) {
    if (id == m_targetId) refresh();
  });
  connect(&m_hub, &MetricsHub::pinsChanged, this, [this](const QString& id) {
    if (id == m_targetId) refreshPins();
  });
}

void MetricExplorerModel::setTargetId(const QString& targetId) {
  beginResetModel();
  m_targetId = targetId;
  m_families.clear();
  if (const auto* st = m_hub.state(targetId)) m_families = st->explorer;
  const QStringList pins = m_hub.pins(targetId);
  m_pins = QSet<QString>(pins.begin(), pins.end());
  endResetModel();
  m_hub.setExplorerTarget(targetId);
}

void MetricExplorerModel::refresh() {
  const auto* st = m_hub.state(m_targetId);
  if (!st) return;
  if (!sameShape(st->explorer, m_families)) {
    beginResetModel();
    m_families = st->explorer;
    endResetModel();
    return;
  }
  for (std::size_t i = 0; i < m_families.size(); ++i) {
    bool changed = false;
    auto& mine = m_families[i].series;
    const auto& theirs = st->explorer[i].series;
    for (std::size_t j = 0; j < mine.size(); ++j) {
      const double a = mine[j].value;
      const double b = theirs[j].value;
      if (a != b && !(std::isnan(a) && std::isnan(b))) {
        mine[j].value = b;
        changed = true;
      }
    }
    if (changed && !mine.empty()) {
      const QModelIndex parent = index(static_cast<int>(i), 0);
      Q_EMIT dataChanged(index(0, ValueColumn, parent),
                         index(static_cast<int>(mine.size()) - 1, ValueColumn, parent),
                         {Qt::DisplayRole, Qt::ToolTipRole, SortRole, MetricValueRole});
    }
  }
}

void MetricExplorerModel::refreshPins() {
  const QStringList pins = m_hub.pins(m_targetId);
  m_pins = QSet<QString>(pins.begin(), pins.end());
  for (std::size_t i = 0; i < m_families.size(); ++i) {
    const int n = static_cast<int>(m_families[i].series.size());
    if (n == 0) continue;
    const QModelIndex parent = index(static_cast<int>(i), 0);
    Q_EMIT dataChanged(index(0, NameColumn, parent), index(n - 1, NameColumn, parent),
                       {PinnedRole, Qt::DisplayRole});
  }
}

QVariant MetricExplorerModel::familyData(const client::ExplorerFamily& f, int column,
                                         int role) const {
  const int cardinality = static_cast<int>(f.series.size());
  switch (role) {
  case Qt::DisplayRole:
    switch (column) {
    case NameColumn: return fromStd(f.name);
    case TypeColumn: return fromStd(client::toString(f.type));
    case SeriesColumn: return cardinality;
    case ValueColumn: return cardinality == 1 ? valueText(f.series.front().value) : QVariant();
    case HelpColumn: return fromStd(f.help);
    default: return {};
    }
  case Qt::ToolTipRole:
    return ui::plainToolTip(
        f.help.empty() ? fromStd(f.name)
                       : QString(fromStd(f.name) % QStringLiteral("\n") % fromStd(f.help)));
  case SortRole:
    switch (column) {
    case SeriesColumn: return cardinality;
    case ValueColumn: return cardinality == 1 ? QVariant(f.series.front().value) : QVariant();
    default: return familyData(f, column, Qt::DisplayRole);
    }
  case FamilyTypeRole: return static_cast<int>(f.type);
  case CardinalityRole: return cardinality;
  default: return {};
  }
}

QVariant MetricExplorerModel::seriesData(const client::ExplorerSeries& s, int column,
                                         int role) const {
  switch (role) {
  case Qt::DisplayRole:
    if (column == NameColumn) {
      const QString text =
          s.labels.empty() ? fromStd(s.key)
                           : QString(QStringLiteral("{") % fromStd(s.labels) % QStringLiteral("}"));
      return m_pins.contains(fromStd(s.key)) ? QString(QStringLiteral("★ ") % text) : text;
    }
    if (column == ValueColumn) return valueText(s.value);
    return {};
  case Qt::ToolTipRole:
    return ui::plainToolTip(fromStd(s.key) % QStringLiteral(" = ") % valueText(s.value));
  case Qt::TextAlignmentRole:
    if (column == ValueColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
  case SortRole:
    if (column == ValueColumn) return s.value;
    if (column == NameColumn) return fromStd(s.key);
    return {};
  case SeriesKeyRole: return fromStd(s.key);
  case MetricValueRole: return s.value;
  case PinnedRole: return m_pins.contains(fromStd(s.key));
  default: return {};
  }
}

QVariant MetricExplorerModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case NameColumn: return QStringLiteral("Family / series");
  case TypeColumn: return QStringLiteral("Type");
  case SeriesColumn: return QStringLiteral("Series");
  case ValueColumn: return QStringLiteral("Value");
  case HelpColumn: return QStringLiteral("Help");
  default: return {};
  }
}

int MetricExplorerModel::parentCount() const {
  return static_cast<int>(m_families.size());
}

int MetricExplorerModel::childCount(int parentRow) const {
  return static_cast<int>(m_families[static_cast<std::size_t>(parentRow)].series.size());
}

QVariant MetricExplorerModel::parentData(int parentRow, int column, int role) const {
  return familyData(m_families[static_cast<std::size_t>(parentRow)], column, role);
}

QVariant MetricExplorerModel::childData(int parentRow, int childRow, int column, int role) const {
  const auto& f = m_families[static_cast<std::size_t>(parentRow)];
  const auto& s = f.series[static_cast<std::size_t>(childRow)];
  if (role == FamilyTypeRole) return static_cast<int>(f.type);
  if (role == Qt::DisplayRole && column == TypeColumn) return {};
  return seriesData(s, column, role);
}

} // namespace healthdeck
