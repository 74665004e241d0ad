#include "healthdeck/client/format/unit_format.h"

#include <QTest>

#include <limits>

using healthdeck::formatMetric;
using healthdeck::client::MetricUnit;

class TstUnitFormat : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void format_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("unit");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* name, double v, MetricUnit u, const char* text) {
      QTest::newRow(name) << v << static_cast<int>(u) << QString::fromUtf8(text);
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    row("count int", 128, MetricUnit::Count, "128");
    row("count zero", 0, MetricUnit::Count, "0");
    row("count k", 1234, MetricUnit::Count, "1.2 k");
    row("count 12k", 12'345, MetricUnit::Count, "12 k");
    row("count M", 3'400'000, MetricUnit::Count, "3.4 M");
    row("count edge rounds up", 999'999, MetricUnit::Count, "1 M");
    row("count fraction", 0.04, MetricUnit::Count, "0.04");
    row("count negative", -5, MetricUnit::Count, "-5");
    row("rate k", 1200, MetricUnit::PerSecond, "1.2 k/s");
    row("rate small", 0.4, MetricUnit::PerSecond, "0.4/s");
    row("rate zero", 0, MetricUnit::PerSecond, "0/s");
    row("rate tiny", 0.0123, MetricUnit::PerSecond, "0.012/s");
    row("ms", 0.340, MetricUnit::Seconds, "340 ms");
    row("ms decimal", 0.0018, MetricUnit::Seconds, "1.8 ms");
    row("us", 21e-6, MetricUnit::Seconds, "21 µs");
    row("ns", 5e-9, MetricUnit::Seconds, "5 ns");
    row("s", 12, MetricUnit::Seconds, "12 s");
    row("min", 300, MetricUnit::Seconds, "5 min");
    row("h", 9000, MetricUnit::Seconds, "2.5 h");
    row("d", 3 * 86400, MetricUnit::Seconds, "3 d");
    row("zero seconds", 0, MetricUnit::Seconds, "0 s");
    row("GiB", 2.1 * 1024 * 1024 * 1024, MetricUnit::Bytes, "2.1 GiB");
    row("bytes", 512, MetricUnit::Bytes, "512 B");
    row("KiB", 340 * 1024, MetricUnit::Bytes, "340 KiB");
    row("MiB/s", 1.26 * 1024 * 1024, MetricUnit::BytesPerSecond, "1.3 MiB/s");
    row("ratio", 0.42, MetricUnit::Ratio, "42 %");
    row("ratio small", 0.005, MetricUnit::Ratio, "0.5 %");
    row("nan", nan, MetricUnit::PerSecond, "–");
    row("+inf", inf, MetricUnit::Seconds, "+Inf");
  }
  void format() {
    QFETCH(double, value);
    QFETCH(int, unit);
    QFETCH(QString, expected);
    QCOMPARE(formatMetric(value, static_cast<MetricUnit>(unit)), expected);
  }
};

QTEST_GUILESS_MAIN(TstUnitFormat)
#include "tst_unit_format.moc"
