// `healthdeck history`: the real binary on a real history database written by the store —
// uptime figures computed by hand, the JSON shape of the issue, text and CSV, options, exit
// status 2 for a missing or unreadable database, and reading while a console writes.

#include "healthdeck/client/store/history_db.h"
#include "healthdeck/client/store/history_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;
using namespace healthdeck::history;

namespace {

struct Run {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

Run runHistory(const QStringList& args) {
  QProcess p;
  p.start(qEnvironmentVariable("HEALTHDECK_BINARY"), QStringList{QStringLiteral("history")} + args);
  Run r;
  if (!p.waitForStarted(10000) || !p.waitForFinished(30000)) return r;
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

constexpr qint64 kSec = 1000;

} // namespace

class TestHistoryCommand : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void help();
  void usageErrors_data();
  void usageErrors();
  void missingOrUnreadableDatabase();
  void jsonShapeAndFigures();
  void textAndCsv();
  void sinceFiltersEvents();
  void readsWhileAConsoleWrites();

private:
  QTemporaryDir m_dir;
  QString m_db;
  qint64 m_t0 = 0;
};

void TestHistoryCommand::initTestCase() {
  QVERIFY(m_dir.isValid());
  QVERIFY(QFile::exists(qEnvironmentVariable("HEALTHDECK_BINARY")));
  m_db = m_dir.filePath(QStringLiteral("history.sqlite"));
  // One hour of polls every 10 s, two hours ago: 3000 s up, 600 s down (polls 120..179), in a
  // session that ended when polling stopped. Hand-computed: up 3000/3600 = 0.833333, observed
  // 3600 s; a second server polled twice: up 10 s + 20 s (2× interval) = 30 s.
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  m_t0 = now - 2 * 3600 * kSec;
  HistoryDb db;
  QVERIFY(db.open(m_db, HistoryDb::Mode::Write).ok);
  QVERIFY(db.beginSession(m_t0 - kSec));
  std::vector<PollRow> polls;
  for (int i = 0; i < 360; ++i)
    polls.push_back({QStringLiteral("gw"), QStringLiteral("gateway-eu-1"), m_t0 + i * 10 * kSec,
                     (i >= 120 && i < 180) ? 2 : 0, 40 + i % 7, 10 * kSec});
  polls.push_back({QStringLiteral("db"), QStringLiteral("db-1"), m_t0, 0, 3, 10 * kSec});
  polls.push_back(
      {QStringLiteral("db"), QStringLiteral("db-1"), m_t0 + 10 * kSec, 0, 3, 10 * kSec});
  EventRow down{QStringLiteral("gw"),
                QStringLiteral("gateway-eu-1"),
                m_t0 + 1200 * kSec,
                0,
                2,
                false,
                QStringLiteral("database down: connection refused"),
                {}};
  down.evidence = QJsonDocument::fromJson(
                      R"({"url":"http://192.0.2.10:9797/health/ready","method":"GET",
                          "status":503,"reason":"Service Unavailable",
                          "headers":["Content-Type: application/json"],
                          "body":"{\"status\":\"down\"}",
                          "timings_ms":{"total":12},
                          "components":["database: up → down: connection refused"]})")
                      .object();
  EventRow up{QStringLiteral("gw"),
              QStringLiteral("gateway-eu-1"),
              m_t0 + 1800 * kSec,
              2,
              0,
              false,
              QStringLiteral("All 3 components up"),
              {}};
  // Its database component down with it; a maintenance window over the last 300 s of the
  // outage: outside it, up 3000 / 3300 s.
  const QString gw = QStringLiteral("gw");
  const QString name = QStringLiteral("gateway-eu-1");
  const QString database = QStringLiteral("readiness:database");
  const std::vector<ComponentRow> components{{gw, name, database, m_t0, 0},
                                             {gw, name, database, m_t0 + 1200 * kSec, 2},
                                             {gw, name, database, m_t0 + 1800 * kSec, 0}};
  const std::vector<AnnotationRow> annotations{
      {gw, name, QLatin1String(AnnotationRow::kMaintenance), m_t0 + 1500 * kSec, m_t0 + 1800 * kSec,
       QString(), QStringLiteral("failover drill")}};
  QVERIFY(db.writeBatch(polls, {down, up}, m_t0 + 3600 * kSec, components, annotations));
  QVERIFY(db.endSession(m_t0 + 3600 * kSec));
  QVERIFY(db.rollupUntil(now, 0));
}

void TestHistoryCommand::help() {
  const Run r = runHistory({QStringLiteral("--help")});
  QCOMPARE(r.exitCode, 0);
  QVERIFY(r.out.contains("--server"));
  QVERIFY(r.out.contains("--since"));
  QVERIFY(r.out.contains("--format"));
}

void TestHistoryCommand::usageErrors_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QByteArray>("message");
  QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")}
                                  << QByteArray("unknown option");
  QTest::newRow("bad format") << QStringList{QStringLiteral("--format=xml")}
                              << QByteArray("--format must be text, json or csv");
  QTest::newRow("bad duration") << QStringList{QStringLiteral("--since"), QStringLiteral("soon")}
                                << QByteArray("not a duration");
  QTest::newRow("since and from") << QStringList{QStringLiteral("--since=1h"),
                                                 QStringLiteral("--from=2026-01-01T00:00:00Z")}
                                  << QByteArray("not both");
  QTest::newRow("bad time") << QStringList{QStringLiteral("--from"), QStringLiteral("yesterday")}
                            << QByteArray("not an RFC 3339 time");
  QTest::newRow("to before from") << QStringList{QStringLiteral("--from=2026-01-02T00:00:00Z"),
                                                 QStringLiteral("--to=2026-01-01T00:00:00Z")}
                                  << QByteArray("--to must be after --from");
}

void TestHistoryCommand::usageErrors() {
  QFETCH(QStringList, args);
  QFETCH(QByteArray, message);
  const Run r = runHistory(args + QStringList{QStringLiteral("--database"), m_db});
  QCOMPARE(r.exitCode, 2);
  QVERIFY2(r.err.contains(message), r.err.constData());
}

void TestHistoryCommand::missingOrUnreadableDatabase() {
  const QString missing = m_dir.filePath(QStringLiteral("nothing-here.sqlite"));
  Run r = runHistory({QStringLiteral("--database"), missing});
  QCOMPARE(r.exitCode, 2);
  QVERIFY2(r.err.contains("no history database"), r.err.constData());
  QVERIFY(!QFile::exists(missing));

  const QString broken = m_dir.filePath(QStringLiteral("broken.sqlite"));
  {
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
  }
  r = runHistory({QStringLiteral("--database"), broken});
  QCOMPARE(r.exitCode, 2);
  QVERIFY2(r.err.contains("cannot read the history database"), r.err.constData());
  QFile f(broken);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), QByteArray(4096, 'x')); // read-only: never moved, never touched
}

void TestHistoryCommand::jsonShapeAndFigures() {
  const Run r =
      runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--format"),
                  QStringLiteral("json"), QStringLiteral("--since"), QStringLiteral("3h")});
  QCOMPARE(r.exitCode, 0);
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
  QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
  const QJsonArray servers = doc.object().value(QStringLiteral("servers")).toArray();
  QCOMPARE(servers.size(), 2);
  QJsonObject gw;
  for (const auto& s : servers)
    if (s.toObject().value(QStringLiteral("name")).toString() == QLatin1String("gateway-eu-1"))
      gw = s.toObject();
  QVERIFY(!gw.isEmpty());
  const QJsonObject uptime = gw.value(QStringLiteral("uptime")).toObject();
  for (const char* period : {"24h", "7d", "30d", "range"}) {
    const QJsonObject p = uptime.value(QLatin1String(period)).toObject();
    QVERIFY2(!p.isEmpty(), period);
    QVERIFY2(qAbs(p.value(QStringLiteral("up")).toDouble() - 3000.0 / 3600.0) < 1e-9, period);
    QCOMPARE(p.value(QStringLiteral("degraded")).toDouble(), 0.0);
    QCOMPARE(p.value(QStringLiteral("observed_seconds")).toDouble(), 3600.0);
  }
  QCOMPARE(uptime.value(QStringLiteral("24h"))
               .toObject()
               .value(QStringLiteral("not_observed_seconds"))
               .toDouble(),
           86400.0 - 3600.0);
  const QJsonObject outside = gw.value(QStringLiteral("uptime_outside_maintenance"))
                                  .toObject()
                                  .value(QStringLiteral("24h"))
                                  .toObject();
  QVERIFY2(qAbs(outside.value(QStringLiteral("up")).toDouble() - 3000.0 / 3300.0) < 1e-9,
           qPrintable(QString::number(outside.value(QStringLiteral("up")).toDouble())));
  QCOMPARE(outside.value(QStringLiteral("observed_seconds")).toDouble(), 3300.0);
  const QJsonArray components = gw.value(QStringLiteral("components")).toArray();
  QCOMPARE(components.size(), 1);
  const QJsonObject database = components.at(0).toObject();
  QCOMPARE(database.value(QStringLiteral("component")).toString(), QStringLiteral("database"));
  QCOMPARE(database.value(QStringLiteral("probe")).toString(), QStringLiteral("readiness"));
  const QJsonObject day =
      database.value(QStringLiteral("uptime")).toObject().value(QStringLiteral("24h")).toObject();
  QVERIFY(qAbs(day.value(QStringLiteral("up")).toDouble() - 3000.0 / 3600.0) < 1e-9);
  QCOMPARE(day.value(QStringLiteral("observed_seconds")).toDouble(), 3600.0);
  const QJsonArray spans = gw.value(QStringLiteral("annotations")).toArray();
  QCOMPARE(spans.size(), 1);
  QCOMPARE(spans.at(0).toObject().value(QStringLiteral("kind")).toString(),
           QStringLiteral("maintenance"));
  QCOMPARE(spans.at(0).toObject().value(QStringLiteral("note")).toString(),
           QStringLiteral("failover drill"));
  const QJsonArray events = gw.value(QStringLiteral("events")).toArray();
  QCOMPARE(events.size(), 2);
  const QJsonObject first = events.at(0).toObject();
  QCOMPARE(first.value(QStringLiteral("from")).toString(), QStringLiteral("up"));
  QCOMPARE(first.value(QStringLiteral("to")).toString(), QStringLiteral("down"));
  QCOMPARE(first.value(QStringLiteral("sentence")).toString(),
           QStringLiteral("database down: connection refused"));
  const QDateTime time =
      QDateTime::fromString(first.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
  QVERIFY(time.isValid());
  QCOMPARE(time.toMSecsSinceEpoch(), m_t0 + 1200 * kSec);
  QVERIFY(first.value(QStringLiteral("time")).toString().endsWith(QLatin1Char('Z')));
  const QJsonObject evidence = first.value(QStringLiteral("evidence")).toObject();
  QCOMPARE(evidence.value(QStringLiteral("status")).toInt(), 503);
  QCOMPARE(evidence.value(QStringLiteral("components")).toArray().at(0).toString(),
           QStringLiteral("database: up → down: connection refused"));
  QCOMPARE(events.at(1).toObject().value(QStringLiteral("to")).toString(), QStringLiteral("up"));
}

void TestHistoryCommand::textAndCsv() {
  Run r = runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--server"),
                      QStringLiteral("gateway-eu-1")});
  QCOMPARE(r.exitCode, 0);
  QVERIFY2(r.out.contains("83.33 % up, 0.00 % degraded, over 1.0 h observed"), r.out.constData());
  QVERIFY(!r.out.contains("db-1"));
  QVERIFY(r.out.contains("HTTP 503 Service Unavailable"));
  QVERIFY(r.out.contains("database: up → down: connection refused"));
  QVERIFY2(r.out.contains("component database (readiness): 24h 83.33 %"), r.out.constData());
  QVERIFY(r.out.contains(": failover drill"));

  r = runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--format=csv"),
                  QStringLiteral("--server=db")});
  QCOMPARE(r.exitCode, 0);
  const QList<QByteArray> lines = r.out.trimmed().split('\n');
  QCOMPARE(
      lines.first(),
      QByteArray("record,server,period_or_time,from,to,up,degraded,observed_seconds,sentence"));
  QVERIFY2(lines.contains("uptime,db-1,24h,,,1.000000,0.000000,30,"), r.out.constData());

  r = runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--server"),
                  QStringLiteral("no-such-server")});
  QCOMPARE(r.exitCode, 2);
  QVERIFY(r.err.contains("no server 'no-such-server'"));
}

void TestHistoryCommand::sinceFiltersEvents() {
  const Run r = runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--format=json"),
                            QStringLiteral("--since=30m"), QStringLiteral("--server=gw")});
  QCOMPARE(r.exitCode, 0);
  const QJsonObject gw = QJsonDocument::fromJson(r.out)
                             .object()
                             .value(QStringLiteral("servers"))
                             .toArray()
                             .at(0)
                             .toObject();
  QCOMPARE(gw.value(QStringLiteral("events")).toArray().size(), 0);
  // Nothing observed in the last 30 minutes: no share, zero observed time.
  const QJsonObject range =
      gw.value(QStringLiteral("uptime")).toObject().value(QStringLiteral("range")).toObject();
  QVERIFY(range.value(QStringLiteral("up")).isNull());
  QCOMPARE(range.value(QStringLiteral("observed_seconds")).toDouble(), 0.0);
}

void TestHistoryCommand::readsWhileAConsoleWrites() {
  HistoryWriter::Options o;
  o.path = m_db;
  HistoryWriter writer(o);
  QVERIFY(writer.start().writing);
  TargetConfig t;
  t.id = QStringLiteral("live");
  t.name = QStringLiteral("live-1");
  TargetSnapshot snap;
  snap.targetId = t.id;
  snap.state = TargetState::Up;
  snap.polledAt = QDateTime::currentDateTimeUtc();
  writer.recordPoll(snap, t);
  writer.flushNow();
  const Run r = runHistory({QStringLiteral("--database"), m_db, QStringLiteral("--format=json")});
  QCOMPARE(r.exitCode, 0);
  QVERIFY(r.out.contains("live-1"));
}

QTEST_GUILESS_MAIN(TestHistoryCommand)
#include "tst_history_command.moc"
