#pragma once
// StatePalette: the one place state colours come from (badges, list, tray, notifications).
// Each colour role has a light-theme and a dark-theme variant chosen to keep contrast against
// the window background of that theme. Value type; cheap to copy.

#include "healthdeck/client/state_presentation.h"

#include <QColor>

class QPalette;

namespace healthdeck {

class StatePalette {
public:
  explicit StatePalette(bool dark = false) : m_dark(dark) {}
  /// Dark variant when the palette's window colour is dark.
  static StatePalette forPalette(const QPalette& palette);
  static bool isDark(const QPalette& palette);

  bool dark() const { return m_dark; }
  QColor color(ColorRole role) const;
  QColor color(TargetState state, bool flapping = false) const;

private:
  bool m_dark = false;
};

} // namespace healthdeck
