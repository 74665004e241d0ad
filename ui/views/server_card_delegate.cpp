#include "healthdeck/ui/views/server_card_delegate.h"

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/views/badge_overlay.h"
#include "healthdeck/ui/views/sparkline.h"

#include <QApplication>
#include <QPainter>

namespace healthdeck {

namespace {
/// Uptime over less than this much history says nothing; the card leaves it out.
constexpr qint64 kMinUptimeSpanSeconds = 30 * 60;
} // namespace

ServerCardDelegate::ServerCardDelegate(const TargetStore& store, const MetricsHub* hub,
                                       QObject* parent)
    : QStyledItemDelegate(parent), m_store(store), m_hub(hub) {}

QSize ServerCardDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
  return kCardSize;
}

void ServerCardDelegate::paint(QPainter* p, const QStyleOptionViewItem& option,
                               const QModelIndex& index) const {
  const QString id = index.data(TargetIdRole).toString();
  const auto state = static_cast<TargetState>(index.data(StateRole).toInt());
  const bool flapping = index.data(FlappingRole).toBool();
  const bool stale = index.data(StaleRole).toBool();
  const BadgeOverlays overlays(index.data(OverlayRole).toInt());
  const StatePalette palette = StatePalette::forPalette(option.palette);
  const bool selected = option.state & QStyle::State_Selected;
  const bool focus = option.state & QStyle::State_HasFocus;
  const bool quiet = stale || (overlays & BadgeOverlay::Maintenance);

  p->save();
  p->setRenderHint(QPainter::Antialiasing);
  const QRectF card = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5);
  const QColor edge = quiet ? palette.color(ColorRole::Neutral) : palette.color(state, flapping);
  p->setPen(QPen(selected ? option.palette.color(QPalette::Highlight)
                          : option.palette.color(QPalette::Mid),
                 selected || focus ? 2.0 : 1.0));
  p->setBrush(option.palette.color(selected ? QPalette::AlternateBase : QPalette::Base));
  p->drawRoundedRect(card, 3, 3);
  // The state edge: colour and width, so trouble reads at a glance across 200 cards.
  p->setPen(Qt::NoPen);
  p->setBrush(edge);
  p->drawRoundedRect(QRectF(card.left(), card.top(), 4, card.height()), 2, 2);

  const qreal pad = 3;
  const qreal badge = 14;
  const QRectF badgeRect(card.left() + 7, card.top() + pad, badge, badge);
  paintBadgeWithOverlays(*p, badgeRect, state, flapping, stale, overlays, palette);

  // Line 1: name (bold), and on the right the sparkline.
  QFont bold = option.font;
  bold.setBold(true);
  const QFontMetricsF fmBold(bold);
  QFont small = option.font;
  small.setPointSizeF(std::max(6.5, option.font.pointSizeF() * 0.85));
  const QFontMetricsF fmSmall(small);
  const qreal textLeft = badgeRect.right() + 5;
  const qreal sparkW = 44;
  const QRectF spark(card.right() - sparkW - pad, card.top() + pad + 1, sparkW, badge - 4);
  const QColor text = option.palette.color(quiet ? QPalette::PlaceholderText : QPalette::Text);
  p->setFont(bold);
  p->setPen(text);
  const QRectF nameRect(textLeft, card.top() + pad - 1, spark.left() - textLeft - 4,
                        fmBold.height());
  p->drawText(
      nameRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
      fmBold.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, nameRect.width()));

  m_values.clear();
  if (const auto* hs = m_hub && !id.isEmpty() ? m_hub->state(id) : nullptr;
      hs && !hs->sparkline.isEmpty()) {
    m_values.assign(hs->sparkline.cbegin(), hs->sparkline.cend());
  } else {
    const auto& history = m_store.history(id);
    const std::size_t n = std::min<std::size_t>(history.size(), 40);
    for (std::size_t i = history.size() - n; i < history.size(); ++i)
      m_values.push_back(static_cast<double>(history[i].latency.count()));
  }
  if (m_values.size() > 1) paintSparkline(*p, spark, m_values, text, m_scratch);

  // Line 2: the sentence, and on the right uptime or certificate days.
  QString right;
  const QVariant certDays = index.data(CertDaysRole);
  if (overlays & (BadgeOverlay::CertificateWarning | BadgeOverlay::CertificateCritical))
    right = QStringLiteral("cert %1 d").arg(certDays.toLongLong());
  else if (const double up = index.data(UptimeRole).toDouble();
           up >= 0 && index.data(UptimeSpanRole).toLongLong() >= kMinUptimeSpanSeconds)
    right = QStringLiteral("%1 %").arg(up * 100.0, 0, 'f', up >= 0.9995 ? 0 : 1);
  p->setFont(small);
  const qreal line2 = card.top() + pad + badge + 1;
  const qreal rightW = right.isEmpty() ? 0 : fmSmall.horizontalAdvance(right) + 4;
  if (!right.isEmpty()) {
    p->setPen(option.palette.color(QPalette::PlaceholderText));
    p->drawText(QRectF(card.right() - pad - rightW, line2, rightW, fmSmall.height()),
                Qt::AlignRight | Qt::AlignVCenter, right);
  }
  p->setPen(text);
  const QRectF sentenceRect(card.left() + 7, line2, card.right() - pad - rightW - card.left() - 7,
                            fmSmall.height());
  p->drawText(sentenceRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
              fmSmall.elidedText(index.data(SentenceRole).toString(), Qt::ElideRight,
                                 sentenceRect.width()));
  p->restore();
}

} // namespace healthdeck
