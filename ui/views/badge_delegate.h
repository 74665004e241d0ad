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
  /// Also reads a stale flag (bool: draw the mark greyed) and overlay flags (int BadgeOverlays)
  /// from these roles; -1 turns either off (the default).
  void setTriageRoles(int staleRole, int overlayRole);

protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
  int m_stateRole;
  int m_flappingRole;
  int m_staleRole = -1;
  int m_overlayRole = -1;
};

} // namespace healthdeck
