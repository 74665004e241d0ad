#include "healthdeck/ui/views/state_palette.h"

#include <QPalette>

namespace healthdeck {

bool StatePalette::isDark(const QPalette& palette) {
  return palette.color(QPalette::Window).lightness() < 128;
}

StatePalette StatePalette::forPalette(const QPalette& palette) {
  return StatePalette(isDark(palette));
}

QColor StatePalette::color(ColorRole role) const {
  // Light variants are dark enough for text on white (>= 4.5:1); dark variants are light
  // enough for text on #202020.
  switch (role) {
  case ColorRole::Good: return m_dark ? QColor(0x6d, 0xd5, 0x8c) : QColor(0x1a, 0x7f, 0x37);
  case ColorRole::Warning: return m_dark ? QColor(0xf5, 0xc2, 0x42) : QColor(0xa6, 0x5b, 0x00);
  case ColorRole::Critical: return m_dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc5, 0x22, 0x1f);
  case ColorRole::Attention: return m_dark ? QColor(0xb3, 0x9d, 0xff) : QColor(0x65, 0x3b, 0xd4);
  case ColorRole::Neutral: break;
  }
  return m_dark ? QColor(0xa0, 0xa6, 0xad) : QColor(0x5f, 0x66, 0x6d);
}

QColor StatePalette::color(TargetState state, bool flapping) const {
  return color(flapping ? flappingPresentation().color : presentation(state).color);
}

} // namespace healthdeck
