// TargetStore keeps its state counts, flapping count, worst state and id index up to date on
// every change (the window and tray read them per snapshot), and the stale and "Not found"
// counts. After any sequence of structure changes, snapshots and freshness changes they must
// equal a recount from the rows themselves.

#include "healthdeck/client/store/target_store.h"

#include <QtTest>

#include <random>

using namespace healthdeck;

namespace {

/// Stale targets are in no state; the rest by their snapshot's state (Unknown when none).
std::array<int, TargetStore::kStateCount> recount(const TargetStore& store) {
  std::array<int, TargetStore::kStateCount> counts{};
  for (const auto& t : store.targets()) {
    if (store.isStale(t.id)) continue;
    const TargetSnapshot* s = store.findSnapshot(t.id);
    counts.at(static_cast<std::size_t>(s ? s->state : TargetState::Unknown)) += 1;
  }
  return counts;
}

TargetConfig target(int i) {
  TargetConfig t;
  t.id = QStringLiteral("t%1").arg(i);
  t.name = t.id;
  return t;
}

} // namespace

class TstStoreCounts : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void countsFollowEveryChange_data() {
    QTest::addColumn<unsigned>("seed");
    for (unsigned seed : {1U, 2U, 3U, 42U})
      QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
  }
  void countsFollowEveryChange() {
    QFETCH(unsigned, seed);
    std::mt19937 rng(seed);
    TargetStore store;
    QList<TargetConfig> targets;
    for (int i = 0; i < 50; ++i)
      targets << target(i);
    store.setTargets(targets);
    QCOMPARE(store.stateCounts().at(static_cast<std::size_t>(TargetState::Unknown)), 50);
    for (int step = 0; step < 2000; ++step) {
      const int op = static_cast<int>(rng() % 20);
      const int i = static_cast<int>(rng() % 60);
      if (op == 0) {
        store.removeTarget(target(i).id);
      } else if (op == 1) {
        store.upsertTarget(target(i));
      } else if (op == 2) {
        store.moveTarget(target(i).id, static_cast<int>(rng() % 50));
      } else if (op == 4 || op == 5) {
        store.setStale(target(i).id, op == 4);
      } else if (op == 3) {
        QList<TargetSnapshot> batch;
        for (int k = 0; k < 5; ++k) {
          TargetSnapshot s;
          s.targetId = target(static_cast<int>(rng() % 60)).id;
          s.state = static_cast<TargetState>(rng() % TargetStore::kStateCount);
          batch << s;
        }
        store.applySnapshots(batch);
      } else {
        TargetSnapshot s;
        s.targetId = target(i).id;
        s.state = static_cast<TargetState>(rng() % TargetStore::kStateCount);
        s.flapping = rng() % 4 == 0;
        if (s.state == TargetState::Disabled && rng() % 2 == 0) s.httpStatus = 404; // Not found
        store.applySnapshot(s);
      }
      QCOMPARE(store.stateCounts(), recount(store));
      int flapping = 0, stale = 0, notFound = 0;
      TargetState worst = store.targets().isEmpty() ? TargetState::Unknown : TargetState::Up;
      for (const auto& t : store.targets()) {
        const TargetSnapshot* s = store.findSnapshot(t.id);
        flapping += s && s->flapping ? 1 : 0;
        if (store.isStale(t.id)) {
          ++stale;
          continue;
        }
        notFound +=
            s && !s->flapping && s->state == TargetState::Disabled && s->httpStatus == 404 ? 1 : 0;
        const TargetState st = s ? s->state : TargetState::Unknown;
        if (severity(st) > severity(worst)) worst = st;
      }
      QCOMPARE(store.staleCount(), stale);
      QCOMPARE(store.notFoundCount(), notFound);
      QCOMPARE(store.flappingCount(), flapping);
      QCOMPARE(toString(store.worstState()), toString(worst));
      for (int k = 0; k < store.targets().size(); ++k)
        QCOMPARE(store.indexOf(store.targets().at(k).id), k);
      QCOMPARE(store.indexOf(QStringLiteral("absent")), -1);
    }
  }
};

QTEST_GUILESS_MAIN(TstStoreCounts)
#include "tst_store_counts.moc"
