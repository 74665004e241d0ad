#include "healthdeck/client/store/transition_notifier.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"

#include <QTimer>

namespace healthdeck {

TransitionNotifier::TransitionNotifier(TargetStore& store, QObject* parent)
    : QObject(parent), m_store(store) {
  connect(&store, &TargetStore::eventRecorded, this, &TransitionNotifier::onEvent);
  connect(&store, &TargetStore::snapshotUpdated, this, &TransitionNotifier::onSnapshot);
  connect(&store, &TargetStore::targetsReset, this, [this, &store] {
    // Forget removed targets so a re-added one starts quiet again.
    for (auto it = m_tracks.begin(); it != m_tracks.end();)
      it = store.target(it.key()) ? std::next(it) : m_tracks.erase(it);
  });
}

void TransitionNotifier::setTriage(TriageState* triage) {
  m_triage = triage;
}

QString TransitionNotifier::triageReason(const QString& targetId) const {
  if (!m_triage) return {};
  if (m_triage->activeMaintenance(targetId)) return QStringLiteral("maintenance");
  if (m_triage->acknowledgement(targetId)) return QStringLiteral("acknowledged");
  if (m_triage->snoozedUntil(targetId)) return QStringLiteral("snoozed");
  return {};
}

QString TransitionNotifier::blockingParent(const QString& targetId) const {
  const TargetConfig* t = m_store.target(targetId);
  if (!t || t->parentId.isEmpty()) return {};
  const TargetSnapshot* p = m_store.findSnapshot(t->parentId);
  if (!p || !blocksChildren(p->state)) return {};
  const TargetConfig* pc = m_store.target(t->parentId);
  return pc ? pc->name : t->parentId;
}

int TransitionNotifier::childrenOf(const QString& targetId) const {
  int n = 0;
  for (const auto& t : m_store.targets())
    n += t.parentId == targetId ? 1 : 0;
  return n;
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
  const TargetConfig* cfg = m_store.target(e.targetId);
  if (e.to == TargetState::Unreachable && cfg && !cfg->parentId.isEmpty()) {
    if (const QString parent = blockingParent(e.targetId); !parent.isEmpty()) {
      Q_EMIT notificationSuppressed(e, QStringLiteral("behind ") % parent);
      return;
    }
    // The parent may not have been noticed yet: ask again after the hold.
    QTimer::singleShot(m_childHold, this, [this, e] {
      const TargetSnapshot* now = m_store.findSnapshot(e.targetId);
      if (!now || now->state != TargetState::Unreachable) return; // recovered meanwhile
      if (const QString parent = blockingParent(e.targetId); !parent.isEmpty()) {
        Q_EMIT notificationSuppressed(e, QStringLiteral("behind ") % parent);
        return;
      }
      deliver(e);
    });
    return;
  }
  deliver(e);
}

void TransitionNotifier::deliver(const TargetEvent& e) {
  if (const QString reason = triageReason(e.targetId); !reason.isEmpty()) {
    Q_EMIT notificationSuppressed(e, reason);
    return;
  }
  Track& t = m_tracks[e.targetId];
  if (t.lastNotified.isValid() &&
      t.lastNotified.msecsTo(e.at) < static_cast<qint64>(m_interval.count()))
    return;
  t.lastNotified = e.at;
  const QString name = e.targetName.isEmpty() ? e.targetId : e.targetName;
  const QString word = e.flapping ? flappingPresentation().word : presentation(e.to).word;
  QString title = name % QStringLiteral(" is ") % word;
  if (blocksChildren(e.to)) {
    // Root cause: one notification for the parent names everything behind it.
    if (const int n = childrenOf(e.targetId); n > 0)
      title += QStringLiteral(" — %1 server%2 behind it")
                   .arg(n)
                   .arg(n == 1 ? QString() : QStringLiteral("s"));
  }
  Q_EMIT notificationDue(e, title, e.sentence);
}

void TransitionNotifier::onSnapshot(const QString& targetId) {
  const TargetSnapshot* s = m_store.findSnapshot(targetId);
  if (!s || !s->certificateExpiry || !m_enabled) return;
  const TargetConfig* cfg = m_store.target(targetId);
  if (!cfg) return;
  Track& t = m_tracks[targetId];
  if (t.certExpiry != *s->certificateExpiry) {
    // A new certificate (renewed or replaced): its thresholds are news again.
    t.certExpiry = *s->certificateExpiry;
    t.certNotified = CertificateLevel::Ok;
  }
  const CertificateThresholds th = thresholdsFor(*cfg, m_certDefaults);
  const QDateTime now = s->polledAt.isValid() ? s->polledAt : QDateTime::currentDateTimeUtc();
  const CertificateLevel level = certificateLevel(t.certExpiry, now, th.warnDays, th.critDays);
  if (level <= t.certNotified) return;
  t.certNotified = level;
  TargetEvent e;
  e.at = now;
  e.targetId = targetId;
  e.targetName = cfg->name;
  e.from = s->state;
  e.to = s->state;
  e.sentence = certificateSentence(t.certExpiry, now);
  if (const QString reason = triageReason(targetId); !reason.isEmpty()) {
    Q_EMIT notificationSuppressed(e, reason);
    return;
  }
  const QString title = level == CertificateLevel::Expired
                            ? cfg->name % QStringLiteral(": certificate expired")
                            : cfg->name % QStringLiteral(": certificate expires in %1 days")
                                              .arg(certificateDaysLeft(t.certExpiry, now));
  Q_EMIT notificationDue(e, title, e.sentence);
}

} // namespace healthdeck
