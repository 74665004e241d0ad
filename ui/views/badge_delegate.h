#pragma once
// BadgeDelegate: draws a state badge as the decoration of a cell, from two role ids (state as
// int TargetState, flapping as bool), so it works with any model and proxy. Colours follow the
// view's palette (light or dark) at paint time.

#include <QStyledItemDelegate>

namespace healthdeck {

class BadgeDelegate : public QStyledItemDelegate {
  Q_OBJECT
public:
  BadgeDelegate(int stateRole, int flappingRole, QObject* parent = nullptr);

protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
  int m_stateRole;
  int m_flappingRole;
};

} // namespace healthdeck
