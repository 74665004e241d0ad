#pragma once
// ComponentMatrixModel: servers × components. Rows follow an OverviewModel (trouble first);
// column 0 is the server's own state (badge with overlays and its sentence), then one column
// per top-level component name the servers' readiness (else liveness) documents report,
// sorted by name. A cell answers StateRole (int TargetState: up, degraded,
// down) when the server reports that component, nothing otherwise; the tooltip carries the
// component's details as plain text. The row header is the server (name + badge via
// StateRole/StaleRole/OverlayRole on the vertical header).
// Updates follow the row model: its resets and layout changes rebuild the columns. GUI thread.

#include <QAbstractTableModel>
#include <QStringList>

namespace healthdeck {

class OverviewModel;
class TargetStore;

class ComponentMatrixModel : public QAbstractTableModel {
  Q_OBJECT
public:
  ComponentMatrixModel(TargetStore& store, OverviewModel& rows, QObject* parent = nullptr);

  static constexpr int kStateColumn = 0;
  /// Component names, in column order from column 1.
  QStringList components() const { return m_columns; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  void rebuild();

  TargetStore& m_store;
  OverviewModel& m_rows;
  QStringList m_columns;
};

} // namespace healthdeck
