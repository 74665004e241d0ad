// The exposition parser: every construct of text format 0.0.4, every error with its line
// and column, OpenMetrics tolerance, interning across scrapes (no allocation on a
// repeated page), gzip, and the real node_exporter page captured in tests/data.

#include "healthdeck/client/parse/exposition_gzip.h"
#include "healthdeck/client/parse/exposition_parser.h"

#include <QFile>
#include <QTest>

#include "healthdeck/exporter/gzip_encoder.h"

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>

// Counts heap allocations while armed, to prove that a repeated scrape allocates nothing.
namespace {
std::atomic<bool> g_countAllocations{false};
std::atomic<std::size_t> g_allocations{0};
} // namespace

void* operator new(std::size_t size) {
  if (g_countAllocations.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace healthdeck::client;

namespace {

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      (out += '\\') += c;
    else
      out += c;
  }
  return out;
}

// A canonical text of what the parser understood: one line per family run, one per sample.
std::string dump(const ExpositionPage& page, const SeriesTable& table) {
  std::string out;
  for (const FamilyRun& run : page.families) {
    const SeriesTable::Family& f = table.family(run.family);
    out += "# " + f.name + " " + std::string(toString(f.type));
    if (!f.help.empty()) out += " \"" + escaped(f.help) + "\"";
    if (!f.unit.empty()) out += " [" + f.unit + "]";
    out += "\n";
    for (std::uint32_t i = run.firstSample; i < run.firstSample + run.sampleCount; ++i) {
      const Sample& s = page.samples[i];
      const SeriesTable::Series& series = table.series(s.series);
      out += std::string(series.name());
      if (!series.labels.empty()) {
        out += "{";
        for (std::size_t l = 0; l < series.labels.size(); ++l)
          out += (l ? "," : "") + std::string(series.labels[l].name) + "=\"" +
                 escaped(std::string(series.labels[l].value)) + "\"";
        out += "}";
      }
      out += " " + formatValue(s.value);
      if (s.hasTimestamp) out += " @" + std::to_string(s.timestampMs);
      out += "\n";
    }
  }
  return out;
}

std::string readFixture(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray data = f.readAll();
  return std::string(data.constData(), static_cast<std::size_t>(data.size()));
}

std::string gzipped(const std::string& text) {
  std::string out;
  healthdeck::exporter::GzipEncoder().compress(text, out);
  return out;
}

} // namespace

class TstExpositionParser : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void constructs_data();
  void constructs();
  void errors_data();
  void errors();
  void warnings_data();
  void warnings();
  void boundsAndGroups();
  void nodeExporterFixture();
  void repeatedScrapeAllocatesNothing();
  void reorderedPageKeepsIds();
  void typeChangeBetweenScrapes();
  void errorThenCleanPage();
  void maxSeries();
  void openMetricsForced();
  void gzip();
  void gzipErrors();
};

void TstExpositionParser::constructs_data() {
  QTest::addColumn<QByteArray>("input");
  QTest::addColumn<QByteArray>("expected");

  QTest::newRow("empty") << QByteArray("") << QByteArray("");
  QTest::newRow("only comments and blank lines")
      << QByteArray("# a comment\n\n   \n#another\n# HELPER not metadata\n") << QByteArray("");
  QTest::newRow("counter with metadata")
      << QByteArray("# HELP a_total Requests served.\n# TYPE a_total counter\n"
                    "a_total{code=\"200\"} 3\na_total{code=\"500\"} 1\n")
      << QByteArray("# a_total counter \"Requests served.\"\na_total{code=\"200\"} 3\n"
                    "a_total{code=\"500\"} 1\n");
  QTest::newRow("untyped without metadata")
      << QByteArray("foo 1\nbar 2") // no final newline
      << QByteArray("# foo untyped\nfoo 1\n# bar untyped\nbar 2\n");
  QTest::newRow("special and unusual values")
      << QByteArray("# TYPE g gauge\ng{v=\"a\"} NaN\ng{v=\"b\"} Nan\ng{v=\"c\"} +Inf\n"
                    "g{v=\"d\"} -Inf\ng{v=\"e\"} -1.5e-3\ng{v=\"f\"} 0x1p-2\ng{v=\"g\"} Inf\n"
                    "g{v=\"h\"} +infinity\ng{v=\"i\"} .5\ng{v=\"j\"} 5.\ng{v=\"k\"} 1e-400\n"
                    "g{v=\"l\"} 1.7976931348623157e308\ng{v=\"m\"} -0\n")
      << QByteArray("# g gauge\ng{v=\"a\"} NaN\ng{v=\"b\"} NaN\ng{v=\"c\"} +Inf\n"
                    "g{v=\"d\"} -Inf\ng{v=\"e\"} -0.0015\ng{v=\"f\"} 0.25\ng{v=\"g\"} +Inf\n"
                    "g{v=\"h\"} +Inf\ng{v=\"i\"} 0.5\ng{v=\"j\"} 5\ng{v=\"k\"} 0\n"
                    "g{v=\"l\"} 1.7976931348623157e+308\ng{v=\"m\"} -0\n");
  QTest::newRow("timestamps")
      << QByteArray("m 1 1700000000000\nn 2 -5\no 3 +7\n")
      << QByteArray("# m untyped\nm 1 @1700000000000\n# n untyped\nn 2 @-5\n# o untyped\n"
                    "o 3 @7\n");
  QTest::newRow("escapes") << QByteArray("# HELP e Line one\\nback\\\\slash \"quoted\"\n"
                                         "e{a=\"x\\\"y\\\\z\\n\",b=\"plain\"} 1\n")
                           << QByteArray("# e untyped \"Line one\\nback\\\\slash \\\"quoted\\\"\"\n"
                                         "e{a=\"x\\\"y\\\\z\\n\",b=\"plain\"} 1\n");
  QTest::newRow("histogram")
      << QByteArray("# HELP h Latency.\n# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\n"
                    "h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 4\nh_sum 2.5\nh_count 4\n")
      << QByteArray("# h histogram \"Latency.\"\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"1\"} 3\n"
                    "h_bucket{le=\"+Inf\"} 4\nh_sum 2.5\nh_count 4\n");
  QTest::newRow("summary")
      << QByteArray("# TYPE s summary\ns{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} NaN\n"
                    "s_sum 10\ns_count 50\n")
      << QByteArray("# s summary\ns{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} NaN\ns_sum 10\n"
                    "s_count 50\n");
  QTest::newRow("blanks, tabs, CRLF, trailing comma")
      << QByteArray("  # TYPE w gauge\r\n\tw{ a = \"1\" ,\tb=\"2\", } \t 7 \t 12 \r\nw{} 8\r\n")
      << QByteArray("# w gauge\nw{a=\"1\",b=\"2\"} 7 @12\nw 8\n");
  QTest::newRow("names with colons and UTF-8 values")
      << QByteArray("job:rate5m:sum{city=\"Z\xc3\xbcrich\",emoji=\"\xf0\x9f\x98\x80\"} 1\n")
      << QByteArray("# job:rate5m:sum untyped\njob:rate5m:sum{city=\"Z\xc3\xbcrich\","
                    "emoji=\"\xf0\x9f\x98\x80\"} 1\n");
  QTest::newRow("label value with braces and hashes")
      << QByteArray("q{path=\"/a}b{#\",x=\"} 2\"} 3\n")
      << QByteArray("# q untyped\nq{path=\"/a}b{#\",x=\"} 2\"} 3\n");
  QTest::newRow("counter samples in 0.0.4 and OpenMetrics naming")
      << QByteArray("# TYPE c counter\nc_total 1\nc_created 2\n# TYPE d_total counter\nd_total 3\n")
      << QByteArray("# c counter\nc_total 1\nc_created 2\n# d_total counter\nd_total 3\n");
  QTest::newRow("OpenMetrics page")
      << QByteArray("# TYPE c counter\n# UNIT c seconds\n# HELP c Help \\\"q\\\".\n"
                    "c_total 1.5 1700000000.5 # {trace_id=\"abc\"} 1.0 1700000000.1\n"
                    "c_created 1699999999\n# TYPE u unknown\nu 1\n# TYPE i info\n"
                    "i_info{version=\"1\"} 1\n# TYPE st stateset\nst{st=\"a\"} 1\n"
                    "# TYPE gh gaugehistogram\ngh_bucket{le=\"+Inf\"} 2\ngh_gcount 2\ngh_gsum 1\n"
                    "# EOF\n")
      << QByteArray("# c counter \"Help \\\"q\\\".\" [seconds]\nc_total 1.5 @1700000000500\n"
                    "c_created 1699999999\n# u untyped\nu 1\n# i info\ni_info{version=\"1\"} 1\n"
                    "# st stateset\nst{st=\"a\"} 1\n# gh gaugehistogram\n"
                    "gh_bucket{le=\"+Inf\"} 2\ngh_gcount 2\ngh_gsum 1\n");
  QTest::newRow("exemplar without # EOF")
      << QByteArray("x_total 4 # {a=\"b\"} 1\n") << QByteArray("# x_total untyped\nx_total 4\n");
  QTest::newRow("metadata without samples")
      << QByteArray("# HELP idle Nothing yet.\n# TYPE idle gauge\nnext 1\n")
      << QByteArray("# idle gauge \"Nothing yet.\"\n# next untyped\nnext 1\n");
  QTest::newRow("EOF in a 0.0.4 page is a comment")
      << QByteArray("a 1\n# EOF\nb 2\n") << QByteArray("# a untyped\na 1\n# b untyped\nb 2\n");
}

void TstExpositionParser::constructs() {
  QFETCH(QByteArray, input);
  QFETCH(QByteArray, expected);
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  const bool ok = parser.parse(std::string_view(input.constData(), input.size()), page);
  QVERIFY2(ok, page.error ? page.error->toString().c_str() : "");
  QVERIFY2(page.warnings.empty(), page.warnings.empty() ? "" : page.warnings[0].toString().c_str());
  QCOMPARE(QByteArray::fromStdString(dump(page, table)), expected);
  QCOMPARE(page.bytes, static_cast<std::uint64_t>(input.size()));
}

void TstExpositionParser::errors_data() {
  QTest::addColumn<QByteArray>("input");
  QTest::addColumn<int>("line");
  QTest::addColumn<int>("column");
  QTest::addColumn<QString>("message");

  auto row = [](const char* name, QByteArray input, int line, int column, const char* message) {
    QTest::newRow(name) << input << line << column << QString::fromUtf8(message);
  };
  row("invalid metric name", "1abc 1\n", 1, 1, "invalid metric name");
  row("character after name", "foo-bar 1\n", 1, 4, "unexpected character \"-\"");
  row("missing value", "foo\n", 1, 4, "missing value");
  row("missing value after blanks", "foo   \n", 1, 7, "missing value");
  row("missing value after labels", "foo{a=\"1\"}\n", 1, 11, "missing value");
  row("bad float", "foo 1.2.3\n", 1, 5, "invalid value \"1.2.3\"");
  row("signed NaN", "foo -NaN\n", 1, 5, "invalid value");
  row("double sign", "foo +-1\n", 1, 5, "invalid value");
  row("overflow", "foo 1e400\n", 1, 5, "invalid value");
  row("word value", "foo one\n", 1, 5, "invalid value");
  row("bad timestamp", "foo 1 12a\n", 1, 7, "invalid timestamp");
  row("float timestamp in 0.0.4", "foo 1 1.5\n", 1, 7, "invalid timestamp");
  row("timestamp overflow", "foo 1 99999999999999999999\n", 1, 7, "invalid timestamp");
  row("text after timestamp", "foo 1 2 3\n", 1, 9, "unexpected text after the timestamp");
  row("bad escape in label value", "foo{a=\"\\q\"} 1\n", 1, 8, "invalid escape sequence \"\\\\q\"");
  row("unterminated label value", "foo{a=\"x} 1\n", 1, 7, "unterminated value of label \"a\"");
  row("missing comma", "foo{a=\"x\" b=\"y\"} 1\n", 1, 11, "expected ',' or '}'");
  row("unterminated label set", "foo{a=\"x\",\n", 1, 11, "unterminated label set");
  row("invalid label name", "foo{1a=\"x\"} 1\n", 1, 5, "invalid label name");
  row("colon in label name", "foo{a:b=\"x\"} 1\n", 1, 6, "expected '=' after label name \"a\"");
  row("missing equals", "foo{a \"x\"} 1\n", 1, 7, "expected '='");
  row("unquoted value", "foo{a=x} 1\n", 1, 7, "expected '\"'");
  row("duplicate label", "foo{a=\"1\",a=\"2\"} 1\n", 1, 11, "duplicate label \"a\"");
  row("invalid UTF-8 in label value", "foo{a=\"\xff\"} 1\n", 1, 5, "invalid UTF-8");
  row("overlong UTF-8", "foo{a=\"\xc0\xaf\"} 1\n", 1, 5, "invalid UTF-8");
  row("UTF-16 surrogate", "foo{a=\"\xed\xa0\x80\"} 1\n", 1, 5, "invalid UTF-8");
  row("truncated UTF-8", "foo{a=\"\xe2\x82\"} 1\n", 1, 5, "invalid UTF-8");
  row("unknown type", "# TYPE foo bogus\n", 1, 12, "unknown metric type \"bogus\"");
  row("text after type", "# TYPE foo gauge extra\n", 1, 18, "unexpected text");
  row("type without name", "# TYPE\n", 1, 7, "expected a metric name");
  row("bad name in HELP", "# HELP 9x text\n", 1, 8, "expected a metric name");
  row("second TYPE", "# TYPE foo gauge\n# TYPE foo gauge\n", 2, 3, "second TYPE line for \"foo\"");
  row("second HELP", "# HELP foo a\n# HELP foo b\n", 2, 3, "second HELP line");
  row("second UNIT", "# UNIT foo s\n# UNIT foo s\n", 2, 3, "second UNIT line");
  row("TYPE after samples", "foo 1\n# TYPE foo gauge\n", 2, 3, "after its samples");
  row("bad escape in HELP", "# HELP foo a\\tb\n", 1, 13, "invalid escape sequence \"\\\\t\"");
  row("quote escape in 0.0.4 HELP", "# HELP foo \\\"\n", 1, 12, "invalid escape");
  row("dangling backslash in HELP", "# HELP foo a\\\n", 1, 13, "unterminated escape");
  row("invalid UTF-8 in HELP", "# HELP foo \xc3\x28\n", 1, 12, "invalid UTF-8 in HELP");
  row("sample contradicts histogram", "# TYPE foo histogram\nfoo 1\n", 2, 1, "does not fit");
  row("bucket without le", "# TYPE h histogram\nh_bucket 1\n", 2, 1, "without a \"le\" label");
  row("bad le", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", 2, 1, "invalid \"le\" value");
  row("summary without quantile", "# TYPE s summary\ns 1\n", 2, 1, "without a \"quantile\"");
  row("text after EOF", "a 1\n# EOF\nb 2\n# EOF\n", 3, 1, "text after \"# EOF\"");
  row("bad exemplar", "a_total 1 # {a=\"b\"}\n", 1, 20, "expected a blank before");
  row("exemplar without labels", "a_total 1 # 5\n", 1, 13, "expected '{'");
  row("error on a later line", "a 1\nb 2\nc{ 3\n", 3, 4, "invalid label name");
}

void TstExpositionParser::errors() {
  QFETCH(QByteArray, input);
  QFETCH(int, line);
  QFETCH(int, column);
  QFETCH(QString, message);
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(!parser.parse(std::string_view(input.constData(), input.size()), page));
  QVERIFY(page.error.has_value());
  const QString text = QString::fromStdString(page.error->toString());
  QVERIFY2(text.contains(message), qPrintable(text));
  QCOMPARE(int(page.error->line), line);
  QCOMPARE(int(page.error->column), column);
}

void TstExpositionParser::warnings_data() {
  QTest::addColumn<QByteArray>("input");
  QTest::addColumn<int>("line");
  QTest::addColumn<QString>("message");
  QTest::addColumn<QByteArray>("expected");
  QTest::newRow("split family")
      << QByteArray("a 1\nb 1\na{x=\"1\"} 2\n") << 3 << QStringLiteral("split across")
      << QByteArray("# a untyped\na 1\n# b untyped\nb 1\n# a untyped\na{x=\"1\"} 2\n");
  QTest::newRow("split histogram")
      << QByteArray("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nother 2\nh_count 1\n") << 4
      << QStringLiteral("split across")
      << QByteArray("# h histogram\nh_bucket{le=\"+Inf\"} 1\n# other untyped\nother 2\n"
                    "# h histogram\nh_count 1\n");
  QTest::newRow("duplicate series")
      << QByteArray("a{x=\"1\"} 1\na{x=\"1\"} 2\n") << 2 << QStringLiteral("appears twice")
      << QByteArray("# a untyped\na{x=\"1\"} 1\n");
}

void TstExpositionParser::warnings() {
  QFETCH(QByteArray, input);
  QFETCH(int, line);
  QFETCH(QString, message);
  QFETCH(QByteArray, expected);
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(parser.parse(std::string_view(input.constData(), input.size()), page));
  QCOMPARE(page.warnings.size(), std::size_t{1});
  QCOMPARE(int(page.warnings[0].line), line);
  QVERIFY(QString::fromStdString(page.warnings[0].message).contains(message));
  QCOMPARE(QByteArray::fromStdString(dump(page, table)), expected);
}

void TstExpositionParser::boundsAndGroups() {
  const std::string text =
      "# TYPE h histogram\n"
      "h_bucket{path=\"/a\",le=\"0.5\"} 1\nh_bucket{le=\"+Inf\",path=\"/a\"} 2\n"
      "h_sum{path=\"/a\"} 1\nh_count{path=\"/a\"} 2\n"
      "h_bucket{path=\"/b\",le=\"0.5\"} 0\nh_count{path=\"/b\"} 0\n"
      "# TYPE s summary\ns{quantile=\"0.9\"} 3\ns_sum 1\n";
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(parser.parse(text, page));
  QCOMPARE(page.samples.size(), std::size_t{8});
  auto series = [&](std::size_t i) -> const SeriesTable::Series& {
    return table.series(page.samples[i].series);
  };
  QCOMPARE(series(0).bound, 0.5);
  QVERIFY(std::isinf(series(1).bound));
  QVERIFY(std::isnan(series(2).bound));
  // Label order does not matter: all four /a series are one histogram instance.
  QCOMPARE(series(1).group, series(0).group);
  QCOMPARE(series(2).group, series(0).group);
  QCOMPARE(series(3).group, series(0).group);
  QVERIFY(series(4).group != series(0).group);
  QCOMPARE(series(5).group, series(4).group);
  QCOMPARE(series(6).bound, 0.9);
  QCOMPARE(series(7).group, series(6).group);
  QVERIFY(series(0).label("path") == std::string_view("/a"));
  QVERIFY(!series(0).label("nope").has_value());
  QCOMPARE(series(0).group, series(0).group);
  // Only histogram and summary series form instances.
  QVERIFY(parser.parse("# TYPE g gauge\ng{a=\"1\"} 1\n", page));
  QCOMPARE(table.series(page.samples[0].series).group, kNoId);
  QCOMPARE(table.findSeries("h_count{path=\"/b\"}").value(), page.samples[5].series);
  QVERIFY(!table.findSeries("h_count").has_value());
}

void TstExpositionParser::nodeExporterFixture() {
  const std::string text = readFixture(QFINDTESTDATA("../data/node_exporter.prom"));
  QVERIFY(!text.empty());
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY2(parser.parse(text, page), page.error ? page.error->toString().c_str() : "");
  QVERIFY(page.warnings.empty());
  // Counted independently: grep -c '^# TYPE', grep -vc '^#' on the captured file.
  QCOMPARE(page.families.size(), std::size_t{283});
  QCOMPARE(page.samples.size(), std::size_t{507});
  QCOMPARE(page.lines, 1073u);
  QCOMPARE(table.seriesCount(), std::size_t{507});
  QCOMPARE(page.newSeries, 507u);
  const auto goInfo = table.findSeries("go_info{version=\"go1.19.8\"}");
  QVERIFY(goInfo.has_value());
  const FamilyId gcFamily = table.findFamily("go_gc_duration_seconds").value();
  QVERIFY(table.family(gcFamily).type == MetricType::Summary);
  QCOMPARE(table.family(gcFamily).help,
           std::string("A summary of the pause duration of garbage collection cycles."));
  const SeriesId q50 = table.findSeries("go_gc_duration_seconds{quantile=\"0.5\"}").value();
  const SeriesId sum = table.findSeries("go_gc_duration_seconds_sum").value();
  QCOMPARE(table.series(q50).group, table.series(sum).group);
  QCOMPARE(table.series(q50).bound, 0.5);
}

void TstExpositionParser::repeatedScrapeAllocatesNothing() {
  const std::string text = readFixture(QFINDTESTDATA("../data/node_exporter.prom"));
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage first;
  QVERIFY(parser.parse(text, first));
  const std::size_t seriesAfterFirst = table.seriesCount();
  const std::size_t memoryAfterFirst = table.memoryBytes();

  ExpositionPage page;
  QVERIFY(parser.parse(text, page)); // sizes the page's vectors
  g_allocations = 0;
  g_countAllocations = true;
  const bool ok = parser.parse(text, page);
  g_countAllocations = false;
  QVERIFY(ok);
  QCOMPARE(g_allocations.load(), std::size_t{0});
  QCOMPARE(page.newSeries, 0u);
  QCOMPARE(table.seriesCount(), seriesAfterFirst);
  QCOMPARE(table.memoryBytes(), memoryAfterFirst);
  QCOMPARE(page.samples.size(), first.samples.size());
  for (std::size_t i = 0; i < page.samples.size(); ++i)
    QCOMPARE(page.samples[i].series, first.samples[i].series);
  QCOMPARE(dump(page, table), dump(first, table));
}

void TstExpositionParser::reorderedPageKeepsIds() {
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage a;
  QVERIFY(parser.parse("# TYPE x gauge\nx{i=\"1\"} 1\nx{i=\"2\"} 2\nx{i=\"3\"} 3\ny 4\n", a));
  ExpositionPage b;
  QVERIFY(parser.parse("y 40\n# TYPE x gauge\nx{i=\"3\"} 30\nx{i=\"1\"} 10\nx{i=\"4\"} 5\n", b));
  QCOMPARE(b.newSeries, 1u);
  QCOMPARE(b.samples[0].series, a.samples[3].series);
  QCOMPARE(b.samples[1].series, a.samples[2].series);
  QCOMPARE(b.samples[2].series, a.samples[0].series);
  QCOMPARE(b.samples[1].value, 30.0);
  QCOMPARE(dump(b, table), std::string("# y untyped\ny 40\n# x gauge\nx{i=\"3\"} 30\n"
                                       "x{i=\"1\"} 10\nx{i=\"4\"} 5\n"));
}

void TstExpositionParser::typeChangeBetweenScrapes() {
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(parser.parse("# HELP foo Old.\n# TYPE foo histogram\nfoo_bucket{le=\"+Inf\"} 1\n"
                       "foo_count 1\n",
                       page));
  // The same bytes under another declaration belong to other families now.
  QVERIFY(parser.parse("# TYPE foo gauge\nfoo_bucket{le=\"+Inf\"} 1\nfoo_count 1\n", page));
  QCOMPARE(dump(page, table), std::string("# foo gauge\n# foo_bucket untyped\n"
                                          "foo_bucket{le=\"+Inf\"} 1\n# foo_count untyped\n"
                                          "foo_count 1\n"));
  QVERIFY(std::isnan(table.series(page.samples[0].series).bound));
  // Help belongs to the page that had it.
  QVERIFY(table.family(table.findFamily("foo").value()).help.empty());
  QVERIFY(parser.parse("# TYPE foo histogram\nfoo_bucket{le=\"+Inf\"} 1\nfoo_count 1\n", page));
  QCOMPARE(dump(page, table),
           std::string("# foo histogram\nfoo_bucket{le=\"+Inf\"} 1\nfoo_count 1\n"));
  QVERIFY(std::isinf(table.series(page.samples[0].series).bound));
}

void TstExpositionParser::errorThenCleanPage() {
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(!parser.parse("a 1\nb 2\nc 1x\n", page));
  QCOMPARE(page.error->line, 3u);
  QCOMPARE(page.samples.size(), std::size_t{2}); // what came before the error is kept
  QVERIFY(parser.parse("a 1\nb 2\nc 3\n", page));
  QCOMPARE(page.samples.size(), std::size_t{3});
  QVERIFY(!page.error.has_value());
}

void TstExpositionParser::maxSeries() {
  SeriesTable table;
  ExpositionParser::Options options;
  options.maxSeries = 2;
  ExpositionParser parser(table, options);
  ExpositionPage page;
  QVERIFY(!parser.parse("a 1\nb 2\nc 3\n", page));
  QCOMPARE(page.error->line, 3u);
  QVERIFY(QString::fromStdString(page.error->message).contains(QStringLiteral("more than 2")));
  QCOMPARE(table.seriesCount(), std::size_t{2});
}

void TstExpositionParser::openMetricsForced() {
  SeriesTable table;
  ExpositionParser::Options options;
  options.format = ExpositionParser::Format::OpenMetrics;
  ExpositionParser parser(table, options);
  ExpositionPage page;
  // A truncated OpenMetrics body (no # EOF yet) still reads timestamps as seconds.
  QVERIFY(parser.parse("a 1 12.25\nb 2 3\n", page));
  QVERIFY(page.openMetrics);
  QCOMPARE(page.samples[0].timestampMs, std::int64_t{12250});
  QCOMPARE(page.samples[1].timestampMs, std::int64_t{3000});
  ExpositionParser plain(table, {ExpositionParser::Format::Text004, 1000});
  QVERIFY(!plain.parse("a 1 12.25\n", page));
  QVERIFY(plain.parse("a 1 12\n# EOF\n", page));
  QVERIFY(!page.openMetrics);
  QCOMPARE(page.samples[0].timestampMs, std::int64_t{12});
}

void TstExpositionParser::gzip() {
  const std::string text = readFixture(QFINDTESTDATA("../data/node_exporter.prom"));
  const std::string compressed = gzipped(text);
  QVERIFY(looksGzipped(compressed));
  QVERIFY(!looksGzipped(text));
  QVERIFY(compressed.size() < text.size() / 3);
  std::string out;
  std::string error;
  QVERIFY2(gunzip(compressed, out, error), error.c_str());
  QCOMPARE(out, text);
  // Concatenated members are one body.
  QVERIFY(gunzip(gzipped("a 1\n") + gzipped("b 2\n"), out, error));
  QCOMPARE(out, std::string("a 1\nb 2\n"));
  // zlib-wrapped (Content-Encoding: deflate as servers send it) is read too.
  const QByteArray z = qCompress(QByteArray("c 3\n")).mid(4); // drop Qt's size prefix
  QVERIFY(gunzip(std::string_view(z.constData(), z.size()), out, error));
  QCOMPARE(out, std::string("c 3\n"));
  // And the result parses like the original.
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY(gunzip(compressed, out, error));
  QVERIFY(parser.parse(out, page));
  QCOMPARE(page.samples.size(), std::size_t{507});
}

void TstExpositionParser::gzipErrors() {
  const std::string compressed = gzipped(std::string(1 << 20, 'a'));
  std::string out;
  std::string error;
  QVERIFY(!gunzip(compressed.substr(0, compressed.size() / 2), out, error));
  QVERIFY(out.empty());
  QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("compressed body")),
           error.c_str());
  error.clear();
  QVERIFY(!gunzip(compressed, out, error, 4096)); // a "bomb" beyond the limit
  QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("exceeds 4096")), error.c_str());
  error.clear();
  std::string corrupt = compressed;
  corrupt[20] = static_cast<char>(corrupt[20] ^ 0x55);
  corrupt[21] = static_cast<char>(corrupt[21] ^ 0x55);
  QVERIFY(!gunzip(corrupt, out, error));
  QVERIFY(!error.empty());
  QVERIFY(!gunzip("\x1f\x8b garbage", out, error));
}

QTEST_GUILESS_MAIN(TstExpositionParser)
#include "tst_exposition_parser.moc"
