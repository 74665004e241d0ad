// The console's dialogs offscreen, driven like a user would: ServerDialog validation, its
// "Test" button polling a real in-process exporter, "Detect" against a canned responder, the
// certificate dialog for a real self-signed certificate met by a real TLS poll (and pinning
// it), and the secret store without a keychain service. PNGs go to $HEALTHDECK_ARTIFACTS/ui/.

#include "healthdeck/client/source/poller.h"
#include "healthdeck/ui/dialogs/certificate_dialog.h"
#include "healthdeck/ui/dialogs/server_dialog.h"
#include "healthdeck/ui/session/secret_store.h"
#include "tests/exporter/exporter_fixture.h"
#include "tests/support/canned_http_server.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace healthdeck;
using healthdeck::testing::CannedHttpServer;
using healthdeck::testing::ExporterFixture;

namespace {

template <typename T> T* child(QWidget& parent, const char* name) {
  return parent.findChild<T*>(QLatin1String(name));
}

void type(QWidget& dialog, const char* field, const QString& text) {
  auto* edit = child<QLineEdit>(dialog, field);
  QVERIFY2(edit, field);
  edit->selectAll();
  QTest::keyClick(edit, Qt::Key_Delete);
  QTest::keyClicks(edit, text);
}

QPushButton* saveButton(QWidget& dialog) {
  auto* box = dialog.findChild<QDialogButtonBox*>();
  return box ? box->button(QDialogButtonBox::Save) : nullptr;
}

/// Every label text shown on `w`, for "the user can read X" assertions.
QStringList visibleTexts(QWidget& w) {
  QStringList out;
  const auto labels = w.findChildren<QLabel*>();
  for (QLabel* l : labels)
    if (l->isVisible()) out << l->text();
  return out;
}

} // namespace

class TstDialogs : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void validationShownToUser_data();
  void validationShownToUser();
  void testButtonPollsExporter_data();
  void testButtonPollsExporter();
  void detectFillsReadinessPath();
  void detectFindsNothing();
  void certificateDialogAndPinning();
  void noKeychainOffersFile();
  void serverTextIsNeverMarkup_data();
  void serverTextIsNeverMarkup();
  void perServerOptionsRoundTrip();
  void tagsParentAndCertificateDays();
  void sharesTheConsolePoller();

private:
  void shoot(QWidget& w, const QString& name);
  QString m_dir;
  std::unique_ptr<SecretStore> m_secrets;
  std::unique_ptr<Poller> m_poller; ///< the console's one Poller, which the dialogs share
};

void TstDialogs::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
  m_dir = (artifacts.isEmpty() ? QDir::tempPath() : QString::fromLocal8Bit(artifacts)) +
          QStringLiteral("/ui");
  QVERIFY(QDir().mkpath(m_dir));
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QApplication::setPalette(QApplication::style()->standardPalette());
  // The store is never probed here except in noKeychainOffersFile: Unknown keeps the
  // keychain option selectable for the other tests.
  m_secrets = std::make_unique<SecretStore>(QStringLiteral("healthdeck-test"));
  m_poller = std::make_unique<Poller>();
}

void TstDialogs::shoot(QWidget& w, const QString& name) {
  QApplication::processEvents();
  const QImage image = w.grab().toImage();
  QVERIFY(!image.isNull());
  const QString file = m_dir % QStringLiteral("/") % name % QStringLiteral(".png");
  QVERIFY2(image.save(file), qPrintable(file));
}

void TstDialogs::validationShownToUser_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("url");
  QTest::addColumn<QString>("readyPath");
  QTest::addColumn<QString>("error");
  QTest::newRow("empty name") << QString() << QStringLiteral("http://127.0.0.1:9797")
                              << QStringLiteral("/health/ready")
                              << QStringLiteral("Give the server a name.");
  QTest::newRow("blank name") << QStringLiteral("   ") << QStringLiteral("http://127.0.0.1:9797")
                              << QStringLiteral("/health/ready")
                              << QStringLiteral("Give the server a name.");
  const QString badUrl = QStringLiteral("The base URL must be http:// or https:// with a host.");
  QTest::newRow("no scheme") << QStringLiteral("gw") << QStringLiteral("gateway:9797")
                             << QStringLiteral("/health/ready") << badUrl;
  QTest::newRow("ftp") << QStringLiteral("gw") << QStringLiteral("ftp://gateway/")
                       << QStringLiteral("/health/ready") << badUrl;
  QTest::newRow("no host") << QStringLiteral("gw") << QStringLiteral("http://")
                           << QStringLiteral("/health/ready") << badUrl;
  QTest::newRow("spaces") << QStringLiteral("gw") << QStringLiteral("http://gate way:9797")
                          << QStringLiteral("/health/ready") << badUrl;
  QTest::newRow("relative path") << QStringLiteral("gw") << QStringLiteral("http://gw:9797")
                                 << QStringLiteral("health/ready")
                                 << QStringLiteral("Route paths start with /.");
  QTest::newRow("valid") << QStringLiteral("gw") << QStringLiteral("http://gw:9797")
                         << QStringLiteral("/health/ready") << QString();
}

void TstDialogs::validationShownToUser() {
  QFETCH(QString, name);
  QFETCH(QString, url);
  QFETCH(QString, readyPath);
  QFETCH(QString, error);
  ServerDialog dialog(TargetConfig{}, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", name);
  type(dialog, "url", url);
  type(dialog, "readyPath", readyPath);
  QSignalSpy accepted(&dialog, &QDialog::accepted);
  QPushButton* save = saveButton(dialog);
  QVERIFY(save);
  QTest::mouseClick(save, Qt::LeftButton);
  auto* shown = child<QLabel>(dialog, "error");
  QVERIFY(shown);
  if (error.isEmpty()) {
    QCOMPARE(accepted.size(), 1);
    QVERIFY(!shown->isVisible());
    const TargetConfig t = dialog.target();
    QCOMPARE(t.name, name);
    QCOMPARE(t.baseUrl, QUrl(url));
    QVERIFY(!t.id.isEmpty());
    return;
  }
  QCOMPARE(accepted.size(), 0);
  QVERIFY(dialog.isVisible());
  QVERIFY(shown->isVisible());
  QCOMPARE(shown->text(), error);
  QCOMPARE(dialog.validationError(), error);
  if (QByteArray(QTest::currentDataTag()) == "no scheme")
    shoot(dialog, QStringLiteral("server-dialog-invalid"));
  // The Test button refuses the same entries, in words, without polling.
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QCOMPARE(child<QLabel>(dialog, "testText")->text(), error);
  QCOMPARE(toString(dialog.testResult().state), toString(TargetState::Unknown));
}

void TstDialogs::testButtonPollsExporter_data() {
  QTest::addColumn<int>("cacheStatus");
  QTest::addColumn<int>("state");
  QTest::addColumn<QString>("shown");
  QTest::newRow("up") << static_cast<int>(Status::Up) << static_cast<int>(TargetState::Up)
                      << QStringLiteral("Up: All 2 components up");
  QTest::newRow("degraded") << static_cast<int>(Status::Down)
                            << static_cast<int>(TargetState::Degraded)
                            << QStringLiteral("Degraded: cache down: no route to 192.0.2.7:6379");
}

void TstDialogs::testButtonPollsExporter() {
  QFETCH(int, cacheStatus);
  QFETCH(int, state);
  QFETCH(QString, shown);
  ExporterFixture fx;
  fx.addCheck("database", Probe::Readiness, true);
  fx.addCheck("cache", Probe::Readiness, false)
      ->set(static_cast<Status>(cacheStatus), "no route to 192.0.2.7:6379");
  fx.addCheck("process", Probe::Liveness, true);
  fx.exporter->start();

  ServerDialog dialog(TargetConfig{}, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", QStringLiteral("gateway-eu-1"));
  type(dialog, "url", QStringLiteral("http://127.0.0.1:%1").arg(fx.port()));
  QSignalSpy finished(&dialog, &ServerDialog::testFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QVERIFY(finished.wait(10000));
  QCOMPARE(finished.size(), 1);
  QCOMPARE(static_cast<int>(dialog.testResult().state), state);
  QCOMPARE(child<QLabel>(dialog, "testText")->text(), shown);
  QVERIFY(child<QPushButton>(dialog, "test")->isEnabled());
  QVERIFY(!child<QPushButton>(dialog, "inspect")->isVisible());
  shoot(dialog, QStringLiteral("server-dialog-test-") % QLatin1String(QTest::currentDataTag()));
}

void TstDialogs::detectFillsReadinessPath() {
  CannedHttpServer server;
  QVERIFY(server.start());
  CannedHttpServer::Response spring;
  spring.contentType = "application/vnd.spring-boot.actuator.v3+json";
  spring.body = R"json({"status":"UP","components":{"db":{"status":"UP"}}})json";
  server.setResponse(QStringLiteral("/actuator/health"), spring);

  TargetConfig t;
  t.readyPath.clear(); // off until something is found
  ServerDialog dialog(t, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  QVERIFY(!child<QCheckBox>(dialog, "readyOn")->isChecked());
  type(dialog, "url", server.baseUrl().toString());
  QSignalSpy detected(&dialog, &ServerDialog::detectFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "detect"), Qt::LeftButton);
  QVERIFY(!child<QPushButton>(dialog, "detect")->isEnabled()); // one detection at a time
  QVERIFY(detected.wait(10000));
  QCOMPARE(detected.first().at(0).toString(), QStringLiteral("/actuator/health"));
  QVERIFY(child<QCheckBox>(dialog, "readyOn")->isChecked());
  QCOMPARE(child<QLineEdit>(dialog, "readyPath")->text(), QStringLiteral("/actuator/health"));
  QCOMPARE(child<QLabel>(dialog, "testText")->text(),
           QStringLiteral("/actuator/health answers (spring-boot): The one component is up"));
  QVERIFY(child<QPushButton>(dialog, "detect")->isEnabled());
  QCOMPARE(server.requestCount(), Poller::commonReadinessPaths().size());
  type(dialog, "name", QStringLiteral("billing"));
  QCOMPARE(dialog.target().readyPath, QStringLiteral("/actuator/health"));
  shoot(dialog, QStringLiteral("server-dialog-detected"));
}

void TstDialogs::detectFindsNothing() {
  CannedHttpServer server;
  QVERIFY(server.start());
  ServerDialog dialog(TargetConfig{}, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  // No URL yet: says what is missing and asks nobody.
  type(dialog, "url", QString());
  QTest::mouseClick(child<QPushButton>(dialog, "detect"), Qt::LeftButton);
  QCOMPARE(child<QLabel>(dialog, "testText")->text(),
           QStringLiteral("Enter the base URL (http:// or https:// with a host) before "
                          "detecting."));
  type(dialog, "url", server.baseUrl().toString());
  QSignalSpy detected(&dialog, &ServerDialog::detectFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "detect"), Qt::LeftButton);
  QVERIFY(detected.wait(10000));
  QCOMPARE(detected.first().at(0).toString(), QString());
  QCOMPARE(child<QLineEdit>(dialog, "readyPath")->text(), QStringLiteral("/health/ready"));
  QVERIFY2(child<QLabel>(dialog, "testText")
               ->text()
               .startsWith(QStringLiteral("No health document found. /-/ready, /-/healthy, "
                                          "/healthz, /livez, /readyz, /q/health/ready, "
                                          "/actuator/health/readiness, /actuator/health, "
                                          "/health/ready, /health: not found (HTTP 404)")),
           qPrintable(child<QLabel>(dialog, "testText")->text()));
  QApplication::processEvents();
  auto* text = child<QLabel>(dialog, "testText");
  QVERIFY2(text->height() >= text->heightForWidth(text->width()), "detect summary clipped");
  shoot(dialog, QStringLiteral("server-dialog-detect-nothing"));
}

void TstDialogs::certificateDialogAndPinning() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QString certPath, keyPath, error;
  QVERIFY2(testing::makeSelfSignedCertificate(dir.path(), &certPath, &keyPath, &error),
           qPrintable(error));
  QFile certFile(certPath), keyFile(keyPath);
  QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
  const QSslCertificate cert(&certFile, QSsl::Pem);
  const QSslKey key(&keyFile, QSsl::Ec, QSsl::Pem);
  QVERIFY(!cert.isNull() && !key.isNull());
  const QByteArray digest = cert.digest(QCryptographicHash::Sha256);

  CannedHttpServer server;
  server.setTls(cert, key);
  QVERIFY(server.start());
  CannedHttpServer::Response up;
  up.body = R"json({"success":true,"status":"up","checks":[]})json";
  server.setResponse(QStringLiteral("/health/ready"), up);
  server.setResponse(QStringLiteral("/health/live"), up);

  ServerDialog dialog(TargetConfig{}, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", QStringLiteral("edge-tls"));
  type(dialog, "url", QStringLiteral("https://127.0.0.1:%1").arg(server.baseUrl().port()));
  QSignalSpy finished(&dialog, &ServerDialog::testFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QVERIFY(finished.wait(10000));
  const TargetSnapshot& result = dialog.testResult();
  QCOMPARE(toString(result.state), toString(TargetState::Unreachable));
  QCOMPARE(child<QLabel>(dialog, "testText")->text(),
           QStringLiteral("Unreachable: Self-signed certificate, not trusted"));
  QVERIFY(result.peerCertificate);
  QVERIFY(child<QPushButton>(dialog, "inspect")->isVisible());
  shoot(dialog, QStringLiteral("server-dialog-untrusted"));

  // What the dialog shows: the certificate's own facts, read back from the file.
  {
    CertificateDialog cd(*result.peerCertificate, QStringLiteral("edge-tls"));
    cd.show();
    QVERIFY(QTest::qWaitForWindowExposed(&cd));
    const auto field = [&](const QString& label) -> QString {
      const auto labels = cd.findChildren<QLabel*>();
      for (QLabel* l : labels)
        if (l->accessibleName() == label) return l->text();
      return QStringLiteral("<missing %1>").arg(label);
    };
    QCOMPARE(field(QStringLiteral("Subject:")), QStringLiteral("localhost"));
    QCOMPARE(field(QStringLiteral("Issuer:")), QStringLiteral("localhost"));
    QCOMPARE(field(QStringLiteral("SHA-256:")), CertificateDialog::fingerprintText(digest));
    QCOMPARE(field(QStringLiteral("SHA-256:")).size(), 32 * 3 - 1);
    const QString valid = field(QStringLiteral("Valid:"));
    QVERIFY2(!valid.contains(QStringLiteral("expired")), qPrintable(valid));
    QCOMPARE(result.peerCertificate->notAfter, cert.expiryDate().toUTC());
    QCOMPARE(result.peerCertificate->notBefore, cert.effectiveDate().toUTC());
    QVERIFY(visibleTexts(cd).join(QLatin1Char('\n')).contains(QStringLiteral("edge-tls")));
    // Enter never trusts: Cancel is the default button.
    auto* box = cd.findChild<QDialogButtonBox*>();
    QVERIFY(box->button(QDialogButtonBox::Cancel)->isDefault());
    for (QAbstractButton* b : box->buttons())
      if (box->buttonRole(b) == QDialogButtonBox::AcceptRole)
        QVERIFY(!qobject_cast<QPushButton*>(b)->isDefault());
    shoot(cd, QStringLiteral("certificate-dialog"));
  }

  // "Inspect", "Trust this certificate", Test again: pinned and up.
  QTimer::singleShot(0, this, [] {
    auto* modal = qobject_cast<CertificateDialog*>(QApplication::activeModalWidget());
    if (modal) modal->accept();
  });
  QTest::mouseClick(child<QPushButton>(dialog, "inspect"), Qt::LeftButton);
  QCOMPARE(child<QComboBox>(dialog, "tls")->currentIndex(), static_cast<int>(TlsMode::Pinned));
  QCOMPARE(dialog.target().pinnedSha256, digest);
  QCOMPARE(dialog.validationError(), QString());
  finished.clear();
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QVERIFY(finished.wait(10000));
  QCOMPARE(toString(dialog.testResult().state), toString(TargetState::Up));
  QVERIFY(!child<QPushButton>(dialog, "inspect")->isVisible());
  shoot(dialog, QStringLiteral("server-dialog-pinned"));
}

void TstDialogs::noKeychainOffersFile() {
  // No session bus here (and none in CI): the keychain cannot answer.
  qunsetenv("DBUS_SESSION_BUS_ADDRESS");
  SecretStore store(QStringLiteral("healthdeck-test"));
  QSignalSpy changed(&store, &SecretStore::availabilityChanged);
  store.probe();
  QVERIFY(changed.wait(20000));
  QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
  QCOMPARE(store.unavailableReason(),
           QStringLiteral("No keychain service is running (no D-Bus session bus)"));

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString tokenPath = dir.filePath(QStringLiteral("token"));
  {
    QFile f(tokenPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("tok-123\n");
  }

  ServerDialog dialog(TargetConfig{}, store, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", QStringLiteral("vault"));
  type(dialog, "url", QStringLiteral("http://127.0.0.1:9"));
  child<QComboBox>(dialog, "auth")->setCurrentIndex(static_cast<int>(AuthKind::Bearer));
  QApplication::processEvents();
  auto* storage = child<QComboBox>(dialog, "storage");
  QCOMPARE(dialog.secretStorage(), ServerDialog::SecretStorage::File);
  QCOMPARE(storage->currentIndex(), 1);
  auto* note = child<QLabel>(dialog, "keychainNote");
  QVERIFY(note->isVisible());
  QVERIFY(note->text().startsWith(store.unavailableReason()));
  QVERIFY(note->text().contains(QStringLiteral("Name a file that holds the secret")));
  QApplication::processEvents();
  QVERIFY2(note->height() >= note->heightForWidth(note->width()), "keychain note clipped");
  QVERIFY(child<QLineEdit>(dialog, "secretFile")->isVisible());
  QVERIFY(!child<QLineEdit>(dialog, "secret")->isVisible());
  shoot(dialog, QStringLiteral("server-dialog-no-keychain"));

  // The keychain cannot be chosen while it does not answer; the file works.
  storage->setCurrentIndex(0);
  QApplication::processEvents();
  QCOMPARE(storage->currentIndex(), 1);
  QCOMPARE(dialog.validationError(), QStringLiteral("Name the file that holds the secret."));
  type(dialog, "secretFile", tokenPath);
  QCOMPARE(dialog.validationError(), QString());
  QCOMPARE(dialog.target().secretRef, SecretStore::fileRef(tokenPath));
  // Secret files are read off the GUI thread; the value lands a moment later.
  QTRY_COMPARE_WITH_TIMEOUT(store.resolve(dialog.target().secretRef),
                            std::optional<QByteArray>("tok-123"), 5000);
  QCOMPARE(dialog.typedSecret(), QByteArray());
}

/// Issue 10: a server's words reach the Test line as plain text. The markup that put a
/// local image and a link into this line, and HAProxy's page, go through a real canned
/// server, the real Poller and the dialog; the label shows them literally (PlainText).
void TstDialogs::serverTextIsNeverMarkup_data() {
  QTest::addColumn<QByteArray>("contentType");
  QTest::addColumn<QByteArray>("body");
  QTest::addColumn<int>("status");
  QTest::addColumn<QString>("shown");
  const QByteArray markup = "<img src=\"file:///usr/share/pixmaps/debian-logo.png\">"
                            "<a href=\"http://x\">click</a>";
  // As a component name and details (JSON carries them verbatim): shown character for character.
  QTest::newRow("markup in a component")
      << QByteArray("application/vnd.spring-boot.actuator.v3+json")
      << QByteArray(R"json({"status":"DOWN","components":{")json") +
             QByteArray(markup).replace('"', "\\\"") +
             QByteArray(R"json(":{"status":"DOWN","details":{"error":")json") +
             QByteArray(markup).replace('"', "\\\"") + QByteArray(R"json("}}}})json")
      << 503
      << QStringLiteral("Down: ") + QString::fromLatin1(markup) + QStringLiteral(" down: ") +
             QString::fromLatin1(markup);
  // As a 200 page: what the page says (its text), never its tags.
  QTest::newRow("markup page") << QByteArray("text/html") << markup << 200
                               << QStringLiteral("Up: click");
  QTest::newRow("haproxy monitor-uri")
      << QByteArray("text/html")
      << QByteArray("<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n") << 200
      << QStringLiteral("Up: 200 OK");
}

void TstDialogs::serverTextIsNeverMarkup() {
  QFETCH(QByteArray, contentType);
  QFETCH(QByteArray, body);
  QFETCH(int, status);
  QFETCH(QString, shown);
  CannedHttpServer server;
  QVERIFY(server.start());
  server.setResponse(QStringLiteral("/health/ready"),
                     CannedHttpServer::Response{status, contentType, body, {}});
  TargetConfig t;
  t.livePath.clear();
  t.metricsPath.clear();
  ServerDialog dialog(t, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", QStringLiteral("markup"));
  type(dialog, "url", server.baseUrl().toString());
  QSignalSpy tested(&dialog, &ServerDialog::testFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QVERIFY(tested.wait(10000));
  auto* text = child<QLabel>(dialog, "testText");
  QCOMPARE(text->text(), shown);
  QCOMPARE(text->textFormat(), Qt::PlainText);
  // The other labels that can carry a server's or a user's words are plain text too.
  for (const char* name : {"error", "keychainNote"})
    QCOMPARE(child<QLabel>(dialog, name)->textFormat(), Qt::PlainText);
  shoot(
      dialog,
      QStringLiteral("server-dialog-markup-") +
          QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
}

/// The per-server options: shown from a target, edited, and read back.
void TstDialogs::perServerOptionsRoundTrip() {
  TargetConfig t;
  t.name = QStringLiteral("syncthing");
  t.baseUrl = QUrl(QStringLiteral("http://192.0.2.10:8384"));
  t.readyPath = QStringLiteral("/rest/noauth/health");
  t.statusCodeOnly = true;
  t.extraHeaders = {RequestHeader{"X-API-Key", {}, QStringLiteral("file:/etc/healthdeck/st-key")},
                    RequestHeader{"X-Tenant", QStringLiteral("blue"), {}}};
  ServerDialog dialog(t, *m_secrets, *m_poller);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  QVERIFY(child<QCheckBox>(dialog, "statusOnly")->isChecked());
  TargetConfig back = dialog.target();
  QCOMPARE(back.extraHeaders.size(), 2);
  QVERIFY(back.extraHeaders.at(0) == t.extraHeaders.at(0));
  QVERIFY(back.extraHeaders.at(1) == t.extraHeaders.at(1));
  type(dialog, "bodyMustContain", QStringLiteral("\"status\":\"O[Kk]\""));
  QTest::mouseClick(child<QCheckBox>(dialog, "bodyRegex"), Qt::LeftButton);
  back = dialog.target();
  QVERIFY(back.bodyMustMatchRegex);
  QCOMPARE(back.bodyMustContain, QStringLiteral("\"status\":\"O[Kk]\""));
  type(dialog, "bodyMustContain", QStringLiteral("(unclosed"));
  QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
  QVERIFY2(visibleTexts(dialog)
               .join(QLatin1Char('|'))
               .contains(QStringLiteral("not a valid regular expression")),
           qPrintable(visibleTexts(dialog).join(QLatin1Char('|'))));
  shoot(dialog, QStringLiteral("server-dialog-options"));
}

void TstDialogs::tagsParentAndCertificateDays() {
  TargetConfig t;
  t.id = QStringLiteral("app-1");
  t.name = QStringLiteral("app-1");
  t.baseUrl = QUrl(QStringLiteral("http://192.0.2.20:9797"));
  t.readyPath = QStringLiteral("/health/ready");
  t.tags = {QStringLiteral("db"), QStringLiteral("eu")};
  t.parentId = QStringLiteral("gone-gateway"); // a parent no longer listed stays as it is
  ServerDialog dialog(t, *m_secrets, *m_poller);
  dialog.setParentCandidates({{QStringLiteral("bastion"), QStringLiteral("Bastion")},
                              {QStringLiteral("gw"), QStringLiteral("Gateway")}});
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  auto* tags = child<QLineEdit>(dialog, "tags");
  auto* parent = child<QComboBox>(dialog, "parent");
  auto* warn = child<QSpinBox>(dialog, "certWarnDays");
  auto* crit = child<QSpinBox>(dialog, "certCritDays");
  QVERIFY(tags && parent && warn && crit);
  QCOMPARE(tags->text(), QStringLiteral("db, eu"));
  QCOMPARE(parent->count(), 4); // nothing, two candidates, the unlisted current one
  QCOMPARE(parent->currentData().toString(), QStringLiteral("gone-gateway"));
  {
    const TargetConfig untouched = dialog.target(); // what it was given
    QCOMPARE(untouched.tags, t.tags);
    QCOMPARE(untouched.parentId, t.parentId);
    QCOMPARE(untouched.certWarnDays, -1);
    QCOMPARE(untouched.certCritDays, -1);
  }
  // Certificate days only mean something for https.
  QVERIFY(!warn->isVisible());
  type(dialog, "url", QStringLiteral("https://192.0.2.20:9797"));
  QTRY_VERIFY(warn->isVisible());
  QCOMPARE(warn->text(), QStringLiteral("as in Settings"));

  type(dialog, "tags", QStringLiteral("db,  eu web db"));
  parent->setCurrentIndex(parent->findText(QStringLiteral("Gateway")));
  warn->setValue(10);
  crit->setValue(20);
  QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
  QVERIFY2(
      visibleTexts(dialog)
          .join(QLatin1Char('|'))
          .contains(QStringLiteral("Certificate: the warning comes before the critical level")),
      qPrintable(visibleTexts(dialog).join(QLatin1Char('|'))));
  QCOMPARE(dialog.result(), int(QDialog::Rejected));
  crit->setValue(3);
  QCOMPARE(dialog.validationError(), QString());
  const TargetConfig back = dialog.target();
  QCOMPARE(back.tags,
           (QStringList{QStringLiteral("db"), QStringLiteral("eu"), QStringLiteral("web")}));
  QCOMPARE(back.parentId, QStringLiteral("gw"));
  QCOMPARE(back.certWarnDays, 10);
  QCOMPARE(back.certCritDays, 3);
  shoot(dialog, QStringLiteral("server-dialog-triage"));
  parent->setCurrentIndex(0);
  QCOMPARE(dialog.target().parentId, QString());
}

/// The dialog runs Test on the console's Poller: the typed secret goes with that request only,
/// the answer comes back to the dialog alone, and the Poller's own resolver, signals and
/// scheduled targets are untouched.
void TstDialogs::sharesTheConsolePoller() {
  CannedHttpServer server;
  QVERIFY(server.start());
  server.setResponse(QStringLiteral("/health/ready"),
                     CannedHttpServer::Response{200, "application/json", R"({"status":"UP"})", {}});
  Poller console;
  console.setSecretResolver(
      [](const QString&) { return std::optional<QByteArray>("console-token"); });
  TargetConfig watched;
  watched.id = QStringLiteral("watched");
  watched.name = QStringLiteral("watched");
  watched.baseUrl = server.baseUrl();
  watched.enabled = false;
  console.upsertTarget(watched);
  QSignalSpy observed(&console, &Poller::observationReady);

  TargetConfig t;
  t.auth = AuthKind::Bearer;
  ServerDialog dialog(t, *m_secrets, console);
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  type(dialog, "name", QStringLiteral("api"));
  type(dialog, "url", server.baseUrl().toString());
  child<QCheckBox>(dialog, "liveOn")->setChecked(false);
  child<QCheckBox>(dialog, "metricsOn")->setChecked(false);
  type(dialog, "secret", QStringLiteral("typed-token"));
  QSignalSpy finished(&dialog, &ServerDialog::testFinished);
  QTest::mouseClick(child<QPushButton>(dialog, "test"), Qt::LeftButton);
  QVERIFY(finished.wait(10000));
  QCOMPARE(toString(dialog.testResult().state), toString(TargetState::Up));
  QVERIFY2(server.lastRequestHead().contains("Authorization: Bearer typed-token"),
           server.lastRequestHead().constData());
  QCOMPARE(observed.size(), 0); // answered to the dialog, not to the console's listeners
  QCOMPARE(console.targets().size(), 1);

  // The console's own polls still use its resolver.
  TargetConfig own = watched;
  own.id = QStringLiteral("own");
  own.enabled = true;
  own.auth = AuthKind::Bearer;
  own.secretRef = QStringLiteral("keychain:own");
  console.pollOnce(own);
  QVERIFY(observed.wait(10000));
  QVERIFY2(server.lastRequestHead().contains("Authorization: Bearer console-token"),
           server.lastRequestHead().constData());
}

QTEST_MAIN(TstDialogs)
#include "tst_dialogs.moc"
