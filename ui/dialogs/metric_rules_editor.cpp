#include "healthdeck/ui/dialogs/metric_rules_editor.h"

#include "healthdeck/client/store/metric_health.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace healthdeck {

namespace {

enum Column { NameCol, SelectorCol, OpCol, ThresholdCol, SeverityCol, ColumnCount };

constexpr MetricComparison kComparisons[] = {
    MetricComparison::Greater,     MetricComparison::GreaterOrEqual, MetricComparison::Less,
    MetricComparison::LessOrEqual, MetricComparison::Equal,          MetricComparison::NotEqual};

} // namespace

MetricRulesEditor::MetricRulesEditor(const QList<MetricRule>& rules, QWidget* parent)
    : QWidget(parent) {
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Series selector"),
                                      QStringLiteral("Is"), QStringLiteral("Threshold"),
                                      QStringLiteral("Then")});
  m_table->horizontalHeader()->setSectionResizeMode(SelectorCol, QHeaderView::Stretch);
  m_table->verticalHeader()->hide();
  m_table->setAccessibleName(QStringLiteral("Metric rules"));
  m_table->setToolTip(QStringLiteral(
      "A rule turns the server degraded or down when any series its selector matches compares "
      "true, e.g. pg_stat_activity_count{state=\"active\"} > 90. Up gauges (redis_up, pg_up, "
      "probe_success, ...) need no rule."));
  m_add = new QPushButton(QStringLiteral("Add rule"), this);
  m_remove = new QPushButton(QStringLiteral("Remove rule"), this);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_add);
  buttons->addWidget(m_remove);
  buttons->addStretch(1);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(m_table);
  l->addLayout(buttons);
  connect(m_add, &QPushButton::clicked, this, [this] {
    MetricRule blank;
    blank.severity = Status::Down;
    addRule(blank);
    m_table->setCurrentCell(m_table->rowCount() - 1, NameCol);
  });
  connect(m_remove, &QPushButton::clicked, this, [this] {
    const int row = m_table->currentRow();
    if (row >= 0) m_table->removeRow(row);
  });
  for (const MetricRule& r : rules)
    addRule(r);
  m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() * 4);
}

void MetricRulesEditor::addRule(const MetricRule& rule) {
  const int row = m_table->rowCount();
  m_table->insertRow(row);
  auto* name = new QLineEdit(rule.name, m_table);
  name->setPlaceholderText(QStringLiteral("connections"));
  auto* selector = new QLineEdit(rule.selector, m_table);
  selector->setPlaceholderText(QStringLiteral("pg_stat_activity_count{state=\"active\"}"));
  auto* op = new QComboBox(m_table);
  for (MetricComparison c : kComparisons)
    op->addItem(toString(c));
  op->setCurrentText(toString(rule.comparison));
  auto* threshold = new QLineEdit(rule.name.isEmpty() && rule.selector.isEmpty()
                                      ? QString()
                                      : QString::number(rule.threshold, 'g', 12),
                                  m_table);
  threshold->setPlaceholderText(QStringLiteral("90"));
  auto* severity = new QComboBox(m_table);
  severity->addItems({QStringLiteral("degraded"), QStringLiteral("down")});
  severity->setCurrentIndex(rule.severity == Status::Down ? 1 : 0);
  m_table->setCellWidget(row, NameCol, name);
  m_table->setCellWidget(row, SelectorCol, selector);
  m_table->setCellWidget(row, OpCol, op);
  m_table->setCellWidget(row, ThresholdCol, threshold);
  m_table->setCellWidget(row, SeverityCol, severity);
  connect(selector, &QLineEdit::textChanged, this, [this, selector] {
    for (int r = 0; r < m_table->rowCount(); ++r)
      if (m_table->cellWidget(r, SelectorCol) == selector) markRow(r);
  });
  markRow(row);
}

void MetricRulesEditor::markRow(int row) {
  auto* selector = qobject_cast<QLineEdit*>(m_table->cellWidget(row, SelectorCol));
  if (!selector) return;
  std::string why;
  const QString text = selector->text().trimmed();
  const bool ok = text.isEmpty() || client::parseSelector(text.toStdString(), &why).has_value();
  // The parser's own words, as plain text in the tooltip (escaped: tooltips render rich text).
  selector->setToolTip(ok ? QString() : QString::fromStdString(why).toHtmlEscaped());
  QPalette p = selector->palette();
  p.setColor(QPalette::Text, ok ? palette().color(QPalette::Text) : QColor(0xc0, 0x1c, 0x28));
  selector->setPalette(p);
}

std::optional<MetricRule> MetricRulesEditor::rowRule(int row, QString* error) const {
  const auto text = [&](int col) {
    auto* e = qobject_cast<QLineEdit*>(m_table->cellWidget(row, col));
    return e ? e->text().trimmed() : QString();
  };
  const auto combo = [&](int col) {
    return qobject_cast<QComboBox*>(m_table->cellWidget(row, col));
  };
  MetricRule r;
  r.name = text(NameCol);
  r.selector = text(SelectorCol);
  const QString where = QStringLiteral("Rule %1: ").arg(row + 1);
  if (r.name.isEmpty()) {
    if (error) *error = where % QStringLiteral("give it a name.");
    return std::nullopt;
  }
  std::string why;
  if (!client::parseSelector(r.selector.toStdString(), &why)) {
    if (error)
      *error = where % QStringLiteral("the series selector is not valid (") %
               QString::fromStdString(why) % QStringLiteral(").");
    return std::nullopt;
  }
  const auto op =
      combo(OpCol) ? metricComparisonFromString(combo(OpCol)->currentText()) : std::nullopt;
  bool numeric = false;
  r.threshold = text(ThresholdCol).toDouble(&numeric);
  if (!op || !numeric || std::isnan(r.threshold)) {
    if (error) *error = where % QStringLiteral("the threshold must be a number.");
    return std::nullopt;
  }
  r.comparison = *op;
  r.severity = combo(SeverityCol) && combo(SeverityCol)->currentIndex() == 1 ? Status::Down
                                                                             : Status::Degraded;
  return r;
}

QList<MetricRule> MetricRulesEditor::rules() const {
  QList<MetricRule> out;
  for (int row = 0; row < m_table->rowCount(); ++row)
    if (auto r = rowRule(row, nullptr)) out.append(*r);
  return out;
}

QString MetricRulesEditor::validationError() const {
  for (int row = 0; row < m_table->rowCount(); ++row) {
    QString error;
    if (!rowRule(row, &error)) return error;
  }
  return {};
}

} // namespace healthdeck
