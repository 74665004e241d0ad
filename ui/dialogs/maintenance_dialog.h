#pragma once
// MaintenanceDialog: plans a maintenance window for one server or its whole group — one-off,
// or daily / weekly at a local time, for a duration, with a note. Times are local to the
// system time zone, which is stored with the window (so a recurring window keeps its local
// time across DST). Also lists the windows that already cover the server, to remove one.

#include "healthdeck/client/store/maintenance_window.h"

#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QListWidget;
class QRadioButton;
class QSpinBox;

namespace healthdeck {

class MaintenanceDialog : public QDialog {
  Q_OBJECT
public:
  MaintenanceDialog(const QString& targetId, const QString& serverName, const QString& group,
                    const QList<MaintenanceWindow>& existing, QWidget* parent = nullptr);

  /// The window to add (valid when the dialog was accepted with "Add").
  MaintenanceWindow window() const;
  /// Ids of existing windows the admin removed.
  QStringList removedIds() const { return m_removed; }

private:
  QString m_targetId;
  QString m_group;
  QRadioButton* m_server = nullptr;
  QRadioButton* m_wholeGroup = nullptr;
  QComboBox* m_repeat = nullptr;
  QDateTimeEdit* m_start = nullptr;
  QSpinBox* m_minutes = nullptr;
  QLineEdit* m_note = nullptr;
  QListWidget* m_list = nullptr;
  QStringList m_removed;
};

} // namespace healthdeck
