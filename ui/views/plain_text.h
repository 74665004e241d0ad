#pragma once
// Server-supplied text is data, never markup. Qt widgets guess: a QLabel with the default
// Qt::AutoText and every tooltip (QToolTip uses Qt::mightBeRichText) render text that looks
// like HTML as HTML — a server could put images, links or a giant heading into the console.
// These helpers make such text literal. Pure functions, GUI thread only (QLabel).

#include <QString>

class QLabel;

namespace healthdeck::ui {

/// A tooltip that shows `plain` literally: HTML-escaped inside a <p>, so QToolTip's rich-text
/// detection sees our markup only. Line breaks are kept. Empty in, empty out (no tooltip).
QString plainToolTip(const QString& plain);

/// Text for a menu item or button: '&' doubled so it is not taken for a mnemonic marker.
QString plainMenuText(const QString& plain);

/// Sets `label` to Qt::PlainText and returns it, for `plainLabel(new QLabel(parent))`.
QLabel* plainLabel(QLabel* label);

} // namespace healthdeck::ui
