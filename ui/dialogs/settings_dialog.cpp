#include "healthdeck/ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace healthdeck {

namespace {

QSpinBox* daysBox(QWidget* parent, int min, int max, int value) {
  auto* box = new QSpinBox(parent);
  box->setRange(min, max);
  box->setValue(value);
  box->setSuffix(QStringLiteral(" days"));
  return box;
}

} // namespace

QString SettingsDialog::joinCommand(const QStringList& command) {
  static const QRegularExpression needsQuotes(QStringLiteral("[\\s\"]"));
  QStringList parts;
  for (const QString& arg : command) {
    if (!arg.isEmpty() && !arg.contains(needsQuotes)) {
      parts << arg;
      continue;
    }
    QString quoted = arg;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\"\""));
    parts << QLatin1Char('"') + quoted + QLatin1Char('"');
  }
  return parts.join(QLatin1Char(' '));
}

SettingsDialog::SettingsDialog(const ConsoleSettings& s, QWidget* parent)
    : QDialog(parent), m_original(s) {
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

  m_command = new QLineEdit(joinCommand(s.notifyCommand), this);
  m_command->setPlaceholderText(QStringLiteral("off — e.g. /usr/local/bin/page-oncall --team ops"));
  m_command->setToolTip(QStringLiteral(
      "Run for every notification, with the event as JSON on standard input and HEALTHDECK_* "
      "variables set. A program and its arguments, never a shell: put an argument with spaces "
      "in double quotes."));
  m_commandTimeout = new QSpinBox(this);
  m_commandTimeout->setRange(1, ConsoleSettings::kMaxNotifyCommandTimeout);
  m_commandTimeout->setValue(static_cast<int>(s.notifyCommandTimeout.count()));
  m_commandTimeout->setSuffix(QStringLiteral(" s"));
  m_commandTimeout->setToolTip(QStringLiteral("The command is killed after this long"));

  m_certWarn = daysBox(this, 0, ConsoleSettings::kMaxCertDays, s.certWarnDays);
  m_certWarn->setToolTip(QStringLiteral("A certificate expiring within this many days makes its "
                                        "server Degraded (servers may set their own)"));
  m_certCrit = daysBox(this, 0, ConsoleSettings::kMaxCertDays, s.certCritDays);
  m_certCrit->setToolTip(QStringLiteral("… and within this many days, Down"));

  m_rawDays = daysBox(this, 1, ConsoleSettings::kMaxHistoryRawDays, s.historyRawDays);
  m_rawDays->setToolTip(QStringLiteral("Every poll, at full resolution"));
  m_minuteDays = daysBox(this, 1, ConsoleSettings::kMaxHistoryMinuteDays, s.historyMinuteDays);
  m_minuteDays->setToolTip(QStringLiteral("Per-minute roll-ups: state time, latency p50/p95"));
  m_hourDays = daysBox(this, 1, ConsoleSettings::kMaxHistoryHourDays, s.historyHourDays);
  m_hourDays->setToolTip(QStringLiteral("Per-hour and per-day roll-ups"));

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
  notifyForm->addRow(QStringLiteral("Run &command:"), m_command);
  notifyForm->addRow(QStringLiteral("Command &time limit:"), m_commandTimeout);
  auto* certs = new QGroupBox(QStringLiteral("Certificates"), this);
  auto* certForm = new QFormLayout(certs);
  certForm->addRow(QStringLiteral("&Warn when expiring within:"), m_certWarn);
  certForm->addRow(QStringLiteral("C&ritical within:"), m_certCrit);
  auto* history = new QGroupBox(QStringLiteral("History"), this);
  auto* historyForm = new QFormLayout(history);
  historyForm->addRow(QStringLiteral("Keep &polls:"), m_rawDays);
  historyForm->addRow(QStringLiteral("Keep per-&minute:"), m_minuteDays);
  historyForm->addRow(QStringLiteral("Keep per-&hour:"), m_hourDays);
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
  layout->addWidget(certs);
  layout->addWidget(exporter);
  layout->addWidget(history);
  layout->addWidget(m_error);
  layout->addWidget(buttons);

  const std::initializer_list<std::pair<QWidget*, const char*>> names = {
      {m_interval, "defaultInterval"}, {m_failures, "failures"},
      {m_reminder, "reminder"},        {m_exporter, "exporterEnabled"},
      {m_address, "exporterAddress"},  {m_error, "error"},
      {m_command, "notifyCommand"},    {m_commandTimeout, "notifyCommandTimeout"},
      {m_certWarn, "certWarnDays"},    {m_certCrit, "certCritDays"},
      {m_rawDays, "historyRawDays"},   {m_minuteDays, "historyMinuteDays"},
      {m_hourDays, "historyHourDays"}};
  for (const auto& [widget, name] : names)
    widget->setObjectName(QLatin1String(name));
  resize(520, sizeHint().height());
}

ConsoleSettings SettingsDialog::settings() const {
  ConsoleSettings s = m_original;
  s.defaultInterval = std::chrono::seconds(m_interval->value());
  s.failuresBeforeNotify = m_failures->value();
  s.reminderInterval = std::chrono::minutes(m_reminder->value());
  s.exporterEnabled = m_exporter->isChecked();
  s.exporterAddress = m_address->text().trimmed();
  s.notifyCommand = QProcess::splitCommand(m_command->text());
  s.notifyCommandTimeout = std::chrono::seconds(m_commandTimeout->value());
  s.certWarnDays = m_certWarn->value();
  s.certCritDays = m_certCrit->value();
  s.historyRawDays = m_rawDays->value();
  s.historyMinuteDays = m_minuteDays->value();
  s.historyHourDays = m_hourDays->value();
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
