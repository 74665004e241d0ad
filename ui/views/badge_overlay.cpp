#include "healthdeck/ui/views/badge_overlay.h"

#include "healthdeck/ui/views/badge_icon.h"

#include <QPainter>
#include <QPainterPath>

namespace healthdeck {

BadgeOverlays overlaysOf(const TargetStatus& st) {
  BadgeOverlays o;
  if (st.acknowledged) o |= BadgeOverlay::Acknowledged;
  if (st.snoozed) o |= BadgeOverlay::Snoozed;
  if (st.maintenance) o |= BadgeOverlay::Maintenance;
  if (st.certificateLevel == CertificateLevel::Warning) o |= BadgeOverlay::CertificateWarning;
  if (st.certificateLevel == CertificateLevel::Critical ||
      st.certificateLevel == CertificateLevel::Expired)
    o |= BadgeOverlay::CertificateCritical;
  return o;
}

namespace {

/// A small disc in a corner that keeps the overlay readable over any mark.
QRectF corner(const QRectF& badge, bool right, bool bottom) {
  const qreal d = badge.width() * 0.55;
  return QRectF(right ? badge.right() - d * 0.8 : badge.left() - d * 0.2,
                bottom ? badge.bottom() - d * 0.8 : badge.top() - d * 0.2, d, d);
}

void disc(QPainter& p, const QRectF& r, const QColor& fill) {
  p.setPen(Qt::NoPen);
  p.setBrush(fill);
  p.drawEllipse(r);
}

} // namespace

void paintBadgeWithOverlays(QPainter& p, const QRectF& rect, TargetState state, bool flapping,
                            bool stale, BadgeOverlays overlays, const StatePalette& palette) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  if (stale) p.setOpacity(0.38); // the last mark, greyed: known, but not current
  paintBadge(p, rect, state, flapping, palette);
  p.setOpacity(1.0);
  const QRectF sq =
      QRectF(rect.center().x() - std::min(rect.width(), rect.height()) / 2,
             rect.center().y() - std::min(rect.width(), rect.height()) / 2,
             std::min(rect.width(), rect.height()), std::min(rect.width(), rect.height()));
  const QColor ink = palette.dark() ? QColor(235, 235, 235) : QColor(30, 30, 30);
  const QColor back = palette.dark() ? QColor(45, 45, 48) : QColor(250, 250, 250);
  const qreal w = std::max<qreal>(1.0, sq.width() / 12);
  if (overlays & BadgeOverlay::Acknowledged) {
    const QRectF r = corner(sq, true, true);
    disc(p, r, back);
    p.setPen(QPen(palette.color(ColorRole::Good), w * 1.4, Qt::SolidLine, Qt::RoundCap));
    QPainterPath tick;
    tick.moveTo(r.left() + r.width() * 0.22, r.top() + r.height() * 0.55);
    tick.lineTo(r.left() + r.width() * 0.43, r.top() + r.height() * 0.75);
    tick.lineTo(r.left() + r.width() * 0.8, r.top() + r.height() * 0.28);
    p.setBrush(Qt::NoBrush);
    p.drawPath(tick);
  }
  if (overlays & BadgeOverlay::Snoozed) {
    const QRectF r = corner(sq, false, true);
    disc(p, r, back);
    // A crescent: a disc with an offset disc cut out.
    QPainterPath moon;
    moon.addEllipse(
        r.adjusted(r.width() * 0.15, r.height() * 0.15, -r.width() * 0.15, -r.height() * 0.15));
    QPainterPath cut;
    cut.addEllipse(
        r.adjusted(r.width() * 0.35, r.height() * 0.05, r.width() * 0.05, -r.height() * 0.25));
    p.setPen(Qt::NoPen);
    p.setBrush(ink);
    p.drawPath(moon.subtracted(cut));
  }
  if (overlays & BadgeOverlay::Maintenance) {
    const QRectF r = corner(sq, true, false);
    disc(p, r, back);
    // A spanner: a handle with a ring at its head.
    p.setPen(QPen(ink, w * 1.5, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(r.left() + r.width() * 0.25, r.bottom() - r.height() * 0.25),
               QPointF(r.center().x() + r.width() * 0.05, r.center().y() - r.height() * 0.05));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(
        QRectF(r.center().x(), r.top() + r.height() * 0.12, r.width() * 0.36, r.height() * 0.36));
  }
  if (overlays & (BadgeOverlay::CertificateWarning | BadgeOverlay::CertificateCritical)) {
    const QRectF r = corner(sq, false, false);
    disc(p, r, back);
    const QColor c = palette.color(
        (overlays & BadgeOverlay::CertificateCritical) ? ColorRole::Critical : ColorRole::Warning);
    const QRectF face =
        r.adjusted(r.width() * 0.12, r.height() * 0.12, -r.width() * 0.12, -r.height() * 0.12);
    p.setPen(QPen(c, w));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(face);
    p.drawLine(face.center(), QPointF(face.center().x(), face.top() + face.height() * 0.2));
    p.drawLine(face.center(), QPointF(face.right() - face.width() * 0.25, face.center().y()));
  }
  p.restore();
}

} // namespace healthdeck
