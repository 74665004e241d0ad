#pragma once
// CertificateDialog: shows the certificate a server presented that the system does not trust
// (subject, issuer, validity, SHA-256 fingerprint) and lets the admin pin exactly that
// certificate for that one server. Never a blanket "ignore errors".

#include "healthdeck/client/target_snapshot.h"

#include <QDialog>

namespace healthdeck {

class CertificateDialog : public QDialog {
  Q_OBJECT
public:
  CertificateDialog(const PeerCertificate& certificate, const QString& serverName,
                    QWidget* parent = nullptr);

  /// "AB:CD:..." upper-case hex of a SHA-256 digest.
  static QString fingerprintText(const QByteArray& sha256);
};

} // namespace healthdeck
