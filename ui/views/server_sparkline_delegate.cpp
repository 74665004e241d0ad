#include "healthdeck/ui/views/server_sparkline_delegate.h"

#include "healthdeck/ui/views/sparkline.h"

#include <QApplication>
#include <QPainter>

namespace healthdeck {

ServerSparklineDelegate::ServerSparklineDelegate(int stateRole, int flappingRole, int sparklineRole,
                                                 int staleRole, QObject* parent)
    : BadgeDelegate(stateRole, flappingRole, parent), m_sparklineRole(sparklineRole),
      m_staleRole(staleRole) {}

void ServerSparklineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
  const QList<double> values = index.data(m_sparklineRole).value<QList<double>>();
  if (values.isEmpty() || option.rect.width() < 3 * kSparkWidth) {
    BadgeDelegate::paint(painter, option, index);
    return;
  }
  // The selection background spans the whole cell; text stops before the sparkline.
  QStyleOptionViewItem text = option;
  text.rect.setRight(option.rect.right() - kSparkWidth - 4);
  const QWidget* w = option.widget;
  QStyle* style = w ? w->style() : QApplication::style();
  style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, w);
  BadgeDelegate::paint(painter, text, index);
  const QRectF spark(option.rect.right() - kSparkWidth, option.rect.top() + 3, kSparkWidth - 2,
                     option.rect.height() - 6);
  const bool selected = option.state & QStyle::State_Selected;
  // A stale sparkline (the latest scrape failed) is drawn in the disabled colour.
  const bool stale = m_staleRole >= 0 && index.data(m_staleRole).toBool();
  const QColor c = option.palette.color(stale ? QPalette::Disabled : QPalette::Active,
                                        selected ? QPalette::HighlightedText : QPalette::Text);
  paintSparkline(*painter, spark, values, c, m_scratch);
}

QSize ServerSparklineDelegate::sizeHint(const QStyleOptionViewItem& option,
                                        const QModelIndex& index) const {
  QSize s = BadgeDelegate::sizeHint(option, index);
  s.rwidth() += kSparkWidth + 4;
  return s;
}

} // namespace healthdeck
