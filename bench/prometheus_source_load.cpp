// bench_prometheus_source: the cost of one PrometheusSource refresh cycle at N targets,
// against a real Prometheus (Debian package) scraping N file_sd targets served by a few
// `healthdeck serve` exporters (distinct `instance` labels on the same addresses).
//
//   bench_prometheus_source [--targets 5000] [--cycles 10] [--exporters 4] [--healthdeck PATH]
//
// It waits until Prometheus has scraped every target, then runs the source's refresh cycles
// back to back (every query of a cycle, uptime and key-metric ranges included on the first)
// and prints per cycle: wall time, CPU time of the whole process (getrusage: GUI thread,
// worker thread and Qt's network thread together), and the lateness of a 10 ms timer on the
// calling (GUI) thread during the cycles — JSON is parsed off that thread, so lateness is what
// the GUI would feel. Also the RSS after the cycles and the bytes of the largest answer.
// Baseline in the same run: the same measurement at `--baseline-targets` (default 100) in
// the same Prometheus (a label filter), so the ratio shows how the cost grows with targets.

#include "healthdeck/client/source/prometheus_source.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace healthdeck;

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

} // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  int targets = 5000, cycles = 10, exporters = 4, baselineTargets = 100;
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
    else {
      std::fprintf(stderr, "usage: bench_prometheus_source [--targets N] [--cycles N] "
                           "[--exporters N] [--baseline-targets N] [--healthdeck PATH]\n");
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
  prom.terminate();
  prom.waitForFinished(10000);
  for (auto& s : serves) {
    s->terminate();
    s->waitForFinished(5000);
  }
  return 0;
}
