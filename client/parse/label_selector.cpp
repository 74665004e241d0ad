#include "healthdeck/client/parse/label_selector.h"

namespace healthdeck {

namespace {

bool isNameStart(QChar c) {
  return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
         (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
}
bool isNameChar(QChar c) {
  return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

} // namespace

QString promqlQuote(const QString& value) {
  QString out;
  out.reserve(value.size() + 2);
  out += QLatin1Char('"');
  for (const QChar c : value) {
    if (c == QLatin1Char('\\') || c == QLatin1Char('"')) {
      out += QLatin1Char('\\');
      out += c;
    } else if (c == QLatin1Char('\n')) {
      out += QLatin1String("\\n");
    } else {
      out += c;
    }
  }
  out += QLatin1Char('"');
  return out;
}

std::optional<LabelSelector> LabelSelector::parse(const QString& text, QString* error) {
  const auto failAt = [&](qsizetype at, const QString& why) -> std::optional<LabelSelector> {
    if (error) *error = QStringLiteral("offset %1: %2").arg(at).arg(why);
    return std::nullopt;
  };
  QString s = text.trimmed();
  qsizetype base = 0;
  while (base < text.size() && text.at(base).isSpace())
    ++base;
  if (s.startsWith(QLatin1Char('{'))) {
    if (!s.endsWith(QLatin1Char('}'))) return failAt(base + s.size(), QStringLiteral("missing }"));
    s = s.mid(1, s.size() - 2);
    ++base;
  }
  LabelSelector sel;
  qsizetype i = 0;
  const auto skipSpace = [&] {
    while (i < s.size() && s.at(i).isSpace())
      ++i;
  };
  skipSpace();
  while (i < s.size()) {
    Matcher m;
    if (!isNameStart(s.at(i))) return failAt(base + i, QStringLiteral("expected a label name"));
    const qsizetype nameStart = i;
    while (i < s.size() && isNameChar(s.at(i)))
      ++i;
    m.name = s.mid(nameStart, i - nameStart);
    skipSpace();
    const QStringView rest = QStringView(s).mid(i);
    if (rest.startsWith(QLatin1String("=~"))) {
      m.op = Op::Match;
      i += 2;
    } else if (rest.startsWith(QLatin1String("!~"))) {
      m.op = Op::NotMatch;
      i += 2;
    } else if (rest.startsWith(QLatin1String("!="))) {
      m.op = Op::NotEqual;
      i += 2;
    } else if (rest.startsWith(QLatin1Char('='))) {
      m.op = Op::Equal;
      i += 1;
    } else {
      return failAt(base + i, QStringLiteral("expected =, !=, =~ or !~ after %1").arg(m.name));
    }
    skipSpace();
    if (i >= s.size()) return failAt(base + i, QStringLiteral("expected a quoted value"));
    const QChar quote = s.at(i);
    if (quote != QLatin1Char('"') && quote != QLatin1Char('\'') && quote != QLatin1Char('`'))
      return failAt(base + i, QStringLiteral("expected a quoted value"));
    ++i;
    bool closed = false;
    while (i < s.size()) {
      const QChar c = s.at(i++);
      if (c == quote) {
        closed = true;
        break;
      }
      if (c == QLatin1Char('\\') && quote != QLatin1Char('`')) {
        if (i >= s.size()) break;
        const QChar e = s.at(i++);
        if (e == QLatin1Char('n'))
          m.value += QLatin1Char('\n');
        else if (e == QLatin1Char('t'))
          m.value += QLatin1Char('\t');
        else
          m.value += e;
        continue;
      }
      m.value += c;
    }
    if (!closed) return failAt(base + i, QStringLiteral("unterminated string"));
    if (m.op == Op::Match || m.op == Op::NotMatch) {
      m.regex = QRegularExpression(QRegularExpression::anchoredPattern(m.value),
                                   QRegularExpression::DotMatchesEverythingOption);
      if (!m.regex.isValid())
        return failAt(base + i,
                      QStringLiteral("bad regex for %1: %2").arg(m.name, m.regex.errorString()));
    }
    sel.m_matchers.push_back(std::move(m));
    skipSpace();
    if (i < s.size()) {
      if (s.at(i) != QLatin1Char(',')) return failAt(base + i, QStringLiteral("expected ,"));
      ++i;
      skipSpace();
    }
  }
  return sel;
}

bool LabelSelector::matches(const LabelSet& labels) const {
  for (const auto& m : m_matchers) {
    const QString v = labels.value(m.name);
    bool ok = true;
    switch (m.op) {
    case Op::Equal: ok = v == m.value; break;
    case Op::NotEqual: ok = v != m.value; break;
    case Op::Match: ok = m.regex.match(v).hasMatch(); break;
    case Op::NotMatch: ok = !m.regex.match(v).hasMatch(); break;
    }
    if (!ok) return false;
  }
  return true;
}

QString LabelSelector::toPromQL() const {
  QStringList parts;
  for (const auto& m : m_matchers) {
    const char* op = m.op == Op::Equal      ? "="
                     : m.op == Op::NotEqual ? "!="
                     : m.op == Op::Match    ? "=~"
                                            : "!~";
    parts << m.name + QLatin1String(op) + promqlQuote(m.value);
  }
  return parts.join(QLatin1Char(','));
}

} // namespace healthdeck
