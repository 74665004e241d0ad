#include "healthdeck/ui/widgets/metric_explorer_widget.h"

#include "healthdeck/ui/models/metric_explorer_model.h"
#include "healthdeck/ui/models/metric_roles.h"
#include "healthdeck/client/store/metrics_hub.h"

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
  m_proxy = new QSortFilterProxyModel(this);
  m_proxy->setSourceModel(m_model);
  m_proxy->setRecursiveFilteringEnabled(true);
  m_proxy->setAutoAcceptChildRows(true);
  m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
  m_proxy->setFilterRole(SortRole); // family name or the series' full key
  m_proxy->setFilterKeyColumn(MetricExplorerModel::NameColumn);
  m_proxy->setSortRole(SortRole);

  m_filter = new QLineEdit(this);
  m_filter->setPlaceholderText(QStringLiteral("Filter families and series…"));
  m_filter->setClearButtonEnabled(true);
  m_debounce = new QTimer(this);
  m_debounce->setSingleShot(true);
  m_debounce->setInterval(200);
  connect(m_filter, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
  connect(m_debounce, &QTimer::timeout, this, [this] { setFilter(m_filter->text()); });
  m_pin = new QPushButton(QStringLiteral("Pin"), this);
  m_pin->setEnabled(false);
  m_summary = new QLabel(this);
  m_summary->setEnabled(false);

  m_view = new QTreeView(this);
  m_view->setModel(m_proxy);
  m_view->setAccessibleName(QStringLiteral("Metrics explorer"));
  m_view->setUniformRowHeights(true);
  m_view->setAlternatingRowColors(true);
  m_view->setSortingEnabled(true);
  m_view->sortByColumn(-1, Qt::AscendingOrder);
  m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
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
  if (m_filter->text() != text) {
    const QSignalBlocker block(m_filter);
    m_filter->setText(text);
  }
  m_proxy->setFilterFixedString(text);
  if (!text.isEmpty()) m_view->expandAll();
  updateSummary();
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
