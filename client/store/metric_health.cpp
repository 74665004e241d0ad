#include "healthdeck/client/store/metric_health.h"

#include "healthdeck/client/parse/exposition_parser.h"

#include <QRegularExpression>

#include <cmath>

namespace healthdeck::client {

namespace {

QString qs(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString number(double v) {
  if (std::isnan(v)) return QStringLiteral("NaN");
  if (std::isinf(v)) return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
  return QString::number(v, 'g', 10);
}

bool isNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}
bool isLabelStart(char c) {
  return isNameStart(c) && c != ':';
}
bool isLabelChar(char c) {
  return isNameChar(c) && c != ':';
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  std::string* error;

  void skipSpace() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
      ++i;
  }
  bool fail(const std::string& what) {
    if (error) *error = what + " at column " + std::to_string(i + 1);
    return false;
  }
};

bool readQuoted(Cursor& c, std::string& out) {
  if (c.i >= c.s.size() || (c.s[c.i] != '"' && c.s[c.i] != '\'')) return c.fail("expected '\"'");
  const char quote = c.s[c.i++];
  while (c.i < c.s.size() && c.s[c.i] != quote) {
    char ch = c.s[c.i++];
    if (ch == '\\') {
      if (c.i >= c.s.size()) return c.fail("unterminated escape");
      ch = c.s[c.i++];
      if (ch == 'n')
        ch = '\n';
      else if (ch == 't')
        ch = '\t';
    }
    out += ch;
  }
  if (c.i >= c.s.size()) return c.fail("unterminated string");
  ++c.i;
  return true;
}

// `re` is the matcher's compiled, anchored regex (regex matchers only).
bool labelMatches(const SeriesTable::Series& s, const SelectorMatcher& m,
                  const QRegularExpression& re) {
  const std::string_view v = s.label(m.label).value_or(std::string_view{});
  switch (m.op) {
  case SelectorMatcher::Op::Equal: return v == m.value;
  case SelectorMatcher::Op::NotEqual: return v != m.value;
  case SelectorMatcher::Op::Regex:
  case SelectorMatcher::Op::NotRegex: {
    const bool hit = re.isValid() && re.match(qs(v)).hasMatch();
    return m.op == SelectorMatcher::Op::Regex ? hit : !hit;
  }
  }
  return false;
}

Status severityOf(const MetricRule& r) {
  return r.severity == Status::Down ? Status::Down : Status::Degraded;
}

} // namespace

std::optional<MetricSelector> parseSelector(std::string_view text, std::string* error) {
  Cursor c{text, 0, error};
  c.skipSpace();
  MetricSelector sel;
  if (c.i >= text.size() || !isNameStart(text[c.i])) {
    c.fail("expected a metric name");
    return std::nullopt;
  }
  const std::size_t start = c.i;
  while (c.i < text.size() && isNameChar(text[c.i]))
    ++c.i;
  sel.metric = std::string(text.substr(start, c.i - start));
  c.skipSpace();
  if (c.i < text.size() && text[c.i] == '{') {
    ++c.i;
    for (;;) {
      c.skipSpace();
      if (c.i < text.size() && text[c.i] == '}') {
        ++c.i;
        break;
      }
      if (c.i >= text.size() || !isLabelStart(text[c.i])) {
        c.fail("expected a label name or '}'");
        return std::nullopt;
      }
      SelectorMatcher m;
      const std::size_t ls = c.i;
      while (c.i < text.size() && isLabelChar(text[c.i]))
        ++c.i;
      m.label = std::string(text.substr(ls, c.i - ls));
      c.skipSpace();
      const std::string_view rest = text.substr(c.i);
      if (rest.starts_with("!=")) {
        m.op = SelectorMatcher::Op::NotEqual;
        c.i += 2;
      } else if (rest.starts_with("=~")) {
        m.op = SelectorMatcher::Op::Regex;
        c.i += 2;
      } else if (rest.starts_with("!~")) {
        m.op = SelectorMatcher::Op::NotRegex;
        c.i += 2;
      } else if (rest.starts_with("=")) {
        m.op = SelectorMatcher::Op::Equal;
        c.i += 1;
      } else {
        c.fail("expected '=', '!=', '=~' or '!~' after label " + m.label);
        return std::nullopt;
      }
      c.skipSpace();
      if (!readQuoted(c, m.value)) return std::nullopt;
      if (m.op == SelectorMatcher::Op::Regex || m.op == SelectorMatcher::Op::NotRegex) {
        const QRegularExpression re(qs(m.value));
        if (!re.isValid()) {
          c.fail("invalid regular expression for label " + m.label + ": " +
                 re.errorString().toStdString());
          return std::nullopt;
        }
      }
      sel.matchers.push_back(std::move(m));
      c.skipSpace();
      if (c.i < text.size() && text[c.i] == ',') {
        ++c.i;
        continue;
      }
      if (c.i < text.size() && text[c.i] == '}') {
        ++c.i;
        break;
      }
      c.fail("expected ',' or '}'");
      return std::nullopt;
    }
  }
  c.skipSpace();
  if (c.i != text.size()) {
    c.fail("unexpected text after the selector");
    return std::nullopt;
  }
  return sel;
}

bool isUpGauge(std::string_view name) noexcept {
  if (name == "up" || name == "probe_success" || name == "etcd_server_has_leader") return true;
  if (!name.ends_with("_up") || name.size() <= 3) return false;
  const std::string_view ns = name.substr(0, name.size() - 3);
  for (char ch : ns)
    if (ch == '_' || ch == ':') return false; // node_network_up and friends: parts of a host
  return true;
}

HealthDocument metricHealth(const ExpositionPage& page, const SeriesTable& table,
                            const QList<MetricRule>& rules) {
  HealthDocument doc;
  doc.dialect = HealthDialect::Metrics;
  doc.overall = Status::Up;
  const auto add = [&doc](HealthComponent c) {
    if (c.status > doc.overall) doc.overall = c.status;
    doc.components.push_back(std::move(c));
  };

  for (const Sample& smp : page.samples) {
    const SeriesTable::Series& s = table.series(smp.series);
    const SeriesTable::Family& f = table.family(s.family);
    if (f.type != MetricType::Gauge && f.type != MetricType::Untyped) continue;
    if (!isUpGauge(s.name())) continue;
    HealthComponent c;
    c.name = qs(s.key);
    c.path = QStringList{c.name};
    // Exporters write 1 for up; anything but 0 (NaN included) is not a "0".
    c.status = smp.value == 0.0 ? Status::Down : Status::Up;
    c.details = qs(s.name()) % QStringLiteral(" is ") % number(smp.value);
    add(std::move(c));
  }

  for (const MetricRule& rule : rules) {
    HealthComponent c;
    c.name = rule.name.isEmpty() ? rule.selector : rule.name;
    c.path = QStringList{c.name};
    std::string why;
    const std::string selectorText = rule.selector.toStdString();
    const auto sel = parseSelector(selectorText, &why);
    if (!sel) {
      c.status = Status::Degraded;
      c.details = QStringLiteral("invalid selector %1: %2").arg(rule.selector, qs(why));
      add(std::move(c));
      continue;
    }
    // PromQL anchors label regexes at both ends; compiled once per rule, not per series.
    std::vector<QRegularExpression> regexes;
    for (const SelectorMatcher& m : sel->matchers)
      regexes.emplace_back(m.op == SelectorMatcher::Op::Regex ||
                                   m.op == SelectorMatcher::Op::NotRegex
                               ? QStringLiteral("^(?:") % qs(m.value) % QStringLiteral(")$")
                               : QString());
    int matched = 0;
    int firing = 0;
    QString firstFiring;
    double firstValue = 0.0;
    for (const Sample& smp : page.samples) {
      const SeriesTable::Series& s = table.series(smp.series);
      if (s.name() != sel->metric) continue;
      bool all = true;
      for (std::size_t k = 0; k < sel->matchers.size(); ++k)
        if (!labelMatches(s, sel->matchers[k], regexes[k])) {
          all = false;
          break;
        }
      if (!all) continue;
      ++matched;
      if (!compare(smp.value, rule.comparison, rule.threshold)) {
        if (matched == 1) firstValue = smp.value;
        continue;
      }
      if (firing++ == 0) {
        firstFiring = qs(s.key);
        firstValue = smp.value;
      }
    }
    const QString condition = toString(rule.comparison) % QLatin1Char(' ') % number(rule.threshold);
    if (matched == 0) {
      c.status = Status::Degraded;
      c.details = QStringLiteral("no series matches ") % rule.selector;
    } else if (firing > 0) {
      c.status = severityOf(rule);
      c.details =
          firstFiring % QStringLiteral(" = ") % number(firstValue) % QLatin1Char(' ') % condition;
      if (firing > 1) c.details += QStringLiteral(" (+%1 more series)").arg(firing - 1);
    } else {
      c.status = Status::Up;
      c.details = matched == 1
                      ? QStringLiteral("%1 (alert when %2)").arg(number(firstValue), condition)
                      : QStringLiteral("%1 series, none %2").arg(matched).arg(condition);
    }
    add(std::move(c));
  }
  return doc;
}

MetricHealthResult metricHealth(std::string_view body, const QList<MetricRule>& rules) {
  MetricHealthResult r;
  SeriesTable table;
  ExpositionParser parser(table);
  ExpositionPage page;
  if (!parser.parse(body, page)) {
    r.error = QString::fromStdString(page.error->toString());
    return r;
  }
  r.samples = static_cast<std::uint32_t>(page.samples.size());
  r.document = metricHealth(page, table, rules);
  return r;
}

} // namespace healthdeck::client
