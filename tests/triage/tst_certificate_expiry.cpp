// Certificate expiry against real certificates: `openssl req -x509` makes three self-signed
// certificates valid 5, 15 and 60 days; each is served over TLS on loopback; the Poller reads
// the chain's earliest expiry; the thresholds (21 / 7 days) give critical, warning and fine;
// the notifier speaks once per threshold; and `healthdeck check` (the real binary) exits
// 2 / 1 / 0 with the expiry date on its first line, trusting the certificate through
// --ca-file or --pin.

#include "tests/support/canned_http_server.h"

#include "healthdeck/client/source/certificate_expiry.h"
#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/store/target_status.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QtTest>

using namespace healthdeck;
using healthdeck::testing::CannedHttpServer;

namespace {

struct Cert {
  QString certPath;
  QString keyPath;
  QSslCertificate cert;
  QSslKey key;
};

bool makeCertificate(const QString& dir, int days, Cert* out, QString* error) {
  out->certPath = dir + QStringLiteral("/cert-%1d.pem").arg(days);
  out->keyPath = dir + QStringLiteral("/key-%1d.pem").arg(days);
  QProcess p;
  p.start(QStringLiteral("openssl"),
          {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
           QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
           QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
           QStringLiteral("-keyout"), out->keyPath, QStringLiteral("-out"), out->certPath,
           QStringLiteral("-days"), QString::number(days), QStringLiteral("-subj"),
           QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
           QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")});
  if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
    *error = QStringLiteral("openssl req failed: ") +
             QString::fromLocal8Bit(p.readAllStandardError()) + p.errorString();
    return false;
  }
  QFile cf(out->certPath), kf(out->keyPath);
  if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot read what openssl wrote");
    return false;
  }
  out->cert = QSslCertificate(&cf, QSsl::Pem);
  out->key = QSslKey(&kf, QSsl::Ec, QSsl::Pem);
  return !out->cert.isNull() && !out->key.isNull();
}

const QByteArray kUp = R"({"success":true,"status":"up","checks":[]})";

struct Run {
  int exitCode = -1;
  QStringList lines;
};

Run runCheck(const QStringList& args) {
  Run r;
  QProcess p;
  p.setProgram(qEnvironmentVariable("HEALTHDECK_BINARY"));
  p.setArguments(QStringList{QStringLiteral("check")} + args);
  QSignalSpy finished(&p, &QProcess::finished);
  p.start();
  if (!p.waitForStarted(10000)) return r;
  if (!finished.wait(30000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.lines = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())
                .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  return r;
}

/// What a run printed and how it ended, for a failure message (-2: it crashed, e.g. a
/// sanitizer abort, whose report is in the lines).
QString outcome(const Run& r) {
  return QStringLiteral("exit %1: ").arg(r.exitCode) + r.lines.join(QLatin1Char('\n'));
}

} // namespace

class TstCertificateExpiry : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;

private Q_SLOTS:
  void thresholds_data() {
    QTest::addColumn<int>("days");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("checkExit");
    QTest::addColumn<QString>("checkWord");
    QTest::newRow("5 days: critical")
        << 5 << int(CertificateLevel::Critical) << 2 << QStringLiteral("CRITICAL");
    QTest::newRow("15 days: warning")
        << 15 << int(CertificateLevel::Warning) << 1 << QStringLiteral("WARNING");
    QTest::newRow("60 days: fine") << 60 << int(CertificateLevel::Ok) << 0 << QStringLiteral("OK");
  }
  void thresholds() {
    QFETCH(int, days);
    QFETCH(int, level);
    QFETCH(int, checkExit);
    QFETCH(QString, checkWord);
    Cert c;
    QString error;
    QVERIFY2(makeCertificate(m_dir.path(), days, &c, &error), qPrintable(error));
    CannedHttpServer server;
    server.setTls(c.cert, c.key);
    server.setResponse(QStringLiteral("/health/ready"), {200, "application/json", kUp, {}});
    QVERIFY(server.start());

    // The Poller reads the expiry of what the peer presented.
    TargetConfig t;
    t.id = QStringLiteral("tls");
    t.name = QStringLiteral("tls-server");
    t.baseUrl = server.baseUrl();
    t.livePath.clear();
    t.metricsPath.clear();
    t.tlsMode = TlsMode::CaFile;
    t.caFile = c.certPath;
    Poller poller;
    QSignalSpy seen(&poller, &Poller::observationReady);
    poller.pollOnce(t);
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 1, 15000);
    const auto snap = seen.at(0).at(0).value<TargetSnapshot>();
    QCOMPARE(int(snap.state), int(TargetState::Up));
    QVERIFY(snap.certificateExpiry.has_value());
    QCOMPARE(*snap.certificateExpiry, c.cert.expiryDate().toUTC());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(certificateDaysLeft(*snap.certificateExpiry, now), qint64(days - 1));
    QCOMPARE(int(certificateLevel(*snap.certificateExpiry, now, 21, 7)), level);

    // The store and notifier: one notification for a crossed threshold, none again.
    TargetStore store;
    store.setTargets({t});
    TransitionNotifier notifier(store);
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    store.applySnapshot(snap);
    TargetSnapshot again = snap;
    again.polledAt = snap.polledAt.addSecs(15);
    store.applySnapshot(again);
    QCOMPARE(due.size(), level == int(CertificateLevel::Ok) ? 0 : 1);
    const TargetStatus st = targetStatus(store, nullptr, t.id, now);
    QCOMPARE(st.needsAttention, level != int(CertificateLevel::Ok));
    QCOMPARE(st.certificateDaysLeft, qint64(days - 1));

    // `healthdeck check`, trusting the certificate by CA file, then by pin.
    const QString date = c.cert.expiryDate().toUTC().date().toString(Qt::ISODate);
    Run r = runCheck({server.baseUrl().toString(), QStringLiteral("--ca-file"), c.certPath});
    QVERIFY2(r.exitCode == checkExit, qPrintable(outcome(r)));
    QVERIFY2(r.lines.value(0).startsWith(checkWord % QStringLiteral(": up - ")),
             qPrintable(r.lines.value(0)));
    QVERIFY2(r.lines.value(0).contains(date), qPrintable(r.lines.value(0)));
    const QString pin = QString::fromLatin1(c.cert.digest(QCryptographicHash::Sha256).toHex(':'));
    r = runCheck({server.baseUrl().toString(), QStringLiteral("--pin=") % pin,
                  QStringLiteral("--cert-warn"), QStringLiteral("3"), QStringLiteral("--cert-crit"),
                  QStringLiteral("2")});
    QVERIFY2(r.exitCode == 0,
             qPrintable(outcome(r))); // thresholds moved below every certificate here
    QVERIFY2(r.lines.value(0).contains(date), qPrintable(r.lines.value(0)));
    // Without trust the probe fails as before.
    r = runCheck({server.baseUrl().toString()});
    QVERIFY2(r.exitCode == 2, qPrintable(outcome(r)));
  }

  void badOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("pin too short") << QStringList{QStringLiteral("--pin"), QStringLiteral("abcd")}
                                   << QStringLiteral("--pin takes a SHA-256 fingerprint");
    QTest::newRow("days not a number") << QStringList{QStringLiteral("--cert-warn=soon")}
                                       << QStringLiteral("--cert-warn takes whole days");
    QTest::newRow("missing CA file")
        << QStringList{QStringLiteral("--ca-file"), QStringLiteral("/nonexistent/ca.pem")}
        << QStringLiteral("--ca-file: cannot read /nonexistent/ca.pem");
    QTest::newRow("no value") << QStringList{QStringLiteral("--cert-crit")}
                              << QStringLiteral("missing value after '--cert-crit'");
  }
  void badOptions() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runCheck(QStringList{QStringLiteral("https://127.0.0.1:1/")} + args);
    QVERIFY2(r.exitCode == 3, qPrintable(outcome(r)));
    QVERIFY2(r.lines.join(QLatin1Char('\n')).contains(message),
             qPrintable(r.lines.join(QLatin1Char('\n'))));
  }
};

QTEST_GUILESS_MAIN(TstCertificateExpiry)
#include "tst_certificate_expiry.moc"
