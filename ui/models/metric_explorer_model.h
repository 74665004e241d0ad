#pragma once
// MetricExplorerModel: every family and series of one target's latest page, as a tree:
// families at the top (name, type, cardinality, help), their series below (labels, value).
// Columns: Name, Type, Series (a family's cardinality), Value, Help.
// Roles: Qt::DisplayRole, Qt::ToolTipRole, SortRole (raw numbers), SeriesKeyRole (series rows),
// FamilyTypeRole, CardinalityRole, MetricValueRole, PinnedRole (series rows).
// Updates: the same families and series with new values emit one dataChanged per family over
// the Value column of its series; any other change resets the model. GUI thread only.

#include "healthdeck/client/store/target_metrics.h"

#include <QAbstractItemModel>
#include <QSet>

#include <vector>

namespace healthdeck {

class MetricsHub;

class MetricExplorerModel : public QAbstractItemModel {
  Q_OBJECT
public:
  enum Column { NameColumn, TypeColumn, SeriesColumn, ValueColumn, HelpColumn, ColumnCount };

  explicit MetricExplorerModel(MetricsHub& hub, QObject* parent = nullptr);

  /// Shows `targetId` and makes it the hub's explorer target.
  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  void refresh();
  void refreshPins();
  QVariant familyData(const client::ExplorerFamily& f, int column, int role) const;
  QVariant seriesData(const client::ExplorerSeries& s, int column, int role) const;

  MetricsHub& m_hub;
  QString m_targetId;
  std::vector<client::ExplorerFamily> m_families;
  QSet<QString> m_pins;
};

} // namespace healthdeck
