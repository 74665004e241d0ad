#include "healthdeck/client/store/transition_notifier.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"

namespace healthdeck {

TransitionNotifier::TransitionNotifier(TargetStore& store, QObject* parent) : QObject(parent) {
  connect(&store, &TargetStore::eventRecorded, this, &TransitionNotifier::onEvent);
  connect(&store, &TargetStore::targetsReset, this, [this, &store] {
    // Forget removed targets so a re-added one starts quiet again.
    for (auto it = m_tracks.begin(); it != m_tracks.end();)
      it = store.target(it.key()) ? std::next(it) : m_tracks.erase(it);
  });
}

void TransitionNotifier::onEvent(const TargetEvent& e) {
  Track& t = m_tracks[e.targetId];
  const bool good = e.to == TargetState::Up || e.to == TargetState::Degraded;
  if (!t.seenGood) {
    // The first good poll ends the quiet period but is itself no news.
    t.seenGood = good;
    return;
  }
  if (!m_enabled) return;
  if (t.lastNotified.isValid() &&
      t.lastNotified.msecsTo(e.at) < static_cast<qint64>(m_interval.count()))
    return;
  t.lastNotified = e.at;
  const QString name = e.targetName.isEmpty() ? e.targetId : e.targetName;
  const QString word = e.flapping ? flappingPresentation().word : presentation(e.to).word;
  Q_EMIT notificationDue(e, name % QStringLiteral(" is ") % word, e.sentence);
}

} // namespace healthdeck
