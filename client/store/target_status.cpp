#include "healthdeck/client/store/target_status.h"

#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"

namespace healthdeck {

namespace {

bool isTrouble(TargetState s) {
  return s == TargetState::Down || s == TargetState::Unreachable ||
         s == TargetState::Unauthorized || s == TargetState::Degraded;
}

QString localTime(const QDateTime& utc) {
  return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

bool blocksChildren(TargetState parentState) {
  return parentState == TargetState::Down || parentState == TargetState::Unreachable;
}

CertificateThresholds thresholdsFor(const TargetConfig& target, CertificateThresholds defaults) {
  CertificateThresholds t = defaults;
  if (target.certWarnDays >= 0) t.warnDays = target.certWarnDays;
  if (target.certCritDays >= 0) t.critDays = target.certCritDays;
  return t;
}

TargetStatus targetStatus(const TargetStore& store, const TriageState* triage,
                          const QString& targetId, const QDateTime& now,
                          CertificateThresholds defaults) {
  TargetStatus st;
  st.targetId = targetId;
  const TargetConfig* cfg = store.target(targetId);
  const TargetSnapshot* snap = store.findSnapshot(targetId);
  st.polled = snap != nullptr;
  st.state = snap ? snap->state : TargetState::Unknown;
  st.flapping = snap && snap->flapping;
  st.stale = store.isStale(targetId);
  QStringList tips;

  if (cfg && !cfg->parentId.isEmpty() && st.state == TargetState::Unreachable && !st.stale) {
    const TargetSnapshot* parent = store.findSnapshot(cfg->parentId);
    if (parent && blocksChildren(parent->state) && !store.isStale(cfg->parentId)) {
      const TargetConfig* p = store.target(cfg->parentId);
      st.behindParent = p ? p->name : cfg->parentId;
    }
  }

  if (snap && snap->certificateExpiry) {
    const CertificateThresholds th = cfg ? thresholdsFor(*cfg, defaults) : defaults;
    st.certificateExpiry = snap->certificateExpiry;
    st.certificateDaysLeft = certificateDaysLeft(*snap->certificateExpiry, now);
    st.certificateLevel = certificateLevel(*snap->certificateExpiry, now, th.warnDays, th.critDays);
    if (st.certificateLevel != CertificateLevel::Ok)
      tips << QStringLiteral("Certificate: ") % certificateSentence(*snap->certificateExpiry, now);
  }

  if (triage) {
    if (const auto ack = triage->acknowledgement(targetId)) {
      st.acknowledged = true;
      tips << QStringLiteral("Acknowledged by %1 at %2%3")
                  .arg(ack->by, localTime(ack->at),
                       ack->note.isEmpty() ? QString() : QStringLiteral(": ") % ack->note);
    }
    if (const auto until = triage->snoozedUntil(targetId)) {
      st.snoozed = true;
      tips << QStringLiteral("Snoozed until %1").arg(localTime(*until));
    }
    if (const auto m = triage->activeMaintenance(targetId)) {
      st.maintenance = true;
      tips << QStringLiteral("Maintenance until %1 (%2)%3")
                  .arg(localTime(m->second), m->first.describe(),
                       m->first.note.isEmpty() ? QString() : QStringLiteral(": ") % m->first.note);
    }
  }
  if (st.flapping) tips << QStringLiteral("Flapping: changing state repeatedly");
  if (st.stale && snap) tips << QStringLiteral("Last answer %1").arg(localTime(snap->polledAt));
  st.overlayToolTip = tips.join(QLatin1Char('\n'));

  // Word and colour: maintenance and staleness say what is *current*; else the state.
  if (st.maintenance)
    st.presentation = maintenancePresentation();
  else if (st.stale)
    st.presentation = stalePresentation();
  else
    st.presentation = snap ? presentation(*snap) : presentation(TargetState::Unknown);

  QString base = snap ? (snap->sentence.isEmpty() ? describe(*snap) : snap->sentence)
                      : presentation(TargetState::Unknown).genericSentence;
  if (!st.behindParent.isEmpty())
    base = QStringLiteral("Unreachable behind %1").arg(st.behindParent);
  if (st.stale && snap) base = describeStale(*snap, now);
  if (st.certificateLevel != CertificateLevel::Ok && st.certificateExpiry &&
      (st.state == TargetState::Up || st.state == TargetState::Degraded))
    base += QStringLiteral("; ") % certificateSentence(*st.certificateExpiry, now);
  st.sentence = base;

  const bool certTrouble = st.certificateLevel != CertificateLevel::Ok;
  st.needsAttention = (isTrouble(st.state) || st.stale || certTrouble) && !st.acknowledged &&
                      !st.maintenance && st.polled && st.behindParent.isEmpty();

  // Rank: attention first, then by severity of the last state, stale just above its state.
  int rank = severity(st.state) * 4 + (st.flapping ? 1 : 0) + (st.stale ? 2 : 0);
  if (certTrouble) rank = std::max(rank, severity(TargetState::Degraded) * 4 + 1);
  if (st.needsAttention) rank += 100;
  if (st.maintenance || !st.behindParent.isEmpty()) rank -= 50;
  st.troubleRank = rank;

  // A "Not found" server is counted and filtered as that, not as "disabled".
  st.stateWords << (!snap               ? QStringLiteral("unknown")
                    : isNotFound(*snap) ? QStringLiteral("not found")
                                        : presentation(st.state).word.toLower());
  if (snap && !snap->flapping) {
    const QString word = presentation(*snap).word.toLower(); // "not found" beside "disabled"
    if (!st.stateWords.contains(word)) st.stateWords << word;
  }
  if (st.stale) st.stateWords << QStringLiteral("stale");
  if (st.flapping) st.stateWords << QStringLiteral("flapping");
  if (st.acknowledged) st.stateWords << QStringLiteral("acknowledged");
  if (st.snoozed) st.stateWords << QStringLiteral("snoozed");
  if (st.maintenance) st.stateWords << QStringLiteral("maintenance");
  if (certTrouble) st.stateWords << QStringLiteral("certificate") << QStringLiteral("expiring");
  if (!st.behindParent.isEmpty()) st.stateWords << QStringLiteral("behind");
  if (st.needsAttention) st.stateWords << QStringLiteral("attention");
  return st;
}

} // namespace healthdeck
