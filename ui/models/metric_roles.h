#pragma once
// Item-data roles of the metrics models (after the shared ones of ui/models/item_roles.h, so a
// view can mix both). Every metrics model documents which of these it answers.

#include "healthdeck/ui/models/item_roles.h"

namespace healthdeck {

enum MetricRole : int {
  MetricIdRole = Qt::UserRole + 64, ///< QString: key metric id, or a series' exposed key
  MetricValueRole,                  ///< double: raw value in base units (NaN: none)
  MetricUnitRole,                   ///< int: client::MetricUnit
  SparklineRole,                    ///< QList<double>: recent values, oldest first, NaN gaps
  PinnedRole,                       ///< bool: pinned by the user
  SeriesKeyRole,                    ///< QString: `name{labels}` of a series row (pin key)
  FamilyTypeRole,                   ///< int: client::MetricType of the family
  CardinalityRole,                  ///< int: series of a family on the latest page
  MetricStaleRole, ///< bool: the value is the last good scrape's, not current (the latest fetch
                   ///< failed)
};

} // namespace healthdeck
