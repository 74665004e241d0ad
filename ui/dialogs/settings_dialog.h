#pragma once
// SettingsDialog: edits every ConsoleSettings field (UI.md "Settings") — the poll interval new
// servers start with; notification rules (after N failed polls, reminder interval) and the
// notification command hook with its time limit; certificate expiry warning and critical
// days; the embedded exporter (on/off, address); and how long history is kept at each
// resolution. It starts from the settings it is given, so a field it does not show keeps its
// value. Save is refused, with the reason shown, while the entries are invalid; the caller
// persists and applies settings() after exec() returns Accepted.

#include "healthdeck/ui/session/console_settings.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace healthdeck {

class SettingsDialog : public QDialog {
  Q_OBJECT
public:
  explicit SettingsDialog(const ConsoleSettings& settings, QWidget* parent = nullptr);

  /// The settings as entered (fields the dialog does not show: as given).
  ConsoleSettings settings() const;

  /// The notify command as one line: arguments with spaces or quotes are put in double quotes,
  /// a quote inside them written as three (QProcess::splitCommand reads it back).
  static QString joinCommand(const QStringList& command);

public Q_SLOTS:
  void accept() override;

private:
  ConsoleSettings m_original;
  QSpinBox* m_interval = nullptr;
  QSpinBox* m_failures = nullptr;
  QSpinBox* m_reminder = nullptr;
  QLineEdit* m_command = nullptr;
  QSpinBox* m_commandTimeout = nullptr;
  QSpinBox* m_certWarn = nullptr;
  QSpinBox* m_certCrit = nullptr;
  QCheckBox* m_exporter = nullptr;
  QLineEdit* m_address = nullptr;
  QSpinBox* m_rawDays = nullptr;
  QSpinBox* m_minuteDays = nullptr;
  QSpinBox* m_hourDays = nullptr;
  QLabel* m_error = nullptr;
};

} // namespace healthdeck
