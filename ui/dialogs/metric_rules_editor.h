#pragma once
// MetricRulesEditor: the "Metric rules" rows of the add/edit server dialog — one row per
// MetricRule (name, series selector, comparison, threshold, severity), with Add and Remove.
// The selector is checked as it is typed (client::parseSelector); rules() returns only
// complete rows, validationError() names the first row that is not. GUI thread only.

#include "healthdeck/client/metric_rule.h"

#include <QList>
#include <QWidget>

#include <optional>

class QPushButton;
class QTableWidget;

namespace healthdeck {

class MetricRulesEditor : public QWidget {
  Q_OBJECT
public:
  explicit MetricRulesEditor(const QList<MetricRule>& rules, QWidget* parent = nullptr);

  QList<MetricRule> rules() const;
  /// "Rule 2: ..." for the first incomplete or invalid row; empty when every row is good.
  QString validationError() const;
  QTableWidget* table() const { return m_table; }

  /// Appends a row (a blank one for the Add button).
  void addRule(const MetricRule& rule);

private:
  std::optional<MetricRule> rowRule(int row, QString* error) const;
  void markRow(int row);

  QTableWidget* m_table = nullptr;
  QPushButton* m_add = nullptr;
  QPushButton* m_remove = nullptr;
};

} // namespace healthdeck
