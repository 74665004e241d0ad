// Poller::finishRound: once every leg of a round is in, one TargetSnapshot — the state from
// readiness (or liveness, or the /metrics scrape for a metrics-only server), the worse of both
// documents, the evidence — delivered to the round's callback or through the signals.

#include "healthdeck/client/source/poller.h"

#include "healthdeck/client/source/poller_private.h"
#include "healthdeck/client/state_presentation.h"

namespace healthdeck {

void Poller::finishRound(const std::shared_ptr<Round>& round) {
  if ((round->ready.wanted && !round->ready.done) || (round->live.wanted && !round->live.done) ||
      (round->metrics.wanted && !round->metrics.done))
    return;
  if (round->finished) return;
  round->finished = true;
  if (round->scheduled) {
    auto it = m_impl->targets.find(round->config.id);
    if (it == m_impl->targets.end() || it->generation != round->generation)
      return; // removed or replaced while in flight
    it->inFlight = false;
  }

  TargetSnapshot snap;
  snap.targetId = round->config.id;
  snap.polledAt = QDateTime::currentDateTimeUtc();
  const bool readyPrimary = round->ready.wanted;
  Round::Leg& primary = readyPrimary ? round->ready : round->live;
  Round::Leg& secondary = readyPrimary ? round->live : round->ready;

  auto documentOf = [](const Round::Leg& leg) -> std::optional<HealthDocument> {
    if (!leg.wanted || leg.error != PollError::None || !leg.parsed) return std::nullopt;
    return leg.parsed->document;
  };
  // --- health from metrics ---
  const Round::MetricsLeg& metrics = round->metrics;
  if (metrics.health && metrics.health->document) snap.metricsHealth = metrics.health->document;
  const auto deliver = [&] {
    snap.sentence = describe(snap);
    if (round->done) {
      round->done(snap);
      return;
    }
    Q_EMIT observationReady(snap);
    if (round->scheduled) Q_EMIT snapshotReady(m_states->observe(snap));
  };
  if (!primary.wanted && metrics.wanted) {
    // A metrics-only server: the scrape is the whole answer, with the same sentences.
    snap.httpStatus = metrics.http;
    snap.probedPath = round->config.urlFor(round->config.metricsPath).path();
    snap.latency = std::chrono::milliseconds(metrics.elapsedMs);
    snap.error = metrics.error;
    snap.errorDetail = metrics.errorDetail;
    if (metrics.error == PollError::CredentialsUnavailable) {
      snap.state = TargetState::Unauthorized;
    } else if (metrics.error == PollError::HttpStatus) {
      snap.state = metrics.http == 401 || metrics.http == 403 ? TargetState::Unauthorized
                   : metrics.http == 404                      ? TargetState::Disabled
                                                              : TargetState::Unknown;
    } else if (metrics.error != PollError::None) {
      snap.state = TargetState::Unreachable;
    } else if (snap.metricsHealth) {
      const Status overall = snap.metricsHealth->overall;
      snap.state = overall == Status::Up         ? TargetState::Up
                   : overall == Status::Degraded ? TargetState::Degraded
                                                 : TargetState::Down;
    } else {
      snap.state = TargetState::Unknown;
      snap.error = PollError::NotUnderstood;
      snap.errorDetail = metrics.health ? metrics.health->error : QString();
      snap.rawFirstLine = QStringLiteral("/metrics did not parse: ") % snap.errorDetail;
    }
    deliver();
    return;
  }
  // --- end health from metrics ---
  if (!primary.wanted) {
    snap.state = TargetState::Unknown;
    snap.error = PollError::NotUnderstood;
    snap.errorDetail = QStringLiteral("no readiness or liveness path configured");
    snap.sentence = QStringLiteral("No readiness or liveness path configured");
    if (round->done) {
      round->done(snap);
      return;
    }
    Q_EMIT observationReady(snap);
    if (round->scheduled) Q_EMIT snapshotReady(m_states->observe(snap));
    return;
  }
  snap.httpStatus = primary.http;
  snap.latency = std::chrono::milliseconds(primary.elapsedMs);
  snap.error = primary.error;
  snap.errorDetail = primary.errorDetail;
  snap.probedPath = primary.url.path();
  snap.authRealm = primary.realm;
  {
    auto it = m_impl->targets.constFind(round->config.id);
    const bool seenInMetrics = it != m_impl->targets.constEnd() && it->moduleSeen;
    const bool otherRouteIsOurs = secondary.parsed && secondary.parsed->document &&
                                  secondary.parsed->document->dialect == HealthDialect::Healthdeck;
    snap.monitoringModuleKnown = seenInMetrics || primary.moduleSays || otherRouteIsOurs;
  }
  snap.evidence = std::move(primary.evidence);
  if (primary.error == PollError::TlsFailure) snap.peerCertificate = primary.peer;
  snap.certificateExpiry = primary.certificateExpiry;
  const auto primaryDoc = documentOf(primary);
  const auto secondaryDoc = documentOf(secondary);
  (readyPrimary ? snap.readiness : snap.liveness) = primaryDoc;
  (readyPrimary ? snap.liveness : snap.readiness) = secondaryDoc;

  if (primary.error == PollError::CredentialsUnavailable ||
      primary.error == PollError::LoginRedirect) {
    snap.state = TargetState::Unauthorized;
  } else if (primary.error != PollError::None) {
    snap.state = TargetState::Unreachable;
  } else if (primary.http == 401 || primary.http == 403) {
    snap.state = TargetState::Unauthorized;
    snap.error = PollError::HttpStatus;
    snap.rawFirstLine = primary.answerLine;
  } else if (primary.http == 404) {
    snap.state = TargetState::Disabled;
    snap.error = PollError::HttpStatus;
  } else if (!primary.mismatch.isEmpty()) {
    snap.state = TargetState::Down;
    snap.error = PollError::BodyMismatch;
    snap.errorDetail = primary.mismatch;
  } else if (primaryDoc) {
    Status overall = primaryDoc->overall;
    if (secondaryDoc && secondaryDoc->overall > overall) overall = secondaryDoc->overall;
    snap.state = overall == Status::Up         ? TargetState::Up
                 : overall == Status::Degraded ? TargetState::Degraded
                                               : TargetState::Down;
    if (primary.parsed && !primary.parsed->error.isEmpty())
      snap.rawFirstLine = primary.parsed->rawFirstLine;
  } else {
    snap.state = TargetState::Unknown;
    const bool ok2xx = primary.http >= 200 && primary.http < 300;
    snap.error = ok2xx ? PollError::NotUnderstood : PollError::HttpStatus;
    if (primary.parsed) {
      snap.errorDetail = primary.parsed->error;
      snap.rawFirstLine = primary.parsed->rawFirstLine;
    }
  }
  // --- health from metrics: an up gauge at 0 or a firing rule makes a healthy answer worse ---
  if (snap.metricsHealth &&
      (snap.state == TargetState::Up || snap.state == TargetState::Degraded)) {
    const Status overall = snap.metricsHealth->overall;
    if (overall == Status::Down)
      snap.state = TargetState::Down;
    else if (overall == Status::Degraded)
      snap.state = TargetState::Degraded;
  }
  // --- end health from metrics ---
  deliver();
}

} // namespace healthdeck
