#include "healthdeck/ui/dialogs/maintenance_dialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QUuid>
#include <QVBoxLayout>

namespace healthdeck {

MaintenanceDialog::MaintenanceDialog(const QString& targetId, const QString& serverName,
                                     const QString& group, const QList<MaintenanceWindow>& existing,
                                     QWidget* parent)
    : QDialog(parent), m_targetId(targetId), m_group(group) {
  setWindowTitle(QStringLiteral("Maintenance for %1").arg(serverName));
  m_server = new QRadioButton(QStringLiteral("This &server (%1)").arg(serverName), this);
  m_wholeGroup = new QRadioButton(group.isEmpty() ? QStringLiteral("Whole &group (none)")
                                                  : QStringLiteral("Whole &group (%1)").arg(group),
                                  this);
  m_wholeGroup->setEnabled(!group.isEmpty());
  m_server->setChecked(true);
  auto* scope = new QHBoxLayout;
  scope->addWidget(m_server);
  scope->addWidget(m_wholeGroup);
  m_repeat = new QComboBox(this);
  m_repeat->addItems({QStringLiteral("Once"), QStringLiteral("Every day"),
                      QStringLiteral("Every week (same weekday)")});
  m_repeat->setAccessibleName(QStringLiteral("Repeat"));
  m_start = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(600), this);
  m_start->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  m_start->setCalendarPopup(true);
  m_start->setAccessibleName(QStringLiteral("Starts at (local time)"));
  m_minutes = new QSpinBox(this);
  m_minutes->setRange(1, 14 * 24 * 60);
  m_minutes->setValue(60);
  m_minutes->setSuffix(QStringLiteral(" min"));
  m_minutes->setAccessibleName(QStringLiteral("Duration in minutes"));
  m_note = new QLineEdit(this);
  m_note->setPlaceholderText(QStringLiteral("Why — e.g. \"kernel upgrade\""));
  m_note->setAccessibleName(QStringLiteral("Note"));
  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Covers:"), scope);
  form->addRow(QStringLiteral("&Repeat:"), m_repeat);
  form->addRow(QStringLiteral("S&tarts:"), m_start);
  form->addRow(QStringLiteral("&Duration:"), m_minutes);
  form->addRow(QStringLiteral("N&ote:"), m_note);
  form->addRow(
      QString(),
      new QLabel(
          QStringLiteral("Time zone: %1").arg(QString::fromUtf8(QTimeZone::systemTimeZone().id())),
          this));

  m_list = new QListWidget(this);
  m_list->setAccessibleName(QStringLiteral("Windows that cover this server"));
  for (const auto& w : existing) {
    const QString who =
        w.targetId.isEmpty() ? QStringLiteral("group ") % w.group : QStringLiteral("server");
    auto* item =
        new QListWidgetItem(who % QStringLiteral(": ") % w.describe() %
                                (w.note.isEmpty() ? QString() : QStringLiteral(" — ") % w.note),
                            m_list);
    item->setData(Qt::UserRole, w.id);
  }
  m_list->setVisible(!existing.isEmpty());
  auto* remove = new QPushButton(QStringLiteral("Re&move selected window"), this);
  remove->setVisible(!existing.isEmpty());
  connect(remove, &QPushButton::clicked, this, [this] {
    if (QListWidgetItem* item = m_list->currentItem()) {
      m_removed << item->data(Qt::UserRole).toString();
      delete item;
    }
  });

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("&Add window"));
  auto* done =
      buttons->addButton(QStringLiteral("&Save removals only"), QDialogButtonBox::ApplyRole);
  done->setVisible(!existing.isEmpty());
  connect(done, &QPushButton::clicked, this, [this] {
    m_minutes->setValue(m_minutes->minimum());
    setProperty("removalsOnly", true);
    accept();
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  if (!existing.isEmpty()) {
    layout->addWidget(new QLabel(QStringLiteral("Existing windows:"), this));
    layout->addWidget(m_list);
    layout->addWidget(remove);
  }
  layout->addWidget(buttons);
}

MaintenanceWindow MaintenanceDialog::window() const {
  MaintenanceWindow w;
  if (property("removalsOnly").toBool()) return w; // no window: startDate stays invalid
  w.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
  if (m_wholeGroup->isChecked())
    w.group = m_group;
  else
    w.targetId = m_targetId;
  const QDateTime start = m_start->dateTime();
  w.startDate = start.date();
  w.startTime = QTime(start.time().hour(), start.time().minute());
  w.duration = std::chrono::minutes(m_minutes->value());
  w.repeat = static_cast<MaintenanceWindow::Repeat>(m_repeat->currentIndex());
  w.zone = QTimeZone::systemTimeZone();
  w.note = m_note->text().trimmed();
  return w;
}

} // namespace healthdeck
