// NotificationHook: a real child process (hook_recorder) receives the transition in its
// environment and as JSON on stdin, its fixed arguments untouched; server text that looks
// like shell syntax arrives as data and runs nothing; a program that hangs is killed at the
// timeout; one that does not exist is reported; the notifier's output reaches the hook and
// triage keeps it quiet.

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/notification_hook.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/client/store/triage_state.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace healthdeck;

namespace {

const QString kRecorder = QStringLiteral(HOOK_RECORDER);

TargetEvent downEvent(const QString& name) {
  TargetEvent e;
  e.at = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
  e.targetId = QStringLiteral("id-1");
  e.targetName = name;
  e.from = TargetState::Up;
  e.to = TargetState::Down;
  e.sentence = QStringLiteral("database down: connection refused");
  return e;
}

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstNotificationHook : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void environmentAndStdin() {
    QTemporaryDir dir;
    NotificationHook hook;
    hook.setCommand({kRecorder, dir.path(), QStringLiteral("--fixed arg")});
    QSignalSpy finished(&hook, &NotificationHook::hookFinished);
    QSignalSpy failed(&hook, &NotificationHook::hookFailed);
    hook.run(downEvent(QStringLiteral("gateway-eu-1")), QStringLiteral("gateway-eu-1 is Down"),
             QStringLiteral("database down: connection refused"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(finished.at(0).at(0).toInt(), 7);
    const QString env = QString::fromUtf8(readFile(dir.filePath(QStringLiteral("env.txt"))));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_SERVER_NAME=gateway-eu-1\n")));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_SERVER_ID=id-1\n")));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_FROM=up\n")));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_TO=down\n")));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_AT=2026-12-01T10:00:00Z\n")));
    QVERIFY(env.contains(QStringLiteral("HEALTHDECK_TITLE=gateway-eu-1 is Down\n")));
    const QJsonObject json =
        QJsonDocument::fromJson(readFile(dir.filePath(QStringLiteral("stdin.json")))).object();
    QCOMPARE(json.value(QStringLiteral("server_name")).toString(), QStringLiteral("gateway-eu-1"));
    QCOMPARE(json.value(QStringLiteral("to")).toString(), QStringLiteral("down"));
    QCOMPARE(json.value(QStringLiteral("sentence")).toString(),
             QStringLiteral("database down: connection refused"));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("args.txt"))), QByteArray("--fixed arg"));
  }

  void serverTextIsNeverAShell() {
    QTemporaryDir dir;
    const QString marker = dir.filePath(QStringLiteral("pwned"));
    const QString evil = QStringLiteral("x\"; touch %1; $(touch %1) `touch %1`").arg(marker);
    NotificationHook hook;
    hook.setCommand({kRecorder, dir.path()});
    QSignalSpy finished(&hook, &NotificationHook::hookFinished);
    hook.run(downEvent(evil), evil % QStringLiteral(" is Down"), evil);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(!QFile::exists(marker));
    const QJsonObject json =
        QJsonDocument::fromJson(readFile(dir.filePath(QStringLiteral("stdin.json")))).object();
    QCOMPARE(json.value(QStringLiteral("server_name")).toString(), evil);
    QVERIFY(QString::fromUtf8(readFile(dir.filePath(QStringLiteral("env.txt"))))
                .contains(QStringLiteral("HEALTHDECK_SERVER_NAME=") % evil));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("args.txt"))), QByteArray()); // no args added
  }

  void hangingProgramIsKilledAtTheTimeout() {
    QTemporaryDir dir;
    NotificationHook hook;
    hook.setCommand({kRecorder, dir.path(), QStringLiteral("hang")});
    hook.setTimeout(std::chrono::milliseconds(300));
    QSignalSpy failed(&hook, &NotificationHook::hookFailed);
    QSignalSpy finished(&hook, &NotificationHook::hookFinished);
    QElapsedTimer clock;
    clock.start();
    hook.run(downEvent(QStringLiteral("a")), QStringLiteral("a is Down"), QStringLiteral("x"));
    QCOMPARE(hook.running(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("timeout")));
    QCOMPARE(finished.size(), 0);
    QCOMPARE(hook.running(), 0);
  }

  void missingProgramIsReported() {
    NotificationHook hook;
    hook.setCommand({QStringLiteral("/nonexistent/healthdeck-hook")});
    QSignalSpy failed(&hook, &NotificationHook::hookFailed);
    hook.run(downEvent(QStringLiteral("a")), QStringLiteral("a is Down"), QStringLiteral("x"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("did not start")));
    QCOMPARE(hook.running(), 0);
  }

  void notifierFeedsHookAndTriageSilencesIt() {
    QTemporaryDir dir;
    TargetStore store;
    TargetConfig a;
    a.id = QStringLiteral("a");
    a.name = QStringLiteral("alpha");
    a.baseUrl = QUrl(QStringLiteral("http://192.0.2.1:9797"));
    store.setTargets({a});
    TriageState triage(&store);
    TransitionNotifier notifier(store);
    notifier.setTriage(&triage);
    notifier.setReminderInterval(std::chrono::milliseconds(0));
    NotificationHook hook;
    hook.setCommand({kRecorder, dir.path()});
    connect(&notifier, &TransitionNotifier::notificationDue, &hook, &NotificationHook::run);
    QSignalSpy finished(&hook, &NotificationHook::hookFinished);
    const QDateTime t0 = QDateTime(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);
    const auto apply = [&](TargetState s, int secs) {
      TargetSnapshot snap;
      snap.targetId = QStringLiteral("a");
      snap.state = s;
      snap.polledAt = t0.addSecs(secs);
      snap.sentence = describe(snap);
      store.applySnapshot(snap);
    };
    apply(TargetState::Up, 0);
    triage.acknowledge(QStringLiteral("a"), QStringLiteral("bob"), QStringLiteral("on it"));
    apply(TargetState::Down, 15);
    QTest::qWait(300);
    QCOMPARE(finished.size(), 0); // acknowledged: the hook is not run either
    triage.clearAcknowledgement(QStringLiteral("a"));
    apply(TargetState::Unreachable, 30);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const QJsonObject json =
        QJsonDocument::fromJson(readFile(dir.filePath(QStringLiteral("stdin.json")))).object();
    QCOMPARE(json.value(QStringLiteral("title")).toString(),
             QStringLiteral("alpha is Unreachable"));
  }
};

QTEST_GUILESS_MAIN(TstNotificationHook)
#include "tst_notification_hook.moc"
