// The overview page with 200 servers in mixed states (offscreen): trouble-first order and the
// "needs attention" lane under QAbstractItemModelTester, the server × component matrix, the
// filter (name, URL, group, tag, state words), status-bar count buttons that filter, keyboard
// and accessible names, and screenshots of grid, matrix and lane in light and dark at
// 1920×1080 and 1280×800 (PNGs in $HEALTHDECK_ARTIFACTS/ui/), with 200 cards fitting one
// 1920×1080 screen.

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/freshness_monitor.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/triage_state.h"
#include "healthdeck/ui/models/component_matrix_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/overview_model.h"
#include "healthdeck/ui/models/target_filter_proxy.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/widgets/overview_page.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace healthdeck;

namespace {

QPalette darkPalette() {
  QPalette p;
  const QColor window(0x20, 0x21, 0x24), base(0x17, 0x18, 0x1a), text(0xe8, 0xea, 0xed);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x26, 0x27, 0x2b));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(0x2d, 0x2e, 0x31));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, QColor(0x3b, 0x6e, 0xc4));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Mid, QColor(0x45, 0x47, 0x4b));
  p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa0, 0xa6));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa0, 0xa6));
  return p;
}

const QStringList kComponents = {QStringLiteral("database"), QStringLiteral("redis"),
                                 QStringLiteral("queue"),    QStringLiteral("disk"),
                                 QStringLiteral("auth"),     QStringLiteral("smtp")};
const QStringList kGroups = {QStringLiteral("Production"), QStringLiteral("Staging"),
                             QStringLiteral("Edge"), QStringLiteral("Data")};

/// 200 servers in mixed states, with the bookkeeping of what each should show — written
/// from the rules, independently of TargetStatus.
struct Fleet {
  QList<TargetConfig> targets;
  QList<TargetSnapshot> snapshots;
  QSet<QString> attention;  ///< ids that belong in the lane
  QHash<QString, int> down; ///< ids currently Down (not stale)
  QSet<QString> stale, acknowledged, maintenance, behindParent;
  QHash<QString, QString> tags;
};

Fleet makeFleet(const QDateTime& now, TriageState& triage) {
  Fleet f;
  for (int i = 0; i < 200; ++i) {
    TargetConfig t;
    const QString group = kGroups.at(i % kGroups.size());
    t.id = QStringLiteral("srv-%1").arg(i, 3, 10, QLatin1Char('0'));
    t.name = (i == 0 ? QStringLiteral("gw-eu")
                     : QStringLiteral("%1-%2")
                           .arg(group.left(4).toLower())
                           .arg(i, 3, 10, QLatin1Char('0')));
    t.group = group;
    t.baseUrl = QUrl(QStringLiteral("https://192.0.2.%1:9797").arg(i % 250 + 1));
    t.interval = std::chrono::seconds(15);
    if (i % 10 == 3) t.tags = {QStringLiteral("db")};
    if (i % 25 == 7) t.tags << QStringLiteral("pci");
    if (i >= 190) t.parentId = QStringLiteral("srv-000"); // behind the gateway
    f.targets << t;

    TargetSnapshot s;
    s.targetId = t.id;
    s.polledAt = now.addSecs(-3);
    s.latency = std::chrono::milliseconds(20 + (i * 37) % 180);
    HealthDocument doc;
    doc.dialect = HealthDialect::Healthdeck;
    for (int c = 0; c < 3 + i % 4; ++c)
      doc.components.push_back({kComponents.at((c + i) % kComponents.size()),
                                Status::Up,
                                QString(),
                                QStringLiteral("ok"),
                                std::nullopt,
                                {kComponents.at((c + i) % kComponents.size())}});
    s.state = TargetState::Up;
    bool trouble = false;
    if (i == 0 || (i % 23 == 5)) { // the gateway and a few others are down
      s.state = TargetState::Down;
      doc.overall = Status::Down;
      doc.components.front().status = Status::Down;
      doc.components.front().details = QStringLiteral("connection refused");
      trouble = true;
      f.down.insert(t.id, 1);
    } else if (i >= 190) {
      s.state = TargetState::Unreachable;
      s.error = PollError::Timeout;
      s.errorDetail = QStringLiteral("No answer within 5 s");
      f.behindParent.insert(t.id);
    } else if (i % 31 == 9) {
      s.state = TargetState::Unreachable;
      s.error = PollError::ConnectionRefused;
      s.errorDetail = QStringLiteral("Connection refused (192.0.2.9:9797)");
      trouble = true;
    } else if (i % 47 == 11) {
      s.state = TargetState::Unauthorized;
      s.httpStatus = 401;
      s.error = PollError::HttpStatus;
      trouble = true;
    } else if (i % 13 == 4) {
      s.state = TargetState::Degraded;
      doc.overall = Status::Degraded;
      doc.components.back().status = Status::Degraded;
      doc.components.back().details = QStringLiteral("answers slowly (412 ms > 250 ms)");
      trouble = true;
    } else if (i % 61 == 15) {
      s.state = TargetState::Unknown;
      s.error = PollError::NotUnderstood;
    } else if (i % 71 == 20) {
      s.state = TargetState::Disabled;
      s.httpStatus = 404;
    }
    if (s.state == TargetState::Up || s.state == TargetState::Degraded ||
        s.state == TargetState::Down)
      s.readiness = doc;
    if (i % 17 == 8 && s.state == TargetState::Up) { // certificates running out
      s.certificateExpiry = now.addDays(i % 2 == 0 ? 5 : 15);
      trouble = true;
    }
    if (i % 37 == 2) s.flapping = s.state != TargetState::Up;
    if (i % 29 == 13 && s.state == TargetState::Up) { // no answer for a while: stale
      s.polledAt = now.addSecs(-14 * 60);
      f.stale.insert(t.id);
      trouble = true;
    }
    s.sentence = describe(s);
    f.snapshots << s;
    if (trouble) f.attention.insert(t.id);
  }
  // Triage decisions: acknowledged, in maintenance, snoozed.
  for (const QString& id : {QStringLiteral("srv-005"), QStringLiteral("srv-017")}) {
    triage.acknowledge(id, QStringLiteral("alice"), QStringLiteral("replacing the disk"));
    f.acknowledged.insert(id);
    f.attention.remove(id);
  }
  MaintenanceWindow w;
  w.id = QStringLiteral("patch");
  w.targetId = QStringLiteral("srv-028");
  w.startDate = now.toLocalTime().date().addDays(-1);
  w.startTime = QTime(0, 0);
  w.duration = std::chrono::minutes(3 * 24 * 60);
  w.repeat = MaintenanceWindow::Repeat::None;
  w.zone = QTimeZone::systemTimeZone();
  w.note = QStringLiteral("kernel upgrade");
  triage.setMaintenanceWindows({w});
  f.maintenance.insert(w.targetId);
  f.attention.remove(w.targetId);
  triage.snoozeTarget(QStringLiteral("srv-040"), now.addSecs(3600));
  for (const auto& t : f.targets)
    f.tags.insert(t.id, t.tags.join(QLatin1Char(' ')));
  return f;
}

struct Console {
  TargetStore store;
  TriageState triage{&store};
  Fleet fleet;
  std::unique_ptr<MainWindow> window;
  OverviewPage* page = nullptr;

  Console() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    fleet = makeFleet(now, triage);
    store.setTargets(fleet.targets);
    // Three hours of history at 15-minute steps, so cards have uptime and a sparkline: each
    // server was up, except a short outage for every seventh.
    for (int step = 12; step >= 1; --step) {
      QList<TargetSnapshot> past;
      for (const auto& s : std::as_const(fleet.snapshots)) {
        TargetSnapshot p;
        p.targetId = s.targetId;
        const int i = s.targetId.mid(4).toInt();
        p.state = (i % 7 == 0 && (step == 5 || step == 6)) ? TargetState::Down : TargetState::Up;
        p.polledAt = s.polledAt.addSecs(-step * 15 * 60);
        p.latency = std::chrono::milliseconds(20 + (i * 13 + step * 29) % 160);
        p.sentence = describe(p);
        past << p;
      }
      store.applySnapshots(past);
    }
    store.applySnapshots(fleet.snapshots);
    // The history's recoveries ended the acknowledgements made above; make them again.
    for (const QString& id : std::as_const(fleet.acknowledged))
      triage.acknowledge(id, QStringLiteral("alice"), QStringLiteral("replacing the disk"));
    FreshnessMonitor freshness(store);
    freshness.check();
    window = std::make_unique<MainWindow>(store);
    window->setTriage(&triage);
    page = new OverviewPage(store, &triage, nullptr);
    window->attachOverview(page);
    page->refresh();
  }
};

} // namespace

class TstOverview : public QObject {
  Q_OBJECT

  QString m_dir;
  QPalette m_light;

private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
    m_dir = (artifacts.isEmpty() ? QDir::tempPath() : QString::fromLocal8Bit(artifacts)) +
            QStringLiteral("/ui");
    QVERIFY(QDir().mkpath(m_dir));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_light = QApplication::style()->standardPalette();
    QApplication::setPalette(m_light);
  }

  void troubleFirstAndLane() {
    Console c;
    QAbstractItemModelTester gridTester(c.page->gridModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester laneTester(c.page->attentionModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester matrixTester(c.page->matrixModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    OverviewModel* grid = c.page->gridModel();
    OverviewModel* lane = c.page->attentionModel();
    QCOMPARE(grid->rowCount(), 200);
    QCOMPARE(lane->rowCount(), c.fleet.attention.size());
    QSet<QString> inLane;
    for (int r = 0; r < lane->rowCount(); ++r)
      inLane.insert(lane->targetIdAt(r));
    QCOMPARE(inLane, c.fleet.attention);
    // Trouble first: every lane member comes before every other server in the grid.
    for (int r = 0; r < grid->rowCount(); ++r)
      QCOMPARE(c.fleet.attention.contains(grid->targetIdAt(r)), r < lane->rowCount());
    // The gateway is down with ten servers behind it; they are grouped under it, not in the lane.
    const QModelIndex child = grid->index(grid->rowOf(QStringLiteral("srv-195")));
    QCOMPARE(child.data(SentenceRole).toString(), QStringLiteral("Unreachable behind gw-eu"));
    // Stale: greyed word and age, never the current state.
    const QString staleId = QStringLiteral("srv-013");
    QVERIFY(c.fleet.stale.contains(staleId));
    const QModelIndex stale = grid->index(grid->rowOf(staleId));
    QVERIFY(stale.data(StaleRole).toBool());
    QCOMPARE(stale.data(SentenceRole).toString(),
             QStringLiteral("up, 14 min ago — no answer since"));
    // Acknowledged and maintenance carry their overlays and tooltips.
    const QModelIndex acked = grid->index(grid->rowOf(QStringLiteral("srv-005")));
    QVERIFY(acked.data(Qt::ToolTipRole).toString().contains(QStringLiteral("alice")));
    QVERIFY(acked.data(OverlayRole).toInt() & 1);
    const QModelIndex maint = grid->index(grid->rowOf(QStringLiteral("srv-028")));
    QVERIFY(maint.data(Qt::ToolTipRole).toString().contains(QStringLiteral("kernel upgrade")));
    // A live change re-sorts: srv-101 goes down and joins the lane.
    TargetSnapshot s = c.store.snapshot(QStringLiteral("srv-101"));
    s.state = TargetState::Down;
    s.polledAt = QDateTime::currentDateTimeUtc();
    s.sentence = describe(s);
    c.store.applySnapshot(s);
    c.page->refresh();
    QCOMPARE(lane->rowCount(), c.fleet.attention.size() + 1);
    QVERIFY(grid->rowOf(QStringLiteral("srv-101")) < lane->rowCount());
    // A figure for the report, not an assertion: one re-sort of 200 servers.
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 20; ++i)
      grid->refresh();
    qInfo("overview re-sort of %d servers: %.2f ms each", grid->rowCount(),
          static_cast<double>(clock.nsecsElapsed()) / 20 / 1e6);
    // The matrix: servers × the components they report.
    ComponentMatrixModel* matrix = c.page->matrixModel();
    QCOMPARE(matrix->rowCount(), 200);
    QCOMPARE(matrix->components().size(), kComponents.size());
  }

  void filter_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");
    QTest::newRow("name") << QStringLiteral("gw-eu") << 1;
    QTest::newRow("url") << QStringLiteral("192.0.2.17:") << 1;
    QTest::newRow("group") << QStringLiteral("staging") << 50;
    QTest::newRow("tag") << QStringLiteral("pci") << 8;
    QTest::newRow("state word") << QStringLiteral("stale") << -1;
    QTest::newRow("acknowledged") << QStringLiteral("acknowledged") << 2;
    QTest::newRow("maintenance") << QStringLiteral("maintenance") << 1;
    QTest::newRow("two words: both must match") << QStringLiteral("edge down") << -2;
  }
  void filter() {
    QFETCH(QString, text);
    QFETCH(int, expected);
    Console c;
    if (expected == -1) expected = static_cast<int>(c.fleet.stale.size());
    if (expected == -2) {
      expected = 0;
      for (const auto& t : c.fleet.targets)
        expected += t.group == QLatin1String("Edge") && c.fleet.down.contains(t.id) ? 1 : 0;
    }
    TargetFilterProxy* proxy = c.window->filterProxy();
    proxy->setFilterText(text);
    int shown = 0;
    QStringList names;
    for (int g = 0; g < proxy->rowCount(); ++g) {
      const QModelIndex group = proxy->index(g, 0);
      shown += proxy->rowCount(group);
      for (int r = 0; r < proxy->rowCount(group); ++r)
        names << proxy->index(r, 0, group).data().toString();
    }
    QVERIFY2(shown == expected, qPrintable(names.join(QLatin1Char(' '))));
  }

  void countButtonsFilter() {
    Console c;
    c.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(c.window.get()));
    QToolButton* down = c.window->countButton(QStringLiteral("down"));
    QVERIFY(down);
    QVERIFY(!down->isHidden());
    QCOMPARE(down->accessibleName(), QStringLiteral("%1 servers down").arg(c.fleet.down.size()));
    QToolButton* stale = c.window->countButton(QStringLiteral("stale"));
    QCOMPARE(stale->text(), QStringLiteral("%1 stale").arg(c.fleet.stale.size()));
    QTest::mouseClick(down, Qt::LeftButton);
    TargetFilterProxy* proxy = c.window->filterProxy();
    QCOMPARE(proxy->stateFilter(), QStringLiteral("down"));
    int shown = 0;
    for (int g = 0; g < proxy->rowCount(); ++g)
      shown += proxy->rowCount(proxy->index(g, 0));
    QCOMPARE(shown, c.fleet.down.size());
    QTest::mouseClick(stale, Qt::LeftButton); // another button replaces the filter
    QCOMPARE(proxy->stateFilter(), QStringLiteral("stale"));
    QVERIFY(!down->isChecked());
    QTest::mouseClick(stale, Qt::LeftButton); // a second click shows all again
    QCOMPARE(proxy->stateFilter(), QString());

    // A 404 from a server not known to run the module reads "Not found": counted (and
    // filtered) as that, not among the Disabled ones.
    int notFoundExpected = 0;
    for (const TargetSnapshot& s : std::as_const(c.fleet.snapshots))
      notFoundExpected += s.state == TargetState::Disabled && s.httpStatus == 404 ? 1 : 0;
    QVERIFY(notFoundExpected > 0);
    QToolButton* notFound = c.window->countButton(QStringLiteral("not found"));
    QVERIFY(notFound);
    QCOMPARE(notFound->text(), QStringLiteral("%1 not found").arg(notFoundExpected));
    QVERIFY(c.window->countButton(QStringLiteral("disabled"))->isHidden()); // no other Disabled
    QTest::mouseClick(notFound, Qt::LeftButton);
    shown = 0;
    for (int g = 0; g < proxy->rowCount(); ++g)
      shown += proxy->rowCount(proxy->index(g, 0));
    QCOMPARE(shown, notFoundExpected);
    QTest::mouseClick(notFound, Qt::LeftButton);
  }

  void keyboardAndNames() {
    Console c;
    c.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(c.window.get()));
    c.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(c.window.get()));
    c.window->selectTarget(QStringLiteral("srv-001"));
    QVERIFY(!c.window->overviewShown());
    QTest::keyClick(c.window.get(), Qt::Key_3, Qt::ControlModifier);
    QVERIFY(c.window->overviewShown());
    QVERIFY(!c.window->serverView()->isVisible()); // the list steps aside
    QCOMPARE(c.page->gridView()->accessibleName(), QStringLiteral("All servers, trouble first"));
    QCOMPARE(c.page->laneView()->accessibleName(), QStringLiteral("Needs attention"));
    QCOMPARE(c.page->matrixView()->accessibleName(), QStringLiteral("Servers by component"));
    QVERIFY(!c.page->gridModel()->index(0).data(Qt::AccessibleTextRole).toString().isEmpty());
    QTest::keyClick(c.page->gridView(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(c.page->mode(), OverviewPage::Mode::Matrix);
    QTest::keyClick(c.page->matrixView(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(c.page->mode(), OverviewPage::Mode::Grid);
    // Enter on a card opens that server.
    QSignalSpy activated(c.page, &OverviewPage::targetActivated);
    c.page->gridView()->setFocus();
    c.page->gridView()->setCurrentIndex(c.page->gridModel()->index(0));
    QTest::keyClick(c.page->gridView(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QVERIFY(!c.window->overviewShown());
    QCOMPARE(c.window->selectedTargetId(), c.page->gridModel()->targetIdAt(0));
  }

  // Hidden behind a selected server's detail, the overview does not re-sort on every change;
  // shown again, it re-sorts once and has caught up.
  void hiddenOverviewCatchesUpWhenShown() {
    Console c;
    c.window->resize(1280, 800);
    c.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(c.window.get()));
    OverviewModel* grid = c.page->gridModel();
    OverviewModel* lane = c.page->attentionModel();
    grid->setCoalesceInterval(10);
    lane->setCoalesceInterval(10);
    QVERIFY(c.page->isVisible());
    QVERIFY(grid->isActive());
    c.window->selectTarget(QStringLiteral("srv-001"));
    QVERIFY(!c.page->isVisible());
    QVERIFY(!grid->isActive());
    QVERIFY(!lane->isActive());

    // An up server with no acknowledgement, maintenance or parent: going down puts it in the lane.
    QString id;
    for (const TargetSnapshot& f : std::as_const(c.fleet.snapshots))
      if (f.state == TargetState::Up && !c.fleet.attention.contains(f.targetId) &&
          !c.fleet.stale.contains(f.targetId) && !c.fleet.acknowledged.contains(f.targetId) &&
          !c.fleet.maintenance.contains(f.targetId) && !c.fleet.behindParent.contains(f.targetId))
        id = f.targetId;
    QVERIFY(!id.isEmpty());
    const int laneRows = lane->rowCount();
    const int rowBefore = grid->rowOf(id);
    QVERIFY(rowBefore >= laneRows);
    TargetSnapshot s = c.store.snapshot(id);
    s.state = TargetState::Down;
    s.polledAt = QDateTime::currentDateTimeUtc();
    s.sentence = describe(s);
    QSignalSpy laneReset(lane, &QAbstractItemModel::modelReset);
    QSignalSpy gridMoved(grid, &QAbstractItemModel::layoutChanged);
    c.store.applySnapshot(s);
    QTest::qWait(100); // ten coalescing intervals: nothing re-sorts while hidden
    QCOMPARE(laneReset.size(), 0);
    QCOMPARE(gridMoved.size(), 0);
    QCOMPARE(grid->rowOf(id), rowBefore);
    QCOMPARE(lane->rowCount(), laneRows);

    c.window->setOverviewShown(true);
    QVERIFY(c.page->isVisible());
    QCOMPARE(laneReset.size(), 1);
    QCOMPARE(gridMoved.size(), 1);
    QCOMPARE(lane->rowCount(), laneRows + 1);
    QVERIFY(lane->rowOf(id) >= 0);
    QVERIFY(grid->rowOf(id) < lane->rowCount());
    // Shown, a change re-sorts within the coalescing interval as before.
    s.state = TargetState::Up;
    s.sentence = describe(s);
    c.store.applySnapshot(s);
    QTRY_COMPARE(lane->rowCount(), laneRows);
  }

  void screenshots_data() {
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("matrix");
    for (bool dark : {false, true})
      for (QSize size : {QSize(1920, 1080), QSize(1280, 800)})
        for (bool matrix : {false, true})
          QTest::addRow("%s-%dx%d-%s", dark ? "dark" : "light", size.width(), size.height(),
                        matrix ? "matrix" : "grid")
              << dark << size << matrix;
  }
  void screenshots() {
    QFETCH(bool, dark);
    QFETCH(QSize, size);
    QFETCH(bool, matrix);
    QApplication::setPalette(dark ? darkPalette() : m_light);
    Console c;
    c.window->resize(size);
    c.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(c.window.get()));
    c.window->setOverviewShown(true);
    c.page->setMode(matrix ? OverviewPage::Mode::Matrix : OverviewPage::Mode::Grid);
    c.page->refresh();
    QApplication::processEvents();
    if (!matrix && size == QSize(1920, 1080)) {
      // 200 cards fit one 1920×1080 screen: no scrolling, the last card fully visible.
      QListView* grid = c.page->gridView();
      QCOMPARE(grid->verticalScrollBar()->maximum(), 0);
      const QRect last = grid->visualRect(c.page->gridModel()->index(199));
      QVERIFY2(grid->viewport()->rect().contains(last), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                                       .arg(last.x())
                                                                       .arg(last.y())
                                                                       .arg(last.width())
                                                                       .arg(last.height())));
    }
    QVERIFY(c.page->laneView()->isVisible());
    const QImage image = c.window->grab().toImage();
    QVERIFY(!image.isNull());
    const QString file =
        m_dir %
        QStringLiteral("/overview-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY2(image.save(file), qPrintable(file));
    QApplication::setPalette(m_light);
  }
};

QTEST_MAIN(TstOverview)
#include "tst_overview.moc"
