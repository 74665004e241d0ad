// bench_prometheus_source: the cost of one PrometheusSource refresh cycle at N targets,
// against a real Prometheus (Debian package) scraping N file_sd targets served by a few
// `healthdeck serve` exporters (distinct `instance` labels on the same addresses).
//
//   bench_prometheus_source [--targets 5000] [--cycles 10] [--exporters 4] [--healthdeck PATH]
//                           [--console SECONDS]
//
// It waits until Prometheus has scraped every target, then runs the source's refresh cycles
// back to back (every query of a cycle, uptime and key-metric ranges included on the first)
// and prints per cycle: wall time, CPU time of the whole process (getrusage: GUI thread,
// worker thread and Qt's network thread together), and the lateness of a 10 ms timer on the
// calling (GUI) thread during the cycles — JSON is parsed off that thread, so lateness is what
// the GUI would feel. Also the RSS after the cycles and the bytes of the largest answer.
// Baseline in the same run: the same measurement at `--baseline-targets` (default 100) in
// the same Prometheus (a label filter), so the ratio shows how the cost grows with targets.
// `--console SECONDS` then opens the real console (offscreen, 1280x800) on the same Prometheus
// as a source and measures it with all N rows, and then while Prometheus is stopped and every
// row turns stale: see consolePhase().

#include "healthdeck/client/source/prometheus_source.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/target_filter_proxy.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/widgets/main_window.h"

#include "timed_application.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace healthdeck;
using healthdeck::bench::printSlowEvents;
using healthdeck::bench::TimedApplication;

namespace {

quint16 freePort() {
  QTcpServer s;
  s.listen(QHostAddress::LocalHost, 0);
  return s.serverPort();
}

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double rssMiB() {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  for (const QByteArray& line : f.readAll().split('\n'))
    if (line.startsWith("VmRSS:"))
      return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
  return 0;
}

QByteArray get(const QString& url) {
  QNetworkAccessManager nam;
  QNetworkReply* r = nam.get(QNetworkRequest(QUrl(url)));
  QEventLoop loop;
  QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
  loop.exec();
  const QByteArray body = r->readAll();
  r->deleteLater();
  return body;
}

struct Figures {
  std::vector<double> wallMs, cpuMs;
  std::vector<double> lateMs;
  int targets = 0;
  int requests = 0;
};

Figures measure(const QString& url, const QString& selector, int cycles) {
  PrometheusSourceConfig config;
  config.connection.id = QStringLiteral("bench");
  config.connection.name = QStringLiteral("bench");
  config.connection.baseUrl = QUrl(url);
  config.connection.timeout = std::chrono::milliseconds(60000);
  config.selector = selector;
  PrometheusSource::Options options;
  options.uptimeEvery = 1000; // the first cycle only: cycle 0 is the expensive one
  options.rangeEvery = 1000;
  PrometheusSource source(config, options);
  Figures f;
  QElapsedTimer lateClock;
  QTimer tick;
  tick.setTimerType(Qt::PreciseTimer);
  tick.setInterval(10);
  qint64 expected = 0;
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const qint64 now = lateClock.elapsed();
    if (expected > 0) f.lateMs.push_back(static_cast<double>(std::max<qint64>(0, now - expected)));
    expected = now + 10;
  });
  lateClock.start();
  tick.start();
  for (int i = 0; i < cycles + 1; ++i) { // +1: the first cycle (no jobs known) warms up
    QEventLoop loop;
    QObject::connect(&source, &PrometheusSource::refreshed, &loop, &QEventLoop::quit);
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = cpuSeconds();
    source.refresh();
    loop.exec();
    if (i == 0) continue;
    f.wallMs.push_back(static_cast<double>(wall.elapsed()));
    f.cpuMs.push_back((cpuSeconds() - cpu0) * 1000.0);
    if (!source.status().ok())
      std::fprintf(stderr, "source: %s\n", qPrintable(source.status().sentence));
  }
  f.targets = static_cast<int>(source.targets().size());
  f.requests = source.lastCycleRequests();
  return f;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void print(const char* what, const Figures& f) {
  std::printf("%s: %d targets, %d requests in the last cycle\n", what, f.targets, f.requests);
  std::printf(
      "  refresh wall p50 %.0f ms, max %.0f ms; CPU (all threads) p50 %.0f ms, max %.0f ms\n",
      pct(f.wallMs, 0.5), pct(f.wallMs, 1.0), pct(f.cpuMs, 0.5), pct(f.cpuMs, 1.0));
  std::printf("  GUI-thread lateness during refreshes (10 ms timer, %zu ticks): p50 %.2f ms, "
              "p99 %.2f ms, max %.1f ms\n",
              f.lateMs.size(), pct(f.lateMs, 0.5), pct(f.lateMs, 0.99), pct(f.lateMs, 1.0));
}

/// Spins the event loop until `done()` or `ms` passed; true when done.
template <typename Pred> bool waitUntil(Pred done, int ms) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) {
    QEventLoop loop;
    QTimer::singleShot(100, &loop, &QEventLoop::quit);
    loop.exec();
  }
  return done();
}

/// The real console (ConsoleSession + MainWindow, offscreen, 1280x800) reading the same
/// Prometheus as a source: how long until every target is a row, then for `seconds` the
/// GUI-thread lateness while the source refreshes every 15 s, selectTarget() on a different
/// row each second, and a filter typed one key every 150 ms halfway through; then, with the
/// filter cleared, `stopPrometheus` and the lateness until every row is stale.
void consolePhase(TimedApplication& app, const QString& url, int targets, int seconds,
                  const std::function<void()>& stopPrometheus) {
  QTemporaryDir dir;
  const auto write = [&](const QString& name, const QByteArray& content) {
    QFile f(dir.filePath(name));
    if (f.open(QIODevice::WriteOnly)) f.write(content);
    return dir.filePath(name);
  };
  ConsoleOptions options;
  options.configPath =
      write(QStringLiteral("monitoring.yaml"),
            "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(freePort()) + "\n");
  options.serversPath = write(QStringLiteral("servers.json"),
                              "{\"version\":1,\"servers\":[],\"sources\":[{\"id\":\"bench\","
                              "\"name\":\"Bench\",\"url\":\"" +
                                  url.toUtf8() + "\",\"interval\":\"15s\"}]}");
  options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
  ConsoleSession session(options);
  if (const QString error = session.start(); !error.isEmpty()) {
    std::fprintf(stderr, "console: %s\n", qPrintable(error));
    return;
  }
  session.window().resize(1280, 800);
  session.window().show();
  TargetStore& store = session.store();
  const auto rows = [&](bool withState) {
    int n = 0;
    for (const auto& t : store.targets())
      if (t.sourceId == QLatin1String("bench") &&
          (!withState || store.snapshot(t.id).state != TargetState::Unknown))
        ++n;
    return n;
  };
  QElapsedTimer waited;
  waited.start();
  waitUntil([&] { return rows(true) >= targets; }, 180000);
  std::printf("console: %d rows from the source (%d with a state) after %.1f s\n", rows(false),
              rows(true), static_cast<double>(waited.elapsed()) / 1000.0);
  QStringList ids;
  for (const auto& t : store.targets())
    if (t.sourceId == QLatin1String("bench")) ids << t.id;
  if (ids.isEmpty()) return;

  QLineEdit* filter = nullptr;
  for (QLineEdit* e : session.window().findChildren<QLineEdit*>())
    if (e->accessibleName() == QLatin1String("Filter servers")) filter = e;

  std::vector<double> lateMs, selectMs, keyLateMs;
  QElapsedTimer probeClock;
  bool typing = false;
  QTimer probe;
  probe.setTimerType(Qt::PreciseTimer);
  probe.setInterval(10);
  QObject::connect(&probe, &QTimer::timeout, [&] {
    if (probeClock.isValid()) {
      const double late = std::max(0.0, static_cast<double>(probeClock.nsecsElapsed()) / 1e6 - 10);
      lateMs.push_back(late);
      if (typing) keyLateMs.push_back(late);
    }
    probeClock.restart();
  });
  int next = 0;
  QTimer clicker;
  clicker.setInterval(1000);
  QObject::connect(&clicker, &QTimer::timeout, [&] {
    QElapsedTimer t;
    t.start();
    session.window().selectTarget(ids.at((next++ * 97) % ids.size()));
    selectMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  });
  const QString typed = QStringLiteral("node-0123");
  int typedChars = 0;
  QTimer keys;
  keys.setInterval(150);
  QObject::connect(&keys, &QTimer::timeout, [&] {
    if (!filter || typedChars >= typed.size()) {
      keys.stop();
      QTimer::singleShot(1500, [&] { typing = false; });
      return;
    }
    filter->setText(typed.left(++typedChars));
  });
  QTimer::singleShot(seconds * 500, [&] {
    typing = true;
    keys.start();
  });
  const double cpu0 = cpuSeconds();
  app.measuring = true;
  probe.start();
  clicker.start();
  {
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
  }
  app.measuring = false;
  probe.stop();
  clicker.stop();
  const double cpu = cpuSeconds() - cpu0;
  int shown = 0;
  const TargetFilterProxy* proxy = session.window().filterProxy();
  for (int g = 0; proxy && g < proxy->rowCount(); ++g)
    shown += proxy->rowCount(proxy->index(g, 0));
  int up = 0;
  for (const QString& id : ids)
    up += store.snapshot(id).state == TargetState::Up;
  std::printf("console with %lld Prometheus rows, %d s measured (source refresh every 15 s):\n",
              static_cast<long long>(ids.size()), seconds);
  std::printf("  cpu %.2f s = %.2f %% of one core (whole process: Prometheus and the exporters "
              "are other processes)\n",
              cpu, 100.0 * cpu / seconds);
  std::printf("  event loop lateness (10 ms timer, %zu ticks): p50 %.2f ms, p99 %.2f ms, max "
              "%.1f ms; ticks late > 50 ms: %lld\n",
              lateMs.size(), pct(lateMs, 0.5), pct(lateMs, 0.99), pct(lateMs, 1.0),
              static_cast<long long>(
                  std::count_if(lateMs.begin(), lateMs.end(), [](double v) { return v > 50; })));
  std::printf("  selectTarget (a different row each second): p50 %.2f ms, max %.2f ms\n",
              pct(selectMs, 0.5), pct(selectMs, 1.0));
  std::printf("  filter \"%s\" typed a key every 150 ms: lateness while typing p99 %.2f ms, max "
              "%.1f ms; %d rows shown after it\n",
              qPrintable(typed), pct(keyLateMs, 0.99), pct(keyLateMs, 1.0), shown);
  std::printf("  at the end: %d of %lld rows up\n", up, static_cast<long long>(ids.size()));
  printSlowEvents(app.slowEventsJson());

  // Then Prometheus stops: the source's next refresh fails and every row turns stale at once,
  // which must not stall the GUI either.
  if (filter) filter->clear();
  waitUntil([] { return false; }, 1000); // the list back to all rows
  app.slow.clear();
  lateMs.clear();
  probeClock.invalidate();
  app.measuring = true;
  probe.start();
  clicker.start();
  QElapsedTimer sinceStop;
  sinceStop.start();
  stopPrometheus();
  const bool allStale =
      waitUntil([&] { return store.staleCount() >= static_cast<int>(ids.size()); }, 90000);
  const double staleSeconds = static_cast<double>(sinceStop.elapsed()) / 1000.0;
  waitUntil([] { return false; }, 3000); // and a little after
  app.measuring = false;
  probe.stop();
  clicker.stop();
  std::printf("Prometheus stopped: %d of %lld rows stale after %.1f s%s (source refresh every "
              "15 s)\n",
              store.staleCount(), static_cast<long long>(ids.size()), staleSeconds,
              allStale ? "" : " (timed out)");
  std::printf("  event loop lateness until then and 3 s after (10 ms timer, %zu ticks): p50 %.2f "
              "ms, p99 %.2f ms, max %.1f ms; ticks late > 50 ms: %lld\n",
              lateMs.size(), pct(lateMs, 0.5), pct(lateMs, 0.99), pct(lateMs, 1.0),
              static_cast<long long>(
                  std::count_if(lateMs.begin(), lateMs.end(), [](double v) { return v > 50; })));
  printSlowEvents(app.slowEventsJson());
}

} // namespace

int main(int argc, char** argv) {
  // Headless, and never the developer's own console settings or servers.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QTemporaryDir home;
  qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
  qputenv("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));
  TimedApplication app(argc, argv);
  int targets = 5000, cycles = 10, exporters = 4, baselineTargets = 100, consoleSeconds = 0;
  QString binary = QStringLiteral(HEALTHDECK_DEFAULT_BINARY);
  const QStringList args = app.arguments();
  for (int i = 1; i + 1 < args.size(); i += 2) {
    const QString& k = args.at(i);
    const QString& v = args.at(i + 1);
    if (k == QLatin1String("--targets"))
      targets = v.toInt();
    else if (k == QLatin1String("--cycles"))
      cycles = v.toInt();
    else if (k == QLatin1String("--exporters"))
      exporters = v.toInt();
    else if (k == QLatin1String("--baseline-targets"))
      baselineTargets = v.toInt();
    else if (k == QLatin1String("--healthdeck"))
      binary = v;
    else if (k == QLatin1String("--console"))
      consoleSeconds = v.toInt();
    else {
      std::fprintf(stderr, "usage: bench_prometheus_source [--targets N] [--cycles N] "
                           "[--exporters N] [--baseline-targets N] [--healthdeck PATH] "
                           "[--console SECONDS]\n");
      return 2;
    }
  }
  const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
  if (prometheus.isEmpty()) {
    std::fprintf(stderr, "prometheus not installed\n");
    return 2;
  }
  QTemporaryDir dir;
  std::vector<std::unique_ptr<QProcess>> serves;
  std::vector<quint16> ports;
  for (int e = 0; e < exporters; ++e) {
    const quint16 port = freePort();
    const QString cfg = dir.filePath(QStringLiteral("serve%1.yaml").arg(e));
    QFile f(cfg);
    if (!f.open(QIODevice::WriteOnly)) return 2;
    f.write("monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(port) +
            "\n  checks:\n    - {name: disk, type: disk, path: /, min_free_percent: 0}\n");
    f.close();
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p->start(binary, {QStringLiteral("serve"), QStringLiteral("--config"), cfg});
    if (!p->waitForStarted()) return 2;
    serves.push_back(std::move(p));
    ports.push_back(port);
  }
  QJsonArray groups;
  for (int i = 0; i < targets; ++i)
    groups.append(QJsonObject{
        {QStringLiteral("targets"),
         QJsonArray{
             QStringLiteral("127.0.0.1:%1").arg(ports[static_cast<std::size_t>(i % exporters)])}},
        {QStringLiteral("labels"),
         QJsonObject{{QStringLiteral("instance"),
                      QStringLiteral("node-%1").arg(i, 5, 10, QLatin1Char('0'))},
                     {QStringLiteral("job"), QStringLiteral("job%1").arg(i % 10)},
                     {QStringLiteral("slice"),
                      i < baselineTargets ? QStringLiteral("base") : QStringLiteral("rest")}}}});
  {
    QFile sd(dir.filePath(QStringLiteral("fleet.json")));
    if (!sd.open(QIODevice::WriteOnly)) return 2;
    sd.write(QJsonDocument(groups).toJson(QJsonDocument::Compact));
  }
  {
    QFile cfg(dir.filePath(QStringLiteral("prometheus.yml")));
    if (!cfg.open(QIODevice::WriteOnly)) return 2;
    cfg.write("global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\nscrape_configs:\n"
              "  - job_name: fleet\n    file_sd_configs:\n      - files: ['" +
              dir.filePath(QStringLiteral("fleet.json")).toUtf8() + "']\n");
  }
  const quint16 promPort = freePort();
  QProcess prom;
  prom.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  prom.start(prometheus,
             {QStringLiteral("--config.file=") + dir.filePath(QStringLiteral("prometheus.yml")),
              QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("tsdb")),
              QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
              QStringLiteral("--log.level=error")});
  const QString url = QStringLiteral("http://127.0.0.1:%1").arg(promPort);
  QElapsedTimer waited;
  waited.start();
  int scraped = 0;
  while (waited.elapsed() < 180000) {
    QThread::msleep(1000);
    const QJsonArray result =
        QJsonDocument::fromJson(get(url + QStringLiteral("/api/v1/query?query=count(up)")))
            .object()
            .value(QStringLiteral("data"))
            .toObject()
            .value(QStringLiteral("result"))
            .toArray();
    scraped = result.isEmpty() ? 0
                               : result.at(0)
                                     .toObject()
                                     .value(QStringLiteral("value"))
                                     .toArray()
                                     .at(1)
                                     .toString()
                                     .toInt();
    if (scraped >= targets) break;
  }
  std::printf("prometheus scraped %d of %d targets after %.1f s\n", scraped, targets,
              static_cast<double>(waited.elapsed()) / 1000.0);
  const QByteArray targetList = get(url + QStringLiteral("/api/v1/targets?state=active"));
  std::printf("/api/v1/targets answer: %.1f MiB (%.0f bytes per target)\n",
              static_cast<double>(targetList.size()) / 1048576.0,
              static_cast<double>(targetList.size()) / std::max(1, targets));

  const double rss0 = rssMiB();
  const Figures base = measure(url, QStringLiteral("slice=\"base\""), cycles);
  const Figures all = measure(url, QString(), cycles);
  print("baseline (label filter)", base);
  print("all", all);
  std::printf("RSS after the cycles %.1f MiB (before %.1f MiB)\n", rssMiB(), rss0);
  std::printf("RATIO refresh cpu all/baseline %.2f, wall %.2f, for %.0fx the targets\n",
              pct(all.cpuMs, 0.5) / std::max(0.001, pct(base.cpuMs, 0.5)),
              pct(all.wallMs, 0.5) / std::max(0.001, pct(base.wallMs, 0.5)),
              static_cast<double>(all.targets) / std::max(1, base.targets));
  if (consoleSeconds > 0)
    consolePhase(app, url, targets, consoleSeconds, [&prom] {
      prom.terminate();
      prom.waitForFinished(10000);
    });
  prom.terminate();
  prom.waitForFinished(10000);
  for (auto& s : serves) {
    s->terminate();
    s->waitForFinished(5000);
  }
  return 0;
}
