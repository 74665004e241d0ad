#pragma once
// TwoLevelTreeModel: the index plumbing of a two-level tree (parents at the top, their children
// below, no deeper) written once. Subclasses describe rows only: how many parents, how many
// children each, and the data of a parent or child cell. Used by the server list (groups →
// servers) and the metrics explorer (families → series).
//
// Index encoding: a parent row's internalId is 0; a child's is its parent row + 1, so parent()
// needs no lookup. Only column 0 of a parent has children. GUI thread only, like any item model.

#include <QAbstractItemModel>

namespace healthdeck {

class TwoLevelTreeModel : public QAbstractItemModel {
  Q_OBJECT
public:
  using QAbstractItemModel::QAbstractItemModel;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

protected:
  virtual int parentCount() const = 0;
  virtual int childCount(int parentRow) const = 0;
  virtual int columns() const = 0;
  virtual QVariant parentData(int parentRow, int column, int role) const = 0;
  virtual QVariant childData(int parentRow, int childRow, int column, int role) const = 0;

  /// The index of a parent row, or of a child row under `parentRow`.
  QModelIndex parentIndex(int parentRow, int column = 0) const;
  QModelIndex childIndex(int parentRow, int childRow, int column = 0) const;
  static bool isParentRow(const QModelIndex& index) { return index.internalId() == kParentId; }
  /// For a child index: the row of its parent.
  static int parentRowOf(const QModelIndex& child) {
    return static_cast<int>(child.internalId()) - 1;
  }

private:
  static constexpr quintptr kParentId = 0;
};

} // namespace healthdeck
