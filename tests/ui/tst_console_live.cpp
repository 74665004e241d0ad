// The real console (the built `healthdeck` binary) on the offscreen platform with its embedded
// exporter on a free port: "This host" must reach `up` (seen in the persisted event log), and
// without any display the same command must fall back to `serve`.

#include "tests/support/ports.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestConsoleLive : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void thisHostReachesUp();
  void noDisplayStartsServe();

private:
  static QString binary() { return qEnvironmentVariable("HEALTHDECK_BINARY"); }
};

namespace {

QString writeConfig(const QTemporaryDir& dir, quint16 port) {
  const QString path = dir.filePath(QStringLiteral("monitoring.yaml"));
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(QStringLiteral("monitoring:\n  listen: 127.0.0.1:%1\n").arg(port).toUtf8());
  return path;
}

bool eventLogShowsUp(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return false;
  while (!f.atEnd()) {
    const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
    if (o.value(QStringLiteral("target")).toString() == QLatin1String("this-host") &&
        o.value(QStringLiteral("to")).toString() == QLatin1String("up"))
      return true;
  }
  return false;
}

} // namespace

void TestConsoleLive::thisHostReachesUp() {
  QVERIFY2(QFile::exists(binary()), "HEALTHDECK_BINARY not set or missing");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const quint16 port = healthdeck::testing::freePort();
  const QString config = writeConfig(dir, port);
  QVERIFY(!config.isEmpty());
  QProcess console;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
  env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
  console.setProcessEnvironment(env);
  console.setProcessChannelMode(QProcess::MergedChannels);
  console.start(binary(), {QStringLiteral("--config"), config});
  QVERIFY2(console.waitForStarted(5000), qPrintable(console.errorString()));
  const QString events = dir.filePath(QStringLiteral("data/healthdeck/events.jsonl"));
  QTRY_VERIFY2_WITH_TIMEOUT(eventLogShowsUp(events) || console.state() == QProcess::NotRunning,
                            "no transition of this-host to up", 20000);
  QVERIFY2(console.state() == QProcess::Running, console.readAll().constData());
  QVERIFY(eventLogShowsUp(events));
  QVERIFY(healthdeck::testing::waitForPort(port, 1000));
  console.terminate();
  QVERIFY(console.waitForFinished(10000));
}

void TestConsoleLive::noDisplayStartsServe() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const quint16 port = healthdeck::testing::freePort();
  const QString config = writeConfig(dir, port);
  QProcess console;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove(QStringLiteral("DISPLAY"));
  env.remove(QStringLiteral("WAYLAND_DISPLAY"));
  env.remove(QStringLiteral("QT_QPA_PLATFORM"));
  console.setProcessEnvironment(env);
  console.setProcessChannelMode(QProcess::MergedChannels);
  console.start(binary(), {QStringLiteral("--config"), config});
  QVERIFY(console.waitForStarted(5000));
  QByteArray out;
  QTRY_VERIFY_WITH_TIMEOUT((out += console.readAll()).contains("/health/ready") ||
                               console.state() == QProcess::NotRunning,
                           10000);
  out += console.readAll();
  QVERIFY2(out.contains("healthdeck: no display; starting the exporter only (healthdeck serve)"),
           out.constData());
  QVERIFY2(healthdeck::testing::waitForPort(port, 5000), out.constData());
  console.terminate();
  QVERIFY(console.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestConsoleLive)
#include "tst_console_live.moc"
