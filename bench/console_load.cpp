// bench_console_load: the real console (ConsoleSession + MainWindow, offscreen, metrics on)
// watching N servers polled every few seconds, against `healthdeck serve` exporters, compared
// with the same console watching none (idle baseline) in the same run.
//
//   bench_console_load [--targets 200] [--interval 5] [--seconds 60] [--exporters 4]
//                      [--warmup 3] [--healthdeck PATH] [--compare-qt]
//
// The parent starts the exporters (each with a disk and a heartbeat check) and runs itself
// twice as a child (`--child`): once with 0 servers, once with N servers spread round-robin
// over the exporters (distinct ids and names). Each child measures only itself, over
// `--seconds` after `--warmup`: CPU time (getrusage, all threads) and CPU %, VmRSS at start
// and end and VmHWM (/proc/self/status), lateness of a 10 ms precise timer on the GUI thread
// (max, p99, stalls over 50 and 100 ms), the time selectTarget() takes for a different row each
// second, shown-snapshot and metrics-hub update rates, and the states at the end. It prints
// one RESULT line of JSON; the parent prints both and the ratios. Without a display, children
// run with QT_QPA_PLATFORM=offscreen (widgets are still laid out and painted), in a private
// XDG_CONFIG_HOME / XDG_DATA_HOME so the developer's servers and settings are never read.
// `--compare-qt` adds a third run with HEALTHDECK_HTTP_TRANSPORT=qt: the same polls carried by
// QNetworkAccessManager instead of PlainHttpClient, and prints the ratios of the two.

#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/target.h"
#include "healthdeck/client/target_snapshot.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/widgets/main_window.h"

#include "timed_application.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace healthdeck;
using healthdeck::bench::printSlowEvents;
using healthdeck::bench::TimedApplication;

namespace {

struct Args {
  int targets = 200;
  int intervalS = 5;
  int seconds = 60;
  int exporters = 4;
  int warmupS = 3;
  QString binary = QStringLiteral(HEALTHDECK_DEFAULT_BINARY);
  bool child = false;
  bool compareQt = false; ///< a third run with the polls on QNetworkAccessManager
  QStringList ports;      ///< child: exporter ports
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench_console_load: %s\n"
               "usage: bench_console_load [--targets N] [--interval S] [--seconds S] "
               "[--exporters N] [--warmup S] [--healthdeck PATH] [--compare-qt]\n",
               why);
  std::exit(2);
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + k).c_str());
      return argv[++i];
    };
    const auto number = [&](int lo) {
      const std::string v = value();
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || n < lo || n > 100000)
        usage((k + " needs a whole number >= " + std::to_string(lo)).c_str());
      return static_cast<int>(n);
    };
    if (k == "--targets")
      a.targets = number(0);
    else if (k == "--interval")
      a.intervalS = number(1);
    else if (k == "--seconds")
      a.seconds = number(1);
    else if (k == "--exporters")
      a.exporters = number(1);
    else if (k == "--warmup")
      a.warmupS = number(0);
    else if (k == "--healthdeck")
      a.binary = QString::fromStdString(value());
    else if (k == "--child")
      a.child = true;
    else if (k == "--compare-qt")
      a.compareQt = true;
    else if (k == "--ports")
      a.ports = QString::fromStdString(value()).split(QLatin1Char(','));
    else
      usage(("unknown option " + k).c_str());
  }
  return a;
}

quint16 freePort() {
  QTcpServer s;
  if (!s.listen(QHostAddress::LocalHost, 0)) return 0;
  return s.serverPort();
}

bool writeFile(const QString& path, const QByteArray& content) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

// ---------------------------------------------------------------- child: one console run

double cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/// A "VmRSS:"-style field of /proc/self/status, in KiB (-1 when absent).
qint64 statusKiB(const char* field) {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return -1;
  const QByteArray key = QByteArray(field) + ':';
  for (const QByteArray& line : f.readAll().split('\n'))
    if (line.startsWith(key))
      return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
  return -1;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  const auto idx = std::min(k, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(idx), v.end());
  return v[idx];
}

int runChild(const Args& args, int argc, char** argv) {
  TimedApplication app(argc, argv);
  QTemporaryDir dir;
  if (!dir.isValid()) usage("cannot create a temporary directory");
  const quint16 ownPort = freePort();
  const QString configPath = dir.filePath(QStringLiteral("monitoring.yaml"));
  writeFile(configPath, "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(ownPort) + "\n");

  QList<TargetConfig> servers;
  for (int i = 0; i < args.targets; ++i) {
    TargetConfig t;
    t.id = QStringLiteral("load-%1").arg(i, 3, 10, QLatin1Char('0'));
    t.name = QStringLiteral("server-%1").arg(i, 3, 10, QLatin1Char('0'));
    t.group = QStringLiteral("Group %1").arg(i % 10);
    const QString port = args.ports.value(i % std::max<qsizetype>(1, args.ports.size()));
    t.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:") % port);
    t.interval = std::chrono::seconds(args.intervalS);
    servers << t;
  }
  const QString serversPath = dir.filePath(QStringLiteral("servers.json"));
  if (const QString error = saveServerList(serversPath, servers); !error.isEmpty())
    usage(error.toLocal8Bit().constData());

  ConsoleOptions options;
  options.configPath = configPath;
  options.serversPath = serversPath;
  options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
  auto session = std::make_unique<ConsoleSession>(options);
  if (const QString error = session->start(); !error.isEmpty())
    usage(error.toLocal8Bit().constData());
  session->window().resize(1280, 800);
  session->window().show();
  TargetStore& store = session->store();
  MetricsHub* hub = session->findChild<MetricsHub*>();

  bool measuring = false;
  qint64 snapshots = 0;
  qint64 hubUpdates = 0;
  QObject::connect(&store, &TargetStore::snapshotUpdated, &app, [&] { snapshots += measuring; });
  if (hub)
    QObject::connect(hub, &MetricsHub::metricsUpdated, &app, [&] { hubUpdates += measuring; });

  // Lateness probe: a precise 10 ms timer; anything beyond 10 ms between two ticks is time the
  // event loop was busy elsewhere.
  std::vector<double> lateMs;
  lateMs.reserve(static_cast<std::size_t>(args.seconds) * 110);
  // For the ticks late by more than 50 ms: how much of the gap the GUI thread spent on a CPU
  // (its own work) rather than waiting for a core that the exporters and workers held.
  double stallGapMs = 0;
  double stallOnCpuMs = 0;
  const auto threadCpuMs = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  };
  double lastCpuMs = 0;
  QElapsedTimer probeClock;
  QTimer probe;
  probe.setTimerType(Qt::PreciseTimer);
  probe.setInterval(10);
  QObject::connect(&probe, &QTimer::timeout, &app, [&] {
    const double cpuNow = threadCpuMs();
    if (measuring && probeClock.isValid()) {
      const double gap = static_cast<double>(probeClock.nsecsElapsed()) / 1e6;
      lateMs.push_back(std::max(0.0, gap - 10.0));
      if (gap - 10.0 > 50) {
        stallGapMs += gap;
        stallOnCpuMs += cpuNow - lastCpuMs;
      }
    }
    lastCpuMs = cpuNow;
    probeClock.restart();
  });

  // An admin clicking through the list: a different row every second, timed synchronously.
  QStringList ids;
  for (const auto& t : store.targets())
    ids << t.id;
  std::vector<double> selectMs;
  int nextRow = 0;
  QTimer clicker;
  clicker.setInterval(1000);
  QObject::connect(&clicker, &QTimer::timeout, &app, [&] {
    if (!measuring || ids.isEmpty()) return;
    QElapsedTimer t;
    t.start();
    session->window().selectTarget(ids.at(nextRow++ % ids.size()));
    selectMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  });

  double cpu0 = 0;
  qint64 rss0 = 0;
  QElapsedTimer wall;
  QJsonArray rssTrace;
  QTimer tracer;
  tracer.setInterval(10000);
  QObject::connect(&tracer, &QTimer::timeout, &app,
                   [&] { rssTrace.append(static_cast<double>(statusKiB("VmRSS"))); });

  QTimer::singleShot(args.warmupS * 1000, &app, [&] {
    cpu0 = cpuSeconds();
    rss0 = statusKiB("VmRSS");
    wall.start();
    measuring = true;
    app.measuring = true;
    probeClock.invalidate();
    tracer.start();
  });
  probe.start();
  clicker.start();
  QTimer::singleShot((args.warmupS + args.seconds) * 1000, &app, [&] { app.quit(); });
  QApplication::exec();
  measuring = false;
  app.measuring = false;

  const double wallS = static_cast<double>(wall.nsecsElapsed()) / 1e9;
  const double cpu = cpuSeconds() - cpu0;
  int up = 0;
  QHash<QString, int> others;
  std::vector<double> latency;
  int metricsOk = 0;
  std::vector<double> fetchMs;
  for (const auto& t : store.targets()) {
    if (t.id == ConsoleSession::thisHostId()) continue;
    const TargetSnapshot s = store.snapshot(t.id);
    if (s.state == TargetState::Up)
      ++up;
    else
      ++others[s.sentence];
    latency.push_back(static_cast<double>(s.latency.count()));
    if (hub) {
      const auto* m = hub->state(t.id);
      if (m && m->fetchError.isEmpty() && m->fetchMs >= 0) {
        ++metricsOk;
        fetchMs.push_back(static_cast<double>(m->fetchMs));
      }
    }
  }
  QJsonObject notUp;
  for (auto it = others.begin(); it != others.end(); ++it)
    notUp.insert(it.key(), it.value());

  QJsonObject r;
  r[QStringLiteral("targets")] = args.targets;
  r[QStringLiteral("seconds")] = wallS;
  r[QStringLiteral("cpu_s")] = cpu;
  r[QStringLiteral("cpu_pct")] = 100.0 * cpu / wallS;
  r[QStringLiteral("rss_start_kib")] = static_cast<double>(rss0);
  r[QStringLiteral("rss_end_kib")] = static_cast<double>(statusKiB("VmRSS"));
  r[QStringLiteral("hwm_kib")] = static_cast<double>(statusKiB("VmHWM"));
  r[QStringLiteral("rss_trace_kib")] = rssTrace;
  r[QStringLiteral("late_max_ms")] =
      lateMs.empty() ? 0.0 : *std::max_element(lateMs.begin(), lateMs.end());
  r[QStringLiteral("late_p99_ms")] = percentile(lateMs, 0.99);
  r[QStringLiteral("late_p50_ms")] = percentile(lateMs, 0.50);
  r[QStringLiteral("ticks")] = static_cast<double>(lateMs.size());
  r[QStringLiteral("stalls_50ms")] = static_cast<double>(
      std::count_if(lateMs.begin(), lateMs.end(), [](double v) { return v > 50; }));
  r[QStringLiteral("stall_gap_ms")] = stallGapMs;
  r[QStringLiteral("stall_on_cpu_ms")] = stallOnCpuMs;
  r[QStringLiteral("stalls_100ms")] = static_cast<double>(
      std::count_if(lateMs.begin(), lateMs.end(), [](double v) { return v > 100; }));
  r[QStringLiteral("select_max_ms")] =
      selectMs.empty() ? 0.0 : *std::max_element(selectMs.begin(), selectMs.end());
  r[QStringLiteral("select_p50_ms")] = percentile(selectMs, 0.5);
  r[QStringLiteral("snapshots_per_s")] = static_cast<double>(snapshots) / wallS;
  r[QStringLiteral("hub_updates_per_s")] = static_cast<double>(hubUpdates) / wallS;
  r[QStringLiteral("up")] = up;
  r[QStringLiteral("not_up")] = notUp;
  r[QStringLiteral("poll_latency_p50_ms")] = percentile(latency, 0.5);
  r[QStringLiteral("poll_latency_max_ms")] = percentile(latency, 1.0);
  r[QStringLiteral("metrics_ok")] = metricsOk;
  r[QStringLiteral("metrics_fetch_p50_ms")] = percentile(fetchMs, 0.5);
  r[QStringLiteral("metrics_fetch_max_ms")] = percentile(fetchMs, 1.0);
  r[QStringLiteral("hub_history_kib")] =
      hub ? static_cast<double>(hub->historyBytes()) / 1024.0 : 0.0;
  r[QStringLiteral("hub_parser_kib")] =
      hub ? static_cast<double>(hub->parserBytes()) / 1024.0 : 0.0;
  r[QStringLiteral("slow_events")] = app.slowEventsJson();
  session.reset();
  std::printf("RESULT %s\n", QJsonDocument(r).toJson(QJsonDocument::Compact).constData());
  std::fflush(stdout);
  return 0;
}

// ---------------------------------------------------------------- parent: exporters + runs

/// utime + stime of a process in seconds (/proc/PID/stat), -1 when unreadable.
double processCpuSeconds(qint64 pid) {
  QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
  if (!f.open(QIODevice::ReadOnly)) return -1;
  const QByteArray all = f.readAll();
  const QList<QByteArray> fields = all.mid(all.lastIndexOf(')') + 2).split(' ');
  if (fields.size() < 13) return -1;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return static_cast<double>(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / ticks;
}

struct Exporter {
  std::unique_ptr<QProcess> process;
  quint16 port = 0;
};

std::optional<QJsonObject> runConsole(const Args& args, const QString& self, const QString& xdg,
                                      int targets, const QStringList& ports,
                                      bool qtTransport = false) {
  QDir().mkpath(xdg % QStringLiteral("/config"));
  QDir().mkpath(xdg % QStringLiteral("/data"));
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg % QStringLiteral("/config"));
  env.insert(QStringLiteral("XDG_DATA_HOME"), xdg % QStringLiteral("/data"));
  if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  for (const QString& key : env.keys())
    if (key.startsWith(QLatin1String("HEALTHDECK_MONITORING_"))) env.remove(key);
  if (qtTransport)
    env.insert(QStringLiteral("HEALTHDECK_HTTP_TRANSPORT"), QStringLiteral("qt"));
  else
    env.remove(QStringLiteral("HEALTHDECK_HTTP_TRANSPORT"));
  QProcess child;
  child.setProcessEnvironment(env);
  child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  child.start(self,
              {QStringLiteral("--child"), QStringLiteral("--targets"), QString::number(targets),
               QStringLiteral("--interval"), QString::number(args.intervalS),
               QStringLiteral("--seconds"), QString::number(args.seconds),
               QStringLiteral("--warmup"), QString::number(args.warmupS), QStringLiteral("--ports"),
               ports.join(QLatin1Char(','))});
  const int budgetMs = (args.seconds + args.warmupS + 60) * 1000;
  if (!child.waitForFinished(budgetMs)) {
    child.kill();
    child.waitForFinished(5000);
    std::fprintf(stderr, "bench_console_load: the console run did not finish\n");
    return std::nullopt;
  }
  for (const QByteArray& line : child.readAllStandardOutput().split('\n'))
    if (line.startsWith("RESULT ")) return QJsonDocument::fromJson(line.mid(7)).object();
  std::fprintf(stderr, "bench_console_load: the console run printed no result (exit %d)\n",
               child.exitCode());
  return std::nullopt;
}

void printRun(const char* name, const QJsonObject& r) {
  const auto d = [&](const char* k) { return r.value(QLatin1String(k)).toDouble(); };
  std::printf("%s: %d servers, %.1f s measured\n", name, r.value(QLatin1String("targets")).toInt(),
              d("seconds"));
  std::printf("  cpu %.2f s = %.2f %% of one core\n", d("cpu_s"), d("cpu_pct"));
  std::printf("  rss start %.1f MiB, end %.1f MiB, peak (VmHWM) %.1f MiB; trace (MiB, every 10 s):",
              d("rss_start_kib") / 1024, d("rss_end_kib") / 1024, d("hwm_kib") / 1024);
  for (const auto v : r.value(QLatin1String("rss_trace_kib")).toArray())
    std::printf(" %.1f", v.toDouble() / 1024);
  std::printf("\n  event loop lateness (10 ms timer, %.0f ticks): p50 %.2f ms, p99 %.2f ms, max "
              "%.1f ms; ticks late > 50 ms: %.0f, > 100 ms: %.0f\n",
              d("ticks"), d("late_p50_ms"), d("late_p99_ms"), d("late_max_ms"), d("stalls_50ms"),
              d("stalls_100ms"));
  if (d("stalls_50ms") > 0)
    std::printf("  those ticks late > 50 ms: the GUI thread was on a CPU for %.1f of their %.1f ms "
                "(the rest it waited for a core)\n",
                d("stall_on_cpu_ms"), d("stall_gap_ms"));
  std::printf("  selectTarget (a different row each second): p50 %.2f ms, max %.2f ms\n",
              d("select_p50_ms"), d("select_max_ms"));
  std::printf("  shown snapshots %.1f /s, metrics hub updates %.1f /s (a fetch and a parsed body "
              "each count)\n",
              d("snapshots_per_s"), d("hub_updates_per_s"));
  const int targets = r.value(QLatin1String("targets")).toInt();
  if (targets > 0) {
    std::printf("  at the end: %d of %d up (%.1f %%), metrics fetched fine for %d; poll latency "
                "p50 %.0f ms max %.0f ms; metrics fetch p50 %.0f ms max %.0f ms\n",
                r.value(QLatin1String("up")).toInt(), targets,
                100.0 * r.value(QLatin1String("up")).toInt() / targets,
                r.value(QLatin1String("metrics_ok")).toInt(), d("poll_latency_p50_ms"),
                d("poll_latency_max_ms"), d("metrics_fetch_p50_ms"), d("metrics_fetch_max_ms"));
    const QJsonObject notUp = r.value(QLatin1String("not_up")).toObject();
    for (auto it = notUp.begin(); it != notUp.end(); ++it)
      std::printf("    not up (%d): %s\n", it.value().toInt(), qPrintable(it.key()));
  }
  std::printf("  metrics hub: history rings %.0f KiB, parser state %.0f KiB\n",
              d("hub_history_kib"), d("hub_parser_kib"));
  printSlowEvents(r.value(QLatin1String("slow_events")).toArray());
}

int runParent(const Args& args, int argc, char** argv) {
  QCoreApplication app(argc, argv);
  if (!QFile::exists(args.binary))
    usage(("healthdeck binary not found: " + args.binary.toStdString() +
           " (build the healthdeck target or pass --healthdeck)")
              .c_str());
  QTemporaryDir dir;
  if (!dir.isValid()) usage("cannot create a temporary directory");
  const QString stamp = dir.filePath(QStringLiteral("job.stamp"));
  writeFile(stamp, "ok\n");

  std::vector<Exporter> exporters;
  QStringList ports;
  for (int i = 0; i < args.exporters; ++i) {
    Exporter e;
    e.port = freePort();
    const QString cfg = dir.filePath(QStringLiteral("exporter-%1.yaml").arg(i));
    writeFile(cfg, "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(e.port) +
                       "\n  checks:\n"
                       "    - {name: data-disk, type: disk, path: /, min_free_percent: 0}\n"
                       "    - {name: nightly-job, type: heartbeat, file: " +
                       stamp.toUtf8() + ", max_age: 1h}\n");
    e.process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
      if (key.startsWith(QLatin1String("HEALTHDECK_MONITORING_"))) env.remove(key);
    e.process->setProcessEnvironment(env);
    e.process->start(args.binary, {QStringLiteral("serve"), QStringLiteral("--config"), cfg});
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (out.count('\n') < 4 && e.process->state() != QProcess::NotRunning &&
           t.elapsed() < 15000) {
      e.process->waitForReadyRead(100);
      out += e.process->readAllStandardOutput();
    }
    if (out.count('\n') < 4) {
      std::fprintf(stderr, "bench_console_load: exporter %d did not start: %s\n", i,
                   e.process->readAllStandardError().constData());
      return 1;
    }
    ports << QString::number(e.port);
    exporters.push_back(std::move(e));
  }
  const auto stopExporters = [&] {
    for (auto& e : exporters) {
      ::kill(static_cast<pid_t>(e.process->processId()), SIGTERM);
      if (!e.process->waitForFinished(5000)) e.process->kill();
    }
  };
  std::printf("bench_console_load: %d servers polled every %d s over %d `healthdeck serve` "
              "exporters (disk + heartbeat check each), %d s measured after %d s warm-up, "
              "offscreen window 1280x800\n",
              args.targets, args.intervalS, args.exporters, args.seconds, args.warmupS);
  std::fflush(stdout);

  const QString self = QCoreApplication::applicationFilePath();
  const auto base = runConsole(args, self, dir.filePath(QStringLiteral("baseline")), 0, ports);
  double exporterCpu0 = 0;
  for (const auto& e : exporters)
    exporterCpu0 += processCpuSeconds(e.process->processId());
  const auto load =
      runConsole(args, self, dir.filePath(QStringLiteral("load")), args.targets, ports);
  double exporterCpu = -exporterCpu0;
  for (const auto& e : exporters)
    exporterCpu += processCpuSeconds(e.process->processId());
  std::optional<QJsonObject> viaQt;
  if (args.compareQt)
    viaQt =
        runConsole(args, self, dir.filePath(QStringLiteral("load-qt")), args.targets, ports, true);
  stopExporters();
  if (!base || !load || (args.compareQt && !viaQt)) return 1;

  printRun("baseline (idle console)", *base);
  printRun("load", *load);
  if (viaQt) printRun("load, plain http:// polls on QNetworkAccessManager (--compare-qt)", *viaQt);
  const auto d = [](const QJsonObject& r, const char* k) {
    return r.value(QLatin1String(k)).toDouble();
  };
  const auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::printf("exporters: %.2f s CPU together during the load run (%.2f %% of one core)\n",
              exporterCpu, 100.0 * exporterCpu / std::max(1.0, d(*load, "seconds") + args.warmupS));
  std::printf("RATIO cpu load/baseline %.2f (delta %.2f %% of one core)\n",
              ratio(d(*load, "cpu_pct"), d(*base, "cpu_pct")),
              d(*load, "cpu_pct") - d(*base, "cpu_pct"));
  std::printf("RATIO rss_end load/baseline %.2f (delta %.1f MiB, %.1f KiB per server)\n",
              ratio(d(*load, "rss_end_kib"), d(*base, "rss_end_kib")),
              (d(*load, "rss_end_kib") - d(*base, "rss_end_kib")) / 1024,
              args.targets > 0 ? (d(*load, "rss_end_kib") - d(*base, "rss_end_kib")) / args.targets
                               : 0.0);
  std::printf("RATIO late_p99 load/baseline %.2f, late_max load/baseline %.2f\n",
              ratio(d(*load, "late_p99_ms"), d(*base, "late_p99_ms")),
              ratio(d(*load, "late_max_ms"), d(*base, "late_max_ms")));
  if (viaQt) {
    std::printf("RATIO cpu load/qt-transport %.2f (%.2f vs %.2f %% of one core)\n",
                ratio(d(*load, "cpu_pct"), d(*viaQt, "cpu_pct")), d(*load, "cpu_pct"),
                d(*viaQt, "cpu_pct"));
    std::printf("RATIO late_p99 load/qt-transport %.2f (%.2f vs %.2f ms), ticks late > 50 ms "
                "%.0f vs %.0f\n",
                ratio(d(*load, "late_p99_ms"), d(*viaQt, "late_p99_ms")), d(*load, "late_p99_ms"),
                d(*viaQt, "late_p99_ms"), d(*load, "stalls_50ms"), d(*viaQt, "stalls_50ms"));
  }
  const int up = load->value(QLatin1String("up")).toInt();
  const bool ok = up == args.targets && d(*load, "stalls_100ms") == 0;
  std::printf("%s: %d/%d up, %.0f event-loop stalls over 100 ms\n", ok ? "OK" : "PROBLEM", up,
              args.targets, d(*load, "stalls_100ms"));
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  const Args args = parseArgs(argc, argv);
  return args.child ? runChild(args, argc, argv) : runParent(args, argc, argv);
}
