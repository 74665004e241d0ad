// Runs the real binary ($HEALTHDECK_BINARY) with each subcommand's --help, a bad option, and both
// spellings of an option with a value.
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

class TstCli : public QObject {
  Q_OBJECT

  struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
  };

  static Run run(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // No display: the console path must not open a window in this test.
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("HEALTHDECK_BINARY"), args);
    if (!p.waitForFinished(20000)) {
      p.kill();
      p.waitForFinished();
      return {};
    }
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
  }

private Q_SLOTS:
  void help_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("usageLine");
    QTest::newRow("top level") << QStringList{QStringLiteral("--help")}
                               << QStringLiteral("usage: healthdeck [--config FILE]");
    QTest::newRow("serve") << QStringList{QStringLiteral("serve"), QStringLiteral("--help")}
                           << QStringLiteral("usage: healthdeck serve [options]");
    QTest::newRow("serve -h") << QStringList{QStringLiteral("serve"), QStringLiteral("-h")}
                              << QStringLiteral("usage: healthdeck serve [options]");
  }
  void help() {
    QFETCH(QStringList, args);
    QFETCH(QString, usageLine);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(usageLine.toUtf8()), r.out.constData());
    QVERIFY(r.err.isEmpty());
  }

  void badOption_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("firstLine");
    QTest::newRow("serve unknown")
        << QStringList{QStringLiteral("serve"), QStringLiteral("--bogus")} << 2
        << QStringLiteral("healthdeck serve: unknown option 'bogus'");
    QTest::newRow("serve missing value")
        << QStringList{QStringLiteral("serve"), QStringLiteral("--listen")} << 2
        << QStringLiteral("healthdeck serve: missing value after '--listen'");
    QTest::newRow("serve positional")
        << QStringList{QStringLiteral("serve"), QStringLiteral("extra")} << 2
        << QStringLiteral("healthdeck serve: unexpected argument 'extra'");
    QTest::newRow("console unknown") << QStringList{QStringLiteral("--bogus")} << 2
                                     << QStringLiteral("healthdeck: unknown option 'bogus'");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("healthdeck: unknown command 'frobnicate'");
  }
  void badOption() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, firstLine);
    const Run r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    const QList<QByteArray> lines = r.err.split('\n');
    QCOMPARE(QString::fromUtf8(lines.value(0)), firstLine);
    QVERIFY2(lines.value(1).startsWith("usage: healthdeck"), r.err.constData());
    QVERIFY(r.out.isEmpty());
  }

  void bothValueSpellings_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("separate") << QStringList{QStringLiteral("serve"), QStringLiteral("--config"),
                                             QStringLiteral("/nonexistent/m.yaml")};
    QTest::newRow("equals") << QStringList{QStringLiteral("serve"),
                                           QStringLiteral("--config=/nonexistent/m.yaml")};
  }
  void bothValueSpellings() {
    QFETCH(QStringList, args);
    // The value reaches the loader either way: it names the missing file (exit 2, not usage).
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("/nonexistent/m.yaml"), r.err.constData());
    QVERIFY2(!r.err.contains("usage:"), r.err.constData());
  }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
