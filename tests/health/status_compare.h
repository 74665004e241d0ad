#pragma once
// QCOMPARE for Status and Probe. healthdeck::toString(Status) returns a string_view, and ADL
// prefers it over QTest::toString, so a plain QCOMPARE on these enums does not compile; this
// compares their names instead, which also gives readable failure messages.

#include "healthdeck/health/status.h"

#include <QString>

namespace healthdeck::testing {

inline QString statusText(Status s) {
  const std::string_view v = toString(s);
  return QString::fromLatin1(v.data(), qsizetype(v.size()));
}
inline QString statusText(Probe p) {
  const std::string_view v = toString(p);
  return QString::fromLatin1(v.data(), qsizetype(v.size()));
}

} // namespace healthdeck::testing

#define QCOMPARE_STATUS(actual, expected)                                                          \
  QCOMPARE(::healthdeck::testing::statusText(actual), ::healthdeck::testing::statusText(expected))
