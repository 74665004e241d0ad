#pragma once
// TrayController: the system tray icon in the worst current state's mark and colour, a menu
// with the count per state, "Open" and "Quit", and desktop notifications for the transitions
// the TransitionNotifier lets through. Where the desktop has no tray, notifications are
// counted as not shown (lastNotification still records them, for tests and the status bar).

#include "healthdeck/client/store/target_event.h"

#include <QObject>
#include <QString>

class QMenu;
class QSystemTrayIcon;

namespace healthdeck {

class TargetStore;
class TransitionNotifier;

class TrayController : public QObject {
  Q_OBJECT
public:
  TrayController(TargetStore& store, TransitionNotifier& notifier, QObject* parent = nullptr);
  ~TrayController() override;

  bool trayAvailable() const;
  /// The state the tray icon shows now.
  TargetState shownState() const { return m_shownState; }
  QString toolTip() const;
  QString lastNotificationTitle() const { return m_lastTitle; }

Q_SIGNALS:
  void openRequested();
  void quitRequested();
  void notificationShown(const QString& title, const QString& body);

private:
  void refresh();
  void notify(const TargetEvent& event, const QString& title, const QString& body);

  TargetStore& m_store;
  QSystemTrayIcon* m_tray = nullptr;
  QMenu* m_menu = nullptr;
  TargetState m_shownState = TargetState::Unknown;
  bool m_shownFlapping = false;
  QString m_lastTitle;
};

} // namespace healthdeck
