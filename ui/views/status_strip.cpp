#include "healthdeck/ui/views/status_strip.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/ui/views/state_palette.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace healthdeck {

namespace {
constexpr int kBarHeight = 4;
constexpr int kGap = 1;
} // namespace

StatusStrip::StatusStrip(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_Hover);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void StatusStrip::setCells(std::vector<history::HistoryCell> cells) {
  m_cells = std::move(cells);
  update();
}

QSize StatusStrip::sizeHint() const {
  return {600, fontMetrics().height() * 2 + kBarHeight};
}

QSize StatusStrip::minimumSizeHint() const {
  return {100, fontMetrics().height() + kBarHeight};
}

QRectF StatusStrip::cellRect(int i) const {
  const int n = static_cast<int>(m_cells.size());
  if (n == 0) return {};
  const double w = static_cast<double>(width()) / n;
  return QRectF(i * w, 0, std::max(1.0, w - (w > 4 ? kGap : 0)), height() - kBarHeight - 1);
}

int StatusStrip::cellAt(int x) const {
  const int n = static_cast<int>(m_cells.size());
  if (n == 0 || width() <= 0 || x < 0 || x >= width()) return -1;
  return std::min(n - 1, x * n / width());
}

void StatusStrip::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const StatePalette palette = StatePalette::forPalette(this->palette());
  const QColor grey = this->palette().color(QPalette::Mid);
  for (int i = 0; i < static_cast<int>(m_cells.size()); ++i) {
    const history::HistoryCell& c = m_cells[static_cast<std::size_t>(i)];
    const QRectF r = cellRect(i);
    if (c.worstState < 0) {
      // Not observed: grey and hatched, so it never reads as a state.
      p.fillRect(r, grey.lighter(130));
      p.fillRect(r, QBrush(grey, Qt::BDiagPattern));
    } else {
      p.fillRect(r, palette.color(static_cast<TargetState>(c.worstState)));
    }
    const qint64 span = std::max<qint64>(1, c.end - c.start);
    const history::UptimeFigures f = history::figuresOf(c.durations, span);
    const double seen =
        static_cast<double>(f.observedMs() + f.unseenMs) / static_cast<double>(span);
    QRectF bar(r.left(), height() - kBarHeight, r.width(), kBarHeight);
    p.fillRect(bar, grey.lighter(150));
    bar.setWidth(r.width() * std::clamp(seen, 0.0, 1.0));
    p.fillRect(bar, this->palette().color(QPalette::WindowText));
  }
}

bool StatusStrip::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const int i = cellAt(help->pos().x());
    if (i < 0) {
      QToolTip::hideText();
      return true;
    }
    const history::HistoryCell& c = m_cells[static_cast<std::size_t>(i)];
    const qint64 span = std::max<qint64>(1, c.end - c.start);
    const history::UptimeFigures f = history::figuresOf(c.durations, span);
    const QString when =
        QDateTime::fromMSecsSinceEpoch(c.start).toString(QStringLiteral("yyyy-MM-dd HH:mm")) %
        QStringLiteral(" – ") %
        QDateTime::fromMSecsSinceEpoch(c.end).toString(QStringLiteral("HH:mm"));
    QString text = when % QLatin1Char('\n');
    if (c.worstState < 0) {
      text += QStringLiteral("Not observed");
    } else {
      text += QStringLiteral("Worst: ") % presentation(static_cast<TargetState>(c.worstState)).word;
      if (f.hasObservation())
        text += QStringLiteral("\n%1 % up, %2 % degraded")
                    .arg(f.up() * 100, 0, 'f', 2)
                    .arg(f.degraded() * 100, 0, 'f', 2);
      text += QStringLiteral("\nObserved %1 % of the time")
                  .arg(100.0 * static_cast<double>(f.observedMs() + f.unseenMs) /
                           static_cast<double>(span),
                       0, 'f', 1);
    }
    QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  return QWidget::event(e);
}

} // namespace healthdeck
