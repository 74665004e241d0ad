#pragma once
// MetricExplorerModel: every family and series of one target's latest page, as a tree:
// families at the top (name, type, cardinality, help), their series below (labels, value).
// Columns: Name, Type, Series (a family's cardinality), Value, Help.
// Roles: Qt::DisplayRole, Qt::ToolTipRole, SortRole (raw numbers), SeriesKeyRole (series rows),
// FamilyTypeRole, CardinalityRole, MetricValueRole, PinnedRole (series rows).
// Updates: the same families and series with new values emit one dataChanged per family over
// the Value column of its series; any other change resets the model. GUI thread only.

#include "healthdeck/client/store/target_metrics.h"

#include "healthdeck/ui/models/two_level_tree_model.h"

#include <QSet>

#include <vector>

namespace healthdeck {

class MetricsHub;

class MetricExplorerModel : public TwoLevelTreeModel {
  Q_OBJECT
public:
  enum Column { NameColumn, TypeColumn, SeriesColumn, ValueColumn, HelpColumn, ColumnCount };

  explicit MetricExplorerModel(MetricsHub& hub, QObject* parent = nullptr);

  /// Shows `targetId` and makes it the hub's explorer target.
  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }

  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

protected:
  int parentCount() const override;
  int childCount(int parentRow) const override;
  int columns() const override { return ColumnCount; }
  QVariant parentData(int parentRow, int column, int role) const override;
  QVariant childData(int parentRow, int childRow, int column, int role) const override;

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
