// Checks of the local machine: disk (statvfs on "/" and a temp dir) and heartbeat files (a
// temp file whose modification time the test sets).

#include "healthdeck/checks/disk_check.h"
#include "healthdeck/checks/heartbeat_file_check.h"
#include "tests/health/status_compare.h"

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

const CheckContext kCtx{std::chrono::steady_clock::now() + 2s, 2000ms};

bool touch(const QString& path, const QDateTime& when) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  f.write("beat\n");
  f.flush(); // a later flush would move the modification time again
  return f.setFileTime(when, QFileDevice::FileModificationTime);
}

} // namespace

class TestLocalChecks : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void formatBytes_data();
  void formatBytes();
  void diskRootIsUpWithZeroThreshold();
  void diskThresholds();
  void diskMissingPathIsDown();
  void heartbeatFresh();
  void heartbeatStale();
  void heartbeatMissingFile();
  void heartbeatFutureTimestamp();
};

void TestLocalChecks::formatBytes_data() {
  QTest::addColumn<double>("bytes");
  QTest::addColumn<QString>("expected");
  QTest::newRow("zero") << 0.0 << QStringLiteral("0 B");
  QTest::newRow("bytes") << 512.0 << QStringLiteral("512 B");
  QTest::newRow("KiB") << 1536.0 << QStringLiteral("1.5 KiB");
  QTest::newRow("GiB decimal") << 12.3 * 1024 * 1024 * 1024 << QStringLiteral("12.3 GiB");
  QTest::newRow("GiB whole") << 100.0 * 1024 * 1024 * 1024 << QStringLiteral("100 GiB");
  QTest::newRow("TiB") << 2.0 * 1024 * 1024 * 1024 * 1024 << QStringLiteral("2 TiB");
}

void TestLocalChecks::formatBytes() {
  QFETCH(double, bytes);
  QFETCH(QString, expected);
  QCOMPARE(q(DiskCheck::formatBytes(bytes)), expected);
}

void TestLocalChecks::diskRootIsUpWithZeroThreshold() {
  DiskCheck check("/", 0, std::nullopt);
  const CheckOutcome o = check.run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QVERIFY2(QRegularExpression(
               QStringLiteral(R"(^[0-9.]+ [KMGTP]?i?B free of [0-9.]+ [KMGTP]?i?B \([0-9.]+ %\)$)"))
               .match(q(o.details))
               .hasMatch(),
           o.details.c_str());
}

void TestLocalChecks::diskThresholds() {
  // No real disk is 100 % free, so 100 % trips a threshold and 0 % never does.
  const CheckOutcome down = DiskCheck("/", 100, std::nullopt).run(kCtx);
  QCOMPARE_STATUS(down.status, Status::Down);
  QVERIFY2(q(down.details).endsWith(QStringLiteral(" < 100 %)")), down.details.c_str());

  const CheckOutcome degraded = DiskCheck("/", 0, 100.0).run(kCtx);
  QCOMPARE_STATUS(degraded.status, Status::Degraded);
  QVERIFY2(q(degraded.details).endsWith(QStringLiteral(" < 100 %)")), degraded.details.c_str());

  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QCOMPARE_STATUS(DiskCheck(dir.path().toStdString(), 0, 0.0).run(kCtx).status, Status::Up);
}

void TestLocalChecks::diskMissingPathIsDown() {
  const CheckOutcome o = DiskCheck("/nonexistent/healthdeck", 10, std::nullopt).run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QCOMPARE(q(o.details),
           QStringLiteral("cannot read /nonexistent/healthdeck: no such file or directory"));
}

void TestLocalChecks::heartbeatFresh() {
  QTemporaryDir dir;
  const QString stamp = dir.filePath(QStringLiteral("cleaner.stamp"));
  QVERIFY(touch(stamp, QDateTime::currentDateTimeUtc().addSecs(-30)));
  const CheckOutcome o = HeartbeatFileCheck(stamp.toStdString(), 10min).run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QVERIFY2(QRegularExpression(QStringLiteral(R"(^last beat (29|30|31)s ago$)"))
               .match(q(o.details))
               .hasMatch(),
           o.details.c_str());
}

void TestLocalChecks::heartbeatStale() {
  QTemporaryDir dir;
  const QString stamp = dir.filePath(QStringLiteral("cleaner.stamp"));
  QVERIFY(touch(stamp, QDateTime::currentDateTimeUtc().addSecs(-12 * 60 - 5)));
  const CheckOutcome o = HeartbeatFileCheck(stamp.toStdString(), 10min).run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QVERIFY2(QRegularExpression(QStringLiteral(R"(^last beat 12m[0-9]*s? ago \(> 10m\)$)"))
               .match(q(o.details))
               .hasMatch(),
           o.details.c_str());
}

void TestLocalChecks::heartbeatMissingFile() {
  QTemporaryDir dir;
  const QString stamp = dir.filePath(QStringLiteral("never.stamp"));
  const CheckOutcome o = HeartbeatFileCheck(stamp.toStdString(), 10min).run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Down);
  QCOMPARE(q(o.details),
           QStringLiteral("never ran (file ") + stamp + QStringLiteral(" does not exist)"));
}

void TestLocalChecks::heartbeatFutureTimestamp() {
  QTemporaryDir dir;
  const QString stamp = dir.filePath(QStringLiteral("skewed.stamp"));
  QVERIFY(touch(stamp, QDateTime::currentDateTimeUtc().addSecs(3600)));
  const CheckOutcome o = HeartbeatFileCheck(stamp.toStdString(), 1min).run(kCtx);
  QCOMPARE_STATUS(o.status, Status::Up);
  QCOMPARE(q(o.details), QStringLiteral("last beat 0s ago"));
}

QTEST_GUILESS_MAIN(TestLocalChecks)
#include "tst_local_checks.moc"
