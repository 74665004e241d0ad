#pragma once
// Formats derived metric values for people: three significant figures at most, SI prefixes
// for counts and rates (1.2 k/s), binary prefixes for bytes (2.1 GiB), the closest time unit
// for durations (340 ms, 21 µs, 5.0 min), percent for ratios. NaN reads as an en dash.
// Pure functions; locale-independent (a '.' decimal point) so figures read alike in logs,
// screenshots and exported CSV.

#include "healthdeck/client/store/metric_profile.h"

#include <QDateTime>
#include <QString>

#include <chrono>

namespace healthdeck {

/// The value with its unit: "1.2 k/s", "340 ms", "2.1 GiB", "42 %", "–".
QString formatMetric(double value, client::MetricUnit unit);
/// The unit's short name for axis titles and CSV headers: "/s", "s", "B", "B/s", "%", "".
QString unitSuffix(client::MetricUnit unit);

/// A duration as every other place words it (core/util/duration_text.h): "412 ms", "1.5 s".
QString durationText(std::chrono::nanoseconds d);
/// How long ago `at` was, seen from `now`: "14 s ago", "3 min ago"; empty when `at` is invalid.
QString agoText(const QDateTime& at, const QDateTime& now);

} // namespace healthdeck
