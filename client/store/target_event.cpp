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
  if (fromNotFound) o.insert(QStringLiteral("from_not_found"), true);
  if (toNotFound) o.insert(QStringLiteral("to_not_found"), true);
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
  e.fromNotFound =
      e.from == TargetState::Disabled && o.value(QStringLiteral("from_not_found")).toBool();
  e.toNotFound = e.to == TargetState::Disabled && o.value(QStringLiteral("to_not_found")).toBool();
  e.sentence = o.value(QStringLiteral("sentence")).toString();
  return e;
}

QString TargetEvent::changeText() const {
  const auto word = [](TargetState state, bool notFound) {
    return notFound ? notFoundWord() : presentation(state).word;
  };
  const QString toWord = flapping ? flappingPresentation().word : word(to, toNotFound);
  return word(from, fromNotFound) % QStringLiteral(" → ") % toWord;
}

} // namespace healthdeck
