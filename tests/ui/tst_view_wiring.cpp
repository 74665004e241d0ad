// The view plumbing written once: the two-level tree model (under QAbstractItemModelTester), the
// debounced filter of FilteredTree, sparklines as a role of the server list with coalesced,
// targeted dataChanged, and state actions that do not depend on a button's text.
#include "../ui_metrics/metrics_pages.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/metric_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/filtered_tree.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <QTreeView>

using namespace healthdeck;
using namespace healthdeck::test;

namespace {

const QDateTime kT1 = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);

TargetConfig target(const QString& id, const QString& group) {
  TargetConfig t;
  t.id = id;
  t.name = id;
  t.group = group;
  t.baseUrl = QUrl(QStringLiteral("http://") + id + QStringLiteral(".example:9797"));
  return t;
}

QList<TargetConfig> fleet() {
  return {target(QStringLiteral("gw-1"), QStringLiteral("Production")),
          target(QStringLiteral("gw-2"), QStringLiteral("Production")),
          target(QStringLiteral("db-1"), QStringLiteral("Production")),
          target(QStringLiteral("stage-1"), QStringLiteral("Staging"))};
}

} // namespace

class TstViewWiring : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void treePlumbingUnderTester() {
    TargetStore store;
    TargetListModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.setTargets(fleet());
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex prod = model.index(0, 0);
    QCOMPARE(prod.data().toString(), QStringLiteral("Production"));
    QCOMPARE(model.rowCount(prod), 3);
    QCOMPARE(model.rowCount(model.index(0, 1)), 0); // only column 0 has children
    const QModelIndex db = model.index(2, 0, prod);
    QCOMPARE(db.data(TargetIdRole).toString(), QStringLiteral("db-1"));
    QCOMPARE(db.parent(), prod);
    QCOMPARE(model.indexForTarget(QStringLiteral("stage-1")).parent().row(), 1);
    QVERIFY(!model.index(3, 0, prod).isValid());
    QVERIFY(!model.index(0, 0, db).isValid()); // no third level
  }

  void filterIsDebounced() {
    TargetStore store;
    store.setTargets(fleet());
    TargetListModel model(store);
    QWidget host;
    FilteredTreeOptions options;
    options.sortRole = SortRole;
    options.placeholder = QStringLiteral("Filter servers…");
    options.debounceMs = 100;
    int applied = 0;
    FilteredTree tree =
        makeFilteredTree(&model, options, &host, [&applied](const QString&) { ++applied; });
    QCOMPARE(tree.view->model(), tree.proxy);
    QCOMPARE(tree.filter->accessibleName(), QStringLiteral("Filter servers…"));
    // Three keystrokes, one filter pass once typing pauses.
    QTest::keyClicks(tree.filter, QStringLiteral("gw-"));
    QCOMPARE(applied, 0);
    QCOMPARE(tree.proxy->rowCount(), 2); // not filtered yet
    QTRY_COMPARE_WITH_TIMEOUT(applied, 1, 2000);
    QCOMPARE(tree.proxy->rowCount(), 1); // only Production has a match
    QCOMPARE(tree.proxy->rowCount(tree.proxy->index(0, 0)), 2);
    // applyFilter acts at once and puts the text in the box.
    tree.applyFilter(QStringLiteral("stage"));
    QCOMPARE(applied, 2);
    QCOMPARE(tree.filter->text(), QStringLiteral("stage"));
    QCOMPARE(tree.proxy->rowCount(), 1);
    QCOMPARE(tree.proxy->index(0, 0).data().toString(), QStringLiteral("Staging"));
  }

  void sparklineIsACoalescedRole() {
    TargetStore store;
    store.setTargets(fleet());
    TargetListModel model(store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MetricsHub hub;
    model.setMetricsHub(&hub, 300);
    const QModelIndex gw = model.indexForTarget(QStringLiteral("gw-1"));
    QVERIFY(model.data(gw, SparklineRole).value<QList<double>>().isEmpty());

    QSignalSpy scraped(&hub, &MetricsHub::metricsUpdated);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    HealthdeckPageValues v;
    for (int i = 0; i < 4; ++i) {
      v.authFailure += 10 * i;
      hub.ingest(QStringLiteral("gw-1"), healthdeckBody(v), kT1.addSecs(10 * i));
    }
    hub.ingest(QStringLiteral("db-1"), healthdeckBody(v), kT1);
    // The hub may fold scrapes of one target that queue up while it parses.
    QTRY_VERIFY_WITH_TIMEOUT(hub.state(QStringLiteral("db-1")) &&
                                 hub.state(QStringLiteral("gw-1")) &&
                                 hub.state(QStringLiteral("gw-1"))->sparkline.size() >= 2,
                             5000);
    QVERIFY(scraped.size() >= 2);
    // Five scrapes of two servers: one targeted change per server, on the name cell only.
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 3000);
    QTest::qWait(400);
    QCOMPARE(changed.size(), 2);
    QSet<QString> rows;
    for (const auto& call : changed) {
      const auto from = call.at(0).value<QModelIndex>();
      const auto to = call.at(1).value<QModelIndex>();
      QCOMPARE(from, to);
      QCOMPARE(from.column(), int(TargetListModel::NameColumn));
      QCOMPARE(call.at(2).value<QList<int>>(), (QList<int>{SparklineRole, MetricStaleRole}));
      rows.insert(from.data(TargetIdRole).toString());
    }
    QCOMPARE(rows, (QSet<QString>{QStringLiteral("gw-1"), QStringLiteral("db-1")}));
    const auto values = model.data(gw, SparklineRole).value<QList<double>>();
    const QList<double> fromHub = hub.state(QStringLiteral("gw-1"))->sparkline;
    QCOMPARE(values.size(), fromHub.size());
    QVERIFY(!values.isEmpty());
    QCOMPARE(values.last(), fromHub.last()); // the first point is a gap (NaN): no rate yet
    // Group rows and other columns carry none.
    QVERIFY(!model.data(gw.parent(), SparklineRole).isValid());
    QVERIFY(!model.data(gw.siblingAtColumn(TargetListModel::StateColumn), SparklineRole).isValid());
  }

  void countsAreRecomputedOncePerCoalescedUpdate() {
    TargetStore store;
    store.setCountsCoalesceInterval(50);
    QSignalSpy counts(&store, &TargetStore::stateCountsChanged);
    store.setTargets(fleet());
    QTRY_COMPARE_WITH_TIMEOUT(counts.size(), 1, 2000);
    // Forty snapshots in one burst, every one a state change: one recount.
    for (int i = 0; i < 40; ++i) {
      TargetSnapshot s;
      s.targetId = fleet().at(i % 4).id;
      s.state = i % 2 ? TargetState::Down : TargetState::Up;
      s.polledAt = kT1.addSecs(i);
      store.applySnapshot(s);
    }
    QTRY_COMPARE_WITH_TIMEOUT(counts.size(), 2, 2000);
    QTest::qWait(150);
    QCOMPARE(counts.size(), 2);
    // Snapshots that change no state change no count: no recount.
    for (int i = 0; i < 4; ++i) {
      TargetSnapshot s;
      s.targetId = fleet().at(i).id;
      s.state = store.findSnapshot(s.targetId)->state;
      s.polledAt = kT1.addSecs(100 + i);
      store.applySnapshot(s);
    }
    QTest::qWait(150);
    QCOMPARE(counts.size(), 2);
    const auto n = store.stateCounts();
    QCOMPARE(n.at(static_cast<std::size_t>(TargetState::Down)) +
                 n.at(static_cast<std::size_t>(TargetState::Up)),
             4);
  }

  void stateActionIsAnEnumNotALabel() {
    TargetStore store;
    store.setTargets(fleet());
    TargetDetailPane pane(store);
    pane.setTargetId(QStringLiteral("gw-1"));
    TargetSnapshot s;
    s.targetId = QStringLiteral("gw-1");
    s.state = TargetState::Unauthorized;
    s.polledAt = kT1;
    s.sentence = describe(s);
    store.applySnapshot(s);
    QSignalSpy action(&pane, &TargetDetailPane::stateActionTriggered);
    QPushButton* button = nullptr;
    for (auto* b : pane.findChildren<QPushButton*>())
      if (b->text() == presentation(TargetState::Unauthorized).actionLabel) button = b;
    QVERIFY(button);
    button->setText(QStringLiteral("Renamed by a translation"));
    button->click();
    QCOMPARE(action.size(), 1);
    QCOMPARE(action.at(0).at(0).toString(), QStringLiteral("gw-1"));
    QCOMPARE(action.at(0).at(1).value<StateAction>(), StateAction::SetCredentials);
  }
};

QTEST_MAIN(TstViewWiring)
#include "tst_view_wiring.moc"
