#include "healthdeck/ui/views/badge_icon.h"

#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QPixmap>

namespace healthdeck {

namespace {

QPainterPath crossPath(const QRectF& r, qreal thickness) {
  QPainterPath lines;
  const qreal m = r.width() * 0.2;
  lines.moveTo(r.left() + m, r.top() + m);
  lines.lineTo(r.right() - m, r.bottom() - m);
  lines.moveTo(r.right() - m, r.top() + m);
  lines.lineTo(r.left() + m, r.bottom() - m);
  QPainterPathStroker stroker;
  stroker.setWidth(thickness);
  stroker.setCapStyle(Qt::SquareCap);
  return stroker.createStroke(lines).simplified();
}

class BadgeIconEngine final : public QIconEngine {
public:
  BadgeIconEngine(TargetState state, bool flapping, StatePalette palette)
      : m_state(state), m_flapping(flapping), m_palette(palette) {}

  void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
    painter->save();
    if (mode == QIcon::Disabled) painter->setOpacity(0.45);
    paintBadge(*painter, QRectF(rect), m_state, m_flapping, m_palette);
    painter->restore();
  }

  QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
    return scaledPixmap(size, mode, state, 1.0);
  }

  QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state,
                       qreal scale) override {
    QPixmap pm(size * scale);
    pm.setDevicePixelRatio(scale);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    paint(&p, QRect(QPoint(0, 0), size), mode, state);
    return pm;
  }

  QIconEngine* clone() const override { return new BadgeIconEngine(*this); }
  QString key() const override { return QStringLiteral("healthdeck-badge"); }

private:
  TargetState m_state;
  bool m_flapping;
  StatePalette m_palette;
};

} // namespace

void paintBadge(QPainter& p, const QRectF& rect, TargetState state, bool flapping,
                const StatePalette& palette) {
  const qreal side = std::min(rect.width(), rect.height());
  const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
  const QColor c = palette.color(state, flapping);
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  const qreal pen = std::max<qreal>(1.0, side * 0.12);
  const QRectF dot = r.adjusted(side * 0.12, side * 0.12, -side * 0.12, -side * 0.12);
  if (flapping) {
    // ↯: a zig-zag bolt, filled.
    QPolygonF bolt;
    const auto at = [&](qreal x, qreal y) {
      return QPointF(r.left() + x * side, r.top() + y * side);
    };
    bolt << at(0.58, 0.04) << at(0.18, 0.54) << at(0.46, 0.54) << at(0.36, 0.96) << at(0.84, 0.40)
         << at(0.55, 0.40) << at(0.70, 0.04);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawPolygon(bolt);
    p.restore();
    return;
  }
  switch (state) {
  case TargetState::Up:
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawEllipse(dot);
    break;
  case TargetState::Degraded: {
    p.setPen(QPen(c, pen));
    p.setBrush(Qt::NoBrush);
    const QRectF ring = dot.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2);
    p.drawEllipse(ring);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawPie(ring, 90 * 16, 180 * 16);
    break;
  }
  case TargetState::Down:
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawPath(crossPath(r, side * 0.24));
    break;
  case TargetState::Unreachable:
    // At least 2 px so the outline still reads (and keeps its colour) at list-row size.
    p.setPen(
        QPen(c, std::max<qreal>(2.0, side * 0.09), Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
    p.setBrush(Qt::NoBrush);
    p.drawPath(crossPath(r, side * 0.3));
    break;
  case TargetState::Unauthorized: {
    // Lock: a shackle arc over a solid body.
    const QRectF body(r.left() + side * 0.2, r.top() + side * 0.45, side * 0.6, side * 0.45);
    const QRectF shackle(r.left() + side * 0.3, r.top() + side * 0.1, side * 0.4, side * 0.5);
    p.setPen(QPen(c, std::max<qreal>(1.0, side * 0.1)));
    p.setBrush(Qt::NoBrush);
    p.drawArc(shackle, 0, 180 * 16);
    p.drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), body.top()));
    p.drawLine(QPointF(shackle.right(), shackle.center().y()),
               QPointF(shackle.right(), body.top()));
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawRoundedRect(body, side * 0.06, side * 0.06);
    break;
  }
  case TargetState::Disabled:
    p.setPen(QPen(c, pen));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(dot.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2));
    break;
  case TargetState::Unknown: {
    QPen dotted(c, pen, Qt::CustomDashLine, Qt::RoundCap);
    dotted.setDashPattern({0.1, 2.2});
    p.setPen(dotted);
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(dot.adjusted(pen / 2, pen / 2, -pen / 2, -pen / 2));
    break;
  }
  }
  p.restore();
}

QIcon badgeIcon(TargetState state, bool flapping, const StatePalette& palette) {
  return QIcon(new BadgeIconEngine(state, flapping, palette));
}

} // namespace healthdeck
