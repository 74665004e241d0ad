#include "healthdeck/ui/dialogs/certificate_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace healthdeck {

QString CertificateDialog::fingerprintText(const QByteArray& sha256) {
  return QString::fromLatin1(sha256.toHex(':').toUpper());
}

CertificateDialog::CertificateDialog(const PeerCertificate& c, const QString& serverName,
                                     QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(QStringLiteral("Certificate not trusted"));
  auto* intro = new QLabel(
      QStringLiteral("<b>%1</b> presented a certificate that is not trusted by this system. "
                     "Compare the fingerprint with the one on the server (<tt>openssl x509 "
                     "-noout -fingerprint -sha256 -in cert.pem</tt>) before you trust it. "
                     "Trusting pins this exact certificate for this server only.")
          .arg(serverName.toHtmlEscaped()),
      this);
  intro->setTextFormat(Qt::RichText); // our markup; the server name is escaped above
  intro->setWordWrap(true);
  const QLocale locale;
  const QDateTime now = QDateTime::currentDateTimeUtc();
  QString validity = locale.toString(c.notBefore.toLocalTime(), QLocale::ShortFormat) %
                     QStringLiteral(" – ") %
                     locale.toString(c.notAfter.toLocalTime(), QLocale::ShortFormat);
  if (c.notAfter.isValid() && c.notAfter < now) validity += QStringLiteral(" (expired)");
  if (c.notBefore.isValid() && c.notBefore > now) validity += QStringLiteral(" (not yet valid)");
  auto* form = new QFormLayout;
  const auto row = [&](const QString& label, const QString& value) {
    auto* v = new QLabel(value, this);
    v->setTextFormat(Qt::PlainText); // may show server text
    v->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    v->setWordWrap(true);
    v->setAccessibleName(label);
    form->addRow(label, v);
    return v;
  };
  row(QStringLiteral("Subject:"), c.subject);
  row(QStringLiteral("Issuer:"), c.issuer);
  row(QStringLiteral("Valid:"), validity);
  QLabel* fp = row(QStringLiteral("SHA-256:"), fingerprintText(c.sha256));
  fp->setFont(QFont(QStringLiteral("monospace")));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  auto* trust =
      buttons->addButton(QStringLiteral("&Trust this certificate"), QDialogButtonBox::AcceptRole);
  trust->setEnabled(c.sha256.size() == 32);
  // Enter must never trust: Cancel is the default and holds the focus.
  trust->setAutoDefault(false);
  QPushButton* cancel = buttons->button(QDialogButtonBox::Cancel);
  cancel->setDefault(true);
  cancel->setFocus(Qt::OtherFocusReason);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(buttons);
  // Wrapped labels: ask the layout how tall it is at this width, not at its preferred one.
  layout->activate();
  resize(620, hasHeightForWidth() ? heightForWidth(620) : sizeHint().height());
}

} // namespace healthdeck
