// TargetStore, the console's item models (under QAbstractItemModelTester), coalesced live
// updates, the persisted event log, notification rules, flap control and the server list file.

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_state_machine.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/ui/models/component_model.h"
#include "healthdeck/ui/models/event_log_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"

#include <QAbstractItemModelTester>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);

TargetConfig target(const QString& id, const QString& group = {}) {
  TargetConfig t;
  t.id = id;
  t.name = id;
  t.group = group;
  t.baseUrl = QUrl(QStringLiteral("http://") + id + QStringLiteral(".example:9797"));
  return t;
}

TargetSnapshot snap(const QString& id, TargetState s, const QDateTime& at,
                    std::vector<std::pair<const char*, Status>> components = {}) {
  TargetSnapshot r;
  r.targetId = id;
  r.state = s;
  r.polledAt = at;
  r.latency = 7ms;
  if (!components.empty()) {
    HealthDocument d;
    for (auto [name, st] : components) {
      HealthComponent c;
      c.name = QString::fromLatin1(name);
      c.path = {c.name};
      c.status = st;
      c.duration = 1500ns;
      d.components.push_back(c);
    }
    r.readiness = d;
  }
  r.sentence = describe(r);
  return r;
}

} // namespace

class TestUiModels : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void listModelUnderTester();
  void liveUpdatesAreCoalesced();
  void componentModelTracksSince();
  void eventLogPersistsAcrossRestarts();
  void notFoundTransitionsSayNotFound();
  void notifications_data();
  void notifications();
  void flapControlledSnapshotsRecordFlapping();
  void serverListRoundTrip();
  void serverListErrors_data();
  void serverListErrors();
};

void TestUiModels::listModelUnderTester() {
  TargetStore store;
  TargetListModel model(store);
  model.setCoalesceInterval(0);
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  store.setTargets({target(QStringLiteral("a"), QStringLiteral("Prod")),
                    target(QStringLiteral("b"), QStringLiteral("Prod")),
                    target(QStringLiteral("c"), QStringLiteral("Stage")),
                    target(QStringLiteral("d"))});
  QCOMPARE(model.rowCount(), 3);
  QCOMPARE(model.groupName(2), QStringLiteral("Servers"));
  store.applySnapshots({snap(QStringLiteral("a"), TargetState::Up, kT0),
                        snap(QStringLiteral("b"), TargetState::Unreachable, kT0)});
  const QModelIndex prod = model.index(0, 0);
  QCOMPARE(prod.data(StateRole).toInt(), static_cast<int>(TargetState::Unreachable));
  QCOMPARE(prod.data(CountRole).toInt(), 2);
  const QModelIndex b = model.indexForTarget(QStringLiteral("b"), TargetListModel::StateColumn);
  QCOMPARE(b.data().toString(), QStringLiteral("Unreachable"));
  QCOMPARE(b.data(SortRole).toInt(), severity(TargetState::Unreachable) * 2);
  QCOMPARE(model.indexForTarget(QStringLiteral("c")).data(StateRole).toInt(),
           static_cast<int>(TargetState::Unknown));
  store.applySnapshot(snap(QStringLiteral("b"), TargetState::Up, kT0.addSecs(15)));
  model.flushPendingChanges();
  QCOMPARE(prod.data(StateRole).toInt(), static_cast<int>(TargetState::Up));
  store.moveTarget(QStringLiteral("b"), 0);
  QCOMPARE(model.index(0, 0, model.index(0, 0)).data(TargetIdRole).toString(), QStringLiteral("b"));
  store.removeTarget(QStringLiteral("c"));
  QCOMPARE(model.rowCount(), 2);
}

void TestUiModels::liveUpdatesAreCoalesced() {
  TargetStore store;
  QList<TargetConfig> targets;
  for (int i = 0; i < 200; ++i)
    targets.append(target(QStringLiteral("t%1").arg(i), QStringLiteral("G%1").arg(i % 4)));
  store.setTargets(targets);
  TargetListModel model(store);
  model.setCoalesceInterval(50);
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  // Five rounds of 200 targets, as a 1 s poll would deliver them in bursts.
  for (int round = 0; round < 5; ++round)
    for (int i = 0; i < 200; ++i)
      store.applySnapshot(snap(QStringLiteral("t%1").arg(i),
                               round % 2 ? TargetState::Degraded : TargetState::Up,
                               kT0.addSecs(round)));
  QCOMPARE(changed.count(), 0); // nothing until the coalescing timer fires
  // All 50 rows of each of the 4 groups changed: one range per group, one signal per group row.
  QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 4 + 4, 2000);
  QSet<QString> covered;
  int groupSignals = 0;
  for (const auto& args : changed) {
    const auto first = args.at(0).value<QModelIndex>();
    const auto last = args.at(1).value<QModelIndex>();
    QCOMPARE(first.parent(), last.parent());
    QVERIFY(args.at(2).value<QList<int>>().contains(StateRole));
    if (!first.parent().isValid()) {
      ++groupSignals;
      QCOMPARE(first.row(), last.row());
      continue;
    }
    for (int r = first.row(); r <= last.row(); ++r)
      covered.insert(model.index(r, 0, first.parent()).data(TargetIdRole).toString());
  }
  QCOMPARE(groupSignals, 4);
  QCOMPARE(covered.size(), 200); // every changed row, each once

  // Rows that are not adjacent get a signal each, and only they: every other row of G0.
  changed.clear();
  for (int i = 0; i < 200; i += 8) // t0, t8, ...: in G0 (i % 4 == 0), rows 0, 2, 4, ...
    store.applySnapshot(snap(QStringLiteral("t%1").arg(i), TargetState::Down, kT0.addSecs(9)));
  model.flushPendingChanges();
  QCOMPARE(changed.count(), 25 + 1);
  for (const auto& args : changed) {
    const auto first = args.at(0).value<QModelIndex>();
    const auto last = args.at(1).value<QModelIndex>();
    QCOMPARE(first.row(), last.row());
    if (first.parent().isValid())
      QCOMPARE(first.data(StateRole).toInt(), static_cast<int>(TargetState::Down));
  }
}

void TestUiModels::componentModelTracksSince() {
  TargetStore store;
  store.setTargets({target(QStringLiteral("a"))});
  ComponentModel model(store, Probe::Readiness);
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setTargetId(QStringLiteral("a"));
  QCOMPARE(model.emptyReason(), QStringLiteral("Waiting for the first poll"));
  store.applySnapshot(
      snap(QStringLiteral("a"), TargetState::Up, kT0, {{"db", Status::Up}, {"redis", Status::Up}}));
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.index(1, ComponentModel::SinceColumn).data(TimeRole).toDateTime(), kT0);
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
  store.applySnapshot(snap(QStringLiteral("a"), TargetState::Degraded, kT0.addSecs(15),
                           {{"db", Status::Up}, {"redis", Status::Degraded}}));
  QCOMPARE(reset.count(), 0); // same components: updated in place
  QCOMPARE(changed.count(), 1);
  QCOMPARE(model.index(0, 0).data(TimeRole).toDateTime(), kT0); // db unchanged since t0
  QCOMPARE(model.index(1, 0).data(TimeRole).toDateTime(), kT0.addSecs(15));
  QCOMPARE(model.index(1, ComponentModel::StatusColumn).data().toString(),
           QStringLiteral("degraded"));
  QCOMPARE(model.index(1, 0).data(StateRole).toInt(), static_cast<int>(TargetState::Degraded));
  QCOMPARE(model.index(0, ComponentModel::DurationColumn).data().toString(),
           QStringLiteral("1 µs"));
  store.applySnapshot(
      snap(QStringLiteral("a"), TargetState::Up, kT0.addSecs(30), {{"db", Status::Up}}));
  QCOMPARE(reset.count(), 1);
  QCOMPARE(model.rowCount(), 1);
}

void TestUiModels::eventLogPersistsAcrossRestarts() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("sub/events.jsonl"));
  {
    TargetStore store(TargetStore::Limits{10, 3});
    store.setTargets({target(QStringLiteral("a"))});
    QVERIFY(store.openEventLog(path));
    EventLogModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy recorded(&store, &TargetStore::eventRecorded);
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0.addSecs(15))); // no change
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Down, kT0.addSecs(30)));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Unreachable, kT0.addSecs(45)));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0.addSecs(60)));
    QCOMPARE(recorded.count(), 4);
    QCOMPARE(store.events().size(), std::size_t{3}); // bounded
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, EventLogModel::ChangeColumn).data().toString(),
             QStringLiteral("Unreachable → Up")); // newest first
    QCOMPARE(store.history(QStringLiteral("a")).size(), std::size_t{5});
    QVERIFY(store.eventLogError().isEmpty());
  }
  TargetStore again(TargetStore::Limits{10, 3});
  QVERIFY(again.openEventLog(path));
  QCOMPARE(again.events().size(), std::size_t{3});
  QVERIFY(again.events().back().to == TargetState::Up);
  QVERIFY(again.events().back().from == TargetState::Unreachable);
  QCOMPARE(again.events().back().at, kT0.addSecs(60));
  QVERIFY(again.events().front().to == TargetState::Down);
}

void TestUiModels::notFoundTransitionsSayNotFound() {
  // A 404 from a server not known to run the module is Disabled worded "Not found": its
  // transitions say so too, and a change between the two kinds of Disabled is a transition.
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("events.jsonl"));
  const auto http404 = [](const QDateTime& at, bool moduleKnown) {
    TargetSnapshot s = snap(QStringLiteral("a"), TargetState::Disabled, at);
    s.httpStatus = 404;
    s.monitoringModuleKnown = moduleKnown;
    return s;
  };
  {
    TargetStore store(TargetStore::Limits{10, 10});
    store.setTargets({target(QStringLiteral("a"))});
    QVERIFY(store.openEventLog(path));
    EventLogModel model(store);
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0));
    store.applySnapshot(http404(kT0.addSecs(15), false));
    store.applySnapshot(http404(kT0.addSecs(30), false)); // no change
    store.applySnapshot(http404(kT0.addSecs(45), true));
    store.applySnapshot(snap(QStringLiteral("a"), TargetState::Up, kT0.addSecs(60)));
    QCOMPARE(model.rowCount(), 4); // newest first; the oldest is Unknown → Up
    QCOMPARE(model.index(2, EventLogModel::ChangeColumn).data().toString(),
             QStringLiteral("Up → Not found"));
    QCOMPARE(model.index(1, EventLogModel::ChangeColumn).data().toString(),
             QStringLiteral("Not found → Disabled"));
    QCOMPARE(model.index(0, EventLogModel::ChangeColumn).data().toString(),
             QStringLiteral("Disabled → Up"));
  }
  TargetStore again(TargetStore::Limits{10, 10});
  QVERIFY(again.openEventLog(path));
  QCOMPARE(again.events().size(), std::size_t{4});
  QCOMPARE(again.events().at(1).changeText(), QStringLiteral("Up → Not found"));
  QCOMPARE(again.events().at(2).changeText(), QStringLiteral("Not found → Disabled"));
}

void TestUiModels::notifications_data() {
  QTest::addColumn<QList<int>>("states");  // TargetState per poll
  QTest::addColumn<QList<int>>("seconds"); // poll time offsets
  QTest::addColumn<int>("expected");
  const int up = static_cast<int>(TargetState::Up), down = static_cast<int>(TargetState::Down),
            unreach = static_cast<int>(TargetState::Unreachable),
            degr = static_cast<int>(TargetState::Degraded);
  QTest::newRow("quiet until the first good poll")
      << QList<int>{down, unreach, down} << QList<int>{0, 15, 30} << 0;
  QTest::newRow("first good poll is no news") << QList<int>{up} << QList<int>{0} << 0;
  QTest::newRow("down after up notifies") << QList<int>{up, down} << QList<int>{0, 15} << 1;
  QTest::newRow("bad start then good then bad")
      << QList<int>{down, up, down} << QList<int>{0, 15, 30} << 1;
  QTest::newRow("at most one per reminder interval")
      << QList<int>{up, down, up, degr, down} << QList<int>{0, 60, 120, 180, 240} << 1;
  QTest::newRow("again after the interval")
      << QList<int>{up, down, up} << QList<int>{0, 60, 60 + 300} << 2;
}

void TestUiModels::notifications() {
  QFETCH(QList<int>, states);
  QFETCH(QList<int>, seconds);
  QFETCH(int, expected);
  TargetStore store;
  store.setTargets({target(QStringLiteral("a"))});
  TransitionNotifier notifier(store);
  notifier.setReminderInterval(5min);
  QSignalSpy due(&notifier, &TransitionNotifier::notificationDue);
  for (int i = 0; i < states.size(); ++i)
    store.applySnapshot(snap(QStringLiteral("a"), static_cast<TargetState>(states.at(i)),
                             kT0.addSecs(seconds.at(i))));
  QCOMPARE(due.count(), expected);
  if (expected > 0) QVERIFY(due.first().at(1).toString().startsWith(QStringLiteral("a is ")));
}

void TestUiModels::flapControlledSnapshotsRecordFlapping() {
  TargetStore store;
  store.setTargets({target(QStringLiteral("a"))});
  TargetStateMachine machine;
  FlapPolicy policy;
  policy.failuresToDown = 1;
  policy.successesToUp = 1;
  policy.flapChanges = 4;
  machine.setPolicy(QStringLiteral("a"), policy);
  connect(&machine, &TargetStateMachine::snapshotChanged, &store, &TargetStore::applySnapshot);
  QSignalSpy recorded(&store, &TargetStore::eventRecorded);
  for (int i = 0; i < 8; ++i)
    machine.observe(snap(QStringLiteral("a"), i % 2 ? TargetState::Down : TargetState::Up,
                         kT0.addSecs(15 * i)));
  QVERIFY(store.snapshot(QStringLiteral("a")).flapping);
  QVERIFY(std::any_of(store.events().begin(), store.events().end(),
                      [](const TargetEvent& e) { return e.flapping; }));
  // Held while flapping: far fewer recorded transitions than raw changes.
  QVERIFY2(recorded.count() < 8, qPrintable(QString::number(recorded.count())));
  QCOMPARE(store.stateCounts().at(static_cast<std::size_t>(TargetState::Down)), 1);
}

void TestUiModels::serverListRoundTrip() {
  TargetConfig a = target(QStringLiteral("a"), QStringLiteral("Prod"));
  a.auth = AuthKind::Bearer;
  a.secretRef = QStringLiteral("keychain:a");
  a.metricsPath.clear();
  a.interval = 30s;
  a.timeout = 1500ms;
  TargetConfig b = target(QStringLiteral("b"));
  b.tlsMode = TlsMode::Pinned;
  b.pinnedSha256 = QByteArray(32, '\x5a');
  b.enabled = false;
  const QByteArray text = serializeServerList({a, b});
  QVERIFY(!text.contains("secret\": \"s3cr3t"));
  const ServerListResult r = parseServerList(text, QStringLiteral("servers.json"));
  QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
  QCOMPARE(r.servers.size(), 2);
  QCOMPARE(r.servers.at(0).secretRef, QStringLiteral("keychain:a"));
  QCOMPARE(r.servers.at(0).metricsPath, QString());
  QCOMPARE(r.servers.at(0).readyPath, QStringLiteral("/health/ready"));
  QCOMPARE(r.servers.at(0).interval, 30s);
  QCOMPARE(r.servers.at(0).timeout, 1500ms);
  QCOMPARE(r.servers.at(1).pinnedSha256, b.pinnedSha256);
  QCOMPARE(r.servers.at(1).enabled, false);
  QCOMPARE(serializeServerList(r.servers), text);
}

void TestUiModels::serverListErrors_data() {
  QTest::addColumn<QByteArray>("json");
  QTest::addColumn<QString>("error");
  QTest::newRow("not json") << QByteArray("{") << QStringLiteral("f.json: not valid JSON");
  QTest::newRow("no list") << QByteArray("{}") << QStringLiteral("f.json: servers:");
  QTest::newRow("bad url") << QByteArray(R"({"servers":[{"name":"a","url":"ftp://x"}]})")
                           << QStringLiteral("f.json: servers[0].url: not an http or https URL");
  QTest::newRow("inline secret")
      << QByteArray(R"({"servers":[{"name":"a","url":"http://x","auth":"bearer","secret":"tok"}]})")
      << QStringLiteral("f.json: servers[0].secret:");
  QTest::newRow("unknown key")
      << QByteArray(R"({"servers":[{"name":"a","url":"http://x","pasword":"x"}]})")
      << QStringLiteral("f.json: servers[0].pasword: unknown key");
  QTest::newRow("duplicate id")
      << QByteArray(R"({"servers":[{"name":"a","url":"http://x"},{"name":"a","url":"http://y"}]})")
      << QStringLiteral("f.json: servers[1].id: \"a\" used twice");
  QTest::newRow("bad interval")
      << QByteArray(R"({"servers":[{"name":"a","url":"http://x","interval":"10ms"}]})")
      << QStringLiteral("f.json: servers[0].interval:");
  QTest::newRow("short pin")
      << QByteArray(
             R"({"servers":[{"name":"a","url":"https://x","tls":"pinned","pinned_sha256":"ab"}]})")
      << QStringLiteral("f.json: servers[0].pinned_sha256: 64 hex digits");
}

void TestUiModels::serverListErrors() {
  QFETCH(QByteArray, json);
  QFETCH(QString, error);
  const ServerListResult r = parseServerList(json, QStringLiteral("f.json"));
  QVERIFY2(r.error.startsWith(error), qPrintable(r.error));
  QVERIFY(r.servers.isEmpty());
}

QTEST_GUILESS_MAIN(TestUiModels)
#include "tst_ui_models.moc"
