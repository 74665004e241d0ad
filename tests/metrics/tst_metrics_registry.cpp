// Registry: name/label validation, duplicates, namespace prefix, exact text output (escaping,
// special floats), interop with prometheus-cpp, and scrapes racing updates and creation.

#include "healthdeck/metrics/registry.h"
#include "healthdeck/metrics/text_format.h"
#include "tests/metrics/sample_lookup.h"

#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <QtTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

using namespace healthdeck::metrics;
using healthdeck::testing::sampleOr;

namespace {
QByteArray bytes(const std::string& s) {
  return QByteArray::fromStdString(s);
}

template <class F> QByteArray thrownMessage(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return QByteArray(e.what());
  }
  return {};
}
} // namespace

class TstMetricsRegistry : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void metricNames_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << QByteArray("a") << true;
    QTest::newRow("underscore first") << QByteArray("_a1") << true;
    QTest::newRow("colon") << QByteArray("job:rate5m") << true;
    QTest::newRow("empty") << QByteArray("") << false;
    QTest::newRow("digit first") << QByteArray("1abc") << false;
    QTest::newRow("dash") << QByteArray("a-b") << false;
    QTest::newRow("space") << QByteArray("a b") << false;
    QTest::newRow("non-ascii") << QByteArray("caf\xc3\xa9") << false;
  }
  void metricNames() {
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    Registry registry;
    const QByteArray message =
        thrownMessage([&] { registry.counterFamily(name.toStdString(), "help"); });
    QCOMPARE(message.isEmpty(), valid);
    if (!valid) QVERIFY2(message.contains("invalid metric name"), message.constData());
  }

  void labelNames_data() {
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<bool>("histogram");
    QTest::addColumn<QByteArray>("error"); // empty: accepted
    QTest::newRow("ok") << QStringList{QStringLiteral("a"), QStringLiteral("_b2")} << false
                        << QByteArray();
    QTest::newRow("le on counter") << QStringList{QStringLiteral("le")} << false << QByteArray();
    QTest::newRow("le on histogram")
        << QStringList{QStringLiteral("le")} << true << QByteArray("reserved");
    QTest::newRow("reserved prefix")
        << QStringList{QStringLiteral("__name")} << false << QByteArray("reserved");
    QTest::newRow("colon") << QStringList{QStringLiteral("a:b")} << false
                           << QByteArray("invalid label name");
    QTest::newRow("digit first") << QStringList{QStringLiteral("1a")} << false
                                 << QByteArray("invalid label");
    QTest::newRow("empty") << QStringList{QString()} << false << QByteArray("invalid label");
    QTest::newRow("duplicate") << QStringList{QStringLiteral("a"), QStringLiteral("a")} << true
                               << QByteArray("twice");
  }
  void labelNames() {
    QFETCH(QStringList, labels);
    QFETCH(bool, histogram);
    QFETCH(QByteArray, error);
    std::vector<std::string> names;
    for (const auto& l : labels)
      names.push_back(l.toStdString());
    Registry registry;
    const QByteArray message = thrownMessage([&] {
      if (histogram)
        registry.histogramFamily("m", "help", names, {1.0});
      else
        registry.counterFamily("m", "help", names);
    });
    if (error.isEmpty())
      QVERIFY2(message.isEmpty(), message.constData());
    else
      QVERIFY2(message.contains(error), message.constData());
  }

  void buckets_data() {
    QTest::addColumn<std::vector<double>>("bounds");
    QTest::addColumn<bool>("valid");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("increasing") << std::vector<double>{0.1, 1, 10} << true;
    QTest::newRow("only +Inf implicit") << std::vector<double>{} << true;
    QTest::newRow("trailing +Inf dropped") << std::vector<double>{1, inf} << true;
    QTest::newRow("equal") << std::vector<double>{1, 1} << false;
    QTest::newRow("decreasing") << std::vector<double>{2, 1} << false;
    QTest::newRow("NaN") << std::vector<double>{std::nan("")} << false;
    QTest::newRow("-Inf") << std::vector<double>{-inf, 1} << false;
  }
  void buckets() {
    QFETCH(std::vector<double>, bounds);
    QFETCH(bool, valid);
    Registry registry;
    const QByteArray message =
        thrownMessage([&] { registry.histogramFamily("h_seconds", "help", {}, bounds); });
    QVERIFY2(message.isEmpty() == valid, message.constData());
    if (valid) {
      registry.histogramFamily("h2_seconds", "help", {}, bounds).with({}).observe(1);
      QCOMPARE(sampleOr(registry.text(), "h2_seconds_bucket{le=\"+Inf\"}"), 1.0);
    }
  }

  void labelValues() {
    Registry registry;
    auto& family = registry.counterFamily("c_total", "help", {"a", "b"});
    QVERIFY(!thrownMessage([&] { family.with({"x"}); }).isEmpty());
    QVERIFY(thrownMessage([&] { family.with({"x", "y", "z"}); }).contains("2 labels, got 3"));
    QVERIFY(thrownMessage([&] { family.with({"x", "\xff"}); }).contains("UTF-8"));
    QVERIFY(thrownMessage([&] { family.with({"x", "\xed\xa0\x80"}); }).contains("UTF-8"));
    // Same values → same series; the handle is stable.
    Counter& first = family.with({"x", "y"});
    family.withValues(std::vector<std::string>{"p", "q"});
    Counter& again = family.withValues(std::vector<std::string>{"x", "y"});
    QCOMPARE(&first, &again);
    QCOMPARE(family.size(), std::size_t{2});
    // Keys distinguish ("ab","c") from ("a","bc").
    family.with({"ab", "c"}).inc();
    QCOMPARE(family.with({"a", "bc"}).integerValue(), std::uint64_t{0});
  }

  void duplicates() {
    Registry registry;
    registry.counterFamily("a_total", "help");
    QVERIFY(thrownMessage([&] {
              registry.counterFamily("a_total", "help");
            }).contains("'a_total' is already registered"));
    QVERIFY(thrownMessage([&] {
              registry.gaugeFamily("a_total", "help");
            }).contains("already registered"));
    registry.histogramFamily("h", "help", {}, {1});
    QVERIFY(thrownMessage([&] {
              registry.counterFamily("h_sum", "help");
            }).contains("already registered"));
    registry.gaugeFamily("g_count", "help");
    QVERIFY(thrownMessage([&] {
              registry.histogramFamily("g", "help", {}, {1});
            }).contains("would write 'g_count'"));
    // A failed registration leaves nothing behind.
    registry.gauge("g", "help").set(1);
    QCOMPARE(sampleOr(registry.text(), "g"), 1.0);
  }

  void namespacePrefix() {
    QVERIFY(thrownMessage([] { Registry r("1bad"); }).contains("invalid metrics namespace"));
    QVERIFY(thrownMessage([] { Registry r("a-b"); }).contains("'a-b'"));
    Registry plain;
    QCOMPARE(plain.qualifiedName("x_total"), std::string("x_total"));
    Registry registry("app");
    QCOMPARE(registry.ns(), std::string("app"));
    registry.counter("x_total", "help").inc();
    registry.counter("y_total", "help", Prefix::None).inc(2);
    auto& family = registry.gaugeFamily("z", "help", {"l"});
    QCOMPARE(family.name(), std::string("app_z"));
    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "app_x_total"), 1.0);
    QCOMPARE(sampleOr(text, "y_total"), 2.0);
    QVERIFY(!healthdeck::testing::sampleValue(text, "x_total"));
    // The prefixed and the unprefixed names are different families.
    registry.counter("x_total", "help", Prefix::None);
    QVERIFY(
        !thrownMessage([&] { registry.counter("app_x_total", "help", Prefix::None); }).isEmpty());
  }

  void exactText() {
    Registry registry;
    auto& requests = registry.counterFamily("requests_total", "Requests \\ with\nnewline \"q\".",
                                            {"path", "code"});
    requests.with({"a\"b\\c\nd", "200"}).inc(3);
    requests.with({"/", "500"}).add(0.5);
    registry.gauge("temperature_celsius", "T.").set(-1.5);
    registry.gauge("pos_inf", "p.").set(std::numeric_limits<double>::infinity());
    registry.gauge("neg_inf", "n.").set(-std::numeric_limits<double>::infinity());
    registry.gauge("not_a_number", "nan.").set(std::nan(""));
    registry.gauge("big", "b.").set(1e6);
    registry.gaugeFamily("unused", "never written", {"x"}); // no series → no lines
    auto& latency = registry.histogramFamily("latency_seconds", "L.", {"op"}, {0.005, 0.5, 1});
    auto& read = latency.with({"read"});
    read.observe(0.25);
    read.observe(1);
    read.observe(7);
    registry.histogram("empty_seconds", "E.", {});

    const std::string expected =
        "# HELP requests_total Requests \\\\ with\\nnewline \"q\".\n"
        "# TYPE requests_total counter\n"
        "requests_total{path=\"a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
        "requests_total{path=\"/\",code=\"500\"} 0.5\n"
        "# HELP temperature_celsius T.\n"
        "# TYPE temperature_celsius gauge\n"
        "temperature_celsius -1.5\n"
        "# HELP pos_inf p.\n# TYPE pos_inf gauge\npos_inf +Inf\n"
        "# HELP neg_inf n.\n# TYPE neg_inf gauge\nneg_inf -Inf\n"
        "# HELP not_a_number nan.\n# TYPE not_a_number gauge\nnot_a_number NaN\n"
        "# HELP big b.\n# TYPE big gauge\nbig 1000000\n"
        "# HELP latency_seconds L.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{op=\"read\",le=\"0.005\"} 0\n"
        "latency_seconds_bucket{op=\"read\",le=\"0.5\"} 1\n"
        "latency_seconds_bucket{op=\"read\",le=\"1\"} 2\n"
        "latency_seconds_bucket{op=\"read\",le=\"+Inf\"} 3\n"
        "latency_seconds_sum{op=\"read\"} 8.25\n"
        "latency_seconds_count{op=\"read\"} 3\n"
        "# HELP empty_seconds E.\n"
        "# TYPE empty_seconds histogram\n"
        "empty_seconds_bucket{le=\"+Inf\"} 0\n"
        "empty_seconds_sum 0\n"
        "empty_seconds_count 0\n";
    QCOMPARE(bytes(registry.text()), bytes(expected));
    // appendText appends.
    std::string out = "prefix\n";
    registry.appendText(out);
    QCOMPARE(bytes(out), bytes("prefix\n" + expected));
  }

  void numberFormat_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("integer") << 42.0 << QByteArray("42");
    QTest::newRow("negative integer") << -3.0 << QByteArray("-3");
    QTest::newRow("million") << 1e6 << QByteArray("1000000");
    QTest::newRow("2^53") << 9007199254740992.0 << QByteArray("9007199254740992");
    QTest::newRow("fraction") << 0.005 << QByteArray("0.005");
    QTest::newRow("shortest round trip") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("small") << 1e-7 << QByteArray("1e-07");
    QTest::newRow("huge") << 1e20 << QByteArray("1e+20");
    QTest::newRow("+Inf") << inf << QByteArray("+Inf");
    QTest::newRow("-Inf") << -inf << QByteArray("-Inf");
    QTest::newRow("NaN") << std::nan("") << QByteArray("NaN");
  }
  void numberFormat() {
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    std::string out;
    text::appendDouble(out, value);
    QCOMPARE(bytes(out), text);
  }

  void counterAddIgnoresBadAmounts() {
    Registry registry;
    Counter& c = registry.counter("c_total", "help");
    c.inc(2);
    c.add(-1);
    c.add(std::nan(""));
    c.add(std::numeric_limits<double>::infinity());
    c.add(0);
    QVERIFY(c.isInteger());
    QCOMPARE(c.value(), 2.0);
    c.add(0.25);
    QCOMPARE(c.value(), 2.25);
    QCOMPARE(sampleOr(registry.text(), "c_total"), 2.25);
  }

  void collectableInterop() {
    Registry registry("svc");
    registry.counterFamily("ours_total", "Ours.", {"k"}).with({"v\"1"}).inc(5);
    registry.histogram("h_seconds", "H.", {1}).observe(0.5);

    // A service's existing prometheus-cpp registry is written after ours, unprefixed.
    auto foreign = std::make_shared<prometheus::Registry>();
    auto& theirs =
        prometheus::BuildCounter().Name("theirs_total").Help("Theirs.").Register(*foreign);
    theirs.Add({{"who", "a\\b"}}).Increment(7);
    registry.addCollectable(foreign);
    QVERIFY(!thrownMessage([&] { registry.addCollectable(nullptr); }).isEmpty());
    auto self = std::make_shared<Registry>();
    QVERIFY(thrownMessage([&] { self->addCollectable(self); }).contains("itself"));

    const std::string text = registry.text();
    QCOMPARE(sampleOr(text, "svc_ours_total{k=\"v\\\"1\"}"), 5.0);
    QCOMPARE(sampleOr(text, "theirs_total{who=\"a\\\\b\"}"), 7.0);
    QVERIFY(text.find("svc_ours_total") < text.find("theirs_total"));

    // Collect() hands the same data to prometheus-cpp (e.g. its Exposer or serializer).
    const auto families = registry.Collect();
    QCOMPARE(families.size(), std::size_t{3});
    const std::string serialized = prometheus::TextSerializer().Serialize(families);
    QCOMPARE(sampleOr(serialized, "svc_ours_total{k=\"v\\\"1\"}"), 5.0);
    QCOMPARE(sampleOr(serialized, "svc_h_seconds_bucket{le=\"1\"}"), 1.0);
    QCOMPARE(sampleOr(serialized, "svc_h_seconds_bucket{le=\"+Inf\"}"), 1.0);
    QCOMPARE(sampleOr(serialized, "svc_h_seconds_count"), 1.0);
    QCOMPARE(sampleOr(serialized, "theirs_total{who=\"a\\\\b\"}"), 7.0);
  }

  void foreignFamiliesOfEveryType() {
    prometheus::MetricFamily summary;
    summary.name = "rpc_seconds";
    summary.help = "S.";
    summary.type = prometheus::MetricType::Summary;
    auto& m = summary.metric.emplace_back();
    m.summary.sample_count = 4;
    m.summary.sample_sum = 2.5;
    m.summary.quantile = {{0.5, 0.25}, {0.99, 1.5}};
    prometheus::MetricFamily untyped;
    untyped.name = "raw";
    untyped.type = prometheus::MetricType::Untyped;
    auto& u = untyped.metric.emplace_back();
    u.untyped.value = 3;
    u.timestamp_ms = 1700000000123;
    std::string out;
    text::appendFamilies(out, {summary, untyped});
    QCOMPARE(bytes(out), bytes("# HELP rpc_seconds S.\n# TYPE rpc_seconds summary\n"
                               "rpc_seconds{quantile=\"0.5\"} 0.25\n"
                               "rpc_seconds{quantile=\"0.99\"} 1.5\n"
                               "rpc_seconds_sum 2.5\nrpc_seconds_count 4\n"
                               "# TYPE raw untyped\nraw 3 1700000000123\n"));
  }

  void scrapesRaceUpdatesAndCreation() {
    Registry registry;
    Counter& counter = registry.counter("hammer_total", "help");
    Gauge& gauge = registry.gauge("hammer_gauge", "help");
    Histogram& histogram = registry.histogram("hammer_seconds", "help", {0.5});
    auto& growing = registry.counterFamily("growing_total", "help", {"n"});
    constexpr int kPerThread = 200000;
    constexpr int kThreads = 2;
    std::atomic<int> running{kThreads + 1};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          counter.inc();
          gauge.inc();
          histogram.observe(i % 2 == 0 ? 0.25 : 1.0);
        }
        static_cast<void>(t);
        running.fetch_sub(1);
      });
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i)
        growing.with({std::to_string(i)}).inc();
      running.fetch_sub(1);
    });
    double lastCounter = 0;
    int scrapes = 0;
    while (running.load() > 0 || scrapes < 3) {
      const std::string text = registry.text();
      const double value = sampleOr(text, "hammer_total");
      QVERIFY(value >= lastCounter); // monotonic across scrapes
      lastCounter = value;
      // Within one scrape the histogram is self-consistent: count == +Inf bucket.
      QCOMPARE(sampleOr(text, "hammer_seconds_count"),
               sampleOr(text, "hammer_seconds_bucket{le=\"+Inf\"}"));
      QVERIFY(sampleOr(text, "hammer_seconds_bucket{le=\"0.5\"}") <=
              sampleOr(text, "hammer_seconds_count"));
      ++scrapes;
    }
    for (auto& t : threads)
      t.join();
    const std::string text = registry.text();
    const double total = double(kThreads) * kPerThread;
    QCOMPARE(sampleOr(text, "hammer_total"), total);
    QCOMPARE(sampleOr(text, "hammer_gauge"), total);
    QCOMPARE(sampleOr(text, "hammer_seconds_count"), total);
    QCOMPARE(sampleOr(text, "hammer_seconds_bucket{le=\"0.5\"}"), total / 2);
    QCOMPARE(sampleOr(text, "hammer_seconds_sum"), total / 2 * 0.25 + total / 2 * 1.0);
    QCOMPARE(growing.size(), std::size_t{2000});
    QCOMPARE(sampleOr(text, "growing_total{n=\"1999\"}"), 1.0);
    QVERIFY(scrapes >= 3);
  }
};

QTEST_GUILESS_MAIN(TstMetricsRegistry)
#include "tst_metrics_registry.moc"
