#include "metrics_pages.h"

#include <cstdio>

namespace healthdeck::test {

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

} // namespace

std::string healthdeckPage(const HealthdeckPageValues& v, const std::string& ns) {
  std::string p;
  const auto family = [&](const char* name, const char* type, const char* help) {
    p += "# HELP " + ns + name + " " + help + "\n# TYPE " + ns + name + " " + type + "\n";
  };
  const auto sample = [&](const std::string& series, double value) {
    p += ns + series + " " + num(value) + "\n";
  };
  family("sessions_active", "gauge", "Sessions currently open.");
  sample("sessions_active", v.sessions);
  family("auth_attempts_total", "counter", "Authentication attempts.");
  sample("auth_attempts_total{result=\"success\"}", v.authSuccess);
  sample("auth_attempts_total{result=\"failure\"}", v.authFailure);
  family("http_request_duration_seconds", "histogram", "Request latency.");
  const std::string l = "method=\"GET\",route=\"/api/items\",status=\"200\"";
  sample("http_request_duration_seconds_bucket{" + l + ",le=\"0.1\"}", v.bucket01);
  sample("http_request_duration_seconds_bucket{" + l + ",le=\"0.5\"}", v.bucket05);
  sample("http_request_duration_seconds_bucket{" + l + ",le=\"+Inf\"}", v.bucketInf);
  sample("http_request_duration_seconds_sum{" + l + "}", v.bucketInf * 0.2);
  sample("http_request_duration_seconds_count{" + l + "}", v.bucketInf);
  family("connection_launches_total", "counter", "Remote connection launches.");
  sample("connection_launches_total{protocol=\"ssh\",result=\"success\"}", v.launchSshOk);
  sample("connection_launches_total{protocol=\"ssh\",result=\"failure\"}", v.launchSshFail);
  sample("connection_launches_total{protocol=\"rdp\",result=\"failure\"}", v.launchRdpFail);
  family("realtime_connections_active", "gauge", "Realtime connections open.");
  sample("realtime_connections_active", v.realtime);
  family("realtime_queue_dropped_total", "counter", "Messages dropped.");
  sample("realtime_queue_dropped_total{stream=\"events\"}", 0);
  family("maintenance_job_last_success_timestamp_seconds", "gauge", "Last success.");
  sample("maintenance_job_last_success_timestamp_seconds{job=\"cleanup\"}", v.jobA);
  sample("maintenance_job_last_success_timestamp_seconds{job=\"rotate\"}", v.jobB);
  sample("maintenance_job_last_success_timestamp_seconds{job=\"never\"}", 0);
  family("exporter_scrapes_total", "counter", "Scrapes served.");
  sample("exporter_scrapes_total", v.exporterScrapes);
  family("exporter_last_scrape_timestamp_seconds", "gauge", "Unix time of the last scrape.");
  sample("exporter_last_scrape_timestamp_seconds", v.exporterLast);
  return p;
}

} // namespace healthdeck::test
