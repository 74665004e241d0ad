// Triage in the client library: acknowledgement until recovery, snooze expiry, maintenance
// windows (one-off, daily across midnight, daily and weekly across a DST change in
// Europe/Berlin), staleness after 2x the interval, parent/child suppression (one notification
// for a parent and ten children), certificate threshold notifications, and persistence.
// Everything goes through the real TargetStore, TriageState, FreshnessMonitor and
// TransitionNotifier; time is injected where the rule is about time.

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/freshness_monitor.h"
#include "healthdeck/client/store/maintenance_window.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_status.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/client/store/triage_state.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace healthdeck;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);

TargetConfig server(const QString& id, const QString& group = {}, const QString& parent = {}) {
  TargetConfig t;
  t.id = id;
  t.name = id;
  t.group = group;
  t.parentId = parent;
  t.baseUrl = QUrl(QStringLiteral("http://192.0.2.1:9797"));
  t.interval = std::chrono::seconds(15);
  return t;
}

TargetSnapshot snap(const QString& id, TargetState state, const QDateTime& at) {
  TargetSnapshot s;
  s.targetId = id;
  s.state = state;
  s.polledAt = at;
  if (state == TargetState::Unreachable) {
    s.error = PollError::ConnectionRefused;
    s.errorDetail = QStringLiteral("Connection refused (192.0.2.1:9797)");
  }
  s.sentence = describe(s);
  return s;
}

QDateTime berlin(int y, int m, int d, int h, int min) {
  return QDateTime(QDate(y, m, d), QTime(h, min), QTimeZone("Europe/Berlin")).toUTC();
}

MaintenanceWindow window(MaintenanceWindow::Repeat repeat, QDate date, QTime time, int minutes) {
  MaintenanceWindow w;
  w.id = QStringLiteral("w1");
  w.targetId = QStringLiteral("a");
  w.startDate = date;
  w.startTime = time;
  w.duration = std::chrono::minutes(minutes);
  w.repeat = repeat;
  w.zone = QTimeZone("Europe/Berlin");
  return w;
}

} // namespace

class TstTriageState : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void acknowledgementLastsUntilRecovery() {
    TargetStore store;
    store.setTargets({server(QStringLiteral("a"))});
    TriageState triage(&store);
    TransitionNotifier notifier(store);
    notifier.setTriage(&triage);
    notifier.setReminderInterval(std::chrono::milliseconds(0));
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    QSignalSpy held(&notifier, &TransitionNotifier::notificationSuppressed);
    QSignalSpy ended(&triage, &TriageState::acknowledgementEnded);

    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, kT0.addSecs(15)));
    QCOMPARE(due.size(), 1); // the first problem is news
    triage.acknowledge(QStringLiteral("a"), QStringLiteral("alice"),
                       QStringLiteral("disk replaced tonight"));
    QVERIFY(!triage.mayNotify(QStringLiteral("a")));
    const TargetStatus st = targetStatus(store, &triage, QStringLiteral("a"), kT0.addSecs(20));
    QVERIFY(st.acknowledged);
    QVERIFY(!st.needsAttention);
    QVERIFY(st.overlayToolTip.contains(QStringLiteral("alice")));
    QVERIFY(st.overlayToolTip.contains(QStringLiteral("disk replaced tonight")));

    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Unreachable, kT0.addSecs(30)));
    QCOMPARE(due.size(), 1); // acknowledged: Down → Unreachable stays quiet
    QCOMPARE(held.size(), 1);
    QCOMPARE(held.at(0).at(1).toString(), QStringLiteral("acknowledged"));
    QCOMPARE(ended.size(), 0);

    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Degraded, kT0.addSecs(45)));
    QCOMPARE(ended.size(), 0); // degraded is not recovered
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0.addSecs(60)));
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.at(0).at(0).toString(), QStringLiteral("a"));
    QVERIFY(!triage.acknowledgement(QStringLiteral("a")));
    const int before = static_cast<int>(due.size());
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, kT0.addSecs(75)));
    QCOMPARE(due.size(), before + 1); // the next problem is news again
  }

  void snoozeExpires() {
    TargetStore store;
    store.setTargets({server(QStringLiteral("a"), QStringLiteral("Prod")),
                      server(QStringLiteral("b"), QStringLiteral("Prod")),
                      server(QStringLiteral("c"), QStringLiteral("Stage"))});
    TriageState triage(&store);
    QSignalSpy ended(&triage, &TriageState::snoozeEnded);
    const QDateTime until = QDateTime::currentDateTimeUtc().addMSecs(300);
    triage.snoozeTarget(QStringLiteral("c"), until);
    triage.snoozeGroup(QStringLiteral("Prod"), until.addMSecs(200));
    QVERIFY(!triage.mayNotify(QStringLiteral("a")));
    QVERIFY(!triage.mayNotify(QStringLiteral("b")));
    QVERIFY(!triage.mayNotify(QStringLiteral("c")));
    QCOMPARE(*triage.snoozedUntil(QStringLiteral("b")), until.addMSecs(200));
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 3000);
    QCOMPARE(ended.at(0).at(0).toString(), QStringLiteral("server:c"));
    QVERIFY(triage.mayNotify(QStringLiteral("c")));
    QVERIFY(!triage.mayNotify(QStringLiteral("a")));
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 3000);
    QCOMPARE(ended.at(1).at(0).toString(), QStringLiteral("group:Prod"));
    QVERIFY(triage.mayNotify(QStringLiteral("a")));
    // A time in the past is no snooze at all.
    triage.snoozeTarget(QStringLiteral("a"), QDateTime::currentDateTimeUtc().addSecs(-1));
    QVERIFY(!triage.snoozedUntil(QStringLiteral("a")));
  }

  void snoozedTransitionsDoNotNotify() {
    TargetStore store;
    store.setTargets({server(QStringLiteral("a"), QStringLiteral("Prod"))});
    TriageState triage(&store);
    TransitionNotifier notifier(store);
    notifier.setTriage(&triage);
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    QSignalSpy held(&notifier, &TransitionNotifier::notificationSuppressed);
    triage.snoozeGroup(QStringLiteral("Prod"), QDateTime::currentDateTimeUtc().addSecs(3600));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, kT0.addSecs(15)));
    QCOMPARE(due.size(), 0);
    QCOMPARE(held.size(), 1);
    QCOMPARE(held.at(0).at(1).toString(), QStringLiteral("snoozed"));
    const TargetStatus st = targetStatus(store, &triage, QStringLiteral("a"), kT0.addSecs(20));
    QVERIFY(st.snoozed);
    QVERIFY(st.needsAttention); // snooze silences, it does not hide the problem
  }

  void maintenance_data() {
    using R = MaintenanceWindow::Repeat;
    QTest::addColumn<int>("repeat");
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QTime>("time");
    QTest::addColumn<int>("minutes");
    QTest::addColumn<QDateTime>("at");
    QTest::addColumn<bool>("inside");
    QTest::addColumn<QDateTime>("end");
    const QDate d(2026, 11, 2); // a Monday
    // One-off.
    QTest::newRow("one-off inside")
        << int(R::None) << d << QTime(22, 0) << 30 << berlin(2026, 11, 2, 22, 10) << true
        << berlin(2026, 11, 2, 22, 30);
    QTest::newRow("one-off next day") << int(R::None) << d << QTime(22, 0) << 30
                                      << berlin(2026, 11, 3, 22, 10) << false << QDateTime();
    // Daily across midnight: 23:00 for 2 h covers 00:30 of the following day.
    QTest::newRow("daily before midnight")
        << int(R::Daily) << d << QTime(23, 0) << 120 << berlin(2026, 11, 10, 23, 30) << true
        << berlin(2026, 11, 11, 1, 0);
    QTest::newRow("daily after midnight")
        << int(R::Daily) << d << QTime(23, 0) << 120 << berlin(2026, 11, 11, 0, 30) << true
        << berlin(2026, 11, 11, 1, 0);
    QTest::newRow("daily after the end") << int(R::Daily) << d << QTime(23, 0) << 120
                                         << berlin(2026, 11, 11, 1, 0) << false << QDateTime();
    QTest::newRow("daily before the first day")
        << int(R::Daily) << d << QTime(23, 0) << 120 << berlin(2026, 11, 2, 0, 30) << false
        << QDateTime();
    // DST: Europe/Berlin springs forward on 2027-03-28 at 02:00 and falls back on
    // 2026-10-25 at 03:00. A daily 01:00 window stays at 01:00 local on both sides, which is
    // 00:00 UTC in winter and 23:00 UTC the evening before in summer.
    QTest::newRow("daily 01:00 last winter day")
        << int(R::Daily) << QDate(2027, 3, 1) << QTime(1, 0) << 60
        << QDateTime(QDate(2027, 3, 27), QTime(0, 30), Qt::UTC) << true
        << QDateTime(QDate(2027, 3, 27), QTime(1, 0), Qt::UTC);
    QTest::newRow("daily 01:00 first summer day")
        << int(R::Daily) << QDate(2027, 3, 1) << QTime(1, 0) << 60
        << QDateTime(QDate(2027, 3, 28), QTime(23, 30), Qt::UTC) << true
        << QDateTime(QDate(2027, 3, 29), QTime(0, 0), Qt::UTC);
    QTest::newRow("daily 01:00 summer: 00:30 UTC is 02:30 local, outside")
        << int(R::Daily) << QDate(2027, 3, 1) << QTime(1, 0) << 60
        << QDateTime(QDate(2027, 3, 29), QTime(0, 30), Qt::UTC) << false << QDateTime();
    // The night of the change: 01:00 CET for 3 h ends at 05:00 CEST (3 elapsed hours).
    QTest::newRow("daily across the spring-forward night")
        << int(R::Daily) << QDate(2027, 3, 1) << QTime(1, 0) << 180 << berlin(2027, 3, 28, 4, 30)
        << true << berlin(2027, 3, 28, 5, 0);
    // Fall back: 02:30 exists twice on 2026-10-25; the window of 02:00 for 2 h lasts 2 h.
    QTest::newRow("daily across the fall-back night")
        << int(R::Daily) << QDate(2026, 10, 1) << QTime(2, 0) << 120
        << QDateTime(QDate(2026, 10, 25), QTime(1, 30), Qt::UTC) << true
        << QDateTime(QDate(2026, 10, 25), QTime(2, 0), Qt::UTC);
    // Weekly on Mondays 23:30 for 1 h: Tuesday 00:15 inside, Wednesday 00:15 not.
    QTest::newRow("weekly across midnight")
        << int(R::Weekly) << d << QTime(23, 30) << 60 << berlin(2026, 11, 17, 0, 15) << true
        << berlin(2026, 11, 17, 0, 30);
    QTest::newRow("weekly other day") << int(R::Weekly) << d << QTime(23, 30) << 60
                                      << berlin(2026, 11, 18, 0, 15) << false << QDateTime();
    // Weekly across the spring change: Sundays 01:00 local before and after.
    QTest::newRow("weekly first summer Sunday")
        << int(R::Weekly) << QDate(2027, 3, 21) << QTime(12, 0) << 60
        << QDateTime(QDate(2027, 3, 28), QTime(10, 30), Qt::UTC) << true
        << QDateTime(QDate(2027, 3, 28), QTime(11, 0), Qt::UTC);
  }
  void maintenance() {
    QFETCH(int, repeat);
    QFETCH(QDate, date);
    QFETCH(QTime, time);
    QFETCH(int, minutes);
    QFETCH(QDateTime, at);
    QFETCH(bool, inside);
    QFETCH(QDateTime, end);
    const MaintenanceWindow w =
        window(static_cast<MaintenanceWindow::Repeat>(repeat), date, time, minutes);
    const auto occ = w.occurrenceAt(at);
    QCOMPARE(occ.has_value(), inside);
    if (inside) QCOMPARE(occ->second, end);
    // The definition survives the server list file.
    QString error;
    const auto back = MaintenanceWindow::fromJson(w.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->occurrenceAt(at).has_value(), inside);
  }

  void maintenanceSilencesAndShows() {
    TargetStore store;
    store.setTargets({server(QStringLiteral("a"), QStringLiteral("Prod"))});
    TriageState triage(&store);
    QDateTime now = berlin(2026, 11, 10, 23, 30);
    triage.setClock([&now] { return now; });
    TransitionNotifier notifier(store);
    notifier.setTriage(&triage);
    notifier.setReminderInterval(std::chrono::milliseconds(0));
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    MaintenanceWindow w =
        window(MaintenanceWindow::Repeat::Daily, QDate(2026, 11, 2), QTime(23, 0), 120);
    w.targetId.clear();
    w.group = QStringLiteral("Prod");
    w.note = QStringLiteral("nightly backup");
    triage.setMaintenanceWindows({w});
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, now));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, now.addSecs(15)));
    QCOMPARE(due.size(), 0);
    TargetStatus st = targetStatus(store, &triage, QStringLiteral("a"), now);
    QVERIFY(st.maintenance);
    QCOMPARE(st.presentation.word, QStringLiteral("Maintenance"));
    QVERIFY(!st.needsAttention);
    QVERIFY(st.overlayToolTip.contains(QStringLiteral("nightly backup")));
    now = berlin(2026, 11, 11, 1, 5); // the window ended after midnight
    st = targetStatus(store, &triage, QStringLiteral("a"), now);
    QVERIFY(!st.maintenance);
    QVERIFY(st.needsAttention);
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Unreachable, now));
    QCOMPARE(due.size(), 1);
  }

  void maintenanceChangeSignalled() {
    TriageState triage(nullptr);
    QSignalSpy changed(&triage, &TriageState::maintenanceChanged);
    MaintenanceWindow w;
    w.id = QStringLiteral("soon");
    w.targetId = QStringLiteral("a");
    const QDateTime start = QDateTime::currentDateTime().addSecs(1);
    w.zone = QTimeZone::systemTimeZone();
    w.startDate = start.date();
    w.startTime = QTime(start.time().hour(), start.time().minute(), start.time().second());
    w.duration = std::chrono::minutes(1);
    triage.setMaintenanceWindows({w});
    QCOMPARE(changed.size(), 1);
    QVERIFY(!triage.activeMaintenance(QStringLiteral("a")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000); // it started
    QVERIFY(triage.activeMaintenance(QStringLiteral("a")));
  }

  void staleAfterTwiceTheInterval() {
    TargetStore store;
    TargetConfig a = server(QStringLiteral("a"));
    a.interval = std::chrono::seconds(60);
    TargetConfig off = server(QStringLiteral("off"));
    off.enabled = false;
    store.setTargets({a, off, server(QStringLiteral("never"))});
    QDateTime wall = kT0;
    qint64 mono = 0;
    FreshnessMonitor monitor(store);
    monitor.setClocks([&wall] { return wall; }, [&mono] { return mono; });
    QSignalSpy stale(&store, &TargetStore::staleChanged);

    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, kT0));
    store.applySnapshot(snap(QStringLiteral("off"), TargetState::Up, kT0));
    wall = kT0.addSecs(120); // exactly 2x: not yet
    monitor.check();
    QCOMPARE(stale.size(), 0);
    wall = kT0.addSecs(14 * 60);
    monitor.check();
    QCOMPARE(stale.size(), 1);
    QCOMPARE(stale.at(0).at(0).toString(), QStringLiteral("a"));
    QCOMPARE(stale.at(0).at(1).toBool(), true);
    QVERIFY(store.isStale(QStringLiteral("a")));
    QVERIFY(!store.isStale(QStringLiteral("off")));   // not polled on purpose
    QVERIFY(!store.isStale(QStringLiteral("never"))); // unknown, not stale
    QCOMPARE(store.staleCount(), 1);
    // Never shown as current: not counted as down, the tray's worst is not Down.
    QCOMPARE(store.stateCounts().at(static_cast<std::size_t>(TargetState::Down)), 0);
    QVERIFY(store.worstState() != TargetState::Down);
    const TargetStatus st = targetStatus(store, nullptr, QStringLiteral("a"), wall);
    QCOMPARE(st.presentation.word, QStringLiteral("Stale"));
    QCOMPARE(st.sentence, QStringLiteral("down, 14 min ago — no answer since"));
    QVERIFY(st.needsAttention);
    // A new answer makes it current again.
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, wall));
    QCOMPARE(stale.size(), 2);
    QCOMPARE(stale.at(1).at(1).toBool(), false);
    QVERIFY(!store.isStale(QStringLiteral("a")));
  }

  void resumeDetectedFromClockJump() {
    TargetStore store;
    QDateTime wall = kT0;
    qint64 mono = 0;
    FreshnessMonitor monitor(store);
    monitor.setClocks([&wall] { return wall; }, [&mono] { return mono; });
    monitor.setTickInterval(std::chrono::milliseconds(20));
    QSignalSpy resumed(&monitor, &FreshnessMonitor::resumeDetected);
    // Both clocks advance alike: no resume.
    wall = wall.addSecs(5);
    mono += 5000;
    QTest::qWait(100);
    QCOMPARE(resumed.size(), 0);
    // The machine slept 40 min: the wall clock moved, the monotonic one did not.
    wall = wall.addSecs(40 * 60);
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, 2000);
    QVERIFY(resumed.at(0).at(0).toLongLong() >= 40 * 60 * 1000 - 1000);
    QTest::qWait(100);
    QCOMPARE(resumed.size(), 1); // once per jump
  }

  void oneNotificationForParentAndTenChildren_data() {
    QTest::addColumn<bool>("childrenFirst");
    QTest::newRow("parent noticed first") << false;
    QTest::newRow("children noticed first") << true;
  }
  void oneNotificationForParentAndTenChildren() {
    QFETCH(bool, childrenFirst);
    TargetStore store;
    QList<TargetConfig> targets{server(QStringLiteral("gw"))};
    for (int i = 0; i < 10; ++i)
      targets << server(QStringLiteral("app-%1").arg(i), {}, QStringLiteral("gw"));
    targets << server(QStringLiteral("elsewhere"));
    store.setTargets(targets);
    TransitionNotifier notifier(store);
    notifier.setReminderInterval(std::chrono::milliseconds(0));
    notifier.setChildHold(std::chrono::milliseconds(200));
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    QSignalSpy held(&notifier, &TransitionNotifier::notificationSuppressed);
    for (const auto& t : targets)
      store.applySnapshot(snap(t.id, TargetState::Up, kT0));
    const auto children = [&] {
      for (int i = 0; i < 10; ++i)
        store.applySnapshot(
            snap(QStringLiteral("app-%1").arg(i), TargetState::Unreachable, kT0.addSecs(30)));
    };
    if (childrenFirst) children();
    store.applySnapshot(snap(QStringLiteral("gw"), TargetState::Down, kT0.addSecs(30)));
    if (!childrenFirst) children();
    QTRY_COMPARE_WITH_TIMEOUT(held.size(), 10, 3000);
    QTest::qWait(300);
    QCOMPARE(due.size(), 1);
    QCOMPARE(due.at(0).at(1).toString(), QStringLiteral("gw is Down — 10 servers behind it"));
    QCOMPARE(held.at(0).at(1).toString(), QStringLiteral("behind gw"));
    const TargetStatus st = targetStatus(store, nullptr, QStringLiteral("app-3"), kT0);
    QCOMPARE(st.sentence, QStringLiteral("Unreachable behind gw"));
    QVERIFY(!st.needsAttention); // the parent carries it
    // A server without that parent still speaks for itself.
    store.applySnapshot(
        snap(QStringLiteral("elsewhere"), TargetState::Unreachable, kT0.addSecs(30)));
    QCOMPARE(due.size(), 2);
  }

  void childNotifiesWhenParentIsUp() {
    TargetStore store;
    store.setTargets(
        {server(QStringLiteral("gw")), server(QStringLiteral("app"), {}, QStringLiteral("gw"))});
    TransitionNotifier notifier(store);
    notifier.setChildHold(std::chrono::milliseconds(50));
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    store.applySnapshot(snap(QStringLiteral("gw"), TargetState::Up, kT0));
    store.applySnapshot(snap(QStringLiteral("app"), TargetState::Up, kT0));
    store.applySnapshot(snap(QStringLiteral("app"), TargetState::Unreachable, kT0.addSecs(15)));
    QCOMPARE(due.size(), 0); // held for the parent's verdict
    QTRY_COMPARE_WITH_TIMEOUT(due.size(), 1, 2000);
    QCOMPARE(due.at(0).at(1).toString(), QStringLiteral("app is Unreachable"));
  }

  void certificateThresholdNotifiesOnce() {
    TargetStore store;
    TargetConfig a = server(QStringLiteral("a"));
    a.certWarnDays = 30; // per-server override
    store.setTargets({a});
    TransitionNotifier notifier(store);
    QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
    const QDateTime expiry = kT0.addDays(40);
    const auto poll = [&](int day) {
      TargetSnapshot s = snap(QStringLiteral("a"), TargetState::Up, kT0.addDays(day));
      s.certificateExpiry = expiry;
      store.applySnapshot(s);
    };
    poll(0); // 40 days: fine
    QCOMPARE(due.size(), 0);
    poll(12); // 28 days: below the override of 30
    QCOMPARE(due.size(), 1);
    QCOMPARE(due.at(0).at(1).toString(), QStringLiteral("a: certificate expires in 28 days"));
    poll(13);
    poll(20);
    QCOMPARE(due.size(), 1); // once per threshold
    poll(34);                // 6 days: critical
    QCOMPARE(due.size(), 2);
    poll(35);
    QCOMPARE(due.size(), 2);
    poll(41); // expired
    QCOMPARE(due.size(), 3);
    QCOMPARE(due.at(2).at(1).toString(), QStringLiteral("a: certificate expired"));
  }

  void persistsAcrossRestarts() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("triage.json"));
    const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(3600);
    {
      TriageState triage(nullptr);
      QVERIFY(triage.openStateFile(path));
      triage.acknowledge(QStringLiteral("a"), QStringLiteral("alice"), QStringLiteral("known"));
      triage.snoozeGroup(QStringLiteral("Prod"), until);
    }
    TriageState again(nullptr);
    QString error;
    QVERIFY2(again.openStateFile(path, &error), qPrintable(error));
    QCOMPARE(again.acknowledgement(QStringLiteral("a"))->by, QStringLiteral("alice"));
    QCOMPARE(again.acknowledgement(QStringLiteral("a"))->note, QStringLiteral("known"));
    QCOMPARE(again.toJson().value(QStringLiteral("snoozes")).toArray().size(), 1);
    // A broken file is reported, not silently replaced.
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{not json");
    f.close();
    TriageState broken(nullptr);
    QVERIFY(!broken.openStateFile(path, &error));
    QVERIFY(error.contains(QStringLiteral("not valid JSON")));
  }

  void serverListCarriesTriageDefinitions() {
    TargetConfig a = server(QStringLiteral("a"), QStringLiteral("Prod"));
    a.tags = {QStringLiteral("db"), QStringLiteral("eu")};
    a.certWarnDays = 30;
    a.certCritDays = 10;
    TargetConfig b = server(QStringLiteral("b"), QStringLiteral("Prod"), QStringLiteral("a"));
    MaintenanceWindow w =
        window(MaintenanceWindow::Repeat::Weekly, QDate(2026, 11, 2), QTime(23, 30), 90);
    w.note = QStringLiteral("patching");
    const QByteArray json = serializeServerList({a, b}, {w});
    const ServerListResult back = parseServerList(json, QStringLiteral("servers.json"));
    QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
    QCOMPARE(back.servers.at(0).tags, a.tags);
    QCOMPARE(back.servers.at(0).certWarnDays, 30);
    QCOMPARE(back.servers.at(0).certCritDays, 10);
    QCOMPARE(back.servers.at(1).parentId, QStringLiteral("a"));
    QCOMPARE(back.maintenance.size(), 1);
    QCOMPARE(back.maintenance.at(0).note, QStringLiteral("patching"));
    QCOMPARE(back.maintenance.at(0).describe(),
             QStringLiteral("weekly on Monday 23:30 for 1 h 30 min (Europe/Berlin)"));
    // Errors name the file, the entry and the key.
    QByteArray bad = json;
    bad.replace("\"parent\": \"a\"", "\"parent\": \"nobody\"");
    QCOMPARE(parseServerList(bad, QStringLiteral("servers.json")).error,
             QStringLiteral("servers.json: servers[1].parent: \"nobody\" is not another "
                            "server's id"));
    bad = json;
    bad.replace("\"repeat\": \"weekly\"", "\"repeat\": \"hourly\"");
    QCOMPARE(parseServerList(bad, QStringLiteral("servers.json")).error,
             QStringLiteral("servers.json: maintenance[0].repeat: one of none, daily, weekly"));
  }
};

QTEST_GUILESS_MAIN(TstTriageState)
#include "tst_triage_state.moc"
