#include "fixture_snapshots.h"

#include "healthdeck/client/state_presentation.h"

namespace healthdeck::testing {

namespace {

TargetConfig target(const char* id, const char* group, const char* url) {
  TargetConfig t;
  t.id = QString::fromLatin1(id);
  t.name = t.id;
  t.group = QString::fromLatin1(group);
  t.baseUrl = QUrl(QString::fromLatin1(url));
  return t;
}

HealthComponent component(const char* name, Status s, const char* details, qint64 ns) {
  HealthComponent c;
  c.name = QString::fromLatin1(name);
  c.path = {c.name};
  c.status = s;
  c.details = QString::fromUtf8(details);
  c.duration = std::chrono::nanoseconds(ns);
  return c;
}

HealthDocument doc(Status overall, std::vector<HealthComponent> components) {
  HealthDocument d;
  d.overall = overall;
  d.components = std::move(components);
  d.dialect = HealthDialect::Healthdeck;
  return d;
}

} // namespace

QList<TargetConfig> fixtureTargets() {
  return {target("gateway-eu-1", "Production", "https://gw-eu-1.example.net:9797"),
          target("gateway-eu-2", "Production", "https://gw-eu-2.example.net:9797"),
          target("gateway-us-1", "Production", "https://gw-us-1.example.net:9797"),
          target("stage-1", "Staging", "http://stage-1.example.net:9797"),
          target("stage-2", "Staging", "http://stage-2.example.net:9797"),
          target("stage-3", "Staging", "http://stage-3.example.net:9797"),
          target("edge-1", "Edge", "http://edge-1.example.net:9797"),
          target("edge-2", "Edge", "http://edge-2.example.net:9797"),
          target("localhost", "This host", "http://127.0.0.1:9797")};
}

QList<TargetSnapshot> fixtureSnapshots(const QDateTime& at) {
  const auto snap = [&](const char* id, TargetState st, int latencyMs) {
    TargetSnapshot s;
    s.targetId = QString::fromLatin1(id);
    s.state = st;
    s.polledAt = at;
    s.latency = std::chrono::milliseconds(latencyMs);
    s.httpStatus = 200;
    return s;
  };
  auto eu1 = snap("gateway-eu-1", TargetState::Degraded, 38);
  eu1.readiness =
      doc(Status::Degraded,
          {component("database", Status::Up, "SELECT 1", 1'800'000),
           component("redis", Status::Degraded, "answers slowly (412 ms > 250 ms)", 412'000'000),
           component("maintenance", Status::Up, "last run 4 min ago", 21'000)});
  eu1.liveness = doc(Status::Up, {component("process", Status::Up, "responsive", 100'000),
                                  component("event loop", Status::Up, "lag 0.2 ms", 200'000)});
  auto eu2 = snap("gateway-eu-2", TargetState::Up, 12);
  eu2.readiness = doc(Status::Up, {component("database", Status::Up, "SELECT 1", 1'200'000)});
  eu2.liveness = doc(Status::Up, {component("process", Status::Up, "responsive", 90'000)});
  auto us1 = snap("gateway-us-1", TargetState::Down, 25);
  us1.httpStatus = 503;
  us1.readiness =
      doc(Status::Down, {component("database", Status::Down, "connection refused", 2'000'000)});
  auto s1 = snap("stage-1", TargetState::Disabled, 4);
  s1.httpStatus = 404;
  s1.error = PollError::HttpStatus;
  auto s2 = snap("stage-2", TargetState::Unauthorized, 5);
  s2.httpStatus = 401;
  s2.error = PollError::HttpStatus;
  auto s3 = snap("stage-3", TargetState::Unreachable, 5000);
  s3.httpStatus = 0;
  s3.error = PollError::Timeout;
  auto e1 = snap("edge-1", TargetState::Down, 30);
  e1.flapping = true;
  auto lh = snap("localhost", TargetState::Up, 2);
  lh.liveness =
      doc(Status::Up, {component("process", Status::Up, "exporter worker responsive", 30'000)});
  lh.readiness = doc(Status::Up, {component("disk", Status::Up, "41% free on /", 50'000)});
  QList<TargetSnapshot> out{eu1, eu2, us1, s1, s2, s3, e1, lh};
  for (auto& s : out)
    s.sentence = describe(s);
  out[6].sentence = QStringLiteral("Changed state 6 times in 10 min");
  return out;
}

} // namespace healthdeck::testing
