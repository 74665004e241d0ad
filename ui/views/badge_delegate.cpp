#include "healthdeck/ui/views/badge_delegate.h"

#include "healthdeck/ui/views/badge_icon.h"
#include "healthdeck/ui/views/badge_overlay.h"

#include <QPainter>
#include <QPixmap>

namespace healthdeck {

BadgeDelegate::BadgeDelegate(int stateRole, int flappingRole, QObject* parent)
    : QStyledItemDelegate(parent), m_stateRole(stateRole), m_flappingRole(flappingRole) {}

void BadgeDelegate::setTriageRoles(int staleRole, int overlayRole) {
  m_staleRole = staleRole;
  m_overlayRole = overlayRole;
}

void BadgeDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
  QStyledItemDelegate::initStyleOption(option, index);
  const QVariant state = index.data(m_stateRole);
  if (!state.isValid()) return;
  const int s = state.toInt();
  if (s < 0 || s > static_cast<int>(TargetState::Unknown)) return;
  const bool stale = m_staleRole >= 0 && index.data(m_staleRole).toBool();
  const BadgeOverlays overlays =
      m_overlayRole >= 0 ? BadgeOverlays(index.data(m_overlayRole).toInt()) : BadgeOverlays();
  const int h = option->fontMetrics.height();
  const StatePalette palette = StatePalette::forPalette(option->palette);
  if (!stale && overlays == BadgeOverlays()) {
    option->icon =
        badgeIcon(static_cast<TargetState>(s), index.data(m_flappingRole).toBool(), palette);
  } else {
    // Overlays and the greyed stale mark are painted per cell; only visible rows pay for it.
    const qreal dpr = option->widget ? option->widget->devicePixelRatioF() : 1.0;
    QPixmap pm(QSize(h, h) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter painter(&pm);
    paintBadgeWithOverlays(painter, QRectF(0, 0, h, h).adjusted(1, 1, -1, -1),
                           static_cast<TargetState>(s), index.data(m_flappingRole).toBool(), stale,
                           overlays, palette);
    painter.end();
    option->icon = QIcon(pm);
  }
  option->features |= QStyleOptionViewItem::HasDecoration;
  option->decorationSize = QSize(h, h);
}

} // namespace healthdeck
