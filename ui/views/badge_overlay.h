#pragma once
// Overlays on a state badge (UI.md): acknowledged ✓, snoozed ☾, maintenance 🛠 (a spanner),
// certificate expiring (a small clock), each a small vector mark in a corner of the badge so
// the state mark underneath still reads; and the greyed mark of a stale state. Flags travel
// through OverlayRole as an int.

#include "healthdeck/client/store/target_status.h"
#include "healthdeck/ui/views/state_palette.h"

#include <QFlags>

class QPainter;
class QRectF;

namespace healthdeck {

enum class BadgeOverlay : int {
  None = 0,
  Acknowledged = 1,
  Snoozed = 2,
  Maintenance = 4,
  CertificateWarning = 8,
  CertificateCritical = 16,
};
Q_DECLARE_FLAGS(BadgeOverlays, BadgeOverlay)
Q_DECLARE_OPERATORS_FOR_FLAGS(BadgeOverlays)

/// The overlay flags of a status.
BadgeOverlays overlaysOf(const TargetStatus& status);

/// Paints the badge of `state` in `rect` (greyed when `stale`) with `overlays` on top.
void paintBadgeWithOverlays(QPainter& painter, const QRectF& rect, TargetState state, bool flapping,
                            bool stale, BadgeOverlays overlays, const StatePalette& palette);

} // namespace healthdeck
