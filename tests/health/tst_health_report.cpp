// Report writers: the seed JSON schema, the /health summary and IETF application/health+json,
// parsed back with QJsonDocument; JSON string escaping; RFC 3339 timestamps.

#include "healthdeck/health/report.h"

#include "tests/health/status_compare.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QTest>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

// 2026-11-27T10:00:00Z plus a sub-second part that must not show up in the timestamp.
const auto kTime = std::chrono::system_clock::time_point{std::chrono::seconds{1795773600}} + 750ms;

ProbeResult sample() {
  ProbeResult r;
  r.probe = Probe::Readiness;
  r.timestamp = kTime;
  r.checks.push_back({"database", Status::Up, "SELECT 1", 1234567ns, true, kTime});
  r.checks.push_back({"cache", Status::Down, "connection refused", 3'000'000'123ns, false, kTime});
  r.checks.push_back({"disk", Status::Degraded, "9.5 % free", 250'000ns, true, kTime});
  r.status = aggregate(r.checks);
  return r;
}

QJsonObject parse(const std::string& json) {
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) {
    qWarning("invalid JSON (%s): %s", qPrintable(error.errorString()), json.c_str());
    return {};
  }
  return doc.object();
}

} // namespace

class TestHealthReport : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void timestampIsRfc3339Utc();
  void healthJsonFields();
  void healthJsonExactBytes();
  void healthJsonWithoutDetails();
  void summaryJson();
  void downIsNotSuccess();
  void ietfHealthJson();
  void ietfWithoutDetails();
  void escaping_data();
  void escaping();
  void escapedDetailsRoundTrip();
};

void TestHealthReport::timestampIsRfc3339Utc() {
  QCOMPARE(QString::fromStdString(formatTimestamp(kTime)), QStringLiteral("2026-11-27T10:00:00Z"));
  QCOMPARE(QString::fromStdString(formatTimestamp(std::chrono::system_clock::time_point{})),
           QStringLiteral("1970-01-01T00:00:00Z"));
}

void TestHealthReport::healthJsonFields() {
  const QJsonObject o = parse(writeHealthJson(sample(), true));
  QCOMPARE(o.value(QStringLiteral("success")).toBool(false), true); // degraded still succeeds
  QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("degraded"));
  QCOMPARE(o.value(QStringLiteral("probe")).toString(), QStringLiteral("readiness"));
  QCOMPARE(o.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2026-11-27T10:00:00Z"));
  const QJsonArray checks = o.value(QStringLiteral("checks")).toArray();
  QCOMPARE(checks.size(), 3);
  const QJsonObject db = checks.at(0).toObject();
  QCOMPARE(db.keys(), (QStringList{QStringLiteral("component"), QStringLiteral("details"),
                                   QStringLiteral("duration"), QStringLiteral("status")}));
  QCOMPARE(db.value(QStringLiteral("component")).toString(), QStringLiteral("database"));
  QCOMPARE(db.value(QStringLiteral("status")).toString(), QStringLiteral("up"));
  QCOMPARE(db.value(QStringLiteral("details")).toString(), QStringLiteral("SELECT 1"));
  QCOMPARE(db.value(QStringLiteral("duration")).toInteger(), qint64(1234567));
  const QJsonObject cache = checks.at(1).toObject();
  QCOMPARE(cache.value(QStringLiteral("status")).toString(), QStringLiteral("down"));
  QCOMPARE(cache.value(QStringLiteral("duration")).toInteger(), qint64(3000000123));
  QCOMPARE(checks.at(2).toObject().value(QStringLiteral("status")).toString(),
           QStringLiteral("degraded"));
}

void TestHealthReport::healthJsonExactBytes() {
  ProbeResult r;
  r.probe = Probe::Liveness;
  r.timestamp = kTime;
  r.checks.push_back({"loop", Status::Up, "ok", 42ns, true, kTime});
  QCOMPARE(QString::fromStdString(writeHealthJson(r, true)),
           QStringLiteral(R"({"success":true,"status":"up","probe":"liveness",)"
                          R"("timestamp":"2026-11-27T10:00:00Z","checks":[{"component":"loop",)"
                          R"("status":"up","details":"ok","duration":42}]})"));
}

void TestHealthReport::healthJsonWithoutDetails() {
  const QJsonObject o = parse(writeHealthJson(sample(), false));
  QVERIFY(!o.isEmpty());
  QVERIFY(!o.contains(QStringLiteral("checks")));
  QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("degraded"));
  QCOMPARE(o.value(QStringLiteral("probe")).toString(), QStringLiteral("readiness"));
}

void TestHealthReport::summaryJson() {
  QCOMPARE(QString::fromStdString(writeSummaryJson(sample())),
           QStringLiteral(R"({"success":true,"status":"degraded"})"));
}

void TestHealthReport::downIsNotSuccess() {
  ProbeResult r = sample();
  r.checks[1].critical = true;
  r.status = aggregate(r.checks);
  QCOMPARE_STATUS(r.status, Status::Down);
  QCOMPARE(QString::fromStdString(writeSummaryJson(r)),
           QStringLiteral(R"({"success":false,"status":"down"})"));
  QCOMPARE(parse(writeHealthJson(r, true)).value(QStringLiteral("success")).toBool(true), false);
}

void TestHealthReport::ietfHealthJson() {
  const QJsonObject o = parse(writeIetfHealthJson(sample(), true));
  QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("warn"));
  const QJsonObject checks = o.value(QStringLiteral("checks")).toObject();
  QCOMPARE(checks.keys(), (QStringList{QStringLiteral("cache"), QStringLiteral("database"),
                                       QStringLiteral("disk")}));

  const QJsonArray dbList = checks.value(QStringLiteral("database")).toArray();
  QCOMPARE(dbList.size(), 1);
  const QJsonObject db = dbList.at(0).toObject();
  QCOMPARE(db.value(QStringLiteral("componentId")).toString(), QStringLiteral("database"));
  QCOMPARE(db.value(QStringLiteral("status")).toString(), QStringLiteral("pass"));
  QCOMPARE(db.value(QStringLiteral("observedValue")).toDouble(), 1.234567);
  QCOMPARE(db.value(QStringLiteral("observedUnit")).toString(), QStringLiteral("ms"));
  QCOMPARE(db.value(QStringLiteral("time")).toString(), QStringLiteral("2026-11-27T10:00:00Z"));
  QVERIFY(!db.contains(QStringLiteral("output"))); // the draft: omit output on pass

  const QJsonObject cache = checks.value(QStringLiteral("cache")).toArray().at(0).toObject();
  QCOMPARE(cache.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
  QCOMPARE(cache.value(QStringLiteral("output")).toString(), QStringLiteral("connection refused"));
  QCOMPARE(cache.value(QStringLiteral("observedValue")).toDouble(), 3000.000123);
  const QJsonObject disk = checks.value(QStringLiteral("disk")).toArray().at(0).toObject();
  QCOMPARE(disk.value(QStringLiteral("status")).toString(), QStringLiteral("warn"));
  QCOMPARE(disk.value(QStringLiteral("observedValue")).toDouble(), 0.25);
}

void TestHealthReport::ietfWithoutDetails() {
  ProbeResult r = sample();
  r.status = Status::Down;
  const QJsonObject o = parse(writeIetfHealthJson(r, false));
  QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("fail"));
  QVERIFY(!o.contains(QStringLiteral("checks")));
  r.status = Status::Up;
  QCOMPARE(parse(writeIetfHealthJson(r, false)).value(QStringLiteral("status")).toString(),
           QStringLiteral("pass"));
}

void TestHealthReport::escaping_data() {
  QTest::addColumn<QByteArray>("input");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("plain") << QByteArray("abc") << QByteArray(R"("abc")");
  QTest::newRow("quote and backslash")
      << QByteArray(R"(say "hi" \o/)") << QByteArray(R"("say \"hi\" \\o/")");
  QTest::newRow("named controls") << QByteArray("a\nb\tc\rd\be\ff")
                                  << QByteArray(R"("a\nb\tc\rd\be\ff")");
  QTest::newRow("other controls") << QByteArray("\x01\x1f\x7f", 3)
                                  << QByteArray(R"("\u0001\u001f\u007f")");
  QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray(R"("a\u0000b")");
  QTest::newRow("utf-8 passes through") << QByteArray("Grüße ✓ 😀") << QByteArray("\"Grüße ✓ 😀\"");
  QTest::newRow("invalid byte") << QByteArray("a\xff"
                                              "b")
                                << QByteArray(R"("a\ufffdb")");
  QTest::newRow("truncated sequence") << QByteArray("\xe2\x9c") << QByteArray(R"("\ufffd\ufffd")");
  QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QByteArray(R"("\ufffd\ufffd")");
  QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray(R"("\ufffd\ufffd\ufffd")");
  QTest::newRow("empty") << QByteArray() << QByteArray(R"("")");
}

void TestHealthReport::escaping() {
  QFETCH(QByteArray, input);
  QFETCH(QByteArray, expected);
  std::string out;
  appendJsonString(out, std::string_view(input.constData(), std::size_t(input.size())));
  QCOMPARE(QByteArray::fromStdString(out), expected);
}

void TestHealthReport::escapedDetailsRoundTrip() {
  ProbeResult r = sample();
  const std::string nasty = std::string("he said \"no\"\n\ttab \\ end\x02 ü");
  r.checks[0].details = nasty;
  r.checks[0].component = "db \"main\"";
  r.checks[0].status = Status::Down;
  const QJsonObject o = parse(writeHealthJson(r, true));
  const QJsonObject db = o.value(QStringLiteral("checks")).toArray().at(0).toObject();
  QCOMPARE(db.value(QStringLiteral("details")).toString(), QString::fromStdString(nasty));
  QCOMPARE(db.value(QStringLiteral("component")).toString(), QStringLiteral("db \"main\""));
  const QJsonObject ietf = parse(writeIetfHealthJson(r, true));
  const QJsonObject entry = ietf.value(QStringLiteral("checks"))
                                .toObject()
                                .value(QStringLiteral("db \"main\""))
                                .toArray()
                                .at(0)
                                .toObject();
  QCOMPARE(entry.value(QStringLiteral("output")).toString(), QString::fromStdString(nasty));
}

QTEST_GUILESS_MAIN(TestHealthReport)
#include "tst_health_report.moc"
