// The history UI offscreen, on a real history database: the per-server view (uptime line,
// status strip with grey gaps, latency chart, events with evidence and "copy as curl"), the
// Events timeline with its filters, and the uptime column and line in the main window.
// Screenshots (1280x800 and larger) go to $HEALTHDECK_ARTIFACTS/history/.

#include "healthdeck/client/store/history_db.h"
#include "healthdeck/client/store/history_reader.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/history_event_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/state_palette.h"
#include "healthdeck/ui/views/status_strip.h"
#include "healthdeck/ui/widgets/events_timeline.h"
#include "healthdeck/ui/widgets/evidence_panel.h"
#include "healthdeck/ui/widgets/history_view.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QJsonDocument>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;
using namespace healthdeck::history;

namespace {

constexpr qint64 kSec = 1000;
constexpr qint64 kHour = 3600 * kSec;
constexpr int U = static_cast<int>(TargetState::Up);
constexpr int G = static_cast<int>(TargetState::Degraded);
constexpr int D = static_cast<int>(TargetState::Down);

} // namespace

class TestHistoryView : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void historyViewShowsStripChartAndEvidence();
  void timelineFiltersAndEvidence();
  void uptimeInListAndDetailPane();

private:
  void save(QWidget& w, const QString& name);
  QTemporaryDir m_dir;
  QString m_db;
  QString m_artifacts;
  qint64 m_now = 0;
};

void TestHistoryView::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QVERIFY(m_dir.isValid());
  const QByteArray artifacts = qgetenv("HEALTHDECK_ARTIFACTS");
  m_artifacts = (artifacts.isEmpty() ? m_dir.path() : QString::fromLocal8Bit(artifacts)) +
                QStringLiteral("/history");
  QVERIFY(QDir().mkpath(m_artifacts));

  // Six days of a server polled every 30 s: up with latency following the day, a degraded
  // afternoon, a 40-minute outage, and the console closed for 9 hours one night (a gap).
  m_db = m_dir.filePath(QStringLiteral("history.sqlite"));
  HistoryDb db;
  QVERIFY(db.open(m_db, HistoryDb::Mode::Write).ok);
  m_now = QDateTime::currentMSecsSinceEpoch();
  const qint64 start = (m_now / kHour - 6 * 24) * kHour;
  const qint64 closedFrom = start + 2 * 24 * kHour + 22 * kHour;
  const qint64 closedTo = closedFrom + 9 * kHour;
  const qint64 outage = start + 4 * 24 * kHour + 10 * kHour;
  const qint64 degraded = start + 24 * kHour + 14 * kHour;
  std::vector<PollRow> polls;
  QVERIFY(db.beginSession(start - kSec));
  for (qint64 t = start; t < m_now - 10 * kSec; t += 30 * kSec) {
    if (t >= closedFrom && t < closedTo) continue;
    int state = U;
    if (t >= outage && t < outage + 40 * 60 * kSec) state = D;
    if (t >= degraded && t < degraded + 3 * kHour) state = G;
    const qint64 hourOfDay = (t / kHour) % 24;
    const qint64 latency = 20 + 4 * (hourOfDay > 8 && hourOfDay < 18 ? hourOfDay : 2) +
                           (t / (30 * kSec)) % 17 + ((t / (30 * kSec)) % 10 == 0 ? 45 : 0) +
                           (state == G ? 300 : 0);
    polls.push_back(
        {QStringLiteral("gw"), QStringLiteral("gateway-eu-1"), t, state, latency, 30 * kSec});
  }
  polls.push_back(
      {QStringLiteral("db"), QStringLiteral("db-1"), m_now - 60 * kSec, U, 3, 30 * kSec});
  auto event = [](qint64 t, int from, int to, const char* sentence, const char* evidence) {
    EventRow e{QStringLiteral("gw"),
               QStringLiteral("gateway-eu-1"),
               t,
               from,
               to,
               false,
               QString::fromUtf8(sentence),
               {}};
    if (evidence) e.evidence = QJsonDocument::fromJson(evidence).object();
    return e;
  };
  const std::vector<EventRow> events{
      event(degraded, U, G, "redis degraded: answers slowly (412 ms > 250 ms)", nullptr),
      event(degraded + 3 * kHour, G, U, "All 4 components up", nullptr),
      event(outage, U, D, "database down: connection refused",
            R"({"url":"https://gw-eu-1.example:9797/health/ready","method":"GET",
                "request_headers":["Accept: application/json","Authorization: Bearer ****"],
                "status":503,"reason":"Service Unavailable",
                "headers":["Content-Type: application/json","Server: healthdeck/0.1.0",
                           "Date: Wed, 02 Dec 2026 01:12:03 GMT"],
                "body":"{\"success\":false,\"status\":\"down\",\"checks\":[{\"component\":\"database\",\"status\":\"down\",\"details\":\"connection refused\"}]}\n<b>not markup</b>",
                "certificate":{"subject":"gw-eu-1.example","issuer":"Example CA",
                               "not_after":"2027-03-01T00:00:00Z","sha256":"ab12cd34"},
                "timings_ms":{"connect_start":0,"tls_done":18,"request_sent":19,
                              "first_byte":41,"total":42},
                "components":["database: up → down: connection refused"]})"),
      event(outage + 40 * 60 * kSec, D, U, "All 4 components up", nullptr),
  };
  // Components: the database down through the outage, redis degraded in the afternoon; a
  // maintenance window around the outage and an acknowledgement (notes are plain text).
  const QString gw = QStringLiteral("gw");
  const QString name = QStringLiteral("gateway-eu-1");
  const QString database = QStringLiteral("readiness:database");
  const QString redis = QStringLiteral("readiness:redis");
  const std::vector<ComponentRow> components{
      {gw, name, database, start, U},  {gw, name, redis, start, U},
      {gw, name, redis, degraded, G},  {gw, name, redis, degraded + 3 * kHour, U},
      {gw, name, database, outage, D}, {gw, name, database, outage + 40 * 60 * kSec, U},
  };
  const std::vector<AnnotationRow> annotations{
      {gw, name, QLatin1String(AnnotationRow::kMaintenance), outage - 10 * 60 * kSec,
       outage + 40 * 60 * kSec, QString(), QStringLiteral("<i>db failover</i>")},
      {gw, name, QLatin1String(AnnotationRow::kAcknowledged), outage + 60 * kSec,
       outage + 40 * 60 * kSec, QStringLiteral("alice"), QStringLiteral("on it")},
  };
  QVERIFY(db.writeBatch(polls, events, m_now - 5 * kSec, components, annotations));
  QVERIFY(db.rollupUntil(m_now, 0));
}

void TestHistoryView::save(QWidget& w, const QString& name) {
  const QString path = m_artifacts + QLatin1Char('/') + name;
  QVERIFY2(w.grab().save(path), qPrintable(path));
  qInfo("screenshot: %s", qPrintable(path));
}

void TestHistoryView::historyViewShowsStripChartAndEvidence() {
  HistoryReader reader(m_db);
  HistoryView view(reader);
  QAbstractItemModelTester tester(view.eventModel(),
                                  QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy shown(&view, &HistoryView::historyShown);
  view.resize(1280, 800);
  view.show();
  view.setRangeIndex(1); // 7 days, one cell per hour
  view.setTarget(QStringLiteral("gw"), QStringLiteral("gateway-eu-1"));
  QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && view.strip()->cells().size() == 168, 20000);
  const auto& cells = view.strip()->cells();
  int gaps = 0, down = 0, degraded = 0;
  for (const auto& c : cells) {
    gaps += c.worstState < 0 ? 1 : 0;
    down += c.worstState == D ? 1 : 0;
    degraded += c.worstState == G ? 1 : 0;
  }
  // Grey: the 23 hours of the range before the data begins, and 8 of the 9 closed hours (the
  // last poll before closing covers 2 × 30 s of the first one). The outage spans one or two
  // hour cells; the degraded afternoon three or four.
  QCOMPARE(gaps, 23 + 8);
  QVERIFY(down >= 1 && down <= 2);
  QVERIFY(degraded >= 3 && degraded <= 4);
  QVERIFY(view.chartSeriesCount() >= 4); // a gap splits the band: ≥ 2 segments × (band, line)
  QCOMPARE(view.eventModel()->rowCount(), 4);
  // Per component: database down 40 min and redis degraded 3 h of about 135 h observed.
  const QString components = view.componentsLabel()->text();
  QVERIFY2(components.contains(QStringLiteral("database 99.")) &&
               components.contains(QStringLiteral("redis 97.")),
           qPrintable(components));
  QVERIFY2(view.uptimeLabel()->text().contains(QStringLiteral("outside maintenance")),
           qPrintable(view.uptimeLabel()->text()));
  const QString spans = view.annotationsLabel()->text();
  QCOMPARE(view.annotationsLabel()->textFormat(), Qt::PlainText);
  QVERIFY2(spans.contains(QStringLiteral("<i>db failover</i>")) &&
               spans.contains(QStringLiteral("Acknowledged")) &&
               spans.contains(QStringLiteral("by alice: on it")),
           qPrintable(spans));

  // Newest first: row 1 is the outage (row 0 its recovery).
  view.eventView()->selectRow(1);
  const QString evidence = view.evidence()->text();
  QVERIFY2(evidence.contains(QStringLiteral("HTTP 503 Service Unavailable")), qPrintable(evidence));
  QVERIFY(evidence.contains(QStringLiteral("database: up → down: connection refused")));
  QVERIFY(evidence.contains(QStringLiteral("<b>not markup</b>"))); // shown as characters
  QVERIFY(evidence.contains(QStringLiteral("Certificate: gw-eu-1.example, issued by Example CA")));
  const QString curl = view.evidence()->curl();
  QVERIFY2(curl.startsWith(QStringLiteral("curl -sS -i -H 'Accept: application/json' -H "
                                          "@authorization-header.txt")),
           qPrintable(curl));
  QVERIFY(curl.contains(QStringLiteral("'https://gw-eu-1.example:9797/health/ready'")));
  QVERIFY(!curl.contains(QStringLiteral("Bearer ****'")));
  QTest::qWait(200);
  save(view, QStringLiteral("history-view-7d.png"));

  shown.clear();
  view.setRangeIndex(2); // 30 days, one cell per day
  QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && view.strip()->cells().size() == 30, 20000);
  QTest::qWait(200);
  save(view, QStringLiteral("history-view-30d.png"));
}

void TestHistoryView::timelineFiltersAndEvidence() {
  HistoryReader reader(m_db);
  EventsTimeline timeline(reader);
  QAbstractItemModelTester tester(timeline.model(),
                                  QAbstractItemModelTester::FailureReportingMode::QtTest);
  QSignalSpy shown(&timeline, &EventsTimeline::eventsShown);
  timeline.setServers({{QStringLiteral("gw"), QStringLiteral("gateway-eu-1")},
                       {QStringLiteral("db"), QStringLiteral("db-1")}});
  timeline.resize(1280, 800);
  timeline.show();
  timeline.setRangeIndex(1);
  timeline.refresh();
  QTRY_COMPARE_WITH_TIMEOUT(timeline.proxy()->rowCount(), 4, 20000);
  timeline.setStateFilter(D);
  QCOMPARE(timeline.proxy()->rowCount(), 1);
  timeline.view()->selectRow(0);
  QVERIFY(timeline.evidence()->text().contains(QStringLiteral("HTTP 503")));
  timeline.setStateFilter(-1);
  QCOMPARE(timeline.proxy()->rowCount(), 4);
  shown.clear();
  timeline.setServerFilter(QStringLiteral("db"));
  QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
  QCOMPARE(timeline.proxy()->rowCount(), 0);
  shown.clear();
  timeline.setServerFilter(QStringLiteral("gw"));
  QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
  QCOMPARE(timeline.proxy()->rowCount(), 4);
  timeline.view()->selectRow(1);
  QTest::qWait(200);
  save(timeline, QStringLiteral("events-timeline.png"));
}

void TestHistoryView::uptimeInListAndDetailPane() {
  TargetStore store;
  TargetConfig gw;
  gw.id = QStringLiteral("gw");
  gw.name = QStringLiteral("gateway-eu-1");
  gw.group = QStringLiteral("Production");
  gw.baseUrl = QUrl(QStringLiteral("https://gw-eu-1.example:9797"));
  TargetConfig db = gw;
  db.id = QStringLiteral("db");
  db.name = QStringLiteral("db-1");
  store.setTargets({gw, db});
  TargetSnapshot s;
  s.targetId = gw.id;
  s.state = TargetState::Up;
  s.sentence = QStringLiteral("All 4 components up");
  s.polledAt = QDateTime::currentDateTimeUtc();
  s.latency = std::chrono::milliseconds(42);
  store.applySnapshot(s);
  MainWindow window(store);
  QAbstractItemModelTester tester(window.listModel(),
                                  QAbstractItemModelTester::FailureReportingMode::QtTest);
  HistoryReader reader(m_db);
  QSignalSpy ready(&reader, &HistoryReader::uptimeReady);
  reader.requestUptime();
  QVERIFY(ready.wait(20000));
  QVERIFY(reader.uptime().contains(QStringLiteral("gw")));
  window.listModel()->setUptime(reader.uptime());
  window.detailPane()->setUptime(reader.uptime());
  window.resize(1280, 800);
  window.show();
  window.selectTarget(gw.id);
  const QModelIndex cell = window.listModel()->indexForTarget(gw.id, TargetListModel::UptimeColumn);
  const QString text = cell.data().toString();
  QVERIFY2(text.endsWith(QStringLiteral(" %")), qPrintable(text));
  const double share = cell.data(SortRole).toDouble();
  // 40 min down and 3 h degraded out of about 5.6 observed days: up share well below 100 %.
  QVERIFY2(share > 0.9 && share < 0.999, qPrintable(QString::number(share)));
  QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("observed")));
  QVERIFY(window.detailPane()->uptimeText().startsWith(QStringLiteral("Uptime 24 h")));
  QVERIFY(window.detailPane()->uptimeText().contains(QStringLiteral("observed")));
  QTest::qWait(200);
  save(window, QStringLiteral("main-window-uptime.png"));
}

QTEST_MAIN(TestHistoryView)
#include "tst_history_view.moc"
