#pragma once
// The series both scrape servers register, so their pages carry the same samples: `families`
// gauge families of `perFamily` series each, two labels per series, values that change.

#include <string>

namespace healthdeck::bench {

struct SeriesShape {
  int families = 10;
  int perFamily = 1000;
};

inline std::string familyName(int f) {
  return "bench_family_" + std::to_string(f) + "_value";
}
inline std::string instanceLabel(int s) {
  return "instance-" + std::to_string(s % 97);
}
inline std::string seriesLabel(int s) {
  return "series_" + std::to_string(s);
}
inline double seriesValue(int f, int s) {
  return f * 1000.5 + s * 0.25;
}

/// "--series N" → N series spread over families of at most 1000.
inline SeriesShape shapeFor(int total) {
  SeriesShape shape;
  shape.perFamily = total < 1000 ? total : 1000;
  shape.families = shape.perFamily > 0 ? (total + shape.perFamily - 1) / shape.perFamily : 0;
  return shape;
}

} // namespace healthdeck::bench
