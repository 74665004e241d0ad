#pragma once
// ServerSparklineDelegate: the server list's name cell — the state badge and name as
// BadgeDelegate draws them, plus a tiny sparkline of the target's main rate at the right edge,
// from the row's SparklineRole (QList<double>), in the disabled colour when the row's stale
// role (bool; -1: none) says the values are the last good scrape's. Rows without values draw
// no sparkline. The
// scratch polygon is reused between rows.

#include "healthdeck/ui/views/badge_delegate.h"

#include <QPolygonF>

namespace healthdeck {

class ServerSparklineDelegate : public BadgeDelegate {
  Q_OBJECT
public:
  ServerSparklineDelegate(int stateRole, int flappingRole, int sparklineRole, int staleRole,
                          QObject* parent = nullptr);

  static constexpr int kSparkWidth = 56;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
  int m_sparklineRole;
  int m_staleRole;
  mutable QPolygonF m_scratch;
};

} // namespace healthdeck
