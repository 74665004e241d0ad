// Console settings: the value type's QSettings round trip (and what a hand-edited file with
// bad values turns into), the Settings dialog offscreen (validation shown, values returned),
// and a real ConsoleSession applying them: notification rules reach every target, the default
// interval reaches new servers, the embedded exporter moves, stops and stays off next start;
// and the parents a session offers the server dialog (never one that would make a loop).

#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/dialogs/settings_dialog.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/session/console_settings.h"
#include "tests/support/ports.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;

namespace {

bool accepting(quint16 port) {
  QTcpSocket s;
  s.connectToHost(QStringLiteral("127.0.0.1"), port);
  return s.waitForConnected(2000);
}

/// Settings with every field away from its default.
ConsoleSettings everySettingChanged() {
  ConsoleSettings given;
  given.defaultInterval = std::chrono::seconds(45);
  given.failuresBeforeNotify = 4;
  given.reminderInterval = std::chrono::minutes(20);
  given.exporterEnabled = false;
  given.exporterAddress = QStringLiteral("127.0.0.1:9898");
  given.certWarnDays = 30;
  given.certCritDays = 3;
  given.notifyCommand = {QStringLiteral("/usr/local/bin/page oncall"), QStringLiteral("--team"),
                         QStringLiteral("ops")};
  given.notifyCommandTimeout = std::chrono::seconds(25);
  given.historyRawDays = 14;
  given.historyMinuteDays = 120;
  given.historyHourDays = 1000;
  return given;
}

} // namespace

class TstSettings : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void roundTrip();
  void badFileValuesFallBack();
  void validation_data();
  void validation();
  void dialog();
  void dialogKeepsAndEditsEverySetting();
  void commandLine_data();
  void commandLine();
  void historyAndCertificateLimits();
  void sessionApplies();
  void parentCandidatesNeverLoop();

private:
  QTemporaryDir m_home;
  QString m_artifacts;
};

void TstSettings::initTestCase() {
  QVERIFY(m_home.isValid());
  // Every QSettings(IniFormat, UserScope) of this process, the session's included, lands here.
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
  qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
  qunsetenv("DBUS_SESSION_BUS_ADDRESS");
  const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
  m_artifacts = (artifacts.isEmpty() ? QDir::tempPath() : QString::fromLocal8Bit(artifacts)) +
                QStringLiteral("/ui");
  QVERIFY(QDir().mkpath(m_artifacts));
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QApplication::setPalette(QApplication::style()->standardPalette());
}

void TstSettings::roundTrip() {
  const QString file = m_home.filePath(QStringLiteral("roundtrip.ini"));
  const ConsoleSettings s = everySettingChanged();
  {
    QSettings q(file, QSettings::IniFormat);
    s.save(q);
  }
  QSettings q(file, QSettings::IniFormat);
  QCOMPARE(q.value(QStringLiteral("console/notify_after_failures")).toInt(), 4);
  const ConsoleSettings back = ConsoleSettings::load(q);
  QVERIFY(back == s);
  QCOMPARE(back.exporterHostPort()->first, QStringLiteral("127.0.0.1"));
  QCOMPARE(back.exporterHostPort()->second, 9898);
  // Nothing stored: the defaults.
  QSettings empty(m_home.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
  QVERIFY(ConsoleSettings::load(empty) == ConsoleSettings{});
}

void TstSettings::badFileValuesFallBack() {
  const QString file = m_home.filePath(QStringLiteral("bad.ini"));
  {
    QSettings q(file, QSettings::IniFormat);
    q.setValue(QStringLiteral("console/default_interval_s"), 0);
    q.setValue(QStringLiteral("console/notify_after_failures"), QStringLiteral("many"));
    q.setValue(QStringLiteral("console/reminder_interval_min"), 7);
    q.setValue(QStringLiteral("console/exporter_address"), QStringLiteral("[::1]:9797"));
  }
  QSettings q(file, QSettings::IniFormat);
  const ConsoleSettings s = ConsoleSettings::load(q);
  QCOMPARE(s.defaultInterval, ConsoleSettings{}.defaultInterval);
  QCOMPARE(s.failuresBeforeNotify, ConsoleSettings{}.failuresBeforeNotify);
  QCOMPARE(s.reminderInterval, std::chrono::minutes(7)); // the good key survives
  QCOMPARE(s.exporterAddress, QString());
  QCOMPARE(s.validationError(), QString());
}

void TstSettings::validation_data() {
  QTest::addColumn<QString>("address");
  QTest::addColumn<bool>("exporter");
  QTest::addColumn<bool>("ok");
  QTest::newRow("empty: from the config") << QString() << true << true;
  QTest::newRow("loopback") << QStringLiteral("127.0.0.1:9797") << true << true;
  QTest::newRow("name") << QStringLiteral("monitor-host:9797") << true << true;
  QTest::newRow("ephemeral") << QStringLiteral("127.0.0.1:0") << true << true;
  QTest::newRow("no port") << QStringLiteral("127.0.0.1") << true << false;
  QTest::newRow("port too big") << QStringLiteral("127.0.0.1:70000") << true << false;
  QTest::newRow("ipv6") << QStringLiteral("[::1]:9797") << true << false;
  QTest::newRow("no host") << QStringLiteral(":9797") << true << false;
  QTest::newRow("url") << QStringLiteral("http://127.0.0.1:9797") << true << false;
  QTest::newRow("ignored while off") << QStringLiteral("nonsense") << false << true;
}

void TstSettings::validation() {
  QFETCH(QString, address);
  QFETCH(bool, exporter);
  QFETCH(bool, ok);
  ConsoleSettings s;
  s.exporterAddress = address;
  s.exporterEnabled = exporter;
  QCOMPARE(s.validationError().isEmpty(), ok);
  if (!ok)
    QCOMPARE(s.validationError(),
             QStringLiteral("The exporter address is HOST:PORT, e.g. 127.0.0.1:9797 (IPv4 or a "
                            "host name, port 0–65535)."));
}

void TstSettings::dialog() {
  SettingsDialog d(ConsoleSettings{});
  d.show();
  QVERIFY(QTest::qWaitForWindowExposed(&d));
  auto* interval = d.findChild<QSpinBox*>(QStringLiteral("defaultInterval"));
  auto* failures = d.findChild<QSpinBox*>(QStringLiteral("failures"));
  auto* reminder = d.findChild<QSpinBox*>(QStringLiteral("reminder"));
  auto* exporter = d.findChild<QCheckBox*>(QStringLiteral("exporterEnabled"));
  auto* address = d.findChild<QLineEdit*>(QStringLiteral("exporterAddress"));
  auto* error = d.findChild<QLabel*>(QStringLiteral("error"));
  QVERIFY(interval && failures && reminder && exporter && address && error);
  QCOMPARE(interval->value(), 15);
  QCOMPARE(failures->value(), 2);
  QCOMPARE(reminder->value(), 5);
  QVERIFY(exporter->isChecked() && address->isEnabled());

  interval->setValue(30);
  failures->setValue(3);
  reminder->setValue(0);
  QCOMPARE(reminder->text(), QStringLiteral("every change"));
  QTest::keyClicks(address, QStringLiteral("127.0.0.1"));
  QSignalSpy accepted(&d, &QDialog::accepted);
  auto* save = d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
  QTest::mouseClick(save, Qt::LeftButton);
  QCOMPARE(accepted.size(), 0);
  QVERIFY(error->isVisible());
  QVERIFY(error->text().startsWith(QStringLiteral("The exporter address is HOST:PORT")));
  QApplication::processEvents();
  QVERIFY(d.grab().toImage().save(m_artifacts + QStringLiteral("/settings-dialog-invalid.png")));

  QTest::keyClicks(address, QStringLiteral(":9899"));
  QTest::mouseClick(save, Qt::LeftButton);
  QCOMPARE(accepted.size(), 1);
  const ConsoleSettings s = d.settings();
  QCOMPARE(s.defaultInterval, std::chrono::seconds(30));
  QCOMPARE(s.failuresBeforeNotify, 3);
  QCOMPARE(s.reminderInterval, std::chrono::minutes(0));
  QCOMPARE(s.exporterAddress, QStringLiteral("127.0.0.1:9899"));
  QVERIFY(s.exporterEnabled);
  exporter->setChecked(false);
  QVERIFY(!address->isEnabled());
  QVERIFY(!d.settings().exporterEnabled);
  exporter->setChecked(true);
  d.show();
  QApplication::processEvents();
  QVERIFY(d.grab().toImage().save(m_artifacts + QStringLiteral("/settings-dialog.png")));
}

void TstSettings::dialogKeepsAndEditsEverySetting() {
  const ConsoleSettings given = everySettingChanged();
  QVERIFY(given != ConsoleSettings{});
  {
    // Saved untouched: nothing the dialog was given is reset to a default.
    SettingsDialog d(given);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QCOMPARE(d.findChild<QLineEdit*>(QStringLiteral("notifyCommand"))->text(),
             QStringLiteral("\"/usr/local/bin/page oncall\" --team ops"));
    QVERIFY(d.settings() == given);
    QApplication::processEvents();
    QVERIFY(d.grab().toImage().save(m_artifacts + QStringLiteral("/settings-dialog-all.png")));
  }
  SettingsDialog d(given);
  d.show();
  QVERIFY(QTest::qWaitForWindowExposed(&d));
  const auto box = [&](const char* name) {
    auto* b = d.findChild<QSpinBox*>(QLatin1String(name));
    if (!b) qFatal("no spin box %s", name);
    return b;
  };
  auto* command = d.findChild<QLineEdit*>(QStringLiteral("notifyCommand"));
  auto* error = d.findChild<QLabel*>(QStringLiteral("error"));
  QVERIFY(command && error);
  command->clear();
  QTest::keyClicks(command, QStringLiteral("notify-send -u critical \"Healthdeck alert\""));
  box("notifyCommandTimeout")->setValue(5);
  box("certWarnDays")->setValue(14);
  box("certCritDays")->setValue(2);
  box("historyRawDays")->setValue(3);
  box("historyMinuteDays")->setValue(60);
  box("historyHourDays")->setValue(30); // shorter than per-minute: refused
  QSignalSpy accepted(&d, &QDialog::accepted);
  auto* save = d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
  QTest::mouseClick(save, Qt::LeftButton);
  QCOMPARE(accepted.size(), 0);
  QVERIFY(error->isVisible());
  QCOMPARE(error->text(),
           QStringLiteral("Per-hour history is kept at least as long as per-minute history."));
  box("historyHourDays")->setValue(365);
  QTest::mouseClick(save, Qt::LeftButton);
  QCOMPARE(accepted.size(), 1);
  const ConsoleSettings s = d.settings();
  QCOMPARE(s.notifyCommand,
           (QStringList{QStringLiteral("notify-send"), QStringLiteral("-u"),
                        QStringLiteral("critical"), QStringLiteral("Healthdeck alert")}));
  QCOMPARE(s.notifyCommandTimeout, std::chrono::seconds(5));
  QCOMPARE(s.certWarnDays, 14);
  QCOMPARE(s.certCritDays, 2);
  QCOMPARE(s.historyRawDays, 3);
  QCOMPARE(s.historyMinuteDays, 60);
  QCOMPARE(s.historyHourDays, 365);
  QCOMPARE(s.defaultInterval, given.defaultInterval); // untouched fields kept
  QCOMPARE(s.exporterAddress, given.exporterAddress);
  QVERIFY(!s.exporterEnabled);
}

void TstSettings::commandLine_data() {
  QTest::addColumn<QStringList>("command");
  QTest::newRow("off") << QStringList{};
  QTest::newRow("plain") << QStringList{QStringLiteral("/usr/bin/logger"), QStringLiteral("-t"),
                                        QStringLiteral("healthdeck")};
  QTest::newRow("spaces") << QStringList{QStringLiteral("/opt/my tools/notify"),
                                         QStringLiteral("two words")};
  QTest::newRow("quote inside") << QStringList{
      QStringLiteral("echo"), QStringLiteral("say \"hi\" now"), QStringLiteral("a\"b")};
  QTest::newRow("shell text stays an argument")
      << QStringList{QStringLiteral("echo"), QStringLiteral("$(rm -rf ~); `x` | y")};
}

void TstSettings::commandLine() {
  QFETCH(QStringList, command);
  const QString line = SettingsDialog::joinCommand(command);
  QCOMPARE(QProcess::splitCommand(line), command);
}

void TstSettings::historyAndCertificateLimits() {
  ConsoleSettings s;
  QCOMPARE(s.validationError(), QString());
  s.certWarnDays = 3;
  s.certCritDays = 7;
  QVERIFY(s.validationError().startsWith(QStringLiteral("The certificate warning")));
  s = {};
  s.historyRawDays = 0;
  QCOMPARE(s.validationError(), QStringLiteral("Polls are kept 1 to 90 days."));
  s = {};
  s.historyMinuteDays = 400;
  s.historyHourDays = 365;
  QCOMPARE(s.validationError(),
           QStringLiteral("Per-hour history is kept at least as long as per-minute history."));
  s = {};
  s.notifyCommand = {QString()};
  QCOMPARE(s.validationError(),
           QStringLiteral("The notify command starts with the program to run."));
}

void TstSettings::sessionApplies() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const quint16 first = testing::freePort();
  const QString config = dir.filePath(QStringLiteral("monitoring.yaml"));
  {
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("monitoring:\n  listen: 127.0.0.1:%1\n").arg(first).toUtf8());
  }
  ConsoleOptions options;
  options.configPath = config;
  options.serversPath = dir.filePath(QStringLiteral("servers.json"));
  options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
  {
    ConsoleSession session(options);
    QCOMPARE(session.start(), QString());
    QVERIFY(session.settings() == ConsoleSettings{});
    QCOMPARE(session.exporterAddress(), QStringLiteral("127.0.0.1:%1").arg(first));
    QVERIFY(accepting(first));
    const TargetConfig* here = session.store().target(ConsoleSession::thisHostId());
    QVERIFY(here);
    QCOMPARE(here->flap.failuresToDown, 2);

    ConsoleSettings s;
    s.failuresBeforeNotify = 4;
    s.reminderInterval = std::chrono::minutes(1);
    s.defaultInterval = std::chrono::seconds(60);
    s.historyRawDays = 9;
    const quint16 second = testing::freePort();
    s.exporterAddress = QStringLiteral("127.0.0.1:%1").arg(second);
    session.applySettings(s);
    QCOMPARE(session.exporterAddress(), s.exporterAddress);
    QVERIFY(accepting(second));
    QVERIFY(!accepting(first));
    here = session.store().target(ConsoleSession::thisHostId());
    QCOMPARE(here->baseUrl.port(), int(second));
    QCOMPARE(here->flap.failuresToDown, 4);
    QCOMPARE(here->flap.notifyMinInterval, std::chrono::milliseconds(60000));
    // This host is polled at its new address: Up again.
    QTRY_COMPARE_WITH_TIMEOUT(
        toString(session.store().snapshot(ConsoleSession::thisHostId()).state),
        toString(TargetState::Up), 15000);

    s.exporterEnabled = false;
    session.applySettings(s);
    QCOMPARE(session.exporterAddress(), QString());
    QVERIFY(!accepting(second));
  }
  // Persisted: the next console starts with them, exporter off.
  ConsoleSession next(options);
  QCOMPARE(next.start(), QString());
  QCOMPARE(next.settings().failuresBeforeNotify, 4);
  QCOMPARE(next.settings().defaultInterval, std::chrono::seconds(60));
  QCOMPARE(next.settings().historyRawDays, 9);
  QVERIFY(!next.settings().exporterEnabled);
  QCOMPARE(next.exporterAddress(), QString());
  QVERIFY(!accepting(first));
  QCOMPARE(next.store().target(ConsoleSession::thisHostId())->flap.failuresToDown, 4);
}

void TstSettings::parentCandidatesNeverLoop() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  ConsoleOptions options;
  options.serversPath = dir.filePath(QStringLiteral("servers.json"));
  options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
  options.exporter = false;
  ConsoleSession session(options);
  QCOMPARE(session.start(), QString());
  // gw ← app-1 ← app-2 (app-2 behind app-1 behind gw), and db on its own.
  const auto add = [&](const char* id, const char* name, const char* parent) {
    TargetConfig t;
    t.id = QLatin1String(id);
    t.name = QLatin1String(name);
    t.baseUrl = QUrl(QStringLiteral("http://192.0.2.1:9797"));
    t.enabled = false;
    t.parentId = QLatin1String(parent);
    session.store().upsertTarget(t);
  };
  add("gw", "Gateway", "");
  add("app-1", "app 1", "gw");
  add("app-2", "app 2", "app-1");
  add("db", "Database", "");
  const auto ids = [](const QList<QPair<QString, QString>>& list) {
    QStringList out;
    for (const auto& [id, name] : list)
      out << id;
    return out;
  };
  // Sorted by name; a new server may sit behind any of them.
  QStringList all = ids(session.parentCandidates(QString()));
  all.removeAll(ConsoleSession::thisHostId());
  QCOMPARE(all, (QStringList{QStringLiteral("app-1"), QStringLiteral("app-2"), QStringLiteral("db"),
                             QStringLiteral("gw")}));
  // The gateway cannot go behind app-1 or app-2 (they sit behind it), nor behind itself.
  QStringList forGw = ids(session.parentCandidates(QStringLiteral("gw")));
  forGw.removeAll(ConsoleSession::thisHostId());
  QCOMPARE(forGw, QStringList{QStringLiteral("db")});
  QStringList forApp1 = ids(session.parentCandidates(QStringLiteral("app-1")));
  forApp1.removeAll(ConsoleSession::thisHostId());
  QCOMPARE(forApp1, (QStringList{QStringLiteral("db"), QStringLiteral("gw")}));
}

QTEST_MAIN(TstSettings)
#include "tst_settings.moc"
