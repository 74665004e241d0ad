#include "healthdeck/ui/widgets/tray_controller.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/ui/views/badge_icon.h"

#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>

namespace healthdeck {

TrayController::TrayController(TargetStore& store, TransitionNotifier& notifier, QObject* parent)
    : QObject(parent), m_store(store) {
  m_menu = new QMenu;
  m_tray = new QSystemTrayIcon(this);
  m_tray->setContextMenu(m_menu);
  connect(m_tray, &QSystemTrayIcon::activated, this,
          [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
              Q_EMIT openRequested();
          });
  connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayController::openRequested);
  connect(&store, &TargetStore::stateCountsChanged, this, &TrayController::refresh);
  connect(&notifier, &TransitionNotifier::notificationDue, this, &TrayController::notify);
  refresh();
  if (trayAvailable()) m_tray->show();
}

TrayController::~TrayController() {
  delete m_menu;
}

bool TrayController::trayAvailable() const {
  return QSystemTrayIcon::isSystemTrayAvailable();
}

QString TrayController::toolTip() const {
  QStringList lines{QStringLiteral("Healthdeck")};
  const auto counts = m_store.stateCounts();
  for (int i = 0; i < TargetStore::kStateCount; ++i) {
    const int n = counts.at(static_cast<std::size_t>(i));
    if (n > 0)
      lines << QStringLiteral("%1 %2").arg(n).arg(
          presentation(static_cast<TargetState>(i)).word.toLower());
  }
  return lines.join(QLatin1Char('\n'));
}

void TrayController::refresh() {
  const TargetState worst = m_store.worstState();
  const bool flapping = m_store.anyFlapping();
  const QString tip = toolTip();
  // Most polls change nothing the tray shows; rebuild only when the counts did.
  const bool countsChanged = tip != m_tray->toolTip() || m_menu->isEmpty();
  m_tray->setToolTip(tip);
  if (worst != m_shownState || flapping != m_shownFlapping || m_tray->icon().isNull()) {
    m_shownState = worst;
    m_shownFlapping = flapping;
    // The tray panel's own palette is unknown; the light variants read on both.
    m_tray->setIcon(badgeIcon(worst, flapping, StatePalette(false)));
  }
  if (!countsChanged) return;
  m_menu->clear();
  for (const QString& line : tip.split(QLatin1Char('\n')).mid(1))
    m_menu->addAction(ui::plainMenuText(line))->setEnabled(false);
  m_menu->addSeparator();
  connect(m_menu->addAction(QStringLiteral("&Open Healthdeck")), &QAction::triggered, this,
          &TrayController::openRequested);
  connect(m_menu->addAction(QStringLiteral("&Quit")), &QAction::triggered, this,
          &TrayController::quitRequested);
}

void TrayController::notify(const TargetEvent& event, const QString& title, const QString& body) {
  m_lastTitle = title;
  if (trayAvailable() && QSystemTrayIcon::supportsMessages())
    // Desktop notification servers that announce body-markup (most do) read the body as
    // markup; the sentence carries server words, so it goes out escaped.
    m_tray->showMessage(title, body.toHtmlEscaped(),
                        badgeIcon(event.to, event.flapping, StatePalette(false)), 10000);
  Q_EMIT notificationShown(title, body);
}

} // namespace healthdeck
