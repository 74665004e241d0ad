#include "healthdeck/ui/dialogs/acknowledge_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace healthdeck {

QString AcknowledgeDialog::defaultUser() {
  QString user = qEnvironmentVariable("USER");
  if (user.isEmpty()) user = qEnvironmentVariable("USERNAME");
  return user.isEmpty() ? QStringLiteral("admin") : user;
}

AcknowledgeDialog::AcknowledgeDialog(const QString& serverName, const QString& stateSentence,
                                     QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(QStringLiteral("Acknowledge %1").arg(serverName));
  auto* intro = new QLabel(serverName % QStringLiteral(": ") % stateSentence %
                               QStringLiteral("\n\nNotifications for this server stop until it "
                                              "recovers; the acknowledgement then ends by "
                                              "itself."),
                           this);
  intro->setTextFormat(Qt::PlainText);
  intro->setWordWrap(true);
  m_by = new QLineEdit(defaultUser(), this);
  m_by->setAccessibleName(QStringLiteral("Acknowledged by"));
  m_note = new QPlainTextEdit(this);
  m_note->setAccessibleName(QStringLiteral("Note"));
  m_note->setPlaceholderText(QStringLiteral("Why — e.g. \"disk replaced, rebooting\""));
  m_note->setTabChangesFocus(true);
  m_note->setFixedHeight(fontMetrics().height() * 4 + 12);
  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("&By:"), m_by);
  form->addRow(QStringLiteral("&Note:"), m_note);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("&Acknowledge"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(buttons);
  m_note->setFocus();
}

QString AcknowledgeDialog::by() const {
  const QString s = m_by->text().trimmed();
  return s.isEmpty() ? defaultUser() : s;
}

QString AcknowledgeDialog::note() const {
  return m_note->toPlainText().trimmed();
}

} // namespace healthdeck
