#include "healthdeck/client/format/unit_format.h"

#include "healthdeck/util/duration_text.h"

#include <QLocale>

#include <cmath>

namespace healthdeck {

namespace {

// "1.2", "12", "340": one decimal below 10, none above; integers stay integers.
QString number(double v) {
  const double a = std::fabs(v);
  int decimals = 0;
  if (a == 0.0 || a >= 10.0)
    decimals = 0;
  else if (a >= 1.0)
    decimals = 1;
  else if (a >= 0.1)
    decimals = 2;
  else
    decimals = 3;
  QString s = QLocale::c().toString(v, 'f', decimals);
  if (decimals > 0) {
    while (s.endsWith(QLatin1Char('0')))
      s.chop(1);
    if (s.endsWith(QLatin1Char('.'))) s.chop(1);
  }
  if (s == QLatin1String("-0")) s = QStringLiteral("0");
  return s;
}

// Scales by 1000 (or 1024) steps; "k" after the number for SI, "Ki" + unit for IEC.
QString scaled(double v, double step, const QStringList& prefixes, const QString& unit,
               bool space) {
  int i = 0;
  double a = std::fabs(v);
  while (a >= step * 0.9995 && i + 1 < prefixes.size()) {
    v /= step;
    a /= step;
    ++i;
  }
  // 999.96 rounds to "1000"; show it as 1 of the next prefix instead.
  if (std::fabs(v) >= 999.5 && i + 1 < prefixes.size()) {
    v /= step;
    ++i;
  }
  const QString p = prefixes.at(i);
  const QString u = p % unit;
  if (u.isEmpty()) return number(v);
  return number(v) % (space || !p.isEmpty() ? QStringLiteral(" ") : QString()) % u;
}

QString duration(double s) {
  const double a = std::fabs(s);
  if (a == 0.0) return QStringLiteral("0 s");
  if (a < 1e-6) return number(s * 1e9) % QStringLiteral(" ns");
  if (a < 1e-3) return number(s * 1e6) % QStringLiteral(" µs");
  if (a < 0.9995) return number(s * 1e3) % QStringLiteral(" ms");
  if (a < 60) return number(s) % QStringLiteral(" s");
  if (a < 3600) return number(s / 60) % QStringLiteral(" min");
  if (a < 86400) return number(s / 3600) % QStringLiteral(" h");
  return number(s / 86400) % QStringLiteral(" d");
}

} // namespace

QString formatMetric(double value, client::MetricUnit unit) {
  using client::MetricUnit;
  if (std::isnan(value)) return QStringLiteral("–");
  if (std::isinf(value)) return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
  static const QStringList si = {QString(),           QStringLiteral("k"), QStringLiteral("M"),
                                 QStringLiteral("G"), QStringLiteral("T"), QStringLiteral("P")};
  static const QStringList iec = {QString(),
                                  QStringLiteral("Ki"),
                                  QStringLiteral("Mi"),
                                  QStringLiteral("Gi"),
                                  QStringLiteral("Ti"),
                                  QStringLiteral("Pi")};
  switch (unit) {
  case MetricUnit::Count: return scaled(value, 1000.0, si, QString(), false);
  case MetricUnit::PerSecond: {
    const QString n = scaled(value, 1000.0, si, QString(), false);
    return n % QStringLiteral("/s");
  }
  case MetricUnit::Seconds: return duration(value);
  case MetricUnit::Bytes: return scaled(value, 1024.0, iec, QStringLiteral("B"), true);
  case MetricUnit::BytesPerSecond: return scaled(value, 1024.0, iec, QStringLiteral("B/s"), true);
  case MetricUnit::Ratio: return number(value * 100.0) % QStringLiteral(" %");
  }
  return number(value);
}

QString unitSuffix(client::MetricUnit unit) {
  using client::MetricUnit;
  switch (unit) {
  case MetricUnit::Count: return {};
  case MetricUnit::PerSecond: return QStringLiteral("/s");
  case MetricUnit::Seconds: return QStringLiteral("s");
  case MetricUnit::Bytes: return QStringLiteral("B");
  case MetricUnit::BytesPerSecond: return QStringLiteral("B/s");
  case MetricUnit::Ratio: return QStringLiteral("%");
  }
  return {};
}

QString durationText(std::chrono::nanoseconds d) {
  return QString::fromStdString(formatLatency(d));
}

QString agoText(const QDateTime& at, const QDateTime& now) {
  if (!at.isValid()) return {};
  return QString::fromStdString(formatAgo(std::chrono::milliseconds(at.msecsTo(now))));
}

} // namespace healthdeck
