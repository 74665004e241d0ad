#include "healthdeck/client/parse/exposition_parser.h"

#include "healthdeck/util/utf8.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <system_error>

namespace healthdeck::client {
namespace {

enum : unsigned char { kNameStart = 1, kNameChar = 2, kLabelStart = 4, kLabelChar = 8 };

constexpr std::array<unsigned char, 256> makeClasses() {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    unsigned char v = 0;
    if (alpha || c == ':') v |= kNameStart | kNameChar;
    if (digit) v |= kNameChar | kLabelChar;
    if (alpha) v |= kLabelStart | kLabelChar;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<unsigned char, 256> kClasses = makeClasses();

inline bool is(char c, unsigned char cls) noexcept {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool isBlank(char c) noexcept {
  return c == ' ' || c == '\t';
}
inline const char* skipBlanks(const char* p, const char* e) noexcept {
  while (p < e && isBlank(*p))
    ++p;
  return p;
}
inline const char* skipToken(const char* p, const char* e) noexcept {
  while (p < e && !isBlank(*p))
    ++p;
  return p;
}

bool equalsIgnoreCase(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != lower[i]) return false;
  return true;
}

// Error messages quote input: keep them short and printable.
std::string quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t limit = 60;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > limit) out += "...";
  out += '"';
  return out;
}

// Go's strconv.ParseFloat syntax, which the 0.0.4 format prescribes: decimal and hex
// floats, "Inf"/"Infinity" with optional sign and "NaN", case-insensitive.
bool parseFloat(std::string_view t, double& out) noexcept {
  if (t.empty()) return false;
  bool negative = false;
  bool hasSign = false;
  if (t[0] == '+' || t[0] == '-') {
    negative = t[0] == '-';
    hasSign = true;
    t.remove_prefix(1);
    if (t.empty()) return false;
  }
  const char first = static_cast<char>(t[0] | 0x20);
  if (first == 'i') {
    if (!equalsIgnoreCase(t, "inf") && !equalsIgnoreCase(t, "infinity")) return false;
    out = negative ? -std::numeric_limits<double>::infinity()
                   : std::numeric_limits<double>::infinity();
    return true;
  }
  if (first == 'n') {
    if (hasSign || !equalsIgnoreCase(t, "nan")) return false;
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (t[0] == '+' || t[0] == '-') return false;
  const char* b = t.data();
  const char* e = b + t.size();
  std::chars_format fmt = std::chars_format::general;
  if (t.size() > 2 && t[0] == '0' && (t[1] | 0x20) == 'x') {
    fmt = std::chars_format::hex;
    b += 2;
    if (*b == '+' || *b == '-') return false;
  }
  double v = 0.0;
  const auto r = std::from_chars(b, e, v, fmt);
  if (r.ptr != e) return false;
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow is an error (as in Go); underflow rounds to zero.
    long double wide = 0.0L;
    const auto w = std::from_chars(b, e, wide, fmt);
    if (w.ec != std::errc{} || std::fabs(wide) >= 1.0L) return false;
    v = 0.0;
  } else if (r.ec != std::errc{}) {
    return false;
  }
  out = negative ? -v : v;
  return true;
}

bool parseTimestamp(std::string_view t, bool openMetrics, std::int64_t& ms) noexcept {
  if (openMetrics) {
    double seconds = 0.0;
    if (!parseFloat(t, seconds) || !std::isfinite(seconds)) return false;
    const double m = std::round(seconds * 1000.0);
    if (std::fabs(m) >= 9.2e18) return false;
    ms = static_cast<std::int64_t>(m);
    return true;
  }
  if (!t.empty() && t[0] == '+') {
    t.remove_prefix(1);
    if (!t.empty() && t[0] == '-') return false;
  }
  if (t.empty()) return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), ms);
  return r.ec == std::errc{} && r.ptr == t.data() + t.size();
}

bool endsWithEof(std::string_view text) noexcept {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  constexpr std::string_view kEof = "# EOF";
  if (!text.ends_with(kEof)) return false;
  return text.size() == kEof.size() || text[text.size() - kEof.size() - 1] == '\n';
}

bool familyAccepts(MetricType type, std::string_view family, std::string_view sample) noexcept {
  if (!sample.starts_with(family)) return false;
  const std::string_view s = sample.substr(family.size());
  switch (type) {
  case MetricType::Untyped:
  case MetricType::Gauge:
  case MetricType::StateSet: return s.empty();
  case MetricType::Counter: return s.empty() || s == "_total" || s == "_created";
  case MetricType::Histogram:
    return s == "_bucket" || s == "_sum" || s == "_count" || s == "_created";
  case MetricType::GaugeHistogram: return s == "_bucket" || s == "_gsum" || s == "_gcount";
  case MetricType::Summary: return s.empty() || s == "_sum" || s == "_count" || s == "_created";
  case MetricType::Info: return s == "_info";
  }
  return false;
}

constexpr std::array<std::string_view, 8> kSuffixes = {"_bucket", "_sum",  "_count",  "_created",
                                                       "_total",  "_gsum", "_gcount", "_info"};

} // namespace

ExpositionParser::ExpositionParser(SeriesTable& table, Options options)
    : m_table(table), m_options(options) {}

bool ExpositionParser::fail(const char* at, std::string message) {
  m_page->error =
      ParseIssue{m_lineNo, static_cast<std::uint32_t>(at - m_lineStart + 1), std::move(message)};
  return false;
}

void ExpositionParser::warn(const char* at, std::string message) {
  m_page->warnings.push_back(
      ParseIssue{m_lineNo, static_cast<std::uint32_t>(at - m_lineStart + 1), std::move(message)});
}

bool ExpositionParser::parse(std::string_view text, ExpositionPage& page) {
  page.clear();
  m_page = &page;
  page.bytes = text.size();
  m_gen = ++m_table.m_generation;
  m_openMetrics = m_options.format == Format::OpenMetrics ||
                  (m_options.format == Format::Auto && endsWithEof(text));
  page.openMetrics = m_openMetrics;
  m_eofSeen = false;
  m_currentFamily = kNoId;
  m_verifyRun = false;
  m_previous = kNoId;
  m_predicted = 0;
  m_lineNo = 0;

  const char* p = text.data();
  const char* const end = p + text.size();
  bool ok = true;
  while (p < end) {
    ++m_lineNo;
    const auto* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* lineEnd = nl ? nl : end;
    m_lineStart = p;
    const char* contentEnd = (lineEnd > p && lineEnd[-1] == '\r') ? lineEnd - 1 : lineEnd;
    if (!parseLine(p, contentEnd)) {
      ok = false;
      break;
    }
    p = nl ? nl + 1 : end;
  }
  page.lines = m_lineNo;

  // HELP and UNIT describe the latest page only: forget them for families this page
  // mentioned without one.
  for (const FamilyRun& run : page.families) {
    SeriesTable::Family& f = m_table.m_families[run.family];
    if (f.m_helpGen != m_gen) {
      f.help.clear();
      f.m_helpRaw.clear();
    }
    if (f.m_unitGen != m_gen) f.unit.clear();
    f.m_lastType = f.type;
  }
  m_page = nullptr;
  return ok;
}

bool ExpositionParser::parseLine(const char* s, const char* e) {
  if (m_eofSeen) {
    if (skipBlanks(s, e) == e) return true;
    return fail(s, "text after \"# EOF\"");
  }
  if (s == e) return true;
  if (isBlank(*s)) {
    s = skipBlanks(s, e);
    if (s == e) return true;
  }
  if (*s == '#') return parseComment(s, e);
  return parseSample(s, e);
}

bool ExpositionParser::parseComment(const char* s, const char* e) {
  const char* p = skipBlanks(s + 1, e);
  const char* kw = p;
  p = skipToken(p, e);
  const std::string_view keyword(kw, static_cast<std::size_t>(p - kw));
  if (keyword == "EOF" && skipBlanks(p, e) == e) {
    if (m_openMetrics) m_eofSeen = true;
    return true;
  }
  const bool help = keyword == "HELP";
  const bool type = keyword == "TYPE";
  const bool unit = keyword == "UNIT";
  if (!help && !type && !unit) return true; // a plain comment
  if (p == kw + keyword.size() && p < e && !isBlank(*p)) return true;

  p = skipBlanks(p, e);
  const char* nb = p;
  if (p == e || !is(*p, kNameStart))
    return fail(p, "expected a metric name after \"# " + std::string(keyword) + "\"");
  ++p;
  while (p < e && is(*p, kNameChar))
    ++p;
  if (p < e && !isBlank(*p))
    return fail(p, "invalid character " + quoted(std::string_view(p, 1)) + " in metric name");
  const std::string_view name(nb, static_cast<std::size_t>(p - nb));
  const FamilyId fam = familyFor(name);
  SeriesTable::Family& f = m_table.m_families[fam];
  p = skipBlanks(p, e);

  if (help) {
    if (f.m_helpGen == m_gen) return fail(kw, "second HELP line for " + quoted(name));
    f.m_helpGen = m_gen;
    const std::string_view raw(p, static_cast<std::size_t>(e - p));
    if (raw != f.m_helpRaw) {
      f.m_helpRaw.clear();
      f.help.clear();
      for (const char* q = p; q < e; ++q) {
        if (*q != '\\') {
          f.help += *q;
          continue;
        }
        if (q + 1 == e) return fail(q, "unterminated escape sequence in HELP text");
        const char c = q[1];
        if (c == '\\')
          f.help += '\\';
        else if (c == 'n')
          f.help += '\n';
        else if (c == '"' && m_openMetrics)
          f.help += '"';
        else
          return fail(q, "invalid escape sequence " + quoted(std::string_view(q, 2)) +
                             " in HELP text");
        ++q;
      }
      if (!isValidUtf8(f.help)) {
        f.help.clear();
        return fail(p, "invalid UTF-8 in HELP text of " + quoted(name));
      }
      f.m_helpRaw.assign(raw);
    }
  } else {
    const char* tb = p;
    p = skipToken(p, e);
    const std::string_view token(tb, static_cast<std::size_t>(p - tb));
    if (skipBlanks(p, e) != e)
      return fail(skipBlanks(p, e), "unexpected text after \"# " + std::string(keyword) + "\"");
    if (type) {
      if (f.m_typeGen == m_gen) return fail(kw, "second TYPE line for " + quoted(name));
      if (f.m_sampleGen == m_gen)
        return fail(kw, "TYPE line for " + quoted(name) + " after its samples");
      const auto t = metricTypeFromString(token);
      if (!t) return fail(tb, "unknown metric type " + quoted(token));
      f.type = *t;
      f.m_typeGen = m_gen;
    } else {
      if (f.m_unitGen == m_gen) return fail(kw, "second UNIT line for " + quoted(name));
      f.m_unitGen = m_gen;
      if (f.unit != token) f.unit.assign(token);
    }
  }
  startRun(fam);
  // The declared type may differ from the one the interned series were filed under.
  m_verifyRun = f.type != f.m_lastType;
  return true;
}

FamilyId ExpositionParser::familyFor(std::string_view name) {
  FamilyId id;
  auto it = m_table.m_familyIndex.find(name);
  if (it == m_table.m_familyIndex.end()) {
    id = static_cast<FamilyId>(m_table.m_families.size());
    SeriesTable::Family& f = m_table.m_families.emplace_back();
    f.name.assign(name);
    m_table.m_familyIndex.emplace(std::string_view(f.name), id);
  } else {
    id = it->second;
  }
  SeriesTable::Family& f = m_table.m_families[id];
  if (f.m_pageGen != m_gen) {
    f.m_pageGen = m_gen;
    f.type = MetricType::Untyped; // until this page's TYPE line says otherwise
  }
  return id;
}

void ExpositionParser::startRun(FamilyId fam) {
  if (m_currentFamily == fam) return;
  SeriesTable::Family& f = m_table.m_families[fam];
  if (f.m_runGen == m_gen)
    warn(m_lineStart, "the samples of family " + quoted(f.name) + " are split across the page");
  f.m_runGen = m_gen;
  m_page->families.push_back(FamilyRun{fam, static_cast<std::uint32_t>(m_page->samples.size()), 0});
  m_currentFamily = fam;
  m_verifyRun = f.type != f.m_lastType;
}

bool ExpositionParser::scanLabelSet(const char*& p, const char* e, bool keep) {
  ++p; // '{'
  p = skipBlanks(p, e);
  while (true) {
    if (p == e) return fail(p, "unterminated label set");
    if (*p == '}') {
      ++p;
      return true;
    }
    const char* nb = p;
    if (!is(*p, kLabelStart))
      return fail(p, "invalid label name starting with " + quoted(std::string_view(p, 1)));
    ++p;
    while (p < e && is(*p, kLabelChar))
      ++p;
    const std::string_view name(nb, static_cast<std::size_t>(p - nb));
    p = skipBlanks(p, e);
    if (p == e || *p != '=') return fail(p, "expected '=' after label name " + quoted(name));
    p = skipBlanks(p + 1, e);
    if (p == e || *p != '"')
      return fail(p, "expected '\"' to open the value of label " + quoted(name));
    const char* vb = ++p;
    bool escaped = false;
    while (true) {
      if (p == e) return fail(vb - 1, "unterminated value of label " + quoted(name));
      const char c = *p;
      if (c == '"') break;
      if (c == '\\') {
        if (p + 1 == e || (p[1] != '\\' && p[1] != '"' && p[1] != 'n'))
          return fail(p, "invalid escape sequence " +
                             quoted(std::string_view(p, p + 1 == e ? 1 : 2)) +
                             " in the value of label " + quoted(name));
        escaped = true;
        p += 2;
        continue;
      }
      ++p;
    }
    if (keep)
      m_labels.push_back(
          LabelRef{name, std::string_view(vb, static_cast<std::size_t>(p - vb)), nb, escaped});
    p = skipBlanks(p + 1, e);
    if (p < e && *p == ',') {
      p = skipBlanks(p + 1, e);
      continue;
    }
    if (p < e && *p == '}') {
      ++p;
      return true;
    }
    if (p == e) return fail(p, "unterminated label set");
    return fail(p, "expected ',' or '}' after the value of label " + quoted(name));
  }
}

bool ExpositionParser::internNewSeries(std::string_view key, std::uint64_t hash,
                                       std::uint32_t nameLength, SeriesId& id) {
  if (m_table.m_series.size() >= m_options.maxSeries)
    return fail(m_lineStart,
                "more than " + std::to_string(m_options.maxSeries) + " series for this target");
  for (std::size_t i = 0; i < m_labels.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (m_labels[i].name == m_labels[j].name)
        return fail(m_labels[i].at, "duplicate label " + quoted(m_labels[i].name));
    if (!isValidUtf8(m_labels[i].raw))
      return fail(m_labels[i].at,
                  "invalid UTF-8 in the value of label " + quoted(m_labels[i].name));
  }
  // The key is copied once into the arena; label names and unescaped values view it.
  char* stored = m_table.allocate(key.size(), 1);
  std::memcpy(stored, key.data(), key.size());
  const std::string_view storedKey(stored, key.size());
  auto* labels = reinterpret_cast<LabelView*>(
      m_table.allocate(m_labels.size() * sizeof(LabelView), alignof(LabelView)));
  for (std::size_t i = 0; i < m_labels.size(); ++i) {
    const LabelRef& l = m_labels[i];
    const std::string_view name =
        storedKey.substr(static_cast<std::size_t>(l.name.data() - key.data()), l.name.size());
    std::string_view value =
        storedKey.substr(static_cast<std::size_t>(l.raw.data() - key.data()), l.raw.size());
    if (l.escaped) {
      char* out = m_table.allocate(l.raw.size(), 1);
      std::size_t n = 0;
      for (std::size_t r = 0; r < l.raw.size(); ++r) {
        char c = l.raw[r];
        if (c == '\\') {
          c = l.raw[++r];
          if (c == 'n') c = '\n';
        }
        out[n++] = c;
      }
      value = std::string_view(out, n);
    }
    std::construct_at(labels + i, LabelView{name, value});
  }
  id = static_cast<SeriesId>(m_table.m_series.size());
  SeriesTable::Series& s = m_table.m_series.emplace_back();
  s.key = storedKey;
  s.nameLength = nameLength;
  s.labels = std::span<const LabelView>(labels, m_labels.size());
  s.bound = std::numeric_limits<double>::quiet_NaN();
  s.m_hash = static_cast<std::uint32_t>(hash);
  m_table.index(id);
  ++m_page->newSeries;
  return true;
}

bool ExpositionParser::assignFamily(SeriesId id, FamilyId fam, const char* lineStart) {
  SeriesTable::Series& s = m_table.m_series[id];
  const SeriesTable::Family& f = m_table.m_families[fam];
  const std::string_view suffix = s.name().substr(f.name.size());
  const bool histogram = f.type == MetricType::Histogram || f.type == MetricType::GaugeHistogram;
  const bool summary = f.type == MetricType::Summary;
  const bool bucket = histogram && suffix == "_bucket";
  const bool quantile = summary && suffix.empty();
  double bound = std::numeric_limits<double>::quiet_NaN();
  if (bucket || quantile) {
    const std::string_view labelName = bucket ? "le" : "quantile";
    const auto v = s.label(labelName);
    if (!v)
      return fail(lineStart, std::string(bucket ? "histogram bucket" : "summary quantile") +
                                 " without a \"" + std::string(labelName) + "\" label");
    if (!parseFloat(*v, bound))
      return fail(lineStart, "invalid \"" + std::string(labelName) + "\" value " + quoted(*v));
  }
  std::uint32_t group = kNoId;
  if (histogram || summary) {
    // The instance a bucket, sum or count belongs to: family plus the other labels, sorted.
    std::vector<const LabelView*> sorted;
    sorted.reserve(s.labels.size());
    for (const LabelView& l : s.labels)
      if (!((bucket && l.name == "le") || (quantile && l.name == "quantile"))) sorted.push_back(&l);
    std::sort(sorted.begin(), sorted.end(),
              [](const LabelView* a, const LabelView* b) { return a->name < b->name; });
    std::string groupKey = f.name;
    groupKey += '\xff';
    for (const LabelView* l : sorted) {
      groupKey += l->name;
      groupKey += '\xfe';
      groupKey += l->value;
      groupKey += '\xff';
    }
    const auto next = static_cast<std::uint32_t>(m_table.m_groups.size());
    group = m_table.m_groups.try_emplace(std::move(groupKey), next).first->second;
  }
  s.group = group;
  s.family = fam;
  s.bound = bound;
  return true;
}

bool ExpositionParser::resolveFamily(SeriesId id, const char* lineStart) {
  const std::string_view name = m_table.m_series[id].name();
  if (m_currentFamily != kNoId) {
    const SeriesTable::Family& cf = m_table.m_families[m_currentFamily];
    if (familyAccepts(cf.type, cf.name, name)) return assignFamily(id, m_currentFamily, lineStart);
  }
  if (auto it = m_table.m_familyIndex.find(name); it != m_table.m_familyIndex.end()) {
    const SeriesTable::Family& f = m_table.m_families[it->second];
    if (f.m_pageGen == m_gen) {
      if (!familyAccepts(f.type, f.name, name))
        return fail(lineStart, "sample " + quoted(name) + " does not fit the " +
                                   std::string(toString(f.type)) + " family of the same name");
      startRun(it->second);
      return assignFamily(id, it->second, lineStart);
    }
  }
  for (std::string_view suffix : kSuffixes) {
    if (!name.ends_with(suffix) || name.size() == suffix.size()) continue;
    const std::string_view base = name.substr(0, name.size() - suffix.size());
    auto it = m_table.m_familyIndex.find(base);
    if (it == m_table.m_familyIndex.end()) continue;
    const SeriesTable::Family& f = m_table.m_families[it->second];
    if (f.m_pageGen == m_gen && familyAccepts(f.type, f.name, name)) {
      startRun(it->second);
      return assignFamily(id, it->second, lineStart);
    }
  }
  const FamilyId fam = familyFor(name);
  startRun(fam);
  return assignFamily(id, fam, lineStart);
}

bool ExpositionParser::parseSample(const char* s, const char* e) {
  SeriesId id = kNoId;
  const char* p = s;
  if (m_predicted < m_table.m_series.size()) {
    // The page usually repeats the previous scrape's order: one memcmp recognises the
    // series, and the bytes were fully validated when it was first interned.
    const SeriesTable::Series& guess = m_table.m_series[m_predicted];
    const std::size_t n = guess.key.size();
    if (static_cast<std::size_t>(e - s) > n && isBlank(s[n]) &&
        std::memcmp(s, guess.key.data(), n) == 0) {
      id = m_predicted;
      p = s + n;
    }
  }
  if (id == kNoId) {
    if (!is(*p, kNameStart))
      return fail(p, "invalid metric name starting with " + quoted(std::string_view(p, 1)));
    ++p;
    while (p < e && is(*p, kNameChar))
      ++p;
    const auto nameLength = static_cast<std::uint32_t>(p - s);
    m_labels.clear();
    if (p < e && *p == '{' && !scanLabelSet(p, e, true)) return false;
    const std::string_view key(s, static_cast<std::size_t>(p - s));
    const std::uint64_t h = SeriesTable::hash(key);
    id = m_table.find(key, h);
    if (id == kNoId && !internNewSeries(key, h, nameLength, id)) return false;
  }

  if (p == e) return fail(p, "missing value");
  if (!isBlank(*p))
    return fail(p, "unexpected character " + quoted(std::string_view(p, 1)) +
                       " after the series name");
  p = skipBlanks(p, e);
  if (p == e) return fail(p, "missing value");
  const char* vb = p;
  p = skipToken(p, e);
  const std::string_view valueText(vb, static_cast<std::size_t>(p - vb));
  Sample sample;
  sample.series = id;
  if (!parseFloat(valueText, sample.value)) return fail(vb, "invalid value " + quoted(valueText));
  p = skipBlanks(p, e);
  if (p < e && *p != '#') {
    const char* tb = p;
    p = skipToken(p, e);
    const std::string_view ts(tb, static_cast<std::size_t>(p - tb));
    if (!parseTimestamp(ts, m_openMetrics, sample.timestampMs))
      return fail(tb, "invalid timestamp " + quoted(ts));
    sample.hasTimestamp = true;
    p = skipBlanks(p, e);
  }
  if (p < e) {
    if (*p != '#') return fail(p, "unexpected text after the timestamp");
    if (!parseExemplar(p, e)) return false;
  }

  SeriesTable::Series& series = m_table.m_series[id];
  if ((series.family != m_currentFamily || series.family == kNoId || m_verifyRun) &&
      !resolveFamily(id, s))
    return false;
  if (series.m_pageGen == m_gen) {
    warn(s, "series " + quoted(series.key) + " appears twice; the later sample is ignored");
    return true;
  }
  series.m_pageGen = m_gen;
  if (m_previous != kNoId) m_table.m_series[m_previous].m_successor = id;
  m_previous = id;
  m_predicted = series.m_successor != kNoId ? series.m_successor : id + 1;
  FamilyRun& run = m_page->families.back();
  if (run.sampleCount++ == 0) m_table.m_families[run.family].m_sampleGen = m_gen;
  m_page->samples.push_back(sample);
  return true;
}

bool ExpositionParser::parseExemplar(const char*& p, const char* e) {
  ++p; // '#'
  if (p == e || !isBlank(*p)) return fail(p, "expected a blank after '#' of an exemplar");
  p = skipBlanks(p, e);
  if (p == e || *p != '{') return fail(p, "expected '{' to open the labels of an exemplar");
  if (!scanLabelSet(p, e, false)) return false;
  if (p == e || !isBlank(*p)) return fail(p, "expected a blank before the exemplar's value");
  p = skipBlanks(p, e);
  const char* vb = p;
  p = skipToken(p, e);
  double ignored = 0.0;
  if (!parseFloat(std::string_view(vb, static_cast<std::size_t>(p - vb)), ignored))
    return fail(vb, "invalid exemplar value");
  p = skipBlanks(p, e);
  if (p < e) {
    const char* tb = p;
    p = skipToken(p, e);
    if (!parseFloat(std::string_view(tb, static_cast<std::size_t>(p - tb)), ignored))
      return fail(tb, "invalid exemplar timestamp");
    p = skipBlanks(p, e);
    if (p < e) return fail(p, "unexpected text after the exemplar");
  }
  return true;
}

} // namespace healthdeck::client
