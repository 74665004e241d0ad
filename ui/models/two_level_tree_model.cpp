#include "healthdeck/ui/models/two_level_tree_model.h"

namespace healthdeck {

QModelIndex TwoLevelTreeModel::parentIndex(int parentRow, int column) const {
  return index(parentRow, column);
}

QModelIndex TwoLevelTreeModel::childIndex(int parentRow, int childRow, int column) const {
  if (parentRow < 0 || parentRow >= parentCount()) return {};
  return index(childRow, column, parentIndex(parentRow));
}

QModelIndex TwoLevelTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= columns()) return {};
  if (!parent.isValid()) {
    if (row >= parentCount()) return {};
    return createIndex(row, column, kParentId);
  }
  if (!isParentRow(parent) || parent.row() >= parentCount()) return {};
  if (row >= childCount(parent.row())) return {};
  return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex TwoLevelTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || isParentRow(child)) return {};
  return createIndex(parentRowOf(child), 0, kParentId);
}

int TwoLevelTreeModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return parentCount();
  if (parent.column() != 0 || !isParentRow(parent) || parent.row() >= parentCount()) return 0;
  return childCount(parent.row());
}

int TwoLevelTreeModel::columnCount(const QModelIndex&) const {
  return columns();
}

QVariant TwoLevelTreeModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  if (isParentRow(index)) return parentData(index.row(), index.column(), role);
  return childData(parentRowOf(index), index.row(), index.column(), role);
}

Qt::ItemFlags TwoLevelTreeModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace healthdeck
