// Offscreen screenshots of the console window fed through the store (no network), with
// servers in every state, in light and dark palettes. PNGs go to $HEALTHDECK_ARTIFACTS/ui/.

#include "fixture_snapshots.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/views/state_palette.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QStandardPaths>
#include <QStyleFactory>
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

} // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void modelAndStatusBar();
  void screenshot_data();
  void screenshot();
  void liveUpdateRepaintsBadge();

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
  QCOMPARE(w.stateSummary(), QStringLiteral("2 down · 1 unreachable · 1 unauthorized · "
                                            "1 degraded · 2 up · 1 disabled · 1 unknown"));
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

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
