#include "healthdeck/ui/views/sparkline.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

namespace healthdeck {

void paintSparkline(QPainter& painter, const QRectF& rect, std::span<const double> values,
                    const QColor& color, QPolygonF& scratch) {
  if (values.empty() || rect.width() < 2 || rect.height() < 2) return;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return; // nothing finite to draw
  const double pen = 1.5;
  const QRectF r = rect.adjusted(pen, pen, -pen, -pen);
  const double span = hi - lo;
  // A flat series sits in the middle, so "constant" and "zero" read differently from "none".
  const auto yOf = [&](double v) {
    return span > 0 ? r.bottom() - (v - lo) / span * r.height() : r.center().y();
  };
  const double step = values.size() > 1 ? r.width() / static_cast<double>(values.size() - 1) : 0;

  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setPen(QPen(color, pen, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  painter.setBrush(color);
  scratch.clear();
  const auto flush = [&] {
    if (scratch.size() == 1)
      painter.drawEllipse(scratch.front(), pen, pen);
    else if (scratch.size() > 1)
      painter.drawPolyline(scratch);
    scratch.clear();
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) {
      flush();
      continue;
    }
    scratch.append(
        QPointF(values.size() > 1 ? r.left() + step * static_cast<double>(i) : r.right(), yOf(v)));
  }
  flush();
  painter.restore();
}

Sparkline::Sparkline(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void Sparkline::setValues(std::span<const double> values) {
  m_values.assign(values.begin(), values.end());
  update();
}

void Sparkline::setColor(const QColor& color) {
  m_color = color;
  update();
}

QSize Sparkline::sizeHint() const {
  return {96, fontMetrics().height() + 4};
}

QSize Sparkline::minimumSizeHint() const {
  return {32, fontMetrics().height()};
}

void Sparkline::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QColor c = m_color.isValid() ? m_color : palette().color(QPalette::Highlight);
  paintSparkline(p, QRectF(rect()), m_values, c, m_polygon);
}

} // namespace healthdeck
