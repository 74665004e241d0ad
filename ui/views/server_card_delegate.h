#pragma once
// ServerCardDelegate: paints one server as a compact card for the overview grid and the
// "needs attention" lane — a state-coloured edge, the badge with its overlays (greyed when
// stale), the name, the one sentence, uptime over the kept history, certificate days when
// they matter, and a sparkline (the server's main metric from the MetricsHub when it has one,
// else its poll latency). Everything is painted: no widget per card, so hundreds stay cheap.
// Reads roles only (see overview_model.h) plus the store's history and the hub by target id.
// Text from servers is drawn as plain text.

#include <QPolygonF>
#include <QStyledItemDelegate>

namespace healthdeck {

class MetricsHub;
class TargetStore;

class ServerCardDelegate : public QStyledItemDelegate {
  Q_OBJECT
public:
  /// Card size that fits 200 cards (10 × 20) on a 1920×1080 screen.
  static constexpr QSize kCardSize{186, 36};

  ServerCardDelegate(const TargetStore& store, const MetricsHub* hub, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
  const TargetStore& m_store;
  const MetricsHub* m_hub;
  mutable QPolygonF m_scratch;
  mutable std::vector<double> m_values;
};

} // namespace healthdeck
