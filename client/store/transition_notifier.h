#pragma once
// TransitionNotifier: decides which recorded transitions become notifications (desktop and
// the command hook).
// Rules:
// - A target stays quiet until its first successful poll (Up or Degraded shown), so a fresh
//   start or a server that never answered does not spam; after that, each transition of a
//   target may notify at most once per `reminderInterval` (later ones inside the interval are
//   dropped — the tray icon and list keep showing the current state).
// - Triage (when a TriageState is set): nothing for a server that is acknowledged, snoozed or
//   in a maintenance window.
// - Root cause: a server that names a parent and turns Unreachable while the parent is Down
//   or Unreachable sends nothing of its own. Its notification is held for `childHold` first,
//   so a child noticed a moment before its parent is still silenced. The parent's own
//   notification names how many servers sit behind it ("gw is Down — 10 servers behind it").
// - Certificate expiry: one notification per threshold crossed (warning, critical, expired)
//   per certificate; a renewed certificate (a later expiry) starts over.
// Stale targets produce no transitions (nothing is polled), so they never notify.
// Times of transitions are the events' own, so behaviour is deterministic under test. Not
// thread-safe: GUI thread.

#include "healthdeck/client/source/certificate_expiry.h"
#include "healthdeck/client/store/target_event.h"
#include "healthdeck/client/store/target_status.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <chrono>

class QTimer;

namespace healthdeck {

class TargetStore;
class TriageState;

class TransitionNotifier : public QObject {
  Q_OBJECT
public:
  explicit TransitionNotifier(TargetStore& store, QObject* parent = nullptr);

  void setReminderInterval(std::chrono::milliseconds interval) { m_interval = interval; }
  std::chrono::milliseconds reminderInterval() const { return m_interval; }
  void setEnabled(bool enabled) { m_enabled = enabled; }
  /// Acknowledgements, snoozes and maintenance silence notifications (null: no triage).
  void setTriage(TriageState* triage);
  /// How long a child's Unreachable waits for its parent's verdict (default 20 s).
  void setChildHold(std::chrono::milliseconds hold) { m_childHold = hold; }
  void setCertificateThresholds(CertificateThresholds defaults) { m_certDefaults = defaults; }

Q_SIGNALS:
  /// title: "gateway-eu-1 is Down"; body: the state's sentence.
  void notificationDue(const healthdeck::TargetEvent& event, const QString& title,
                       const QString& body);
  /// A notification that triage or a down parent kept back (for tests and the status bar);
  /// `reason` is "acknowledged", "snoozed", "maintenance" or "behind <parent name>".
  void notificationSuppressed(const healthdeck::TargetEvent& event, const QString& reason);

private:
  void onEvent(const TargetEvent& e);
  void deliver(const TargetEvent& e);
  void onSnapshot(const QString& targetId);
  QString triageReason(const QString& targetId) const;
  QString blockingParent(const QString& targetId) const;
  int childrenOf(const QString& targetId) const;

  struct Track {
    bool seenGood = false;
    QDateTime lastNotified;
    QDateTime certExpiry;
    CertificateLevel certNotified = CertificateLevel::Ok;
  };
  TargetStore& m_store;
  QPointer<TriageState> m_triage;
  QHash<QString, Track> m_tracks;
  std::chrono::milliseconds m_interval{5 * 60 * 1000};
  std::chrono::milliseconds m_childHold{20000};
  CertificateThresholds m_certDefaults;
  bool m_enabled = true;
};

} // namespace healthdeck
