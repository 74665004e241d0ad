// Targets added together do not poll in step: the Poller gives each a stable phase within its
// interval (a burst of 200 rounds at once stalled the console's GUI thread), and after the
// phase every target is polled once per interval again.

#include "healthdeck/client/source/poller.h"
#include "tests/support/canned_http_server.h"

#include <QElapsedTimer>
#include <QHash>
#include <QtTest>

#include <algorithm>
#include <limits>

using namespace healthdeck;
using healthdeck::testing::CannedHttpServer;

class TstPollerPhase : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void targetsAddedTogetherSpreadOverTheInterval() {
    CannedHttpServer server;
    QVERIFY(server.start());
    CannedHttpServer::Response up;
    up.body = R"({"status":"up","checks":[]})";
    server.setResponse(QStringLiteral("/health/ready"), up);

    constexpr int kTargets = 20;
    constexpr qint64 kIntervalMs = 1000;
    Poller poller;
    QElapsedTimer clock;
    QHash<QString, QList<qint64>> seen;
    connect(&poller, &Poller::observationReady, this,
            [&](const TargetSnapshot& s) { seen[s.targetId] << clock.elapsed(); });
    clock.start();
    for (int i = 0; i < kTargets; ++i) {
      TargetConfig c;
      c.id = QStringLiteral("phase-%1").arg(i);
      c.name = c.id;
      c.baseUrl = server.baseUrl();
      c.livePath.clear();
      c.metricsPath.clear();
      c.interval = std::chrono::milliseconds(kIntervalMs);
      poller.upsertTarget(c);
    }
    const auto allSeenThrice = [&] {
      if (seen.size() < kTargets) return false;
      return std::all_of(seen.cbegin(), seen.cend(), [](const auto& t) { return t.size() >= 3; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(allSeenThrice(), 20000);

    // In step, every second round would land within the few milliseconds one timer pass
    // takes; spread, they cover most of the interval.
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = 0;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
      first = std::min(first, it->at(1));
      last = std::max(last, it->at(1));
      // After the phase the target is back on its interval (not polled at the phase again).
      const qint64 gap = it->at(2) - it->at(1);
      QVERIFY2(gap >= kIntervalMs / 2,
               qPrintable(QStringLiteral("%1: rounds %2 ms apart").arg(it.key()).arg(gap)));
    }
    QVERIFY2(last - first >= kIntervalMs * 3 / 10,
             qPrintable(QStringLiteral("second rounds within %1 ms").arg(last - first)));
  }
};

QTEST_GUILESS_MAIN(TstPollerPhase)
#include "tst_poller_phase.moc"
