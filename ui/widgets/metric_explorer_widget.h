#pragma once
// MetricExplorerWidget: the "Metrics explorer" tab — every family and series of the selected
// server in a tree (type, cardinality, value, help), a debounced filter over family names and
// series keys, and pinning: the Pin button or a double click on a series toggles its pin.

#include "healthdeck/ui/views/filtered_tree.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

namespace healthdeck {

class MetricsHub;
class MetricExplorerModel;

class MetricExplorerWidget : public QWidget {
  Q_OBJECT
public:
  MetricExplorerWidget(MetricsHub& hub, QWidget* parent = nullptr);

  void setTargetId(const QString& targetId);
  MetricExplorerModel* model() const { return m_model; }
  QTreeView* view() const { return m_view; }
  /// Applies a filter at once (the line edit debounces by 200 ms).
  void setFilter(const QString& text);

private:
  void togglePin(const QModelIndex& proxyIndex);
  void updateSummary();
  void updateButton();

  MetricsHub& m_hub;
  MetricExplorerModel* m_model = nullptr;
  QSortFilterProxyModel* m_proxy = nullptr;
  QTreeView* m_view = nullptr;
  QLineEdit* m_filter = nullptr;
  FilteredTree m_tree;
  QPushButton* m_pin = nullptr;
  QLabel* m_summary = nullptr;
};

} // namespace healthdeck
