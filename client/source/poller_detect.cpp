// Poller's "Detect": every common readiness path tried in parallel on the target, the first in
// order that answers a health document chosen, else "metrics only" when just /metrics answers.

#include "healthdeck/client/source/poller.h"

#include "healthdeck/client/source/poller_private.h"
#include "healthdeck/client/state_presentation.h"

namespace healthdeck {

QStringList Poller::commonReadinessPaths() {
  return {QStringLiteral("/-/ready"),
          QStringLiteral("/-/healthy"),
          QStringLiteral("/healthz"),
          QStringLiteral("/livez"),
          QStringLiteral("/readyz"),
          QStringLiteral("/q/health/ready"),
          QStringLiteral("/actuator/health/readiness"),
          QStringLiteral("/actuator/health"),
          QStringLiteral("/health/ready"),
          QStringLiteral("/health")};
}

void Poller::detectReadinessPath(const TargetConfig& config, const QStringList& candidates,
                                 const Credentials& credentials) {
  const QString id = config.id;
  if (candidates.isEmpty()) {
    QMetaObject::invokeMethod(
        this,
        [this, id] {
          Q_EMIT readinessPathDetected(id, QString(), QStringLiteral("No paths to try"), false);
        },
        Qt::QueuedConnection);
    return;
  }
  struct Detection {
    QStringList paths;
    std::vector<std::optional<TargetSnapshot>> results;
    int pending = 0;
  };
  auto detection = std::make_shared<Detection>();
  detection->paths = candidates;
  detection->results.resize(static_cast<std::size_t>(candidates.size()));
  detection->pending = static_cast<int>(candidates.size());
  const QString metricsPath = config.metricsPath;
  for (qsizetype i = 0; i < candidates.size(); ++i) {
    TargetConfig probe = config;
    probe.readyPath = candidates.at(i);
    probe.livePath.clear();
    probe.metricsPath.clear();
    startRound(
        probe, false,
        [this, detection, i, id, config, metricsPath, credentials](const TargetSnapshot& snap) {
          detection->results[static_cast<std::size_t>(i)] = snap;
          if (--detection->pending > 0) return;
          const auto answered = [&](bool bareStatusToo) -> qsizetype {
            for (qsizetype k = 0; k < detection->paths.size(); ++k) {
              const auto& r = detection->results[static_cast<std::size_t>(k)];
              if (!r || !r->readiness || r->error != PollError::None) continue;
              const bool bare = r->readiness->dialect == HealthDialect::StatusCode ||
                                r->readiness->dialect == HealthDialect::PlainText;
              if (r->readiness->dialect != HealthDialect::None && (!bare || bareStatusToo))
                return k;
            }
            return -1;
          };
          qsizetype found = answered(false);
          if (found < 0) found = answered(true);
          if (found >= 0) {
            const TargetSnapshot& r = *detection->results[static_cast<std::size_t>(found)];
            Q_EMIT readinessPathDetected(
                id, detection->paths.at(found),
                QStringLiteral("%1 answers (%2): %3")
                    .arg(detection->paths.at(found), toString(r.readiness->dialect), r.sentence),
                false);
            return;
          }
          // Paths that answered alike share one clause: "/readyz, /health: ... (HTTP 404)".
          QStringList sentences;
          QList<QStringList> pathsBySentence;
          for (qsizetype k = 0; k < detection->paths.size(); ++k) {
            const auto& r = detection->results[static_cast<std::size_t>(k)];
            // A 404 names its path; grouped, "not found" says the same once for all of them.
            const QString sentence = !r ? QStringLiteral("no answer")
                                     : r->state == TargetState::Disabled && r->httpStatus == 404 &&
                                             !r->monitoringModuleKnown
                                         ? QStringLiteral("not found (HTTP 404)")
                                         : r->sentence;
            qsizetype at = sentences.indexOf(sentence);
            if (at < 0) {
              sentences << sentence;
              pathsBySentence << QStringList{};
              at = sentences.size() - 1;
            }
            pathsBySentence[at] << detection->paths.at(k);
          }
          QStringList each;
          for (qsizetype k = 0; k < sentences.size(); ++k)
            each << pathsBySentence.at(k).join(QStringLiteral(", ")) % QStringLiteral(": ") %
                        sentences.at(k);
          const QString none =
              QStringLiteral("No health document found. ") % each.join(QStringLiteral("; "));
          if (metricsPath.isEmpty()) {
            Q_EMIT readinessPathDetected(id, QString(), none, false);
            return;
          }
          // No health route: a server whose /metrics answers can still be watched by its scrape.
          const TargetConfig metrics = poller_detail::onePathConfig(config, metricsPath);
          startRound(
              metrics, false,
              [this, id, none, metricsPath](const TargetSnapshot& m) {
                if (m.state == TargetState::Up) {
                  Q_EMIT readinessPathDetected(
                      id, QString(),
                      QStringLiteral(
                          "No health route answers, but %1 does: watch this server by its "
                          "metrics only.")
                          .arg(metricsPath),
                      true);
                  return;
                }
                Q_EMIT readinessPathDetected(id, QString(), none, false);
              },
              {}, credentials);
        },
        {}, credentials);
  }
}

} // namespace healthdeck
