#pragma once
// ServerDialog: add or edit one server — name, group and tags, the server it sits behind
// (a gateway or bastion whose outage explains this one's), base URL, each route (on/off +
// path), interval, timeout, certificate expiry days (https only), authentication (none, bearer,
// basic; the secret goes to the keychain or stays in a file the admin names), TLS (system CAs, a CA
// file, or a pinned certificate). The "Test" button runs one poll of the settings as entered and
// shows what the list would say, offering to pin the certificate when TLS fails on an untrusted
// one.

#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QDoubleSpinBox;

namespace healthdeck {

class SecretStore;
class MetricRulesEditor;

class ServerDialog : public QDialog {
  Q_OBJECT
public:
  enum class SecretStorage { Keychain, File };

  /// `target` is the server to edit (an empty id means a new server); `poller` (the
  /// console's) runs Test and Detect and must outlive the dialog.
  ServerDialog(const TargetConfig& target, SecretStore& secrets, Poller& poller,
               QWidget* parent = nullptr);
  ~ServerDialog() override;

  /// The servers this one may sit behind, as (id, name) in the order to show; the caller
  /// leaves out this server and those behind it. A parent not in the list stays selected.
  void setParentCandidates(const QList<QPair<QString, QString>>& candidates);
  /// The settings as entered (secretRef set to where the secret will live; tags split on
  /// commas and spaces, duplicates dropped).
  TargetConfig target() const;
  /// The secret typed for keychain storage; empty when unchanged or stored in a file.
  QByteArray typedSecret() const;
  SecretStorage secretStorage() const;
  /// Why the entries cannot be saved, empty when they can.
  QString validationError() const;
  /// The last "Test" result (state Unknown when not tested).
  const TargetSnapshot& testResult() const { return m_testResult; }

public Q_SLOTS:
  void runTest();
  /// Probes the common readiness paths on the base URL and fills the readiness path with the
  /// first that answers a health document.
  void runDetect();
  void accept() override;

protected:
  void showEvent(QShowEvent* event) override;

Q_SIGNALS:
  void testFinished(const healthdeck::TargetSnapshot& result);
  /// `path` is empty when no candidate answered; `summary` is what the dialog shows.
  void detectFinished(const QString& path, const QString& summary);

private:
  void updateVisibility();
  void fitHeight();
  void showTestResult(const TargetSnapshot& result);
  void showDetectResult(const QString& targetId, const QString& path, const QString& summary,
                        bool metricsOnly);
  /// Reads the extra-headers box; returns the problem (empty when fine), appends to `out`.
  QString parseHeaders(QList<RequestHeader>* out) const;
  void inspectCertificate();
  /// The secret as typed (or the file named), for this dialog's requests only.
  Poller::Credentials typedCredentials();
  std::optional<QByteArray> typedSecretFor(const QString& ref) const;
  QString typedSecretProblem(const QString& ref) const;

  TargetConfig m_original;
  SecretStore& m_secrets;
  Poller* m_poller = nullptr;
  TargetSnapshot m_testResult;
  QByteArray m_pinned;

  QLineEdit* m_name = nullptr;
  QLineEdit* m_group = nullptr;
  QLineEdit* m_tags = nullptr;
  QComboBox* m_parent = nullptr;
  QSpinBox* m_certWarn = nullptr;
  QSpinBox* m_certCrit = nullptr;
  QWidget* m_certRow = nullptr;
  QLineEdit* m_url = nullptr;
  QCheckBox* m_readyOn = nullptr;
  QLineEdit* m_ready = nullptr;
  QCheckBox* m_liveOn = nullptr;
  QLineEdit* m_live = nullptr;
  QCheckBox* m_metricsOn = nullptr;
  MetricRulesEditor* m_metricRules = nullptr; ///< health from metrics
  QLineEdit* m_metrics = nullptr;
  QCheckBox* m_statusOnly = nullptr;
  QLineEdit* m_contains = nullptr;
  QCheckBox* m_containsRegex = nullptr;
  QPlainTextEdit* m_headers = nullptr;
  QSpinBox* m_interval = nullptr;
  QDoubleSpinBox* m_timeout = nullptr;
  QComboBox* m_auth = nullptr;
  QComboBox* m_storage = nullptr;
  QLabel* m_keychainNote = nullptr;
  QLineEdit* m_user = nullptr;
  QLineEdit* m_secret = nullptr;
  QLineEdit* m_secretFile = nullptr;
  QComboBox* m_tls = nullptr;
  QLineEdit* m_caFile = nullptr;
  QLabel* m_pinnedLabel = nullptr;
  QPushButton* m_detect = nullptr;
  QString m_detectId; ///< the id the running detection was started with
  QPushButton* m_test = nullptr;
  QLabel* m_testBadge = nullptr;
  QLabel* m_testText = nullptr;
  QPushButton* m_inspect = nullptr;
  QLabel* m_error = nullptr;
  QWidget* m_userRow = nullptr;
};

} // namespace healthdeck
