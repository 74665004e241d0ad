#include "healthdeck/client/store/target_event.h"

#include "healthdeck/client/state_presentation.h"

namespace healthdeck {

QJsonObject TargetEvent::toJson() const {
  QJsonObject o;
  o.insert(QStringLiteral("at"), at.toUTC().toString(Qt::ISODateWithMs));
  o.insert(QStringLiteral("target"), targetId);
  o.insert(QStringLiteral("name"), targetName);
  o.insert(QStringLiteral("from"), toString(from));
  o.insert(QStringLiteral("to"), toString(to));
  if (flapping) o.insert(QStringLiteral("flapping"), true);
  o.insert(QStringLiteral("sentence"), sentence);
  return o;
}

std::optional<TargetEvent> TargetEvent::fromJson(const QJsonObject& o) {
  TargetEvent e;
  e.at = QDateTime::fromString(o.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
  e.targetId = o.value(QStringLiteral("target")).toString();
  const auto from = targetStateFromString(o.value(QStringLiteral("from")).toString());
  const auto to = targetStateFromString(o.value(QStringLiteral("to")).toString());
  if (!e.at.isValid() || e.targetId.isEmpty() || !from || !to) return std::nullopt;
  e.at = e.at.toUTC();
  e.from = *from;
  e.to = *to;
  e.targetName = o.value(QStringLiteral("name")).toString();
  e.flapping = o.value(QStringLiteral("flapping")).toBool();
  e.sentence = o.value(QStringLiteral("sentence")).toString();
  return e;
}

QString TargetEvent::changeText() const {
  const QString toWord = flapping ? flappingPresentation().word : presentation(to).word;
  return presentation(from).word % QStringLiteral(" → ") % toWord;
}

} // namespace healthdeck
