// The console's keychain path against a real Secret Service (gnome-keyring-daemon on a private
// session bus; keychain_test.sh starts it and runs one phase per process, named by
// HEALTHDECK_KEYCHAIN_PHASE):
//   absent  — a bus with no Secret Service: the store says so, with the reason, and the server
//             dialog offers the file option instead of failing on save;
//   store   — a bearer token typed into the server dialog goes to the keychain (SecretStore::
//             save), a second store (a restarted console: empty cache) loads it back, and a
//             poll made with that store's resolver sends it to a real HTTP server;
//   restart — a new keyring daemon and a new console: the token is still there and polls;
//             removing it makes the next load fail and the poll say why.

#include "healthdeck/client/source/poller.h"
#include "healthdeck/ui/dialogs/server_dialog.h"
#include "healthdeck/ui/session/secret_store.h"
#include "tests/support/canned_http_server.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace healthdeck;
using healthdeck::testing::CannedHttpServer;

namespace {

const QString kService = QStringLiteral("healthdeck-keychain-test");
const QString kKey = QStringLiteral("kc-target");
const QByteArray kToken = "kc-s3cret-token-42";

TargetConfig bearerTarget(const QUrl& base) {
  TargetConfig t;
  t.id = kKey;
  t.name = QStringLiteral("keychain server");
  t.baseUrl = base;
  t.readyPath = QStringLiteral("/health/ready");
  t.livePath.clear();
  t.metricsPath.clear();
  t.auth = AuthKind::Bearer;
  t.secretRef = SecretStore::keychainRef(kKey);
  t.timeout = std::chrono::milliseconds(3000);
  return t;
}

TargetSnapshot pollWith(SecretStore& store, const TargetConfig& t) {
  Poller poller;
  poller.setSecretResolver(store.resolver(),
                           [&store](const QString& ref) { return store.problem(ref); });
  QSignalSpy spy(&poller, &Poller::observationReady);
  poller.pollOnce(t);
  if (!spy.wait(10000)) return {};
  return spy.takeFirst().at(0).value<TargetSnapshot>();
}

/// Probes the store and returns what it found.
SecretStore::Availability probed(SecretStore& store) {
  QSignalSpy spy(&store, &SecretStore::availabilityChanged);
  store.probe();
  if (!spy.wait(20000)) return SecretStore::Availability::Unknown;
  return store.availability();
}

} // namespace

class TstKeychain : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    m_phase = QString::fromLocal8Bit(qgetenv("HEALTHDECK_KEYCHAIN_PHASE"));
    QVERIFY2(!m_phase.isEmpty(), "run through tests/keychain/keychain_test.sh");
    QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    QVERIFY(m_server.start());
    m_server.setResponse(
        QStringLiteral("/health/ready"),
        CannedHttpServer::Response{200, "application/json", R"({"status":"UP"})", {}});
  }

  void phase() {
    if (m_phase == QLatin1String("absent")) return absent();
    if (m_phase == QLatin1String("store")) return store();
    if (m_phase == QLatin1String("restart")) return restart();
    QFAIL(qPrintable(QStringLiteral("unknown phase %1").arg(m_phase)));
  }

private:
  void absent() {
    SecretStore store(kService);
    QCOMPARE(int(probed(store)), int(SecretStore::Availability::Unavailable));
    QVERIFY2(store.unavailableReason().startsWith(QStringLiteral("No keychain service")),
             qPrintable(store.unavailableReason()));
    // The dialog says why and switches to "A file I name".
    TargetConfig t = bearerTarget(m_server.baseUrl());
    t.secretRef.clear();
    Poller poller;
    ServerDialog dialog(t, store, poller);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(int(dialog.secretStorage()), int(ServerDialog::SecretStorage::File));
    auto* note = dialog.findChild<QLabel*>(QStringLiteral("keychainNote"));
    QVERIFY(note && note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("Name a file")), qPrintable(note->text()));
    // A keychain reference polls as "not readable", with the reason, never as no credentials.
    const TargetSnapshot s = pollWith(store, bearerTarget(m_server.baseUrl()));
    QCOMPARE(toString(s.state), toString(TargetState::Unauthorized));
    QVERIFY2(s.sentence.contains(QStringLiteral("No keychain service")), qPrintable(s.sentence));
    QCOMPARE(m_server.requestCount(), 0);
  }

  void store() {
    SecretStore store(kService);
    QCOMPARE(int(probed(store)), int(SecretStore::Availability::Available));
    // Typed into the dialog, as an admin does.
    Poller poller;
    ServerDialog dialog(bearerTarget(m_server.baseUrl()), store, poller);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(int(dialog.secretStorage()), int(ServerDialog::SecretStorage::Keychain));
    auto* secret = dialog.findChild<QLineEdit*>(QStringLiteral("secret"));
    QVERIFY(secret && secret->isVisible());
    QTest::keyClicks(secret, QString::fromLatin1(kToken));
    QCOMPARE(dialog.typedSecret(), kToken);
    QCOMPARE(dialog.validationError(), QString());
    const TargetConfig saved = dialog.target();
    QCOMPARE(saved.secretRef, SecretStore::keychainRef(kKey));

    QSignalSpy ok(&store, &SecretStore::secretSaved);
    QSignalSpy failed(&store, &SecretStore::secretFailed);
    store.save(saved.id, dialog.typedSecret());
    QTRY_VERIFY_WITH_TIMEOUT(!ok.isEmpty() || !failed.isEmpty(), 20000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));

    // A console started afresh has nothing cached: it loads the token from the keychain.
    SecretStore again(kService);
    QCOMPARE(int(probed(again)), int(SecretStore::Availability::Available));
    QVERIFY(!again.resolve(saved.secretRef));
    loadInto(again);
    QCOMPARE(again.resolve(saved.secretRef).value_or(QByteArray()), kToken);
    expectBearerPoll(again, saved);
  }

  void restart() {
    SecretStore store(kService);
    QCOMPARE(int(probed(store)), int(SecretStore::Availability::Available));
    loadInto(store);
    const TargetConfig t = bearerTarget(m_server.baseUrl());
    QCOMPARE(store.resolve(t.secretRef).value_or(QByteArray()), kToken);
    expectBearerPoll(store, t);

    // Removed: gone from the keychain too (a fresh store cannot load it), and a poll says why.
    store.remove(kKey);
    SecretStore after(kService);
    // remove() does not wait for the keychain: ask until the entry is gone.
    bool gone = false;
    for (int attempt = 0; attempt < 40 && !gone; ++attempt) {
      QSignalSpy loaded(&after, &SecretStore::secretLoaded);
      QSignalSpy failed(&after, &SecretStore::secretFailed);
      after.load(kKey);
      QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() || !failed.isEmpty(), 20000);
      gone = !failed.isEmpty();
      if (!gone) QTest::qWait(100);
    }
    QVERIFY2(gone, "the removed secret can still be loaded from the keychain");
    QVERIFY(!after.resolve(t.secretRef));
    const TargetSnapshot s = pollWith(after, t);
    QCOMPARE(toString(s.state), toString(TargetState::Unauthorized));
    QVERIFY2(!s.sentence.isEmpty(), "the sentence says why no token was sent");
  }

  void loadInto(SecretStore& store) {
    QSignalSpy loaded(&store, &SecretStore::secretLoaded);
    QSignalSpy failed(&store, &SecretStore::secretFailed);
    store.load(kKey);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() || !failed.isEmpty(), 20000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).toString()));
  }

  void expectBearerPoll(SecretStore& store, const TargetConfig& t) {
    const int before = m_server.requestCount();
    const TargetSnapshot s = pollWith(store, t);
    QCOMPARE(toString(s.state), toString(TargetState::Up));
    QCOMPARE(m_server.requestCount(), before + 1);
    const QByteArray expected = QByteArray("Authorization: Bearer ").append(kToken);
    QVERIFY2(m_server.lastRequestHead().contains(expected), m_server.lastRequestHead().constData());
  }

  QString m_phase;
  CannedHttpServer m_server;
};

QTEST_MAIN(TstKeychain)
#include "tst_keychain.moc"
