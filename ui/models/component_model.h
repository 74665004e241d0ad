#pragma once
// ComponentModel: the component table of one target's readiness or liveness document.
// Columns: Component, Status, Details, Duration, Since.
// Roles (item_roles.h): StateRole (the component status as a TargetState: Up/Degraded/Down),
// SeverityRole, SortRole, DurationRole (ns), TimeRole (since when the status holds), DepthRole.
// A new snapshot with the same components updates the cells in place (dataChanged); a
// different set of components, or another target, resets.

#include "healthdeck/health/status.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QStringList>

#include <optional>

namespace healthdeck {

class TargetStore;
struct HealthComponent;

class ComponentModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { NameColumn, StatusColumn, DetailsColumn, DurationColumn, SinceColumn, ColumnCount };

  ComponentModel(TargetStore& store, Probe probe, QObject* parent = nullptr);

  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }
  Probe probe() const { return m_probe; }
  /// Why the table is empty, for the view's empty-state text ("Not polled yet", "Route turned
  /// off", "The server hides component details"); empty when there are rows.
  QString emptyReason() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

Q_SIGNALS:
  void emptyReasonChanged(const QString& reason);

private:
  struct Row {
    QString name;
    QStringList path;
    Status status = Status::Up;
    QString details;
    std::optional<qint64> durationNs;
    QDateTime since;
  };
  QList<Row> currentRows() const;
  void refresh(bool forceReset);

  TargetStore& m_store;
  Probe m_probe;
  QString m_targetId;
  QList<Row> m_rows;
  QString m_emptyReason;
};

} // namespace healthdeck
