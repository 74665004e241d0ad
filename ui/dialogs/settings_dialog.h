#pragma once
// SettingsDialog: edits ConsoleSettings — default poll interval for new servers, notification
// rules (after N failed polls, reminder interval) and the embedded exporter (on/off, address).
// Save is refused, with the reason shown, while the entries are invalid; the caller persists
// and applies settings() after exec() returns Accepted.

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

  /// The settings as entered.
  ConsoleSettings settings() const;

public Q_SLOTS:
  void accept() override;

private:
  QSpinBox* m_interval = nullptr;
  QSpinBox* m_failures = nullptr;
  QSpinBox* m_reminder = nullptr;
  QCheckBox* m_exporter = nullptr;
  QLineEdit* m_address = nullptr;
  QLabel* m_error = nullptr;
};

} // namespace healthdeck
