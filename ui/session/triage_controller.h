#pragma once
// TriageController: the triage part of a server's context menu — Acknowledge… (or clear it),
// Snooze ▸ (15 min, 1 h, 4 h, until tomorrow 08:00, custom…) for the server or its group, and
// Maintenance… — and what those entries do to the TriageState. Maintenance windows are
// definitions of the server list: maintenanceEdited asks the session to save it. GUI thread.

#include <QDateTime>
#include <QObject>

class QMenu;
class QWidget;

namespace healthdeck {

class TargetStore;
class TriageState;

class TriageController : public QObject {
  Q_OBJECT
public:
  TriageController(TargetStore& store, TriageState& triage, QWidget* dialogParent,
                   QObject* parent = nullptr);

  /// Adds the triage entries for `targetId` to `menu`.
  void populateMenu(QMenu& menu, const QString& targetId);

  void acknowledge(const QString& targetId);
  void editMaintenance(const QString& targetId);
  /// "Until tomorrow": 08:00 local time of the next day, as UTC.
  static QDateTime tomorrowMorning(const QDateTime& nowLocal);

Q_SIGNALS:
  void maintenanceEdited();

private:
  void addSnoozeMenu(QMenu& parent, const QString& title, const QString& targetId,
                     const QString& group);
  void snooze(const QString& targetId, const QString& group, const QDateTime& until);

  TargetStore& m_store;
  TriageState& m_triage;
  QWidget* m_dialogParent;
};

} // namespace healthdeck
