// Offscreen screenshots of the console window fed through the store (no network), with
// servers in every state, in light and dark palettes. PNGs go to $HEALTHDECK_ARTIFACTS/ui/.

#include "fixture_snapshots.h"
#include "healthdeck/client/source/poller.h"
#include "tests/support/canned_http_server.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/component_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/state_palette.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
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
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa0, 0xa6));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa0, 0xa6));
  return p;
}

bool near(QColor a, QColor b) {
  return std::abs(a.red() - b.red()) <= 6 && std::abs(a.green() - b.green()) <= 6 &&
         std::abs(a.blue() - b.blue()) <= 6;
}

/// Pixels in `rect` of `image` that have colour `c` (antialiasing spares the inner pixels).
int pixelsOfColour(const QImage& image, const QRect& rect, QColor c) {
  int n = 0;
  const QRect r = rect.intersected(image.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      n += near(image.pixelColor(x, y), c) ? 1 : 0;
  return n;
}

/// Cells of `column` in `view` (tree rows and their children) whose text is wider than the
/// column: what a person would see cut ("answers slo…").
QStringList elidedCells(const QAbstractItemView* view, int column) {
  QStringList cut;
  const QAbstractItemModel* m = view->model();
  const auto* table = qobject_cast<const QTableView*>(view);
  const auto* tree = qobject_cast<const QTreeView*>(view);
  const int width = table ? table->columnWidth(column) : tree->columnWidth(column);
  const int padding = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1);
  const auto check = [&](const QModelIndex& parent, auto& self) -> void {
    for (int r = 0; r < m->rowCount(parent); ++r) {
      const QString text = m->index(r, column, parent).data().toString();
      if (view->fontMetrics().horizontalAdvance(text) + padding > width) cut << text;
      self(m->index(r, 0, parent), self);
    }
  };
  check(QModelIndex(), check);
  return cut;
}

} // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void modelAndStatusBar();
  void screenshot_data();
  void screenshot();
  void liveUpdateRepaintsBadge();
  void stateColumnFitsEveryWord();
  void serverMarkupShownLiterally();

private:
  QString m_dir;
  QPalette m_lightPalette;
};

void TestMainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
  m_dir = (artifacts.isEmpty() ? QDir::tempPath() : QString::fromLocal8Bit(artifacts)) +
          QStringLiteral("/ui");
  QVERIFY(QDir().mkpath(m_dir));
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  m_lightPalette = QApplication::style()->standardPalette();
  QApplication::setPalette(m_lightPalette);
}

void TestMainWindow::modelAndStatusBar() {
  TargetStore store;
  store.setTargets(testing::fixtureTargets());
  store.applySnapshots(testing::fixtureSnapshots(QDateTime::currentDateTimeUtc()));
  MainWindow w(store);
  auto* model = w.listModel();
  QCOMPARE(model->rowCount(), 4); // Production, Staging, Edge, This host
  QCOMPARE(model->rowCount(model->index(0, 0)), 3);
  QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Production"));
  // The group row carries the worst state of its members.
  QCOMPARE(model->index(0, 0).data(StateRole).toInt(), static_cast<int>(TargetState::Down));
  QCOMPARE(model->index(3, 0).data(StateRole).toInt(), static_cast<int>(TargetState::Up));
  // stage-1 answers 404 and is not known to run the module: counted as "not found".
  QCOMPARE(w.stateSummary(), QStringLiteral("2 down · 1 unreachable · 1 unauthorized · "
                                            "1 degraded · 2 up · 1 not found · 1 unknown"));
  w.selectTarget(QStringLiteral("gateway-eu-1"));
  QCOMPARE(w.selectedTargetId(), QStringLiteral("gateway-eu-1"));
  QCOMPARE(w.detailPane()->targetId(), QStringLiteral("gateway-eu-1"));
}

void TestMainWindow::screenshot_data() {
  QTest::addColumn<bool>("dark");
  QTest::addColumn<QString>("selected");
  QTest::addColumn<QString>("rowToCheck");
  QTest::addColumn<int>("rowState");
  QTest::newRow("light-degraded") << false << "gateway-eu-1"
                                  << "gateway-us-1" << static_cast<int>(TargetState::Down);
  QTest::newRow("light-unauthorized") << false << "stage-2"
                                      << "stage-3" << static_cast<int>(TargetState::Unreachable);
  QTest::newRow("light-disabled") << false << "stage-1"
                                  << "gateway-eu-2" << static_cast<int>(TargetState::Up);
  QTest::newRow("light-unreachable") << false << "stage-3"
                                     << "stage-2" << static_cast<int>(TargetState::Unauthorized);
  QTest::newRow("dark-degraded") << true << "gateway-eu-1"
                                 << "gateway-us-1" << static_cast<int>(TargetState::Down);
  QTest::newRow("dark-flapping") << true << "edge-1"
                                 << "localhost" << static_cast<int>(TargetState::Up);
}

void TestMainWindow::screenshot() {
  QFETCH(bool, dark);
  QFETCH(QString, selected);
  QFETCH(QString, rowToCheck);
  QFETCH(int, rowState);
  QApplication::setPalette(dark ? darkPalette() : m_lightPalette);

  TargetStore store;
  store.setTargets(testing::fixtureTargets());
  store.applySnapshots(testing::fixtureSnapshots(QDateTime::currentDateTimeUtc().addSecs(-3)));
  MainWindow w(store);
  w.setExporterStatus(QStringLiteral("exporter 127.0.0.1:9797 ✓"), true);
  w.resize(1280, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.selectTarget(selected);
  QApplication::processEvents();

  const QImage image = w.grab().toImage();
  QVERIFY(!image.isNull());
  const QString file =
      m_dir +
      QStringLiteral("/main-window-%1.png").arg(QString::fromLatin1(QTest::currentDataTag()));
  QVERIFY2(image.save(file), qPrintable(file));

  // A badge of the row's state colour is painted in that row (and only that state's colour).
  QTreeView* tree = w.serverView();
  const QModelIndex src = w.listModel()->indexForTarget(rowToCheck);
  QVERIFY(src.isValid());
  const auto* proxy = qobject_cast<const QAbstractProxyModel*>(tree->model());
  const QRect row = tree->visualRect(proxy->mapFromSource(src));
  QVERIFY(!row.isEmpty());
  const QRect inWindow(tree->viewport()->mapTo(&w, row.topLeft()), row.size());
  const StatePalette palette(dark);
  const auto state = static_cast<TargetState>(rowState);
  QVERIFY2(
      pixelsOfColour(image, inWindow, palette.color(state)) >= 4,
      qPrintable(QStringLiteral("no %1 badge pixel in row %2").arg(toString(state), rowToCheck)));
  for (TargetState other : {TargetState::Up, TargetState::Down, TargetState::Unauthorized}) {
    if (presentation(other).color == presentation(state).color) continue;
    QCOMPARE(pixelsOfColour(image, inWindow, palette.color(other)), 0);
  }
  // The detail pane names the selected server.
  QCOMPARE(w.detailPane()->targetId(), selected);
  // Nothing is cut at 1280x800: the list's state, latency and uptime columns, and the probe
  // tables' details (stacked, not side by side, at this width).
  for (int c : {TargetListModel::StateColumn, TargetListModel::LatencyColumn,
                TargetListModel::UptimeColumn})
    QVERIFY2(elidedCells(tree, c).isEmpty(), qPrintable(elidedCells(tree, c).join(u'|')));
  const auto* ready = w.detailPane()->findChild<QTableView*>(QStringLiteral("readinessComponents"));
  const auto* live = w.detailPane()->findChild<QTableView*>(QStringLiteral("livenessComponents"));
  QVERIFY(ready && live);
  QVERIFY(w.detailPane()->width() < TargetDetailPane::kSideBySideWidth);
  QVERIFY2(ready->mapTo(&w, QPoint()).y() < live->mapTo(&w, QPoint()).y(), "probes not stacked");
  for (const QTableView* t : {ready, live})
    QVERIFY2(elidedCells(t, ComponentModel::DetailsColumn).isEmpty(),
             qPrintable(elidedCells(t, ComponentModel::DetailsColumn).join(u'|')));
}

/// The list's columns are fitted at most twice a second for data changes: a row that turns to
/// a longer state word in between is still not cut, because the state column is always as
/// wide as the widest state word.
void TestMainWindow::stateColumnFitsEveryWord() {
  TargetStore store;
  QList<TargetConfig> targets;
  for (const char* id : {"a", "b"}) {
    TargetConfig t;
    t.id = t.name = QString::fromLatin1(id);
    t.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    targets << t;
  }
  store.setTargets(targets);
  const auto poll = [&store](const char* id, TargetState state) {
    TargetSnapshot s;
    s.targetId = QString::fromLatin1(id);
    s.state = state;
    s.polledAt = QDateTime::currentDateTimeUtc();
    store.applySnapshot(s);
  };
  poll("a", TargetState::Up);
  poll("b", TargetState::Up);
  MainWindow w(store);
  w.resize(1280, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QTRY_COMPARE(w.listModel()->index(0, 0).data(CountRole).toInt(), 2);
  poll("a", TargetState::Down);         // fitted at once
  QTest::qWait(300);                    // coalesced into the list
  poll("b", TargetState::Unauthorized); // within the pause: not fitted for another 200 ms
  QTest::qWait(150);
  QTreeView* tree = w.serverView();
  QCOMPARE(elidedCells(tree, TargetListModel::StateColumn), QStringList());
  QVERIFY(tree->columnWidth(TargetListModel::StateColumn) >=
          tree->fontMetrics().horizontalAdvance(notFoundWord()));
}

void TestMainWindow::liveUpdateRepaintsBadge() {
  QApplication::setPalette(m_lightPalette);
  TargetStore store;
  store.setTargets(testing::fixtureTargets());
  const QDateTime t0 = QDateTime::currentDateTimeUtc();
  store.applySnapshots(testing::fixtureSnapshots(t0));
  MainWindow w(store);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  TargetSnapshot down = store.snapshot(QStringLiteral("gateway-eu-2"));
  down.state = TargetState::Down;
  down.polledAt = t0.addSecs(15);
  down.sentence = QStringLiteral("database down: connection refused");
  store.applySnapshot(down);
  QTRY_COMPARE_WITH_TIMEOUT(w.stateSummary().startsWith(QStringLiteral("3 down")), true, 2000);
  const QModelIndex src = w.listModel()->indexForTarget(QStringLiteral("gateway-eu-2"));
  const auto* proxy = qobject_cast<const QAbstractProxyModel*>(w.serverView()->model());
  const QRect row = w.serverView()->visualRect(proxy->mapFromSource(src));
  const QRect inWindow(w.serverView()->viewport()->mapTo(&w, row.topLeft()), row.size());
  QTRY_VERIFY_WITH_TIMEOUT(pixelsOfColour(w.grab().toImage(), inWindow,
                                          StatePalette(false).color(TargetState::Down)) >= 4,
                           2000);
}

/// Issue 10: a server's markup reaches the detail pane as text. A real canned server answers,
/// the real Poller reads it, the store feeds the real window (1280x800, offscreen); the
/// sentence label shows the markup character for character, as plain text, and the pane
/// scrolls instead of squeezing. The PNG is looked at by the developer, not only by the test.
void TestMainWindow::serverMarkupShownLiterally() {
  QApplication::setPalette(m_lightPalette);
  const QString markup = QStringLiteral("<img src=\"file:///usr/share/pixmaps/debian-logo.png\">"
                                        "<a href=\"http://x\">click</a>");
  QString escaped = markup;
  escaped.replace(QLatin1Char('"'), QLatin1String("\\\""));
  testing::CannedHttpServer server;
  QVERIFY(server.start());
  server.setResponse(QStringLiteral("/health/ready"),
                     testing::CannedHttpServer::Response{
                         503,
                         "application/vnd.spring-boot.actuator.v3+json",
                         (QStringLiteral(R"json({"status":"DOWN","components":{")json") % escaped %
                          QStringLiteral(R"json(":{"status":"DOWN","details":{"error":")json") %
                          escaped % QStringLiteral(R"json("}}}})json"))
                             .toUtf8(),
                         {}});
  server.setResponse(
      QStringLiteral("/health/live"),
      testing::CannedHttpServer::Response{
          200, "text/html", "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n", {}});
  TargetConfig t;
  t.id = QStringLiteral("markup");
  t.name = QStringLiteral("markup-server");
  t.baseUrl = server.baseUrl();
  t.metricsPath.clear();
  TargetStore store;
  store.setTargets({t});
  Poller poller;
  QSignalSpy observed(&poller, &Poller::observationReady);
  poller.pollOnce(t);
  QVERIFY(observed.wait(10000));
  const auto snap = observed.first().at(0).value<TargetSnapshot>();
  store.applySnapshot(snap);
  const QString sentence = markup % QStringLiteral(" down: ") % markup;
  QCOMPARE(snap.sentence, sentence);

  MainWindow w(store);
  w.resize(1280, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.selectTarget(t.id);
  QApplication::processEvents();
  QLabel* shown = nullptr;
  for (QLabel* l : w.detailPane()->findChildren<QLabel*>())
    if (l->text() == sentence) shown = l;
  QVERIFY2(shown, "the sentence is not shown literally");
  QCOMPARE(shown->textFormat(), Qt::PlainText);
  QVERIFY(shown->isVisible());
  // Every label of the pane is plain text: none may turn server words into markup.
  for (QLabel* l : w.detailPane()->findChildren<QLabel*>())
    QVERIFY2(l->textFormat() == Qt::PlainText, qPrintable(l->text()));
  QVERIFY2(w.findChild<QScrollArea*>(), "the detail pane scrolls");

  const QImage image = w.grab().toImage();
  QVERIFY(!image.isNull());
  QVERIFY(image.save(m_dir + QStringLiteral("/main-window-server-markup.png")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
