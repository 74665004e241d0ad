#pragma once
// FilteredTree: the view wiring every filterable tree in the console shares, written once — a
// sort/filter proxy over the model (recursive filtering, case-insensitive, a sort role carrying
// raw values), a filter box whose text is applied after the typing pauses (debounced, so a
// keystroke never re-filters 200 servers or 5,000 series), and a tree view with the usual
// settings. GUI thread only; every object is parented to `parent`.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTimer;
class QTreeView;
class QWidget;

namespace healthdeck {

struct FilteredTreeOptions {
  int sortRole = 0;   ///< role with raw values for sorting
  int filterRole = 0; ///< role matched by the filter text (Qt::DisplayRole by default)
  int filterColumn = 0;
  bool acceptChildRows = false; ///< a matching parent shows all its children
  QString placeholder;          ///< the filter box's placeholder text
  QString filterAccessibleName;
  QString viewAccessibleName;
  int debounceMs = 150;
  /// A proxy of the caller's own (e.g. one that matches several roles); null = a plain
  /// QSortFilterProxyModel. Re-parented to `parent`.
  QSortFilterProxyModel* proxy = nullptr;
  /// How the filter text reaches the proxy; empty = setFilterFixedString.
  std::function<void(QSortFilterProxyModel*, const QString&)> applyText;
  /// Columns sized to fit the text of the rows on screen, at most every `fitEveryMs`: once
  /// when something changes and once more after the pause if more changed meanwhile.
  /// (QHeaderView::ResizeToContents measures them again for every dataChanged signal: a
  /// quarter of the GUI thread at 1,000 servers polled every 5 s.)
  QList<int> fittedColumns;
  int fitEveryMs = 500;
  /// Per fitted column, texts it is always wide enough for (e.g. every state word), so a row
  /// that changes to a longer word is not cut while the next fit waits.
  QHash<int, QStringList> fittedColumnTexts;
};

struct FilteredTree {
  QSortFilterProxyModel* proxy = nullptr;
  QLineEdit* filter = nullptr;
  QTreeView* view = nullptr;
  QTimer* debounce = nullptr;
  std::function<void()> apply; ///< applies the box's current text to the proxy
  /// Applies `text` now (sets the box without waiting for the debounce).
  void applyFilter(const QString& text) const;
};

/// Builds proxy, filter box and view over `model`. `filtered` runs after each applied filter
/// (e.g. to expand the tree or update a summary); may be empty.
FilteredTree makeFilteredTree(QAbstractItemModel* model, const FilteredTreeOptions& options,
                              QWidget* parent, std::function<void(const QString&)> filtered = {});

} // namespace healthdeck
