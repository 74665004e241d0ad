#include "healthdeck/ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace healthdeck {

SettingsDialog::SettingsDialog(const ConsoleSettings& s, QWidget* parent) : QDialog(parent) {
  setWindowTitle(QStringLiteral("Settings"));

  m_interval = new QSpinBox(this);
  m_interval->setRange(1, 3600);
  m_interval->setSuffix(QStringLiteral(" s"));
  m_interval->setValue(static_cast<int>(s.defaultInterval.count()));
  m_interval->setToolTip(QStringLiteral("How often a server you add is polled; each server "
                                        "can change it in its own dialog."));

  m_failures = new QSpinBox(this);
  m_failures->setRange(1, 20);
  m_failures->setValue(s.failuresBeforeNotify);
  m_failures->setSuffix(QStringLiteral(" failed polls in a row"));
  m_reminder = new QSpinBox(this);
  m_reminder->setRange(0, 24 * 60);
  m_reminder->setValue(static_cast<int>(s.reminderInterval.count()));
  m_reminder->setSuffix(QStringLiteral(" min"));
  m_reminder->setSpecialValueText(QStringLiteral("every change"));
  m_reminder->setToolTip(QStringLiteral("At most one notification per server in this interval"));

  m_exporter = new QCheckBox(QStringLiteral("Serve this host's /metrics and health routes"), this);
  m_exporter->setChecked(s.exporterEnabled);
  m_address = new QLineEdit(s.exporterAddress, this);
  m_address->setPlaceholderText(QStringLiteral("as the monitoring configuration says"));
  m_address->setEnabled(s.exporterEnabled);
  connect(m_exporter, &QCheckBox::toggled, m_address, &QLineEdit::setEnabled);

  auto* polling = new QGroupBox(QStringLiteral("Polling"), this);
  auto* pollingForm = new QFormLayout(polling);
  pollingForm->addRow(QStringLiteral("Default &interval:"), m_interval);
  auto* notify = new QGroupBox(QStringLiteral("Notifications"), this);
  auto* notifyForm = new QFormLayout(notify);
  notifyForm->addRow(QStringLiteral("Notify &after:"), m_failures);
  notifyForm->addRow(QStringLiteral("&Remind at most every:"), m_reminder);
  auto* exporter = new QGroupBox(QStringLiteral("Embedded exporter"), this);
  auto* exporterForm = new QFormLayout(exporter);
  exporterForm->addRow(m_exporter);
  exporterForm->addRow(QStringLiteral("&Address:"), m_address);

  m_error = new QLabel(this);
  m_error->setTextFormat(Qt::PlainText); // may show server text
  m_error->setWordWrap(true);
  m_error->hide();
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(polling);
  layout->addWidget(notify);
  layout->addWidget(exporter);
  layout->addWidget(m_error);
  layout->addWidget(buttons);

  const std::initializer_list<std::pair<QWidget*, const char*>> names = {
      {m_interval, "defaultInterval"}, {m_failures, "failures"},       {m_reminder, "reminder"},
      {m_exporter, "exporterEnabled"}, {m_address, "exporterAddress"}, {m_error, "error"}};
  for (const auto& [widget, name] : names)
    widget->setObjectName(QLatin1String(name));
  resize(480, sizeHint().height());
}

ConsoleSettings SettingsDialog::settings() const {
  ConsoleSettings s;
  s.defaultInterval = std::chrono::seconds(m_interval->value());
  s.failuresBeforeNotify = m_failures->value();
  s.reminderInterval = std::chrono::minutes(m_reminder->value());
  s.exporterEnabled = m_exporter->isChecked();
  s.exporterAddress = m_address->text().trimmed();
  return s;
}

void SettingsDialog::accept() {
  const QString error = settings().validationError();
  if (!error.isEmpty()) {
    m_error->setText(error);
    m_error->show();
    return;
  }
  QDialog::accept();
}

} // namespace healthdeck
