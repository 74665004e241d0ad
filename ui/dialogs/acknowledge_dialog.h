#pragma once
// AcknowledgeDialog: "I am on it" for one server — who (prefilled with the desktop user),
// and a note saying why. Plain text only. Notifications for the server stop until it
// recovers (TriageState does that; the dialog only asks).

#include <QDialog>

class QLineEdit;
class QPlainTextEdit;

namespace healthdeck {

class AcknowledgeDialog : public QDialog {
  Q_OBJECT
public:
  AcknowledgeDialog(const QString& serverName, const QString& stateSentence,
                    QWidget* parent = nullptr);
  QString by() const;
  QString note() const;
  /// The desktop user's name ($USER / $USERNAME), or "admin".
  static QString defaultUser();

private:
  QLineEdit* m_by = nullptr;
  QPlainTextEdit* m_note = nullptr;
};

} // namespace healthdeck
