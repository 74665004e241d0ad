#pragma once
// ServerSparklineDelegate: the server list's name cell — the state badge and name as
// BadgeDelegate draws them, plus a tiny sparkline of the target's main rate at the right edge,
// read from the MetricsHub by the row's target id (TargetIdRole). Group rows and targets
// without metrics draw no sparkline. The scratch polygon is reused between rows.

#include "healthdeck/ui/views/badge_delegate.h"

#include <QPolygonF>

namespace healthdeck {

class MetricsHub;

class ServerSparklineDelegate : public BadgeDelegate {
  Q_OBJECT
public:
  ServerSparklineDelegate(const MetricsHub& hub, int stateRole, int flappingRole,
                          QObject* parent = nullptr);

  static constexpr int kSparkWidth = 56;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
  const MetricsHub& m_hub;
  mutable QPolygonF m_scratch;
};

} // namespace healthdeck
