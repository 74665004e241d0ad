#pragma once
// LabelSelector: the label filter of a Prometheus source, written like the matchers of a
// PromQL series selector: `job=~"api|db", env!="test"` (braces optional). It is used twice —
// embedded in every query the source sends (so Prometheus filters series) and evaluated
// locally on /api/v1/targets (which has no label filter of its own) — so both sides pick the
// same targets. Regexes are fully anchored, as in PromQL (RE2 syntax; the subset that
// QRegularExpression reads the same way). A label that is absent matches as the empty string.
// Spec: https://prometheus.io/docs/prometheus/latest/querying/basics/#time-series-selectors
// Value type; parse() is pure and thread-safe; matches() is const and thread-safe.

#include "healthdeck/client/parse/prometheus_api_parser.h"

#include <QRegularExpression>
#include <QString>

#include <optional>
#include <vector>

namespace healthdeck {

class LabelSelector {
public:
  enum class Op : std::uint8_t { Equal, NotEqual, Match, NotMatch };
  struct Matcher {
    QString name;
    Op op = Op::Equal;
    QString value;
    QRegularExpression regex; ///< for Match/NotMatch
  };

  /// Parses `text`; nullopt with `error` set ("offset 7: expected =, !=, =~ or !~").
  /// Empty text (or "{}") is the selector that matches everything.
  static std::optional<LabelSelector> parse(const QString& text, QString* error = nullptr);

  bool matches(const LabelSet& labels) const;
  bool isEmpty() const { return m_matchers.empty(); }
  const std::vector<Matcher>& matchers() const { return m_matchers; }
  /// The matchers in canonical PromQL form without braces (`job=~"api|db",env!="test"`),
  /// ready to be placed inside `metric{…}`; empty for the empty selector.
  QString toPromQL() const;

private:
  std::vector<Matcher> m_matchers;
};

/// `value` as a PromQL double-quoted string literal (backslash, quote and newline escaped).
QString promqlQuote(const QString& value);

} // namespace healthdeck
