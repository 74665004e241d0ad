#include "healthdeck/client/store/target_state_machine.h"

#include "healthdeck/client/format/unit_format.h"

#include "healthdeck/client/state_presentation.h"

namespace healthdeck {

namespace {

bool isGood(TargetState s) {
  return s == TargetState::Up || s == TargetState::Degraded;
}

} // namespace

TargetStateMachine::TargetStateMachine(QObject* parent) : QObject(parent) {}

void TargetStateMachine::setPolicy(const QString& targetId, const FlapPolicy& policy) {
  m_policies.insert(targetId, policy);
  auto it = m_tracks.find(targetId);
  if (it != m_tracks.end()) it->policy = policy;
}

void TargetStateMachine::reset(const QString& targetId) {
  m_tracks.remove(targetId);
}

TargetStateMachine::Track& TargetStateMachine::track(const QString& targetId) {
  auto it = m_tracks.find(targetId);
  if (it == m_tracks.end()) {
    Track t;
    t.policy = m_policies.value(targetId, FlapPolicy{});
    t.shown.targetId = targetId;
    t.shown.sentence = describe(t.shown);
    it = m_tracks.insert(targetId, t);
  }
  return *it;
}

TargetSnapshot TargetStateMachine::current(const QString& targetId) const {
  auto it = m_tracks.constFind(targetId);
  if (it != m_tracks.constEnd()) return it->shown;
  TargetSnapshot s;
  s.targetId = targetId;
  s.sentence = describe(s);
  return s;
}

void TargetStateMachine::notify(Track& t, const TargetSnapshot& shown, const QString& title,
                                bool bypassLimit) {
  const QDateTime now = shown.polledAt;
  if (!bypassLimit && t.lastNotified.isValid() && now.isValid() &&
      t.lastNotified.msecsTo(now) < t.policy.notifyMinInterval.count())
    return;
  t.lastNotified = now;
  Q_EMIT notificationDue(shown, title);
}

TargetSnapshot TargetStateMachine::observe(const TargetSnapshot& raw) {
  Track& t = track(raw.targetId);
  const FlapPolicy& p = t.policy;
  const TargetSnapshot previous = t.shown;
  const bool good = isGood(raw.state);
  const QDateTime now = raw.polledAt.isValid() ? raw.polledAt : QDateTime::currentDateTimeUtc();

  // Raw good<->bad changes inside the window decide flapping. Unknown (not understood) counts
  // as bad; Disabled/Unknown from switching polling off are never fed here.
  if (t.hasRaw && good != t.lastRawGood) t.changes.push_back(now);
  while (!t.changes.empty() && t.changes.front().msecsTo(now) > p.flapWindow.count())
    t.changes.pop_front();
  t.hasRaw = true;
  t.lastRawGood = good;
  if (good) {
    ++t.consecutiveGood;
    t.consecutiveBad = 0;
  } else {
    ++t.consecutiveBad;
    t.consecutiveGood = 0;
  }

  const int changes = static_cast<int>(t.changes.size());
  bool flapping = previous.flapping;
  if (!flapping && p.flapChanges > 0 && changes >= p.flapChanges)
    flapping = true;
  else if (flapping && changes <= p.flapChanges / 2)
    flapping = false;

  TargetSnapshot shown = raw;
  shown.polledAt = now;
  const bool wasUnknown =
      previous.state == TargetState::Unknown && previous.error == PollError::None;
  if (flapping) {
    // Hold the pessimistic state: the latest bad observation (or the previous bad one).
    if (good) {
      const bool heldBad = !isGood(previous.state) && previous.state != TargetState::Unknown;
      shown.state = heldBad ? previous.state : TargetState::Down;
      if (heldBad) {
        shown.error = previous.error;
        shown.errorDetail = previous.errorDetail;
        shown.httpStatus = previous.httpStatus;
      }
    }
    shown.flapping = true;
    shown.sentence =
        QStringLiteral("Changed state %1 times in %2").arg(changes).arg(durationText(p.flapWindow));
  } else {
    shown.flapping = false;
    if (!wasUnknown && isGood(previous.state) && !good &&
        t.consecutiveBad < std::max(1, p.failuresToDown)) {
      shown.state = previous.state; // hold good until N failures
      shown.error = PollError::None;
      shown.sentence = previous.sentence;
      shown.errorDetail = QStringLiteral("held: %1 of %2 failures (%3)")
                              .arg(t.consecutiveBad)
                              .arg(p.failuresToDown)
                              .arg(describe(raw));
    } else if (!wasUnknown && !isGood(previous.state) && good &&
               t.consecutiveGood < std::max(1, p.successesToUp)) {
      shown.state = previous.state; // hold bad until M successes
      shown.error = previous.error;
      shown.httpStatus = previous.httpStatus;
      shown.sentence = previous.sentence;
      shown.errorDetail =
          QStringLiteral("held: %1 of %2 successes").arg(t.consecutiveGood).arg(p.successesToUp);
    } else {
      shown.sentence = raw.sentence.isEmpty() ? describe(raw) : raw.sentence;
    }
  }
  t.shown = shown;
  Q_EMIT snapshotChanged(shown);

  const bool stateMoved = shown.state != previous.state;
  const bool flapStarted = shown.flapping && !previous.flapping;
  if (stateMoved || shown.flapping != previous.flapping)
    Q_EMIT stateChanged(shown.targetId, previous.state, shown.state);
  if (flapStarted) {
    notify(t, shown, QStringLiteral("Flapping"), true);
  } else if (stateMoved && !shown.flapping && !(wasUnknown && shown.state == TargetState::Up)) {
    notify(t, shown, presentation(shown.state).word, false);
  }
  return shown;
}

} // namespace healthdeck
