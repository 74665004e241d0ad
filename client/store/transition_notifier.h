#pragma once
// TransitionNotifier: decides which recorded transitions become desktop notifications.
// Rules: a target stays quiet until its first successful poll (Up or Degraded shown), so a
// fresh start or a server that never answered does not spam; after that, each transition of a
// target may notify at most once per `reminderInterval` (later ones inside the interval are
// dropped — the tray icon and list keep showing the current state). Times are the events'
// own, so the behaviour is deterministic under test. Not thread-safe: GUI thread.

#include "healthdeck/client/store/target_event.h"

#include <QHash>
#include <QObject>

#include <chrono>

namespace healthdeck {

class TargetStore;

class TransitionNotifier : public QObject {
  Q_OBJECT
public:
  explicit TransitionNotifier(TargetStore& store, QObject* parent = nullptr);

  void setReminderInterval(std::chrono::milliseconds interval) { m_interval = interval; }
  std::chrono::milliseconds reminderInterval() const { return m_interval; }
  void setEnabled(bool enabled) { m_enabled = enabled; }

Q_SIGNALS:
  /// title: "gateway-eu-1 is Down"; body: the state's sentence.
  void notificationDue(const healthdeck::TargetEvent& event, const QString& title,
                       const QString& body);

private:
  void onEvent(const TargetEvent& e);

  struct Track {
    bool seenGood = false;
    QDateTime lastNotified;
  };
  QHash<QString, Track> m_tracks;
  std::chrono::milliseconds m_interval{5 * 60 * 1000};
  bool m_enabled = true;
};

} // namespace healthdeck
