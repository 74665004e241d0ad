#include "healthdeck/ui/views/filtered_tree.h"

#include <QEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <utility>

namespace healthdeck {

void FilteredTree::applyFilter(const QString& text) const {
  if (filter->text() != text) {
    const QSignalBlocker block(filter);
    filter->setText(text);
  }
  debounce->stop();
  apply();
}

namespace {

/// Fits columns to the rows on screen. Changes of what is on screen (rows inserted, removed,
/// reset or reordered, expanding) fit on the next event-loop turn, the viewport shown or
/// resized at once; data changes and
/// scrolling, which come many a second, fit at most every `everyMs`: the first at once, the
/// rest once when the pause ends.
class ColumnFitter : public QObject {
public:
  ColumnFitter(QTreeView* view, QList<int> columns, int everyMs, QHash<int, QStringList> texts)
      : QObject(view), m_view(view), m_columns(std::move(columns)), m_texts(std::move(texts)) {
    for (int c : m_columns)
      view->header()->setSectionResizeMode(c, QHeaderView::Fixed);
    m_pause.setObjectName(QStringLiteral("ColumnFitter: pause"));
    m_pause.setSingleShot(true);
    m_pause.setInterval(everyMs);
    connect(&m_pause, &QTimer::timeout, this, [this] {
      if (std::exchange(m_again, false)) fitNow();
    });
    // Structural changes fit on the next event-loop turn, once: filtering 5,000 rows emits a
    // rowsRemoved per contiguous range (thousands), and fitting after each held the GUI thread
    // for a quarter of a second per keystroke.
    m_soon.setObjectName(QStringLiteral("ColumnFitter: soon"));
    m_soon.setSingleShot(true);
    m_soon.setInterval(0);
    connect(&m_soon, &QTimer::timeout, this, [this] { fitNow(); });
    const auto often = [this] { throttled(); };
    const auto rare = [this] { m_soon.start(); };
    QAbstractItemModel* m = view->model();
    connect(m, &QAbstractItemModel::dataChanged, this, often);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, often);
    connect(m, &QAbstractItemModel::rowsInserted, this, rare);
    connect(m, &QAbstractItemModel::rowsRemoved, this, rare);
    connect(m, &QAbstractItemModel::modelReset, this, rare);
    connect(m, &QAbstractItemModel::layoutChanged, this, rare);
    connect(view, &QTreeView::expanded, this, rare);
    connect(view, &QTreeView::collapsed, this, rare);
    view->viewport()->installEventFilter(this);
  }

protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Show || event->type() == QEvent::Resize) fitNow();
    return QObject::eventFilter(watched, event);
  }

private:
  void throttled() {
    if (m_pause.isActive())
      m_again = true;
    else
      fitNow();
  }
  void fitNow() {
    // As QStyledItemDelegate pads a cell's text: the focus frame margin and a pixel each side.
    const int padding = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1);
    for (int c : m_columns) {
      m_view->resizeColumnToContents(c);
      int widest = 0;
      for (const QString& text : m_texts.value(c))
        widest = std::max(widest, m_view->fontMetrics().horizontalAdvance(text) + padding);
      if (widest > m_view->columnWidth(c)) m_view->header()->resizeSection(c, widest);
    }
    m_again = false;
    m_soon.stop();
    m_pause.start();
  }

  QTreeView* m_view;
  QList<int> m_columns;
  QHash<int, QStringList> m_texts;
  QTimer m_pause;
  QTimer m_soon;
  bool m_again = false;
};

} // namespace

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
  if (!options.fittedColumns.isEmpty())
    new ColumnFitter(t.view, options.fittedColumns, options.fitEveryMs, options.fittedColumnTexts);
  return t;
}

} // namespace healthdeck
