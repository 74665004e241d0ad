#include "healthdeck/ui/session/triage_controller.h"

#include "healthdeck/client/store/target_status.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"
#include "healthdeck/ui/dialogs/acknowledge_dialog.h"
#include "healthdeck/ui/dialogs/maintenance_dialog.h"

#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMenu>
#include <QVBoxLayout>

namespace healthdeck {

TriageController::TriageController(TargetStore& store, TriageState& triage, QWidget* dialogParent,
                                   QObject* parent)
    : QObject(parent), m_store(store), m_triage(triage), m_dialogParent(dialogParent) {}

QDateTime TriageController::tomorrowMorning(const QDateTime& nowLocal) {
  return QDateTime(nowLocal.date().addDays(1), QTime(8, 0), nowLocal.timeZone()).toUTC();
}

void TriageController::populateMenu(QMenu& menu, const QString& targetId) {
  const TargetConfig* t = m_store.target(targetId);
  if (!t) return;
  if (m_triage.acknowledgement(targetId)) {
    menu.addAction(QStringLiteral("Clear &acknowledgement"), this,
                   [this, targetId] { m_triage.clearAcknowledgement(targetId); });
  } else {
    menu.addAction(QStringLiteral("&Acknowledge…"), this,
                   [this, targetId] { acknowledge(targetId); });
  }
  addSnoozeMenu(menu, QStringLiteral("S&nooze"), targetId, {});
  if (!t->group.isEmpty())
    addSnoozeMenu(menu, QStringLiteral("Snooze &group %1").arg(t->group), {}, t->group);
  if (m_triage.snoozedUntil(targetId)) {
    const QString group = t->group;
    menu.addAction(QStringLiteral("&Wake (end snooze)"), this, [this, targetId, group] {
      m_triage.clearSnooze(targetId);
      if (!group.isEmpty()) m_triage.clearGroupSnooze(group);
    });
  }
  menu.addAction(QStringLiteral("&Maintenance…"), this,
                 [this, targetId] { editMaintenance(targetId); });
}

void TriageController::addSnoozeMenu(QMenu& parent, const QString& title, const QString& targetId,
                                     const QString& group) {
  QMenu* m = parent.addMenu(title);
  const auto add = [&](const QString& text, qint64 minutes) {
    m->addAction(text, this, [this, targetId, group, minutes] {
      snooze(targetId, group, m_triage.now().addSecs(minutes * 60));
    });
  };
  add(QStringLiteral("15 minutes"), 15);
  add(QStringLiteral("1 hour"), 60);
  add(QStringLiteral("4 hours"), 240);
  m->addAction(QStringLiteral("Until tomorrow 08:00"), this, [this, targetId, group] {
    snooze(targetId, group, tomorrowMorning(m_triage.now().toLocalTime()));
  });
  m->addAction(QStringLiteral("Custom…"), this, [this, targetId, group] {
    QDialog d(m_dialogParent);
    d.setWindowTitle(QStringLiteral("Snooze until"));
    auto* edit = new QDateTimeEdit(m_triage.now().toLocalTime().addSecs(2 * 3600), &d);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    edit->setCalendarPopup(true);
    edit->setAccessibleName(QStringLiteral("Snooze until (local time)"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    auto* l = new QVBoxLayout(&d);
    l->addWidget(edit);
    l->addWidget(buttons);
    if (d.exec() == QDialog::Accepted) snooze(targetId, group, edit->dateTime().toUTC());
  });
}

void TriageController::snooze(const QString& targetId, const QString& group,
                              const QDateTime& until) {
  if (!group.isEmpty())
    m_triage.snoozeGroup(group, until);
  else
    m_triage.snoozeTarget(targetId, until);
}

void TriageController::acknowledge(const QString& targetId) {
  const TargetConfig* t = m_store.target(targetId);
  if (!t) return;
  const TargetStatus st = targetStatus(m_store, &m_triage, targetId, m_triage.now());
  AcknowledgeDialog d(t->name, st.sentence, m_dialogParent);
  if (d.exec() != QDialog::Accepted) return;
  m_triage.acknowledge(targetId, d.by(), d.note());
}

void TriageController::editMaintenance(const QString& targetId) {
  const TargetConfig* t = m_store.target(targetId);
  if (!t) return;
  QList<MaintenanceWindow> covering;
  for (const auto& w : m_triage.maintenanceWindows())
    if (w.covers(targetId, t->group)) covering << w;
  MaintenanceDialog d(targetId, t->name, t->group, covering, m_dialogParent);
  if (d.exec() != QDialog::Accepted) return;
  QList<MaintenanceWindow> all = m_triage.maintenanceWindows();
  all.removeIf([&](const MaintenanceWindow& w) { return d.removedIds().contains(w.id); });
  if (const MaintenanceWindow w = d.window(); w.startDate.isValid()) all << w;
  m_triage.setMaintenanceWindows(all);
  Q_EMIT maintenanceEdited();
}

} // namespace healthdeck
