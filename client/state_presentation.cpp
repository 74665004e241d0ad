#include "healthdeck/client/state_presentation.h"

namespace healthdeck {

namespace {

QString statusWord(Status s) {
  return QString::fromLatin1(toString(s).data(), static_cast<qsizetype>(toString(s).size()));
}

/// "redis degraded: answers slowly" for the worst component, "+ N more" for the rest.
QString worstComponents(const HealthDocument& doc, Status atLeast) {
  const HealthComponent* worst = nullptr;
  int count = 0;
  for (const auto& c : doc.components) {
    // Parents of nested components repeat their children's status; count leaves only.
    if (c.status < atLeast) continue;
    bool isParent = false;
    for (const auto& other : doc.components) {
      if (other.path.size() > c.path.size() && other.path.mid(0, c.path.size()) == c.path &&
          other.status >= atLeast) {
        isParent = true;
        break;
      }
    }
    if (isParent) continue;
    ++count;
    if (!worst || c.status > worst->status) worst = &c;
  }
  if (!worst) return {};
  QString s = worst->path.join(QLatin1Char('/')) % QLatin1Char(' ') % statusWord(worst->status);
  if (!worst->details.isEmpty()) s += QStringLiteral(": ") % worst->details;
  if (count > 1) s += QStringLiteral(" (+%1 more)").arg(count - 1);
  return s;
}

} // namespace

StatePresentation presentation(TargetState state) {
  switch (state) {
  case TargetState::Up:
    return {ColorRole::Good,
            QStringLiteral("state-up"),
            QStringLiteral("Up"),
            QStringLiteral("All components up"),
            {},
            {}};
  case TargetState::Degraded:
    return {ColorRole::Warning,
            QStringLiteral("state-degraded"),
            QStringLiteral("Degraded"),
            QStringLiteral("The server reports degraded"),
            {},
            {}};
  case TargetState::Down:
    return {ColorRole::Critical,
            QStringLiteral("state-down"),
            QStringLiteral("Down"),
            QStringLiteral("The server reports down"),
            {},
            {}};
  case TargetState::Unreachable:
    return {ColorRole::Critical,
            QStringLiteral("state-unreachable"),
            QStringLiteral("Unreachable"),
            QStringLiteral("The server cannot be reached"),
            {},
            {}};
  case TargetState::Unauthorized:
    return {ColorRole::Attention,
            QStringLiteral("state-unauthorized"),
            QStringLiteral("Unauthorized"),
            QStringLiteral("Credentials missing or refused"),
            {},
            QStringLiteral("Set credentials"),
            StateAction::SetCredentials};
  case TargetState::Disabled:
    return {ColorRole::Neutral,
            QStringLiteral("state-disabled"),
            QStringLiteral("Disabled"),
            QStringLiteral("Monitoring disabled on this server"),
            QString::fromLatin1(kEnableMonitoringDocs),
            QStringLiteral("How to enable"),
            StateAction::HowToEnable};
  case TargetState::Unknown:
    return {ColorRole::Neutral,
            QStringLiteral("state-unknown"),
            QStringLiteral("Unknown"),
            QStringLiteral("Waiting for the first poll"),
            {},
            {}};
  }
  return presentation(TargetState::Unknown);
}

StatePresentation flappingPresentation() {
  return {ColorRole::Warning,
          QStringLiteral("state-flapping"),
          QStringLiteral("Flapping"),
          QStringLiteral("Changing state repeatedly"),
          {},
          {}};
}

StatePresentation presentation(const TargetSnapshot& snapshot) {
  return snapshot.flapping ? flappingPresentation() : presentation(snapshot.state);
}

QString describe(const TargetSnapshot& s) {
  const HealthDocument* doc = s.primaryDocument();
  // Health from metrics: a metrics-only target's document is its page's up gauges and rules.
  if (!doc && s.metricsHealth) doc = &*s.metricsHealth;
  const QString http =
      s.httpStatus > 0 ? QStringLiteral(" (HTTP %1)").arg(s.httpStatus) : QString();
  switch (s.state) {
  case TargetState::Up: {
    if (doc && doc->dialect == HealthDialect::Metrics && doc->components.empty())
      return QStringLiteral("Up: /metrics answers (no up gauges on the page)");
    if (!doc || doc->components.empty()) {
      if (doc && doc->detailsHidden) return QStringLiteral("Up (the server hides its components)");
      if (doc && doc->dialect != HealthDialect::StatusCode &&
          doc->dialect != HealthDialect::AspNetText)
        return QStringLiteral("Up (no components reported)");
      return QStringLiteral("Up") % http;
    }
    const auto n = doc->components.size();
    return n == 1 ? QStringLiteral("The one component is up")
                  : QStringLiteral("All %1 components up").arg(n);
  }
  case TargetState::Degraded:
  case TargetState::Down: {
    const Status want = s.state == TargetState::Down ? Status::Down : Status::Degraded;
    const auto worstOf = [want](const HealthDocument& d) {
      QString worst = worstComponents(d, want);
      if (worst.isEmpty() && want == Status::Down) worst = worstComponents(d, Status::Degraded);
      return worst;
    };
    if (doc) {
      const QString worst = worstOf(*doc);
      if (!worst.isEmpty()) return worst;
    }
    // Health from metrics: an up gauge at 0 or a firing rule under a healthy health route.
    if (s.metricsHealth && doc != &*s.metricsHealth) {
      const QString worst = worstOf(*s.metricsHealth);
      if (!worst.isEmpty()) return worst % QStringLiteral(" (metrics)");
    }
    // Readiness all up but liveness not: the liveness document holds the reason.
    if (s.readiness && s.liveness && doc == &*s.readiness) {
      const QString worst = worstOf(*s.liveness);
      if (!worst.isEmpty()) return worst % QStringLiteral(" (liveness)");
    }
    QString sentence = presentation(s.state).genericSentence % http;
    if (!s.rawFirstLine.isEmpty()) sentence += QStringLiteral(": ") % s.rawFirstLine;
    return sentence;
  }
  case TargetState::Unreachable:
    if (!s.errorDetail.isEmpty()) return s.errorDetail;
    return presentation(s.state).genericSentence;
  case TargetState::Unauthorized:
    if (s.error == PollError::CredentialsUnavailable)
      return QStringLiteral("Credentials could not be read: ") % s.errorDetail;
    return QStringLiteral("Credentials missing or refused") % http;
  case TargetState::Disabled:
    if (s.httpStatus == 0) return QStringLiteral("Polling is switched off for this server");
    return QStringLiteral("Monitoring disabled on this server") % http;
  case TargetState::Unknown:
    if (s.error == PollError::NotUnderstood) {
      QString sentence = QStringLiteral("Answer not understood") % http;
      if (!s.rawFirstLine.isEmpty()) sentence += QStringLiteral(": ") % s.rawFirstLine;
      return sentence;
    }
    if (s.error == PollError::HttpStatus) return QStringLiteral("Unexpected answer") % http;
    return presentation(s.state).genericSentence;
  }
  return presentation(s.state).genericSentence;
}

} // namespace healthdeck
