#pragma once
// MetricSummaryModel: the key metrics of one target (profile metrics, then pins) as a table.
// Columns: Name, Value (formatted with its unit), Trend (for a sparkline delegate).
// Roles: Qt::DisplayRole, Qt::ToolTipRole, SortRole (raw value), MetricIdRole, MetricValueRole,
// MetricUnitRole, SparklineRole (Trend column and every column), PinnedRole, MetricStaleRole (the
// values are the last good scrape's; the tooltip then says how old they are).
// statusText() is the hub's sentence for the block (empty while live values are shown).
// Updates: a new set of metric ids resets the model; the same ids with new values emit one
// dataChanged over the Value and Trend columns. GUI thread only.

#include <QAbstractTableModel>

#include <vector>

namespace healthdeck {

class MetricsHub;

class MetricSummaryModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { NameColumn, ValueColumn, TrendColumn, ColumnCount };

  explicit MetricSummaryModel(MetricsHub& hub, QObject* parent = nullptr);

  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }
  /// MetricsHub::statusSentence of the target, now.
  QString statusText() const;
  bool stale() const { return m_stale; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

Q_SIGNALS:
  /// After every hub update of the target (statusText() and stale() may have changed).
  void statusChanged();

private:
  struct Row {
    QString id;
    QString title;
    int unit = 0;
    bool pinned = false;
    double value = 0.0;
    QList<double> spark;
  };
  void refresh();
  std::vector<Row> rowsFromHub() const;

  MetricsHub& m_hub;
  QString m_targetId;
  std::vector<Row> m_rows;
  bool m_stale = false;
};

} // namespace healthdeck
