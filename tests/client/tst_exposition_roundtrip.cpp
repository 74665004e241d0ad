// Property test: what a writer of text format 0.0.4 emits, the parser reads back to the
// same values, bit for bit (NaN as NaN). Two writers: a random generator written here
// (random families, label values with escapes and UTF-8, extreme and special values,
// timestamps, two number spellings) and the core's own metrics Registry.

#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/metrics/registry.h"

#include <QTest>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace healthdeck::client;

namespace {

struct Expected {
  std::string name;
  std::vector<Label> labels;
  double value = 0;
  bool hasTimestamp = false;
  std::int64_t timestampMs = 0;
};

std::string escapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

bool sameValue(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

class Generator {
public:
  explicit Generator(std::uint64_t seed) : m_rng(seed) {}

  double value() {
    switch (pick(10)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return pick(2) ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity();
    case 2: return pick(2) ? 0.0 : -0.0;
    case 3: return std::numeric_limits<double>::denorm_min() * static_cast<double>(pick(1000) + 1);
    case 4:
      return pick(2) ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest();
    case 5: return static_cast<double>(static_cast<std::int64_t>(m_rng() % 2000000) - 1000000);
    default: {
      // Any finite bit pattern: exercises every exponent and the shortest-digit writer.
      double d;
      do
        d = std::bit_cast<double>(m_rng());
      while (!std::isfinite(d));
      return d;
    }
    }
  }

  std::string spell(double v) {
    if (std::isnan(v)) return pick(2) ? "NaN" : "Nan";
    if (std::isinf(v)) return v > 0 ? (pick(2) ? "+Inf" : "Inf") : "-Inf";
    char buf[64];
    // Shortest round-trip, or 17 significant digits (what printf("%.17g") writers emit).
    const auto r = pick(2)
                       ? std::to_chars(buf, buf + sizeof buf, v)
                       : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
    return std::string(buf, r.ptr);
  }

  std::string labelValue() {
    static const std::vector<std::string> pieces = {"a",
                                                    "Z",
                                                    "0",
                                                    " ",
                                                    "\\",
                                                    "\"",
                                                    "\n",
                                                    "{",
                                                    "}",
                                                    ",",
                                                    "=",
                                                    "#",
                                                    "\xc3\xa9",
                                                    "\xe2\x82\xac",
                                                    "\xf0\x9f\x98\x80",
                                                    "le",
                                                    "/api/v1",
                                                    "\t"};
    std::string out;
    const std::size_t n = pick(8);
    for (std::size_t i = 0; i < n; ++i)
      out += pieces[pick(pieces.size())];
    return out;
  }

  std::string name(std::size_t i) {
    static const char* const stems[] = {"http_requests", "job:rate5m", "_under", "a", "Mixed_Case"};
    return std::string(stems[pick(5)]) + "_" + std::to_string(i);
  }

  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_rng() % n); }
  std::int64_t timestamp() {
    return static_cast<std::int64_t>(m_rng() % 4000000000000ull) - 1000000000000ll;
  }

private:
  std::mt19937_64 m_rng;
};

// One random page and the samples it should read back as.
std::string generatePage(Generator& g, std::vector<Expected>& expected) {
  std::string text;
  const std::size_t families = 1 + g.pick(12);
  for (std::size_t f = 0; f < families; ++f) {
    const std::string name = g.name(f);
    const std::size_t kind = g.pick(5); // untyped, counter, gauge, histogram, summary
    static const char* const types[] = {"untyped", "counter", "gauge", "histogram", "summary"};
    if (g.pick(4)) text += "# HELP " + name + " Help with \\\\ and \\n.\n";
    if (kind || g.pick(2)) text += "# TYPE " + name + " " + types[kind] + "\n";
    const std::size_t seriesCount = 1 + g.pick(4);
    for (std::size_t s = 0; s < seriesCount; ++s) {
      std::vector<Label> labels;
      const std::size_t labelCount = g.pick(4);
      for (std::size_t l = 0; l < labelCount; ++l)
        labels.push_back(Label{"l" + std::to_string(l), g.labelValue()});
      labels.push_back(Label{"series", std::to_string(s)}); // keeps series distinct
      auto emit = [&](const std::string& sampleName, std::vector<Label> ls, double v) {
        Expected e{sampleName, ls, v, g.pick(4) == 0, 0};
        if (e.hasTimestamp) e.timestampMs = g.timestamp();
        text += sampleName;
        if (!ls.empty()) {
          text += "{";
          for (std::size_t i = 0; i < ls.size(); ++i)
            text += (i ? "," : "") + ls[i].name + "=\"" + escapeLabelValue(ls[i].value) + "\"";
          text += g.pick(3) == 0 ? ",}" : "}";
        }
        text += g.pick(5) == 0 ? "\t" : " ";
        text += g.spell(v);
        if (e.hasTimestamp) text += " " + std::to_string(e.timestampMs);
        text += "\n";
        expected.push_back(std::move(e));
      };
      if (kind == 3) {
        for (const char* le : {"0.005", "0.1", "1", "+Inf"}) {
          auto ls = labels;
          ls.push_back(Label{"le", le});
          emit(name + "_bucket", ls, g.value());
        }
        emit(name + "_sum", labels, g.value());
        emit(name + "_count", labels, g.value());
      } else if (kind == 4) {
        for (const char* q : {"0.5", "0.99"}) {
          auto ls = labels;
          ls.insert(ls.begin(), Label{"quantile", q});
          emit(name, ls, g.value());
        }
        emit(name + "_sum", labels, g.value());
        emit(name + "_count", labels, g.value());
      } else {
        emit(name, labels, g.value());
      }
    }
    if (g.pick(3) == 0) text += "\n# a comment between families\n";
  }
  return text;
}

} // namespace

class TstExpositionRoundtrip : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void generatedPages();
  void registryOutput();
};

void TstExpositionRoundtrip::generatedPages() {
  // HEALTHDECK_SEED replays a failing run.
  bool fixed = false;
  const qulonglong fromEnv = qEnvironmentVariable("HEALTHDECK_SEED").toULongLong(&fixed);
  const std::uint64_t seed = fixed ? fromEnv : std::random_device{}();
  qInfo("seed %llu (set HEALTHDECK_SEED to replay)", static_cast<unsigned long long>(seed));
  Generator g(seed);
  SeriesTable table; // shared: later pages re-use interned series from earlier ones
  ExpositionParser parser(table);
  ExpositionPage page;
  std::size_t checked = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<Expected> expected;
    const std::string text = generatePage(g, expected);
    if (!parser.parse(text, page))
      QFAIL(qPrintable(QString::fromStdString(page.error->toString() + "\n" + text)));
    QCOMPARE(page.warnings.size(), std::size_t{0});
    QCOMPARE(page.samples.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const Sample& s = page.samples[i];
      const SeriesTable::Series& series = table.series(s.series);
      const Expected& e = expected[i];
      QCOMPARE(std::string(series.name()), e.name);
      QCOMPARE(series.labels.size(), e.labels.size());
      for (std::size_t l = 0; l < e.labels.size(); ++l) {
        QCOMPARE(std::string(series.labels[l].name), e.labels[l].name);
        QCOMPARE(std::string(series.labels[l].value), e.labels[l].value);
      }
      if (!sameValue(s.value, e.value))
        QFAIL(qPrintable(QStringLiteral("value %1 read as %2 (seed %3)")
                             .arg(e.value, 0, 'g', 17)
                             .arg(s.value, 0, 'g', 17)
                             .arg(seed)));
      QCOMPARE(s.hasTimestamp, e.hasTimestamp);
      QCOMPARE(s.timestampMs, e.hasTimestamp ? e.timestampMs : 0);
      ++checked;
    }
    // Read again: interned, nothing new, same values.
    std::vector<Sample> before = page.samples;
    QVERIFY(parser.parse(text, page));
    QCOMPARE(page.newSeries, 0u);
    for (std::size_t i = 0; i < before.size(); ++i) {
      QCOMPARE(page.samples[i].series, before[i].series);
      QVERIFY(sameValue(page.samples[i].value, before[i].value));
    }
  }
  QVERIFY(checked > 1000);
}

void TstExpositionRoundtrip::registryOutput() {
  using healthdeck::metrics::Registry;
  std::mt19937_64 rng(std::random_device{}());
  Registry registry("hd");
  auto& requests = registry.counterFamily(
      "requests_total", "Requests \\ by \"code\".\nSecond line.", {"code", "path"});
  auto& temperature = registry.gaugeFamily("temperature_celsius", "Temperature.", {"room"});
  auto& latency =
      registry.histogramFamily("latency_seconds", "Latency.", {"route"}, {0.005, 0.01, 0.1, 1, 10});
  std::map<std::string, double> expected; // key: sample name + sorted labels
  auto key = [](std::string name, std::vector<std::pair<std::string, std::string>> labels) {
    std::sort(labels.begin(), labels.end());
    for (const auto& [n, v] : labels)
      name += "|" + n + "=" + v;
    return name;
  };
  const std::vector<std::string> odd = {"plain",     "with \"quotes\"",   "back\\slash",
                                        "new\nline", "\xc3\xa9t\xc3\xa9", "{}=,#"};
  for (const std::string& path : odd) {
    for (const char* code : {"200", "500"}) {
      auto& c = requests.with({code, path});
      c.inc(rng() % 1000);
      c.add(std::bit_cast<double>((rng() & 0x000fffffffffffffull) | 0x3ff0000000000000ull));
      expected[key("hd_requests_total", {{"code", code}, {"path", path}})] = c.value();
    }
    auto& t = temperature.with({path});
    const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::denorm_min(), -0.0,
                             std::bit_cast<double>(rng() & 0x7fefffffffffffffull)};
    t.set(values[rng() % 5]);
    expected[key("hd_temperature_celsius", {{"room", path}})] = t.value();
    auto& h = latency.with({path});
    for (int i = 0; i < 50; ++i)
      h.observe(static_cast<double>(rng() % 20000) / 1000.0);
    const auto snap = h.snapshot();
    const char* les[] = {"0.005", "0.01", "0.1", "1", "10", "+Inf"};
    for (std::size_t b = 0; b < snap.cumulative.size(); ++b)
      expected[key("hd_latency_seconds_bucket", {{"route", path}, {"le", les[b]}})] =
          static_cast<double>(snap.cumulative[b]);
    expected[key("hd_latency_seconds_sum", {{"route", path}})] = snap.sum;
    expected[key("hd_latency_seconds_count", {{"route", path}})] = static_cast<double>(snap.count);
  }

  std::string text;
  registry.appendText(text);
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  QVERIFY2(parser.parse(text, page), page.error ? page.error->toString().c_str() : "");
  QVERIFY(page.warnings.empty());
  std::size_t matched = 0;
  for (const Sample& s : page.samples) {
    const SeriesTable::Series& series = table.series(s.series);
    std::vector<std::pair<std::string, std::string>> labels;
    for (const LabelView& l : series.labels)
      labels.emplace_back(l.name, l.value);
    auto it = expected.find(key(std::string(series.name()), labels));
    if (it == expected.end()) continue; // families the registry adds on its own
    // The Registry writes -0.0 as "0" (its integer fast path), so only the zero's sign may
    // differ; every other value must come back bit for bit.
    const bool bothZero = s.value == 0.0 && it->second == 0.0;
    if (!bothZero && !sameValue(s.value, it->second))
      QFAIL(qPrintable(QStringLiteral("%1: wrote %2, read %3")
                           .arg(QString::fromStdString(it->first))
                           .arg(it->second, 0, 'g', 17)
                           .arg(s.value, 0, 'g', 17)));
    ++matched;
  }
  QCOMPARE(matched, expected.size());
  const auto fam = table.findFamily("hd_requests_total");
  QVERIFY(fam.has_value());
  QCOMPARE(table.family(*fam).help, std::string("Requests \\ by \"code\".\nSecond line."));
  QVERIFY(table.family(*fam).type == MetricType::Counter);
  QVERIFY(table.family(table.findFamily("hd_latency_seconds").value()).type ==
          MetricType::Histogram);
}

QTEST_GUILESS_MAIN(TstExpositionRoundtrip)
#include "tst_exposition_roundtrip.moc"
