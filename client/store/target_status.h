#pragma once
// TargetStatus: everything a surface (list row, card, matrix, tray, filter, notifications)
// shows for one server, worked out in one place from the TargetStore and the TriageState:
// the last state and whether it is current (stale), the overlays (acknowledged, snoozed,
// maintenance, flapping, certificate expiring), "unreachable behind <parent>", the one
// sentence, whether it needs attention now, and a trouble-first sort key.
// Pure function over const references; GUI thread (the store and triage are GUI-thread
// objects). Times UTC.

#include "healthdeck/client/source/certificate_expiry.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace healthdeck {

class TargetStore;
class TriageState;

struct CertificateThresholds {
  int warnDays = kDefaultCertWarnDays;
  int critDays = kDefaultCertCritDays;
};

struct TargetStatus {
  QString targetId;
  TargetState state = TargetState::Unknown; ///< the last state (greyed when stale)
  bool polled = false;
  bool stale = false;
  bool flapping = false;
  bool acknowledged = false;
  bool snoozed = false;
  bool maintenance = false;
  QString behindParent; ///< parent's name while unreachable behind it, else empty
  std::optional<QDateTime> certificateExpiry;
  CertificateLevel certificateLevel = CertificateLevel::Ok;
  qint64 certificateDaysLeft = 0;

  StatePresentation presentation; ///< what the badge word/colour says (Stale/Maintenance win)
  QString sentence;               ///< the one sentence, with staleness/parent worded in
  QString overlayToolTip;         ///< one line per overlay: who, when, why, until
  /// Down, unreachable, unauthorized, degraded, stale or certificate expiring — and neither
  /// acknowledged nor in maintenance (snoozed still counts: snooze only silences).
  bool needsAttention = false;
  /// Trouble first: higher is worse (stale and attention rank above quiet trouble).
  int troubleRank = 0;
  /// Lower-case words the filter matches: state word, "stale", "acknowledged", "snoozed",
  /// "maintenance", "flapping", "certificate"/"expiring".
  QStringList stateWords;
};

TargetStatus targetStatus(const TargetStore& store, const TriageState* triage,
                          const QString& targetId, const QDateTime& now,
                          CertificateThresholds defaults = {});

/// The thresholds that apply to a server: its own overrides, else `defaults`.
CertificateThresholds thresholdsFor(const TargetConfig& target, CertificateThresholds defaults);

/// True for the states a parent must be in for its children to count as "behind" it.
bool blocksChildren(TargetState parentState);

} // namespace healthdeck
