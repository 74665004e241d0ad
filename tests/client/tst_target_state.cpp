// TargetStateMachine: transitions, flap control and notification rate limits, driven by
// observations with chosen timestamps (the machine reads time only from snapshots).

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_state_machine.h"

#include <QSignalSpy>
#include <QtTest>

using namespace healthdeck;

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);

TargetSnapshot obs(TargetState state, int secondsAfterT0, const QString& id = QStringLiteral("a")) {
  TargetSnapshot s;
  s.targetId = id;
  s.state = state;
  s.polledAt = kT0.addSecs(secondsAfterT0);
  if (state == TargetState::Unreachable) {
    s.error = PollError::ConnectionRefused;
    s.errorDetail = QStringLiteral("Connection refused (127.0.0.1:9)");
  }
  s.sentence = describe(s);
  return s;
}

int st(TargetState s) {
  return static_cast<int>(s);
}

} // namespace

class TstTargetState : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void firstObservationShownAtOnce() {
    TargetStateMachine m;
    QSignalSpy changed(&m, &TargetStateMachine::stateChanged);
    QSignalSpy notes(&m, &TargetStateMachine::notificationDue);
    QCOMPARE(st(m.current(QStringLiteral("a")).state), st(TargetState::Unknown));
    QCOMPARE(m.current(QStringLiteral("a")).sentence, QStringLiteral("Waiting for the first poll"));
    QCOMPARE(st(m.observe(obs(TargetState::Unreachable, 0)).state), st(TargetState::Unreachable));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(notes.size(), 1); // a target that starts broken is news
    TargetStateMachine m2;
    QSignalSpy notes2(&m2, &TargetStateMachine::notificationDue);
    QCOMPARE(st(m2.observe(obs(TargetState::Up, 0)).state), st(TargetState::Up));
    QCOMPARE(notes2.size(), 0); // one that starts up is not
  }

  void failuresToDown_data() {
    QTest::addColumn<int>("failuresToDown");
    QTest::newRow("default 2") << 2;
    QTest::newRow("1: immediate") << 1;
    QTest::newRow("4") << 4;
  }
  void failuresToDown() {
    QFETCH(int, failuresToDown);
    TargetStateMachine m;
    FlapPolicy p;
    p.failuresToDown = failuresToDown;
    m.setPolicy(QStringLiteral("a"), p);
    QSignalSpy changed(&m, &TargetStateMachine::stateChanged);
    int t = 0;
    m.observe(obs(TargetState::Up, t += 15));
    for (int i = 1; i < failuresToDown; ++i) {
      const auto shown = m.observe(obs(TargetState::Unreachable, t += 15));
      QCOMPARE(st(shown.state), st(TargetState::Up));
      QVERIFY2(shown.errorDetail.startsWith(QStringLiteral("held:")),
               qPrintable(shown.errorDetail));
    }
    const auto down = m.observe(obs(TargetState::Unreachable, t += 15));
    QCOMPARE(st(down.state), st(TargetState::Unreachable));
    QCOMPARE(down.sentence, QStringLiteral("Connection refused (127.0.0.1:9)"));
    QCOMPARE(changed.size(), 2); // Unknown->Up, Up->Unreachable
    QCOMPARE(st(changed.last().at(1).value<TargetState>()), st(TargetState::Up));
    QCOMPARE(st(changed.last().at(2).value<TargetState>()), st(TargetState::Unreachable));
  }

  void successesToUp() {
    TargetStateMachine m;
    FlapPolicy p;
    p.successesToUp = 3;
    m.setPolicy(QStringLiteral("a"), p);
    m.observe(obs(TargetState::Down, 0));
    QCOMPARE(st(m.observe(obs(TargetState::Up, 15)).state), st(TargetState::Down));
    QCOMPARE(st(m.observe(obs(TargetState::Up, 30)).state), st(TargetState::Down));
    QCOMPARE(st(m.observe(obs(TargetState::Up, 45)).state), st(TargetState::Up));
    // A single failure in between restarts the count.
    m.observe(obs(TargetState::Down, 60));
    m.observe(obs(TargetState::Down, 75));
    m.observe(obs(TargetState::Up, 90));
    m.observe(obs(TargetState::Down, 105));
    QCOMPARE(st(m.observe(obs(TargetState::Up, 120)).state), st(TargetState::Down));
  }

  void goodAndBadKindsChangeAtOnce() {
    TargetStateMachine m;
    m.observe(obs(TargetState::Up, 0));
    QCOMPARE(st(m.observe(obs(TargetState::Degraded, 15)).state), st(TargetState::Degraded));
    QCOMPARE(st(m.observe(obs(TargetState::Up, 30)).state), st(TargetState::Up));
    m.observe(obs(TargetState::Down, 45));
    m.observe(obs(TargetState::Down, 60));
    QCOMPARE(st(m.observe(obs(TargetState::Unauthorized, 75)).state),
             st(TargetState::Unauthorized));
  }

  void targetsAreIndependent() {
    TargetStateMachine m;
    m.observe(obs(TargetState::Up, 0, QStringLiteral("a")));
    m.observe(obs(TargetState::Down, 0, QStringLiteral("b")));
    QCOMPARE(st(m.observe(obs(TargetState::Down, 15, QStringLiteral("a"))).state),
             st(TargetState::Up));
    QCOMPARE(st(m.current(QStringLiteral("b")).state), st(TargetState::Down));
    m.reset(QStringLiteral("b"));
    QCOMPARE(st(m.current(QStringLiteral("b")).state), st(TargetState::Unknown));
  }

  void flappingHoldsBadState() {
    TargetStateMachine m;
    FlapPolicy p;
    p.failuresToDown = 1;
    p.successesToUp = 1;
    p.flapChanges = 4;
    p.flapWindow = std::chrono::minutes(10);
    m.setPolicy(QStringLiteral("a"), p);
    QSignalSpy notes(&m, &TargetStateMachine::notificationDue);
    QSignalSpy changed(&m, &TargetStateMachine::stateChanged);
    int t = 0;
    QList<TargetSnapshot> shown;
    for (int i = 0; i < 12; ++i)
      shown << m.observe(obs(i % 2 ? TargetState::Unreachable : TargetState::Up, t += 15));
    // Changes 1..3 alternate; from the 4th change on the target is flapping and stays bad.
    QVERIFY(!shown[3].flapping);
    QVERIFY(shown[4].flapping);
    for (int i = 4; i < shown.size(); ++i) {
      QVERIFY2(shown[i].flapping, qPrintable(QString::number(i)));
      QCOMPARE(st(shown[i].state), st(TargetState::Unreachable));
      QVERIFY2(shown[i].sentence.startsWith(QStringLiteral("Changed state ")),
               qPrintable(shown[i].sentence));
      QVERIFY(shown[i].sentence.endsWith(QStringLiteral(" in 10 min")));
    }
    QCOMPARE(presentation(shown.last()).iconName, QStringLiteral("state-flapping"));
    QVERIFY(presentation(shown.last()).color == ColorRole::Warning);
    const auto titles = [&] {
      QStringList out;
      for (const auto& n : notes)
        out << n.at(1).toString();
      return out;
    }();
    QCOMPARE(titles.count(QStringLiteral("Flapping")), 1);

    // Quiet (stable Up) long enough for the window to empty: flapping ends, Up again.
    TargetSnapshot last;
    for (int i = 0; i < 60; ++i)
      last = m.observe(obs(TargetState::Up, t += 15));
    QVERIFY(!last.flapping);
    QCOMPARE(st(last.state), st(TargetState::Up));
    QVERIFY(changed.size() >= 3);
  }

  void notificationsRateLimited() {
    TargetStateMachine m;
    FlapPolicy p;
    p.failuresToDown = 1;
    p.successesToUp = 1;
    p.flapChanges = 0; // off: isolate the rate limit
    p.notifyMinInterval = std::chrono::minutes(5);
    m.setPolicy(QStringLiteral("a"), p);
    QSignalSpy notes(&m, &TargetStateMachine::notificationDue);
    QSignalSpy changed(&m, &TargetStateMachine::stateChanged);
    m.observe(obs(TargetState::Up, 0));
    m.observe(obs(TargetState::Down, 60));  // notified
    m.observe(obs(TargetState::Up, 120));   // within 5 min: suppressed
    m.observe(obs(TargetState::Down, 180)); // suppressed
    QCOMPARE(changed.size(), 4);
    QCOMPARE(notes.size(), 1);
    QCOMPARE(notes.first().at(1).toString(), QStringLiteral("Down"));
    m.observe(obs(TargetState::Up, 60 + 301)); // 5 min after the last notification
    QCOMPARE(notes.size(), 2);
    QCOMPARE(st(notes.last().at(0).value<TargetSnapshot>().state), st(TargetState::Up));
    // Another target is not limited by the first one.
    m.observe(obs(TargetState::Up, 362, QStringLiteral("b")));
    m.observe(obs(TargetState::Down, 363, QStringLiteral("b")));
    m.observe(obs(TargetState::Down, 364, QStringLiteral("b")));
    QCOMPARE(notes.size(), 3);
  }

  void presentationTable() {
    QSet<QString> icons;
    for (auto s :
         {TargetState::Up, TargetState::Degraded, TargetState::Down, TargetState::Unreachable,
          TargetState::Unauthorized, TargetState::Disabled, TargetState::Unknown}) {
      const auto p = presentation(s);
      QVERIFY(!p.word.isEmpty() && !p.genericSentence.isEmpty());
      icons.insert(p.iconName);
      QVERIFY(targetStateFromString(toString(s)) == s);
    }
    QCOMPARE(icons.size(), 7); // one icon per state
    QVERIFY(presentation(TargetState::Up).color == ColorRole::Good);
    QVERIFY(presentation(TargetState::Unauthorized).color == ColorRole::Attention);
    // A link that opens where the console runs, to the enabling-monitoring section.
    QCOMPARE(presentation(TargetState::Disabled).helpLink, enableMonitoringHelpUrl());
    QVERIFY(enableMonitoringHelpUrl().endsWith(QLatin1String("#enabling-monitoring")));
    QVERIFY(!enableMonitoringHelpUrl().startsWith(QLatin1String("docs/")));
    QVERIFY(severity(TargetState::Down) > severity(TargetState::Degraded));
    QVERIFY(severity(TargetState::Degraded) > severity(TargetState::Up));
  }
};

QTEST_GUILESS_MAIN(TstTargetState)
#include "tst_target_state.moc"
