#include "healthdeck/client/target_snapshot.h"

namespace healthdeck {

QString toString(TargetState s) {
  switch (s) {
  case TargetState::Up: return QStringLiteral("up");
  case TargetState::Degraded: return QStringLiteral("degraded");
  case TargetState::Down: return QStringLiteral("down");
  case TargetState::Unreachable: return QStringLiteral("unreachable");
  case TargetState::Unauthorized: return QStringLiteral("unauthorized");
  case TargetState::Disabled: return QStringLiteral("disabled");
  case TargetState::Unknown: return QStringLiteral("unknown");
  }
  return QStringLiteral("unknown");
}

std::optional<TargetState> targetStateFromString(const QString& s) {
  for (auto st :
       {TargetState::Up, TargetState::Degraded, TargetState::Down, TargetState::Unreachable,
        TargetState::Unauthorized, TargetState::Disabled, TargetState::Unknown}) {
    if (toString(st) == s) return st;
  }
  return std::nullopt;
}

QString toString(HealthDialect d) {
  switch (d) {
  case HealthDialect::None: return QStringLiteral("none");
  case HealthDialect::Healthdeck: return QStringLiteral("healthdeck");
  case HealthDialect::IetfHealthJson: return QStringLiteral("ietf-health+json");
  case HealthDialect::SpringBoot: return QStringLiteral("spring-boot");
  case HealthDialect::AspNetText: return QStringLiteral("aspnet-text");
  case HealthDialect::AspNetJson: return QStringLiteral("aspnet-json");
  case HealthDialect::KubernetesText: return QStringLiteral("kubernetes-text");
  case HealthDialect::StatusCode: return QStringLiteral("status-code");
  case HealthDialect::PlainText: return QStringLiteral("plain-text");
  case HealthDialect::Etcd: return QStringLiteral("etcd");
  case HealthDialect::MicroProfile: return QStringLiteral("microprofile-health");
  case HealthDialect::Elasticsearch: return QStringLiteral("elasticsearch-cluster-health");
  case HealthDialect::JsonStatus: return QStringLiteral("json-status");
  case HealthDialect::Metrics: return QStringLiteral("metrics");
  }
  return QStringLiteral("none");
}

QString toString(PollError e) {
  switch (e) {
  case PollError::None: return QStringLiteral("none");
  case PollError::ConnectionRefused: return QStringLiteral("connection-refused");
  case PollError::HostNotFound: return QStringLiteral("host-not-found");
  case PollError::Timeout: return QStringLiteral("timeout");
  case PollError::ConnectionReset: return QStringLiteral("connection-reset");
  case PollError::TlsFailure: return QStringLiteral("tls-failure");
  case PollError::TooManyRedirects: return QStringLiteral("too-many-redirects");
  case PollError::InsecureRedirect: return QStringLiteral("insecure-redirect");
  case PollError::ResponseTooLarge: return QStringLiteral("response-too-large");
  case PollError::HttpStatus: return QStringLiteral("http-status");
  case PollError::NotUnderstood: return QStringLiteral("not-understood");
  case PollError::CredentialsUnavailable: return QStringLiteral("credentials-unavailable");
  case PollError::Network: return QStringLiteral("network");
  case PollError::LoginRedirect: return QStringLiteral("login-redirect");
  case PollError::BodyMismatch: return QStringLiteral("body-mismatch");
  }
  return QStringLiteral("network");
}

int severity(TargetState s) noexcept {
  switch (s) {
  case TargetState::Up: return 0;
  case TargetState::Disabled: return 1;
  case TargetState::Unknown: return 2;
  case TargetState::Degraded: return 3;
  case TargetState::Unauthorized: return 4;
  case TargetState::Unreachable: return 5;
  case TargetState::Down: return 6;
  }
  return 6;
}

} // namespace healthdeck
