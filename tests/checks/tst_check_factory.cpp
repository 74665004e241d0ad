// The check registry and config validation: every error names file, line and key; plus the
// strict CheckConfig accessors and parseDuration they rely on.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/config/monitoring_config.h"
#include "tests/health/status_compare.h"

#include <QRegularExpression>
#include <QTest>

using namespace healthdeck;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

const std::string kFile = "/etc/healthdeck/monitoring.yaml";
constexpr int kEntryLine = 12;

// "key=value@line" (line optional → 0, i.e. the entry's line is used).
CheckConfig entry(const QString& type, const QStringList& params, Probe probe = Probe::Readiness,
                  bool allowLiveness = false) {
  CheckConfig c;
  c.name = "dep";
  c.type = type.toStdString();
  c.probe = probe;
  c.allowLiveness = allowLiveness;
  c.file = kFile;
  c.line = kEntryLine;
  c.index = 3;
  for (const QString& p : params) {
    const qsizetype eq = p.indexOf(QLatin1Char('='));
    const qsizetype at = p.lastIndexOf(QLatin1Char('@'));
    ConfigParam param;
    param.value = p.mid(eq + 1, at > eq ? at - eq - 1 : -1).toStdString();
    param.line = at > eq ? p.mid(at + 1).toInt() : 0;
    c.params[p.left(eq).toStdString()] = param;
  }
  return c;
}

} // namespace

class TestCheckFactory : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void builtinTypes();
  void errors_data();
  void errors();
  void validEntriesBuild_data();
  void validEntriesBuild();
  void registerCustomType();
  void specFromConfig();
  void configErrorFormat();
  void parseDuration_data();
  void parseDuration();
  void accessors();
  void booleans_data();
  void booleans();
};

void TestCheckFactory::builtinTypes() {
  for (const char* name : {"tcp", "disk", "heartbeat"}) {
    const CheckType* t = findCheckType(name);
    QVERIFY2(t, name);
    QVERIFY(t->build);
  }
  QVERIFY(findCheckType("tcp")->outsideService);
  QVERIFY(!findCheckType("disk")->outsideService);
  QVERIFY(!findCheckType("heartbeat")->outsideService);
  QVERIFY(!findCheckType("nope"));
  QVERIFY(checkTypes().size() >= 3);
}

void TestCheckFactory::errors_data() {
  QTest::addColumn<QString>("type");
  QTest::addColumn<QStringList>("params");
  QTest::addColumn<bool>("liveness");
  QTest::addColumn<QString>("key");
  QTest::addColumn<int>("line");
  QTest::addColumn<QString>("message");

  QTest::newRow("unknown type") << QStringLiteral("postgresq") << QStringList{} << false
                                << QStringLiteral("type") << kEntryLine
                                << QStringLiteral(
                                       "unknown check type \"postgresq\" (known types: ");
  QTest::newRow("missing type") << QString() << QStringList{} << false << QStringLiteral("type")
                                << kEntryLine << QStringLiteral("missing required key");
  QTest::newRow("unknown key") << QStringLiteral("tcp")
                               << QStringList{QStringLiteral("address=db:5432@13"),
                                              QStringLiteral("adress=db:5432@14")}
                               << false << QStringLiteral("adress") << 14
                               << QStringLiteral("unknown key for type \"tcp\" (accepted keys: "
                                                 "address)");
  QTest::newRow("missing key") << QStringLiteral("tcp") << QStringList{} << false
                               << QStringLiteral("address") << kEntryLine
                               << QStringLiteral("missing required key");
  QTest::newRow("empty value") << QStringLiteral("tcp")
                               << QStringList{QStringLiteral("address=@13")} << false
                               << QStringLiteral("address") << 13
                               << QStringLiteral("must not be empty");
  QTest::newRow("bad address") << QStringLiteral("tcp")
                               << QStringList{QStringLiteral("address=localhost@13")} << false
                               << QStringLiteral("address") << 13
                               << QStringLiteral("the port is missing");
  QTest::newRow("bad duration") << QStringLiteral("heartbeat")
                                << QStringList{QStringLiteral("file=/tmp/x@13"),
                                               QStringLiteral("max_age=10 minutes@15")}
                                << false << QStringLiteral("max_age") << 15
                                << QStringLiteral("invalid duration \"10 minutes\"");
  QTest::newRow("duration without unit")
      << QStringLiteral("heartbeat")
      << QStringList{QStringLiteral("file=/tmp/x"), QStringLiteral("max_age=600@16")} << false
      << QStringLiteral("max_age") << 16 << QStringLiteral("invalid duration \"600\"");
  QTest::newRow("zero max_age") << QStringLiteral("heartbeat")
                                << QStringList{QStringLiteral("file=/tmp/x"),
                                               QStringLiteral("max_age=0s@16")}
                                << false << QStringLiteral("max_age") << 16
                                << QStringLiteral("must be greater than 0s");
  QTest::newRow("missing max_age")
      << QStringLiteral("heartbeat") << QStringList{QStringLiteral("file=/tmp/x@13")} << false
      << QStringLiteral("max_age") << kEntryLine << QStringLiteral("missing required key");
  QTest::newRow("liveness refused")
      << QStringLiteral("tcp") << QStringList{QStringLiteral("address=db:5432@13")} << true
      << QStringLiteral("probe") << kEntryLine << QStringLiteral("must not decide liveness");
  QTest::newRow("percent not a number")
      << QStringLiteral("disk")
      << QStringList{QStringLiteral("path=/"), QStringLiteral("min_free_percent=ten@17")} << false
      << QStringLiteral("min_free_percent") << 17 << QStringLiteral("invalid number \"ten\"");
  QTest::newRow("percent out of range")
      << QStringLiteral("disk")
      << QStringList{QStringLiteral("path=/"), QStringLiteral("min_free_percent=120@17")} << false
      << QStringLiteral("min_free_percent") << 17 << QStringLiteral("between 0 and 100");
  QTest::newRow("warn below min") << QStringLiteral("disk")
                                  << QStringList{QStringLiteral("path=/"),
                                                 QStringLiteral("min_free_percent=20@17"),
                                                 QStringLiteral("warn_free_percent=10@18")}
                                  << false << QStringLiteral("warn_free_percent") << 18
                                  << QStringLiteral("must not be below min_free_percent (20)");
  QTest::newRow("missing percent")
      << QStringLiteral("disk") << QStringList{QStringLiteral("path=/@13")} << false
      << QStringLiteral("min_free_percent") << kEntryLine << QStringLiteral("missing required key");
}

void TestCheckFactory::errors() {
  QFETCH(QString, type);
  QFETCH(QStringList, params);
  QFETCH(bool, liveness);
  QFETCH(QString, key);
  QFETCH(int, line);
  QFETCH(QString, message);

  const CheckConfig cfg = entry(type, params, liveness ? Probe::Liveness : Probe::Readiness);
  try {
    buildCheck(cfg);
    QFAIL("buildCheck accepted an invalid entry");
  } catch (const ConfigError& e) {
    const QString what = QString::fromUtf8(e.what());
    const QString prefix = q(kFile) + QLatin1Char(':') + QString::number(line) +
                           QStringLiteral(": monitoring.checks[3].") + key + QStringLiteral(": ");
    QVERIFY2(what.startsWith(prefix),
             qPrintable(what + QStringLiteral("\nexpected prefix: ") + prefix));
    QVERIFY2(what.contains(message), qPrintable(what));
    QCOMPARE(e.line(), line);
    QCOMPARE(q(e.key()), QStringLiteral("monitoring.checks[3].") + key);
    QCOMPARE(q(e.file()), q(kFile));
  }
}

void TestCheckFactory::validEntriesBuild_data() {
  QTest::addColumn<QString>("type");
  QTest::addColumn<QStringList>("params");
  QTest::addColumn<bool>("liveness");
  QTest::addColumn<bool>("allowLiveness");
  QTest::newRow("tcp") << QStringLiteral("tcp") << QStringList{QStringLiteral("address=[::1]:5432")}
                       << false << false;
  QTest::newRow("tcp on liveness, allowed")
      << QStringLiteral("tcp") << QStringList{QStringLiteral("address=db:5432")} << true << true;
  QTest::newRow("disk on liveness")
      << QStringLiteral("disk")
      << QStringList{QStringLiteral("path=/"), QStringLiteral("min_free_percent=5"),
                     QStringLiteral("warn_free_percent=12.5")}
      << true << false;
  QTest::newRow("heartbeat") << QStringLiteral("heartbeat")
                             << QStringList{QStringLiteral("file=/var/lib/app/cleaner.stamp"),
                                            QStringLiteral("max_age=1h30m")}
                             << false << false;
}

void TestCheckFactory::validEntriesBuild() {
  QFETCH(QString, type);
  QFETCH(QStringList, params);
  QFETCH(bool, liveness);
  QFETCH(bool, allowLiveness);
  try {
    QVERIFY(buildCheck(
        entry(type, params, liveness ? Probe::Liveness : Probe::Readiness, allowLiveness)));
  } catch (const ConfigError& e) {
    QFAIL(e.what());
  }
}

void TestCheckFactory::registerCustomType() {
  class Fixed : public HealthCheck {
  public:
    CheckOutcome run(const CheckContext&) override { return {Status::Degraded, "fixed"}; }
  };
  registerCheckType({"fixed_for_test",
                     {"level"},
                     false,
                     [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                       cfg.integer("level", 0);
                       return std::make_shared<Fixed>();
                     }});
  QVERIFY(findCheckType("fixed_for_test"));
  auto check = buildCheck(entry(QStringLiteral("fixed_for_test"), {QStringLiteral("level=3")}));
  QCOMPARE_STATUS(check->run({}).status, Status::Degraded);
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           registerCheckType({"tcp", {}, false, [](const CheckConfig&) {
                                                return std::shared_ptr<HealthCheck>();
                                              }}));
  // The unknown-type message lists registered types, the new one included.
  try {
    buildCheck(entry(QStringLiteral("nope"), {}));
    QFAIL("accepted unknown type");
  } catch (const ConfigError& e) {
    // Sorted and comma-separated; other built-in types may sit between these.
    const QString what = QString::fromUtf8(e.what());
    const QRegularExpression list(
        QStringLiteral(R"(known types: disk, fixed_for_test, heartbeat, (\w+, )*tcp(, \w+)*\)$)"));
    QVERIFY2(list.match(what).hasMatch(), e.what());
  }
}

void TestCheckFactory::specFromConfig() {
  CheckConfig c = entry(QStringLiteral("disk"), {});
  c.name = "root";
  c.probe = Probe::Liveness;
  c.critical = false;
  c.timeout = 750ms;
  c.degradedAfter = 100ms;
  const CheckSpec spec = checkSpec(c);
  QCOMPARE(q(spec.name), QStringLiteral("root"));
  QCOMPARE_STATUS(spec.probe, Probe::Liveness);
  QVERIFY(!spec.critical);
  QCOMPARE(spec.timeout.count(), 750);
  QCOMPARE(spec.degradedAfter.count(), 100);
}

void TestCheckFactory::configErrorFormat() {
  const ConfigError withLine("mon.yaml", 7, "monitoring.listen", "bad address");
  QCOMPARE(QString::fromUtf8(withLine.what()),
           QStringLiteral("mon.yaml:7: monitoring.listen: bad address"));
  const ConfigError noLine("HEALTHDECK_MONITORING_LISTEN", 0, "monitoring.listen", "bad address");
  QCOMPARE(QString::fromUtf8(noLine.what()),
           QStringLiteral("HEALTHDECK_MONITORING_LISTEN: monitoring.listen: bad address"));
  QCOMPARE(q(noLine.message()), QStringLiteral("bad address"));
}

void TestCheckFactory::parseDuration_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<qint64>("ms"); // -1 → invalid
  QTest::newRow("ms") << QStringLiteral("250ms") << qint64(250);
  QTest::newRow("s") << QStringLiteral("2s") << qint64(2000);
  QTest::newRow("fractional s") << QStringLiteral("1.5s") << qint64(1500);
  QTest::newRow("m") << QStringLiteral("10m") << qint64(600000);
  QTest::newRow("h") << QStringLiteral("1h") << qint64(3600000);
  QTest::newRow("zero") << QStringLiteral("0s") << qint64(0);
  QTest::newRow("compound") << QStringLiteral("1h30m") << qint64(5400000);
  QTest::newRow("empty") << QString() << qint64(-1);
  QTest::newRow("no unit") << QStringLiteral("10") << qint64(-1);
  QTest::newRow("bare zero") << QStringLiteral("0") << qint64(-1);
  QTest::newRow("negative") << QStringLiteral("-1s") << qint64(-1);
  QTest::newRow("plus sign") << QStringLiteral("+1s") << qint64(-1);
  QTest::newRow("unknown unit") << QStringLiteral("3d") << qint64(-1);
  QTest::newRow("space") << QStringLiteral("1 s") << qint64(-1);
  QTest::newRow("two dots") << QStringLiteral("1.5.5s") << qint64(-1);
  QTest::newRow("unit only") << QStringLiteral("ms") << qint64(-1);
  QTest::newRow("exponent") << QStringLiteral("1e3s") << qint64(-1);
  QTest::newRow("sub-millisecond") << QStringLiteral("0.5ms") << qint64(-1);
  QTest::newRow("trailing garbage") << QStringLiteral("2sx") << qint64(-1);
  QTest::newRow("huge") << QStringLiteral("99999999999999h") << qint64(-1);
}

void TestCheckFactory::parseDuration() {
  QFETCH(QString, text);
  QFETCH(qint64, ms);
  const auto parsed = healthdeck::parseDuration(text.toStdString());
  if (ms < 0) {
    QVERIFY2(!parsed, qPrintable(QString::number(parsed ? parsed->count() : 0)));
  } else {
    QVERIFY(parsed);
    QCOMPARE(qint64(parsed->count()), ms);
  }
}

void TestCheckFactory::accessors() {
  const CheckConfig c =
      entry(QStringLiteral("x"),
            {QStringLiteral("n= 12.5 @20"), QStringLiteral("bad=abc@21"), QStringLiteral("i=42@22"),
             QStringLiteral("f=4.2@23"), QStringLiteral("big=99999999999999999999@24"),
             QStringLiteral("d= 2s @25"), QStringLiteral("inf=inf@26")});
  QCOMPARE(c.number("n", 0), 12.5);
  QCOMPARE(c.number("absent", 7.5), 7.5);
  QCOMPARE(c.integer("i", 0), std::int64_t(42));
  QCOMPARE(c.integer("absent", -3), std::int64_t(-3));
  QCOMPARE(c.duration("d", 0ms).count(), 2000);
  QCOMPARE(c.duration("absent", 5s).count(), 5000);
  QCOMPARE(q(c.optional("absent", "fb")), QStringLiteral("fb"));
  QCOMPARE(q(c.required("i")), QStringLiteral("42"));

  const auto message = [](auto&& fn) -> QString {
    try {
      fn();
    } catch (const ConfigError& e) {
      return QString::fromUtf8(e.what());
    }
    return {};
  };
  QVERIFY(message([&] {
            c.number("bad", 0);
          }).contains(QStringLiteral(":21: monitoring.checks[3].bad: invalid number")));
  QVERIFY(message([&] { c.number("inf", 0); }).contains(QStringLiteral("invalid number")));
  QVERIFY(message([&] {
            c.integer("f", 0);
          }).contains(QStringLiteral(":23: monitoring.checks[3].f: invalid integer")));
  QVERIFY(message([&] { c.integer("big", 0); }).contains(QStringLiteral("out of range")));
  QVERIFY(message([&] {
            c.required("absent");
          }).contains(QStringLiteral(":12: monitoring.checks[3].absent: missing required key")));
  QVERIFY(message([&] {
            c.fail("", "whole entry is wrong");
          }).endsWith(QStringLiteral(":12: monitoring.checks[3]: whole entry is wrong")));
}

void TestCheckFactory::booleans_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<int>("expected"); // -1 → error
  for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "on", "ON"})
    QTest::newRow(t) << QString::fromLatin1(t) << 1;
  for (const char* t : {"false", "False", "no", "NO", "off", "Off"})
    QTest::newRow(t) << QString::fromLatin1(t) << 0;
  for (const char* t : {"1", "0", "y", "maybe", ""})
    QTest::newRow(*t ? t : "empty") << QString::fromLatin1(t) << -1;
}

void TestCheckFactory::booleans() {
  QFETCH(QString, text);
  QFETCH(int, expected);
  const CheckConfig c =
      entry(QStringLiteral("x"), {QStringLiteral("b=") + text + QStringLiteral("@30")});
  if (expected < 0) {
    QVERIFY_THROWS_EXCEPTION(ConfigError, c.boolean("b", false));
  } else {
    QCOMPARE(c.boolean("b", !expected), bool(expected));
  }
}

QTEST_GUILESS_MAIN(TestCheckFactory)
#include "tst_check_factory.moc"
