#include "healthdeck/ui/widgets/evidence_panel.h"

#include "healthdeck/client/store/evidence_format.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace healthdeck {

EvidencePanel::EvidencePanel(QWidget* parent) : QWidget(parent) {
  auto* box = new QVBoxLayout(this);
  box->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  m_title = new QLabel(this);
  m_title->setTextFormat(Qt::PlainText);
  m_title->setWordWrap(true);
  m_copy = new QPushButton(QStringLiteral("Copy as curl"), this);
  m_copy->setToolTip(QStringLiteral("The request the console made, as a curl command; the "
                                    "Authorization header is read from a file you fill"));
  row->addWidget(m_title, 1);
  row->addWidget(m_copy);
  box->addLayout(row);
  m_text = new QPlainTextEdit(this);
  m_text->setReadOnly(true);
  m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_text->setPlaceholderText(QStringLiteral("Select an event to see what the server said"));
  box->addWidget(m_text, 1);
  connect(m_copy, &QPushButton::clicked, this, [this] {
    if (m_curl.isEmpty()) return;
    QApplication::clipboard()->setText(m_curl);
    Q_EMIT curlCopied(m_curl);
  });
  clear();
}

void EvidencePanel::setEvidence(const QString& title, const QJsonObject& evidence) {
  m_title->setText(title);
  const QString text = evidenceText(evidence);
  // setPlainText: the body is whatever the server sent, shown as characters, never parsed.
  m_text->setPlainText(text.isEmpty() ? QStringLiteral("No evidence kept for this change "
                                                       "(imported from the events file, or "
                                                       "recorded before evidence was kept).")
                                      : text);
  m_curl = curlCommand(evidence);
  m_copy->setEnabled(!m_curl.isEmpty());
}

void EvidencePanel::clear() {
  m_title->setText(QStringLiteral("Evidence"));
  m_text->clear();
  m_curl.clear();
  m_copy->setEnabled(false);
}

QString EvidencePanel::text() const {
  return m_text->toPlainText();
}

} // namespace healthdeck
