#include "healthdeck/ui/views/filtered_tree.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>

namespace healthdeck {

void FilteredTree::applyFilter(const QString& text) const {
  if (filter->text() != text) {
    const QSignalBlocker block(filter);
    filter->setText(text);
  }
  debounce->stop();
  apply();
}

FilteredTree makeFilteredTree(QAbstractItemModel* model, const FilteredTreeOptions& options,
                              QWidget* parent, std::function<void(const QString&)> filtered) {
  FilteredTree t;
  t.proxy = options.proxy ? options.proxy : new QSortFilterProxyModel(parent);
  t.proxy->setParent(parent);
  t.proxy->setSourceModel(model);
  t.proxy->setRecursiveFilteringEnabled(true);
  t.proxy->setAutoAcceptChildRows(options.acceptChildRows);
  t.proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
  if (options.filterRole != 0) t.proxy->setFilterRole(options.filterRole);
  t.proxy->setFilterKeyColumn(options.filterColumn);
  if (options.sortRole != 0) t.proxy->setSortRole(options.sortRole);

  t.filter = new QLineEdit(parent);
  t.filter->setPlaceholderText(options.placeholder);
  t.filter->setAccessibleName(
      options.filterAccessibleName.isEmpty() ? options.placeholder : options.filterAccessibleName);
  t.filter->setClearButtonEnabled(true);
  t.debounce = new QTimer(parent);
  t.debounce->setSingleShot(true);
  t.debounce->setInterval(options.debounceMs);
  QObject::connect(t.filter, &QLineEdit::textChanged, t.debounce, qOverload<>(&QTimer::start));
  QSortFilterProxyModel* proxy = t.proxy;
  QLineEdit* box = t.filter;
  // The one place the filter text reaches the proxy.
  t.apply = [proxy, box, filtered, applyText = options.applyText] {
    if (applyText)
      applyText(proxy, box->text());
    else
      proxy->setFilterFixedString(box->text());
    if (filtered) filtered(box->text());
  };
  QObject::connect(t.debounce, &QTimer::timeout, proxy, t.apply);

  t.view = new QTreeView(parent);
  t.view->setModel(t.proxy);
  t.view->setAccessibleName(options.viewAccessibleName);
  t.view->setUniformRowHeights(true);
  t.view->setSortingEnabled(true);
  t.view->sortByColumn(-1, Qt::AscendingOrder);
  t.view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  // Sized from the rows on screen: measuring every row's text after each update held the GUI
  // thread for tens of milliseconds at 200 servers.
  t.view->header()->setResizeContentsPrecision(0);
  return t;
}

} // namespace healthdeck
