#pragma once
// Healthdeck /metrics pages in the exporter's layout, for the metrics tests: the standard
// families with values the tests control, so derivations can be checked against numbers
// computed by hand.

#include <QByteArray>

#include <cstdint>
#include <string>

namespace healthdeck::test {

struct HealthdeckPageValues {
  double sessions = 128;
  double authSuccess = 100;
  double authFailure = 10;
  double bucket01 = 0; // cumulative http_request_duration_seconds buckets
  double bucket05 = 0;
  double bucketInf = 0;
  double launchSshOk = 5;
  double launchSshFail = 1;
  double launchRdpFail = 2;
  double jobA = 0; // maintenance_job_last_success_timestamp_seconds
  double jobB = 0;
  double exporterScrapes = 10;
  double exporterLast = 0;
  double realtime = 3;
};

/// The page, every family name prefixed with `ns` (e.g. "app_").
std::string healthdeckPage(const HealthdeckPageValues& v, const std::string& ns = {});
inline QByteArray healthdeckBody(const HealthdeckPageValues& v, const std::string& ns = {}) {
  const std::string s = healthdeckPage(v, ns);
  return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace healthdeck::test
