#pragma once
// Formats derived metric values for people: three significant figures at most, SI prefixes
// for counts and rates (1.2 k/s), binary prefixes for bytes (2.1 GiB), the closest time unit
// for durations (340 ms, 21 µs, 5.0 min), percent for ratios. NaN reads as an en dash.
// Pure functions; locale-independent (a '.' decimal point) so figures read alike in logs,
// screenshots and exported CSV.

#include "healthdeck/client/store/metric_profile.h"

#include <QString>

namespace healthdeck {

/// The value with its unit: "1.2 k/s", "340 ms", "2.1 GiB", "42 %", "–".
QString formatMetric(double value, client::MetricUnit unit);
/// The unit's short name for axis titles and CSV headers: "/s", "s", "B", "B/s", "%", "".
QString unitSuffix(client::MetricUnit unit);

} // namespace healthdeck
