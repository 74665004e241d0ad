#include "healthdeck/ui/views/plain_text.h"

#include <QLabel>

namespace healthdeck::ui {

QString plainToolTip(const QString& plain) {
  if (plain.isEmpty()) return {};
  QString escaped = plain.toHtmlEscaped();
  escaped.replace(QLatin1Char('\n'), QLatin1String("<br>"));
  return QStringLiteral("<p style=\"white-space:pre-wrap\">") % escaped % QStringLiteral("</p>");
}

QString plainMenuText(const QString& plain) {
  QString s = plain;
  s.replace(QLatin1Char('&'), QLatin1String("&&"));
  return s;
}

QLabel* plainLabel(QLabel* label) {
  label->setTextFormat(Qt::PlainText);
  return label;
}

} // namespace healthdeck::ui
