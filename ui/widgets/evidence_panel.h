#pragma once
// EvidencePanel: what a server said at one state change — status line, selected headers,
// certificate, timings, the component diff and the body excerpt — as plain text in a read-only
// editor (never rendered), with "Copy as curl" for the request that was made (the secret
// masked: the command reads the Authorization header from a file the user fills).

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace healthdeck {

class EvidencePanel : public QWidget {
  Q_OBJECT
public:
  explicit EvidencePanel(QWidget* parent = nullptr);

  /// `title`: one line above the evidence ("2026-12-02 03:14 gateway-eu-1: Up → Down").
  void setEvidence(const QString& title, const QJsonObject& evidence);
  void clear();
  QString text() const;
  /// The command "Copy as curl" puts on the clipboard (empty when no request is known).
  QString curl() const { return m_curl; }

Q_SIGNALS:
  void curlCopied(const QString& command);

private:
  QLabel* m_title = nullptr;
  QPlainTextEdit* m_text = nullptr;
  QPushButton* m_copy = nullptr;
  QString m_curl;
};

} // namespace healthdeck
