#include "healthdeck/client/state_presentation.h"

#include <QFileInfo>
#include <QUrl>
#include <algorithm>

namespace healthdeck {

namespace {

QString statusWord(Status s) {
  return QString::fromLatin1(toString(s).data(), static_cast<qsizetype>(toString(s).size()));
}

QString componentWord(const HealthComponent& c) {
  return c.statusWord.isEmpty() ? statusWord(c.status) : c.statusWord;
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
  QString s = worst->path.join(QLatin1Char('/')) % QLatin1Char(' ') % componentWord(*worst);
  if (!worst->details.isEmpty()) s += QStringLiteral(": ") % worst->details;
  if (count > 1) s += QStringLiteral(" (+%1 more)").arg(count - 1);
  return s;
}

} // namespace

QString enableMonitoringHelpUrl() {
  const QString relative = QString::fromLatin1(kEnableMonitoringDocs);
  const qsizetype hash = relative.indexOf(QLatin1Char('#'));
  // docs/operations/... in the tree is <doc dir>/operations/... once installed.
  const QString file = relative.left(hash).mid(QStringLiteral("docs/").size());
  const QString installed = QStringLiteral(HEALTHDECK_DOC_DIR "/") % file;
  if (QFileInfo::exists(installed)) {
    QUrl url = QUrl::fromLocalFile(installed);
    url.setFragment(relative.mid(hash + 1));
    return url.toString();
  }
  return QString::fromLatin1(kProjectDocsBase) % relative;
}

QString httpReasonPhrase(int status) {
  switch (status) {
  case 200: return QStringLiteral("OK");
  case 204: return QStringLiteral("No Content");
  case 301: return QStringLiteral("Moved Permanently");
  case 302: return QStringLiteral("Found");
  case 303: return QStringLiteral("See Other");
  case 307: return QStringLiteral("Temporary Redirect");
  case 308: return QStringLiteral("Permanent Redirect");
  case 400: return QStringLiteral("Bad Request");
  case 401: return QStringLiteral("Unauthorized");
  case 403: return QStringLiteral("Forbidden");
  case 404: return QStringLiteral("Not Found");
  case 405: return QStringLiteral("Method Not Allowed");
  case 408: return QStringLiteral("Request Timeout");
  case 429: return QStringLiteral("Too Many Requests");
  case 500: return QStringLiteral("Internal Server Error");
  case 501: return QStringLiteral("Not Implemented");
  case 502: return QStringLiteral("Bad Gateway");
  case 503: return QStringLiteral("Service Unavailable");
  case 504: return QStringLiteral("Gateway Timeout");
  default: return {};
  }
}

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
    return {ColorRole::Neutral,         QStringLiteral("state-disabled"),
            QStringLiteral("Disabled"), QStringLiteral("Monitoring disabled on this server"),
            enableMonitoringHelpUrl(),  QStringLiteral("How to enable"),
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

QString notFoundWord() {
  return QStringLiteral("Not found");
}

bool isNotFound(const TargetSnapshot& snapshot) {
  return snapshot.state == TargetState::Disabled && snapshot.httpStatus == 404 &&
         !snapshot.monitoringModuleKnown;
}

StatePresentation presentation(const TargetSnapshot& snapshot) {
  if (snapshot.flapping) return flappingPresentation();
  StatePresentation p = presentation(snapshot.state);
  if (snapshot.state == TargetState::Disabled && snapshot.httpStatus == 0) {
    // Not polled (switched off, or the embedded exporter is off): nothing to enable there.
    p.genericSentence = QStringLiteral("Polling is switched off for this server");
    p.helpLink.clear();
    p.actionLabel.clear();
  } else if (isNotFound(snapshot)) {
    // A wrong path, or a server that never ran the module: no "how to enable" advice, and the
    // badge says what happened (the state stays Disabled: neither up nor down).
    p.word = notFoundWord();
    p.genericSentence = QStringLiteral("Not found");
    p.helpLink.clear();
    p.actionLabel.clear();
    p.action = StateAction::None;
  }
  return p;
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
    if (doc && doc->components.empty() && !doc->detail.isEmpty())
      return QStringLiteral("Up: ") % doc->detail;
    if (!doc || doc->components.empty()) {
      if (doc && doc->detailsHidden) return QStringLiteral("Up (the server hides its components)");
      if (doc && doc->dialect != HealthDialect::StatusCode &&
          doc->dialect != HealthDialect::AspNetText && doc->dialect != HealthDialect::PlainText)
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
    if (s.error == PollError::BodyMismatch) return s.errorDetail;
    // The server's own word when it says more than "down" ("The server reports OUT_OF_SERVICE").
    QString sentence = doc && !doc->statusWord.isEmpty()
                           ? QString(QStringLiteral("The server reports ") % doc->statusWord)
                           : presentation(s.state).genericSentence;
    sentence += http;
    if (doc && s.httpStatus >= 500 &&
        (doc->dialect == HealthDialect::StatusCode || doc->dialect == HealthDialect::PlainText)) {
      // "HTTP 502 Bad Gateway", and the page's own title when it says more than that.
      sentence = QStringLiteral("HTTP %1").arg(s.httpStatus);
      const QString reason = httpReasonPhrase(s.httpStatus);
      if (!reason.isEmpty()) sentence += QLatin1Char(' ') % reason;
    }
    QString said = doc && !doc->detail.isEmpty() ? doc->detail : s.rawFirstLine;
    if (!said.isEmpty() && !sentence.contains(said) &&
        said != QStringLiteral("%1 %2").arg(s.httpStatus).arg(httpReasonPhrase(s.httpStatus)))
      sentence += QStringLiteral(": ") % said;
    return sentence;
  }
  case TargetState::Unreachable:
    if (!s.errorDetail.isEmpty()) return s.errorDetail;
    return presentation(s.state).genericSentence;
  case TargetState::Unauthorized: {
    if (s.error == PollError::CredentialsUnavailable)
      return QStringLiteral("Credentials could not be read: ") % s.errorDetail;
    if (s.error == PollError::LoginRedirect) return s.errorDetail;
    // What the server said: its realm and the first line of its answer ("CSRF Error").
    QString sentence = QStringLiteral("Credentials missing or refused");
    if (s.httpStatus > 0 && !s.authRealm.isEmpty())
      sentence += QStringLiteral(" (HTTP %1, realm \"%2\")").arg(s.httpStatus).arg(s.authRealm);
    else
      sentence += http;
    // The answer's own words, without a repeat of the status line ("401 Unauthorized: ...").
    const QString reason = httpReasonPhrase(s.httpStatus);
    const QString statusLine = QStringLiteral("%1 %2").arg(s.httpStatus).arg(reason);
    QString said = s.rawFirstLine;
    if (!reason.isEmpty() && said.startsWith(statusLine % QLatin1Char(':')))
      said = said.mid(statusLine.size() + 1).trimmed();
    if (!said.isEmpty() && said != reason && said != statusLine)
      sentence += QStringLiteral(": ") % said;
    return sentence;
  }
  case TargetState::Disabled:
    if (s.httpStatus == 0) return QStringLiteral("Polling is switched off for this server");
    if (s.httpStatus == 404 && !s.monitoringModuleKnown)
      return QStringLiteral("Not found at %1 (HTTP 404)")
          .arg(s.probedPath.isEmpty() ? QStringLiteral("/") : s.probedPath);
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
