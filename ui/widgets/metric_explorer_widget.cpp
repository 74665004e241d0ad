#include "healthdeck/ui/widgets/metric_explorer_widget.h"

#include "healthdeck/ui/views/filtered_tree.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/ui/models/metric_explorer_model.h"
#include "healthdeck/ui/models/metric_roles.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace healthdeck {

MetricExplorerWidget::MetricExplorerWidget(MetricsHub& hub, QWidget* parent)
    : QWidget(parent), m_hub(hub) {
  m_model = new MetricExplorerModel(hub, this);
  FilteredTreeOptions options;
  options.sortRole = SortRole;
  options.filterRole = SortRole; // family name or the series' full key
  options.filterColumn = MetricExplorerModel::NameColumn;
  options.acceptChildRows = true;
  options.placeholder = QStringLiteral("Filter families and series…");
  options.viewAccessibleName = QStringLiteral("Metrics explorer");
  options.debounceMs = 200;
  m_tree = makeFilteredTree(m_model, options, this, [this](const QString& text) {
    if (!text.isEmpty()) m_view->expandAll();
    updateSummary();
  });
  m_proxy = m_tree.proxy;
  m_filter = m_tree.filter;
  m_pin = new QPushButton(QStringLiteral("Pin"), this);
  m_pin->setEnabled(false);
  m_summary = new QLabel(this);
  m_summary->setTextFormat(Qt::PlainText); // may show server text
  m_summary->setEnabled(false);

  m_view = m_tree.view;
  m_view->setAlternatingRowColors(true);
  m_view->header()->setStretchLastSection(true);
  m_view->header()->setSectionResizeMode(MetricExplorerModel::NameColumn, QHeaderView::Interactive);
  m_view->setColumnWidth(MetricExplorerModel::NameColumn, 320);
  m_view->setColumnWidth(MetricExplorerModel::TypeColumn, 80);
  m_view->setColumnWidth(MetricExplorerModel::SeriesColumn, 56);
  m_view->setColumnWidth(MetricExplorerModel::ValueColumn, 110);
  connect(m_view, &QTreeView::doubleClicked, this, &MetricExplorerWidget::togglePin);
  connect(m_pin, &QPushButton::clicked, this, [this] { togglePin(m_view->currentIndex()); });
  connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
          &MetricExplorerWidget::updateButton);
  connect(m_model, &QAbstractItemModel::modelReset, this, &MetricExplorerWidget::updateSummary);
  connect(m_model, &QAbstractItemModel::dataChanged, this, &MetricExplorerWidget::updateButton);

  auto* bar = new QHBoxLayout;
  bar->addWidget(m_filter, 1);
  bar->addWidget(m_summary);
  bar->addWidget(m_pin);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addLayout(bar);
  l->addWidget(m_view, 1);
  updateSummary();
}

void MetricExplorerWidget::setTargetId(const QString& targetId) {
  m_model->setTargetId(targetId);
  updateSummary();
}

void MetricExplorerWidget::setFilter(const QString& text) {
  m_tree.applyFilter(text);
}

void MetricExplorerWidget::togglePin(const QModelIndex& proxyIndex) {
  const QString key = proxyIndex.siblingAtColumn(0).data(SeriesKeyRole).toString();
  if (key.isEmpty()) return; // a family row
  const bool pinned = proxyIndex.siblingAtColumn(0).data(PinnedRole).toBool();
  m_hub.setPinned(m_model->targetId(), key, !pinned);
  updateButton();
}

void MetricExplorerWidget::updateButton() {
  const QModelIndex i = m_view->currentIndex().siblingAtColumn(0);
  const bool series = !i.data(SeriesKeyRole).toString().isEmpty();
  m_pin->setEnabled(series);
  m_pin->setText(series && i.data(PinnedRole).toBool() ? QStringLiteral("Unpin")
                                                       : QStringLiteral("Pin"));
}

void MetricExplorerWidget::updateSummary() {
  int series = 0;
  const int families = m_model->rowCount();
  for (int r = 0; r < families; ++r)
    series += m_model->rowCount(m_model->index(r, 0));
  const int shown = m_proxy->rowCount();
  m_summary->setText(m_proxy->filterRegularExpression().pattern().isEmpty()
                         ? QStringLiteral("%1 families, %2 series").arg(families).arg(series)
                         : QStringLiteral("%1 of %2 families").arg(shown).arg(families));
  updateButton();
}

} // namespace healthdeck
