#pragma once
// Sparkline: a tiny line chart of recent values, cheap enough for hundreds on screen. The
// painter scales between the finite minimum and maximum of the values, breaks the line at NaN
// (a gap: no scrape, or no value), draws a lone point between gaps as a dot, and allocates
// nothing per paint beyond growing the caller's scratch polygon once.
// The same painter serves the Sparkline widget and list delegates.

#include <QColor>
#include <QPolygonF>
#include <QWidget>

#include <span>
#include <vector>

class QPainter;

namespace healthdeck {

/// Paints `values` (oldest first) into `rect` with `color`; `scratch` is reused between calls.
void paintSparkline(QPainter& painter, const QRectF& rect, std::span<const double> values,
                    const QColor& color, QPolygonF& scratch);

class Sparkline : public QWidget {
  Q_OBJECT
public:
  explicit Sparkline(QWidget* parent = nullptr);

  void setValues(std::span<const double> values);
  std::span<const double> values() const { return m_values; }
  /// Line colour; invalid (the default) follows the palette's highlight colour.
  void setColor(const QColor& color);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  std::vector<double> m_values;
  QPolygonF m_polygon;
  QColor m_color;
};

} // namespace healthdeck
