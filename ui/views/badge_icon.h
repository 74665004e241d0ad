#pragma once
// Badge marks for target states, painted as vectors so they are sharp at any size and device
// pixel ratio. Each state differs in shape as well as colour, so they read without colour
// vision: up = filled dot, degraded = half-filled dot, down = ✖, unreachable = outline ✖,
// unauthorized = lock, disabled = hollow ring, unknown = dotted ring, flapping = ↯.

#include "healthdeck/client/target_snapshot.h"
#include "healthdeck/ui/views/state_palette.h"

#include <QIcon>

class QPainter;
class QRectF;

namespace healthdeck {

/// Paints the mark of `state` centred in `rect` (a square is used).
void paintBadge(QPainter& painter, const QRectF& rect, TargetState state, bool flapping,
                const StatePalette& palette);

/// A scalable icon of the mark (any size, any device pixel ratio).
QIcon badgeIcon(TargetState state, bool flapping, const StatePalette& palette);

} // namespace healthdeck
