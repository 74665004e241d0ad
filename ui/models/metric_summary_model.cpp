#include "healthdeck/ui/models/metric_summary_model.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_roles.h"

#include <QDateTime>

#include <algorithm>

namespace healthdeck {

MetricSummaryModel::MetricSummaryModel(MetricsHub& hub, QObject* parent)
    : QAbstractTableModel(parent), m_hub(hub) {
  connect(&m_hub, &MetricsHub::metricsUpdated, this, [this](const QString& id) {
    if (id == m_targetId) refresh();
  });
}

void MetricSummaryModel::setTargetId(const QString& targetId) {
  beginResetModel();
  m_targetId = targetId;
  m_rows = rowsFromHub();
  const auto* st = m_hub.state(m_targetId);
  m_stale = st && st->stale;
  endResetModel();
}

std::vector<MetricSummaryModel::Row> MetricSummaryModel::rowsFromHub() const {
  std::vector<Row> rows;
  const auto* st = m_hub.state(m_targetId);
  if (!st) return rows;
  const std::size_t keep = static_cast<std::size_t>(m_hub.options().sparklinePoints);
  for (const MetricsHub::KeyMetric& m : st->metrics) {
    Row r{m.id, m.title, static_cast<int>(m.unit), m.pinned, m.value, {}};
    const std::size_t n = m.history->size();
    for (std::size_t i = n > keep ? n - keep : 0; i < n; ++i)
      r.spark.append(m.history->at(i).value);
    rows.push_back(std::move(r));
  }
  return rows;
}

QString MetricSummaryModel::statusText() const {
  return m_hub.statusSentence(m_targetId, QDateTime::currentDateTimeUtc());
}

void MetricSummaryModel::refresh() {
  std::vector<Row> rows = rowsFromHub();
  const auto* st = m_hub.state(m_targetId);
  m_stale = st && st->stale;
  const bool sameShape =
      rows.size() == m_rows.size() &&
      std::equal(rows.begin(), rows.end(), m_rows.begin(),
                 [](const Row& a, const Row& b) { return a.id == b.id && a.title == b.title; });
  if (!sameShape) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    Q_EMIT statusChanged();
    return;
  }
  m_rows = std::move(rows);
  if (!m_rows.empty())
    Q_EMIT dataChanged(index(0, ValueColumn), index(rowCount() - 1, TrendColumn),
                       {Qt::DisplayRole, Qt::ToolTipRole, SortRole, MetricValueRole, SparklineRole,
                        MetricStaleRole});
  Q_EMIT statusChanged();
}

int MetricSummaryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int MetricSummaryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricSummaryModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const Row& r = m_rows[static_cast<std::size_t>(index.row())];
  const auto unit = static_cast<client::MetricUnit>(r.unit);
  switch (role) {
  case Qt::DisplayRole:
    if (index.column() == NameColumn) return r.title;
    if (index.column() == ValueColumn) return formatMetric(r.value, unit);
    return {};
  case Qt::ToolTipRole: {
    QString tip = r.title % QStringLiteral(": ") % formatMetric(r.value, unit);
    if (m_stale) tip += QStringLiteral(" — stale. ") % statusText();
    return ui::plainToolTip(tip);
  }
  case MetricStaleRole: return m_stale;
  case Qt::TextAlignmentRole:
    if (index.column() == ValueColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
  case SortRole: return index.column() == NameColumn ? QVariant(r.title) : QVariant(r.value);
  case MetricIdRole: return r.id;
  case MetricValueRole: return r.value;
  case MetricUnitRole: return r.unit;
  case SparklineRole: return QVariant::fromValue(r.spark);
  case PinnedRole: return r.pinned;
  default: return {};
  }
}

QVariant MetricSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case NameColumn: return QStringLiteral("Metric");
  case ValueColumn: return QStringLiteral("Value");
  case TrendColumn: return QStringLiteral("Trend");
  default: return {};
  }
}

} // namespace healthdeck
