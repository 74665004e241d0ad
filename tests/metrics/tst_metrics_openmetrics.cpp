// OpenMetrics 1.0 output of the Registry (issue 14) and the Accept negotiation that picks it:
// the page is read back by the console's exposition parser (healthdeck::client, forced to
// OpenMetrics) and by `promtool check metrics`, and it carries the same series as the text
// 0.0.4 page plus `_created`, with `# UNIT` where the name ends in a unit and `# EOF` last.

#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/process_collector.h"
#include "healthdeck/metrics/registry.h"
#include "healthdeck/metrics/text_format.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <chrono>
#include <cstring>
#include <limits>
#include <map>
#include <set>

using namespace healthdeck::metrics;
using healthdeck::client::ExpositionPage;
using healthdeck::client::ExpositionParser;
using healthdeck::client::MetricType;
using healthdeck::client::SeriesTable;

Q_DECLARE_METATYPE(ExpositionFormat)

namespace {

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Parsed {
  bool ok = false;
  bool openMetrics = false;
  QString error;
  std::map<std::string, double> samples;             // `name{labels}` as exposed → value
  std::map<std::string, MetricType> types;           // family name → declared type
  std::map<std::string, std::string> units;          // family name → unit
  std::map<std::string, std::string> help;           // family name → help
  std::map<std::string, std::string> familyOfSample; // `name{labels}` → family name
};

Parsed parse(const std::string& text, ExpositionParser::Format format) {
  SeriesTable table;
  ExpositionParser parser(table, {format, 2'000'000});
  ExpositionPage page;
  Parsed result;
  result.ok = parser.parse(text, page);
  result.openMetrics = page.openMetrics;
  if (page.error) result.error = QString::fromStdString(page.error->toString());
  for (const auto& s : page.samples) {
    const auto& series = table.series(s.series);
    const std::string key(series.key);
    result.samples[key] = s.value;
    if (series.family != healthdeck::client::kNoId) {
      const auto& family = table.family(series.family);
      result.familyOfSample[key] = family.name;
      result.types[family.name] = family.type;
      result.units[family.name] = family.unit;
      result.help[family.name] = family.help;
    }
  }
  return result;
}

struct Promtool {
  int exitCode = -1;
  QByteArray output;
};

Promtool promtoolCheck(const std::string& text) {
  Promtool result;
  QProcess promtool;
  promtool.setProcessChannelMode(QProcess::MergedChannels);
  promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
  if (!promtool.waitForStarted(10000)) return result;
  promtool.write(QByteArray::fromStdString(text));
  promtool.closeWriteChannel();
  if (!promtool.waitForFinished(30000)) return result;
  result.exitCode = promtool.exitStatus() == QProcess::NormalExit ? promtool.exitCode() : -1;
  result.output = promtool.readAll();
  return result;
}

// A registry with every kind of family: ours (counter with and without `_total`, gauge,
// histogram, labels needing escapes, help with a quote), the standard instruments, the
// process collector and a prometheus-cpp registry (counter, gauge, summary) as collectables.
struct Fixture {
  Registry registry{"om"};
  Instruments instruments{registry};
  std::shared_ptr<prometheus::Registry> foreign = std::make_shared<prometheus::Registry>();
  double before = 0;
  double after = 0;

  /// `edgeCases`: also a HELP text with `"` (which OpenMetrics escapes and text 0.0.4, so
  /// promtool, cannot read escaped), a counter named without `_total` and a family without
  /// HELP (both of which promtool rightly flags).
  explicit Fixture(bool edgeCases = true) {
    before = nowSeconds();
    registry
        .counterFamily("requests_total", edgeCases ? "Requests \"served\".\\ok" : "Requests.",
                       {"path"})
        .with({"/a\"b\\c\nd"})
        .inc(3);
    if (edgeCases) registry.counter("events", "A counter named without _total.").inc(2);
    registry.counter("fraction_total", "Fractional increments.").add(0.25);
    registry.gauge("temperature_celsius", "Temperature.").set(-4.5);
    auto& h = registry.histogramFamily("work_seconds", "Work duration.", {"kind"}, {0.1, 1, 10});
    h.with({"fast"}).observe(0.05);
    h.with({"fast"}).observe(2);
    if (edgeCases) registry.gauge("nohelp", "").set(1);
    instruments.recordAuthAttempt(AuthResult::Success);
    instruments.httpRoute(HttpMethod::Get, "/api/items/{id}").observe(200, 0.02);
    instruments.jobRun("cleanup", JobResult::Success, 0.5);
    after = nowSeconds();
    registry.addCollectable(std::make_shared<ProcessCollector>());
    prometheus::BuildCounter()
        .Name("foreign_hits_total")
        .Help("Hits.")
        .Register(*foreign)
        .Add({{"k", "v"}})
        .Increment(5);
    prometheus::BuildGauge().Name("foreign_level").Help("Level.").Register(*foreign).Add({}).Set(7);
    prometheus::BuildSummary()
        .Name("foreign_latency_seconds")
        .Help("Latency.")
        .Register(*foreign)
        .Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}})
        .Observe(0.3);
    registry.addCollectable(foreign);
  }
};

// The series name of a sample without `_created` lines (they exist only in OpenMetrics).
bool isCreated(const std::string& key) {
  const std::string name = key.substr(0, key.find('{'));
  return name.ends_with("_created");
}

} // namespace

class TstMetricsOpenMetrics : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void negotiation_data() {
    QTest::addColumn<QString>("accept");
    QTest::addColumn<ExpositionFormat>("expected");
    const auto om = ExpositionFormat::OpenMetrics;
    const auto text = ExpositionFormat::Text004;
    QTest::newRow("none") << QString() << text;
    QTest::newRow("curl */*") << QStringLiteral("*/*") << text;
    QTest::newRow("prometheus 2.42 default")
        << QStringLiteral("application/openmetrics-text;version=1.0.0,application/"
                          "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/"
                          "*;q=0.1")
        << om;
    QTest::newRow("openmetrics bare") << QStringLiteral("application/openmetrics-text") << om;
    QTest::newRow("openmetrics 1.0.0 quoted, spaces")
        << QStringLiteral(" application/openmetrics-text ; version=\"1.0.0\" ; charset=utf-8")
        << om;
    QTest::newRow("case-insensitive type")
        << QStringLiteral("Application/OpenMetrics-Text; Q=1") << om;
    QTest::newRow("openmetrics 0.0.1")
        << QStringLiteral("application/openmetrics-text;version=0.0.1") << om;
    QTest::newRow("unknown version")
        << QStringLiteral("application/openmetrics-text;version=2.0.0") << text;
    QTest::newRow("openmetrics refused q=0")
        << QStringLiteral("application/openmetrics-text;q=0,text/plain") << text;
    QTest::newRow("text preferred")
        << QStringLiteral("application/openmetrics-text;q=0.3,text/plain;q=0.9") << text;
    QTest::newRow("openmetrics preferred over */*")
        << QStringLiteral("*/*;q=0.8,application/openmetrics-text;q=0.9") << om;
    QTest::newRow("tie goes to openmetrics")
        << QStringLiteral("text/plain;q=0.5,application/openmetrics-text;q=0.5") << om;
    QTest::newRow("invalid q ignored")
        << QStringLiteral("application/openmetrics-text;q=2,text/plain") << text;
    QTest::newRow("browser") << QStringLiteral("text/html,application/xhtml+xml,*/*;q=0.8") << text;
    QTest::newRow("comma inside a quoted parameter")
        << QStringLiteral("text/plain;x=\"a,application/openmetrics-text\";q=1") << text;
    QTest::newRow("garbage") << QStringLiteral(";;,,=;q=;application/") << text;
  }
  void negotiation() {
    QFETCH(QString, accept);
    QFETCH(ExpositionFormat, expected);
    const std::string header = accept.toStdString();
    QCOMPARE(text::negotiateFormat(header), expected);
    QCOMPARE(Registry::contentType(expected), text::contentType(expected));
  }

  void contentTypes() {
    QCOMPARE(Registry::contentType(ExpositionFormat::Text004),
             std::string_view("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(Registry::contentType(ExpositionFormat::OpenMetrics),
             std::string_view("application/openmetrics-text; version=1.0.0; charset=utf-8"));
  }

  void units_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("unit");
    QTest::newRow("seconds") << QStringLiteral("http_request_duration_seconds")
                             << QStringLiteral("seconds");
    QTest::newRow("bytes") << QStringLiteral("response_bytes") << QStringLiteral("bytes");
    QTest::newRow("ratio") << QStringLiteral("cache_hit_ratio") << QStringLiteral("ratio");
    QTest::newRow("celsius") << QStringLiteral("temperature_celsius") << QStringLiteral("celsius");
    QTest::newRow("no unit") << QStringLiteral("sessions_active") << QString();
    QTest::newRow("unit word alone") << QStringLiteral("seconds") << QString();
    QTest::newRow("unit not last") << QStringLiteral("seconds_spent") << QString();
    QTest::newRow("suffix of a word") << QStringLiteral("milliseconds") << QString();
  }
  void units() {
    QFETCH(QString, name);
    QFETCH(QString, unit);
    const std::string n = name.toStdString();
    QCOMPARE(QString::fromLatin1(text::unitOf(n)), unit);
  }

  void unixSeconds_data() {
    QTest::addColumn<qint64>("milliseconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0.000");
    QTest::newRow("1 ms") << qint64(1) << QStringLiteral("0.001");
    QTest::newRow("999 ms") << qint64(999) << QStringLiteral("0.999");
    QTest::newRow("1 s") << qint64(1000) << QStringLiteral("1.000");
    QTest::newRow("2025") << qint64(1764633600250) << QStringLiteral("1764633600.250");
    QTest::newRow("-1 ms") << qint64(-1) << QStringLiteral("-0.001");
    QTest::newRow("-1.5 s") << qint64(-1500) << QStringLiteral("-1.500");
    QTest::newRow("min") << std::numeric_limits<qint64>::min()
                         << QStringLiteral("-9223372036854775.808");
  }
  void unixSeconds() {
    QFETCH(qint64, milliseconds);
    QFETCH(QString, expected);
    std::string out = "x";
    text::appendUnixSeconds(out, milliseconds);
    QCOMPARE(QString::fromStdString(out), QStringLiteral("x") + expected);
  }

  void pageParsesAsOpenMetrics() {
    Fixture f;
    const std::string om = f.registry.text(ExpositionFormat::OpenMetrics);
    QVERIFY(om.ends_with("\n# EOF\n"));
    QCOMPARE(om.find("# EOF"), om.size() - 6); // exactly once, last

    const Parsed parsed = parse(om, ExpositionParser::Format::OpenMetrics);
    QVERIFY2(parsed.ok, qPrintable(parsed.error));
    QVERIFY(parsed.openMetrics);
    // Auto-detection reads it as OpenMetrics too (by its # EOF).
    const Parsed detected = parse(om, ExpositionParser::Format::Auto);
    QVERIFY2(detected.ok, qPrintable(detected.error));
    QVERIFY(detected.openMetrics);

    // Counters: family without `_total`, samples with it, and `_created` in [before, after].
    QVERIFY(parsed.types.at("om_requests") == MetricType::Counter);
    QCOMPARE(parsed.help.at("om_requests"), std::string("Requests \"served\".\\ok"));
    QCOMPARE(parsed.samples.at("om_requests_total{path=\"/a\\\"b\\\\c\\nd\"}"), 3.0);
    const double created = parsed.samples.at("om_requests_created{path=\"/a\\\"b\\\\c\\nd\"}");
    QVERIFY2(created >= f.before - 0.001 && created <= f.after + 0.001,
             qPrintable(QString::number(created, 'f', 3)));
    QCOMPARE(parsed.familyOfSample.at("om_requests_total{path=\"/a\\\"b\\\\c\\nd\"}"),
             std::string("om_requests"));
    // A counter named without `_total` gets it on its sample (the OpenMetrics rule).
    QVERIFY(parsed.types.at("om_events") == MetricType::Counter);
    QCOMPARE(parsed.samples.at("om_events_total"), 2.0);
    QCOMPARE(parsed.samples.at("om_fraction_total"), 0.25);
    // Gauges: as in 0.0.4, no `_created`; units from the name.
    QCOMPARE(parsed.samples.at("om_temperature_celsius"), -4.5);
    QCOMPARE(parsed.units.at("om_temperature_celsius"), std::string("celsius"));
    QVERIFY(!parsed.samples.contains("om_temperature_celsius_created"));
    QVERIFY(om.find("# HELP om_nohelp") == std::string::npos);
    // Histograms: buckets, sum, count, created, unit.
    QVERIFY(parsed.types.at("om_work_seconds") == MetricType::Histogram);
    QCOMPARE(parsed.units.at("om_work_seconds"), std::string("seconds"));
    QCOMPARE(parsed.samples.at("om_work_seconds_bucket{kind=\"fast\",le=\"0.1\"}"), 1.0);
    QCOMPARE(parsed.samples.at("om_work_seconds_bucket{kind=\"fast\",le=\"+Inf\"}"), 2.0);
    QCOMPARE(parsed.samples.at("om_work_seconds_count{kind=\"fast\"}"), 2.0);
    QCOMPARE(parsed.samples.at("om_work_seconds_sum{kind=\"fast\"}"), 2.05);
    QVERIFY(parsed.samples.contains("om_work_seconds_created{kind=\"fast\"}"));
    // The standard instruments.
    QCOMPARE(parsed.samples.at("om_auth_attempts_total{result=\"success\"}"), 1.0);
    QCOMPARE(parsed.units.at("om_http_request_duration_seconds"), std::string("seconds"));
    QCOMPARE(parsed.units.at("om_maintenance_job_last_success_timestamp_seconds"),
             std::string("seconds"));
    // Collectables: process collector and prometheus-cpp, counters renamed the same way.
    QVERIFY(parsed.types.at("process_cpu_seconds") == MetricType::Counter);
    QCOMPARE(parsed.units.at("process_cpu_seconds"), std::string("seconds"));
    QVERIFY(parsed.samples.contains("process_cpu_seconds_total"));
    QCOMPARE(parsed.samples.at("foreign_hits_total{k=\"v\"}"), 5.0);
    QVERIFY(parsed.types.at("foreign_hits") == MetricType::Counter);
    QCOMPARE(parsed.samples.at("foreign_level"), 7.0);
    QVERIFY(parsed.types.at("foreign_latency_seconds") == MetricType::Summary);
    QCOMPARE(parsed.samples.at("foreign_latency_seconds_count"), 1.0);
  }

  // Same series, same values as the text 0.0.4 page; OpenMetrics adds only `_created` (and
  // `_total` on the one counter named without it).
  void sameSeriesAsText004() {
    Fixture f;
    const std::string text004 = f.registry.text();
    const std::string om = f.registry.text(ExpositionFormat::OpenMetrics);
    const Parsed a = parse(text004, ExpositionParser::Format::Text004);
    const Parsed b = parse(om, ExpositionParser::Format::OpenMetrics);
    QVERIFY2(a.ok, qPrintable(a.error));
    QVERIFY2(b.ok, qPrintable(b.error));
    QVERIFY(!a.openMetrics);
    std::set<std::string> onlyInOm;
    for (const auto& [key, value] : b.samples)
      if (!a.samples.contains(key)) onlyInOm.insert(key);
    for (const auto& [key, value] : a.samples) {
      std::string omKey = key == "om_events" ? "om_events_total" : key;
      QVERIFY2(b.samples.contains(omKey), key.c_str());
      onlyInOm.erase(omKey);
      // The process collector reads the clock and /proc: it may move between the two pages.
      if (key.starts_with("process_")) continue;
      QCOMPARE(b.samples.at(omKey), value);
    }
    for (const auto& key : onlyInOm)
      QVERIFY2(isCreated(key), key.c_str());
    QVERIFY(onlyInOm.size() > 10);
  }

  // promtool 2.42 reads the page with the 0.0.4 grammar (it knows no # EOF, `_created` or
  // `\"` in HELP, so the fixture has no quote in a HELP text): it must parse it, and its only
  // lint findings may be "no help text" on the sample names whose OpenMetrics family
  // (without `_total`/`_created`) has the help.
  void promtoolReadsIt() {
    if (QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty())
      QFAIL("promtool not found: install the Debian package `prometheus` (scripts/deps.sh)");
    Fixture f(false);
    const std::string om = f.registry.text(ExpositionFormat::OpenMetrics);
    const Promtool lint = promtoolCheck(om);
    QVERIFY2(!lint.output.contains("error while linting"), lint.output.constData());
    QVERIFY2(lint.exitCode == 0 || lint.exitCode == 3, lint.output.constData());
    const Parsed parsed = parse(om, ExpositionParser::Format::OpenMetrics);
    for (const QByteArray& line : lint.output.split('\n')) {
      if (line.isEmpty()) continue;
      QVERIFY2(line.endsWith(" no help text"), line.constData());
      const std::string sample = line.left(line.indexOf(' ')).toStdString();
      std::string family = sample;
      for (const char* suffix : {"_total", "_created"})
        if (family.ends_with(suffix)) family.resize(family.size() - std::strlen(suffix));
      QVERIFY2(parsed.help.contains(family) && !parsed.help.at(family).empty(), line.constData());
    }
    // And the text 0.0.4 page of the same registry is clean.
    const Promtool clean = promtoolCheck(f.registry.text());
    QVERIFY2(clean.output.isEmpty(), clean.output.constData());
    QCOMPARE(clean.exitCode, 0);
  }

  // The check can fail: a broken page is refused by both readers.
  void brokenPageIsRefused() {
    const std::string broken = "# TYPE a counter\na_total 1\n# EOF\nafter_eof 1\n";
    QVERIFY(!parse(broken, ExpositionParser::Format::OpenMetrics).ok);
  }

  void text004Unchanged() {
    Registry registry;
    registry.counter("consumer_events_total", "Events seen.").inc();
    QCOMPARE(registry.text(), std::string("# HELP consumer_events_total Events seen.\n"
                                          "# TYPE consumer_events_total counter\n"
                                          "consumer_events_total 1\n"));
    QCOMPARE(registry.text(), registry.text(ExpositionFormat::Text004));
  }
};

QTEST_GUILESS_MAIN(TstMetricsOpenMetrics)
#include "tst_metrics_openmetrics.moc"
