#include "healthdeck/ui/views/badge_delegate.h"

#include "healthdeck/ui/views/badge_icon.h"

namespace healthdeck {

BadgeDelegate::BadgeDelegate(int stateRole, int flappingRole, QObject* parent)
    : QStyledItemDelegate(parent), m_stateRole(stateRole), m_flappingRole(flappingRole) {}

void BadgeDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
  QStyledItemDelegate::initStyleOption(option, index);
  const QVariant state = index.data(m_stateRole);
  if (!state.isValid()) return;
  const int s = state.toInt();
  if (s < 0 || s > static_cast<int>(TargetState::Unknown)) return;
  option->icon = badgeIcon(static_cast<TargetState>(s), index.data(m_flappingRole).toBool(),
                           StatePalette::forPalette(option->palette));
  option->features |= QStyleOptionViewItem::HasDecoration;
  const int h = option->fontMetrics.height();
  option->decorationSize = QSize(h, h);
}

} // namespace healthdeck
