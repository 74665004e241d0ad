#include "healthdeck/client/state_presentation.h"

#include <algorithm>

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

StatePresentation stalePresentation() {
  return {ColorRole::Neutral,
          QStringLiteral("state-stale"),
          QStringLiteral("Stale"),
          QStringLiteral("No recent answer"),
          {},
          {}};
}

StatePresentation maintenancePresentation() {
  return {ColorRole::Neutral,
          QStringLiteral("state-maintenance"),
          QStringLiteral("Maintenance"),
          QStringLiteral("In a maintenance window"),
          {},
          {}};
}

QString ageText(qint64 seconds) {
  if (seconds < 5) return QStringLiteral("just now");
  if (seconds < 60) return QStringLiteral("%1 s ago").arg(seconds);
  if (seconds < 3600) return QStringLiteral("%1 min ago").arg(seconds / 60);
  if (seconds < 48 * 3600) return QStringLiteral("%1 h ago").arg(seconds / 3600);
  return QStringLiteral("%1 d ago").arg(seconds / 86400);
}

QString describeStale(const TargetSnapshot& last, const QDateTime& now) {
  const QString word = last.flapping ? flappingPresentation().word.toLower()
                                     : presentation(last.state).word.toLower();
  if (!last.polledAt.isValid()) return word % QStringLiteral(" — no answer yet");
  return word % QStringLiteral(", ") % ageText(std::max<qint64>(0, last.polledAt.secsTo(now))) %
         QStringLiteral(" — no answer since");
}

StatePresentation presentation(const TargetSnapshot& snapshot) {
  return snapshot.flapping ? flappingPresentation() : presentation(snapshot.state);
}

QString describe(const TargetSnapshot& s) {
  const HealthDocument* doc = s.primaryDocument();
  const QString http =
      s.httpStatus > 0 ? QStringLiteral(" (HTTP %1)").arg(s.httpStatus) : QString();
  switch (s.state) {
  case TargetState::Up: {
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
