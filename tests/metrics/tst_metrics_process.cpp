// ProcessCollector: plausible values for this process against /proc and getrlimit, open fds
// following open()/close(), exact values from a crafted proc root, and omitted families when
// files are missing or truncated.

#include "healthdeck/metrics/process_collector.h"
#include "healthdeck/metrics/registry.h"
#include "tests/metrics/sample_lookup.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace healthdeck::metrics;

namespace {

std::optional<double> value(const std::vector<prometheus::MetricFamily>& families,
                            const std::string& name) {
  for (const auto& f : families)
    if (f.name == name && !f.metric.empty())
      return f.type == prometheus::MetricType::Counter ? f.metric[0].counter.value
                                                       : f.metric[0].gauge.value;
  return std::nullopt;
}

bool writeFile(const QString& path, const QByteArray& content) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

double nowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Fields 3..24 of a stat line after "(comm)": utime=250, stime=150, num_threads=7,
// starttime=500, vsize=123456789, rss=1000.
const QByteArray kStat = "4242 (my (odd) proc) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                         "250 150 0 0 20 0 7 0 500 123456789 1000 18446744073709551615 1 1 0\n";
const QByteArray kLimits =
    "Limit                     Soft Limit           Hard Limit           Units\n"
    "Max cpu time              unlimited            unlimited            seconds\n"
    "Max open files            1024                 524288               files\n";
const QByteArray kProcStat = "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 9\n";

} // namespace

class TstMetricsProcess : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void realProcessIsPlausible() {
    const ProcessCollector collector;
    const auto families = collector.Collect();
    for (const char* name : {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                             "process_virtual_memory_bytes", "process_resident_memory_bytes",
                             "process_start_time_seconds", "process_threads"})
      QVERIFY2(value(families, name).has_value(), name);

    QVERIFY(*value(families, "process_cpu_seconds_total") >= 0);
    rlimit limit{};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
    QCOMPARE(*value(families, "process_max_fds"), double(limit.rlim_cur));

    // statm's resident pages, read independently, within a factor of two.
    QFile statm(QStringLiteral("/proc/self/statm"));
    QVERIFY(statm.open(QIODevice::ReadOnly));
    const auto statmFields = statm.readAll().split(' ');
    const double rss = statmFields.at(1).toDouble() * double(sysconf(_SC_PAGESIZE));
    const double reported = *value(families, "process_resident_memory_bytes");
    QVERIFY2(
        reported > rss / 2 && reported < rss * 2,
        QByteArray(QByteArray::number(reported) + " vs " + QByteArray::number(rss)).constData());
    QVERIFY(*value(families, "process_virtual_memory_bytes") >= reported);

    // The test process started within the last hour and not in the future.
    const double start = *value(families, "process_start_time_seconds");
    QVERIFY2(start <= nowSeconds() + 1 && start > nowSeconds() - 3600,
             QByteArray::number(start, 'f', 2).constData());
  }

  void threadsFollowThreads() {
    const ProcessCollector collector;
    const double before = *value(collector.Collect(), "process_threads");
    std::mutex mutex;
    std::condition_variable cv;
    bool release = false;
    std::thread extra([&] {
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return release; });
    });
    const double during = *value(collector.Collect(), "process_threads");
    {
      const std::lock_guard lock(mutex);
      release = true;
    }
    cv.notify_all();
    extra.join();
    QCOMPARE(during, before + 1);
  }

  void openFdsFollowOpenAndClose() {
    const ProcessCollector collector;
    const double before = *value(collector.Collect(), "process_open_fds");
    std::vector<int> fds;
    for (int i = 0; i < 10; ++i) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      QVERIFY(fd >= 0);
      fds.push_back(fd);
    }
    const double during = *value(collector.Collect(), "process_open_fds");
    for (const int fd : fds)
      ::close(fd);
    const double after = *value(collector.Collect(), "process_open_fds");
    QCOMPARE(during, before + 10);
    QCOMPARE(after, before);
  }

  void craftedProcRoot() {
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QDir dir(root.path());
    QVERIFY(dir.mkpath(QStringLiteral("self/fd")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("self/stat")), kStat));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("self/limits")), kLimits));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("stat")), kProcStat));
    for (int i = 0; i < 3; ++i)
      QVERIFY(writeFile(dir.filePath(QStringLiteral("self/fd/%1").arg(i)), "x"));

    const ProcessCollector collector(root.path().toStdString(), 100, 4096);
    const auto families = collector.Collect();
    QCOMPARE(families.size(), std::size_t{7});
    QCOMPARE(*value(families, "process_cpu_seconds_total"), 4.0);
    QCOMPARE(*value(families, "process_threads"), 7.0);
    QCOMPARE(*value(families, "process_start_time_seconds"), 1700000005.0);
    QCOMPARE(*value(families, "process_virtual_memory_bytes"), 123456789.0);
    QCOMPARE(*value(families, "process_resident_memory_bytes"), 4096000.0);
    QCOMPARE(*value(families, "process_max_fds"), 1024.0);
    QCOMPARE(*value(families, "process_open_fds"), 3.0);

    // Through a namespaced Registry the names stay unprefixed and the types are right.
    Registry registry("app");
    registry.addCollectable(std::make_shared<ProcessCollector>(collector));
    const std::string text = registry.text();
    QVERIFY(text.find("# TYPE process_cpu_seconds_total counter\n") != std::string::npos);
    QVERIFY(text.find("# TYPE process_open_fds gauge\n") != std::string::npos);
    QCOMPARE(healthdeck::testing::sampleOr(text, "process_start_time_seconds"), 1700000005.0);
  }

  void unreadableValuesAreOmitted_data() {
    QTest::addColumn<QByteArray>("stat");
    QTest::addColumn<QByteArray>("limits");
    QTest::addColumn<QByteArray>("procStat");
    QTest::addColumn<bool>("fdDir");
    QTest::addColumn<QStringList>("present");
    const QStringList all{QStringLiteral("process_cpu_seconds_total"),
                          QStringLiteral("process_open_fds"),
                          QStringLiteral("process_max_fds"),
                          QStringLiteral("process_virtual_memory_bytes"),
                          QStringLiteral("process_resident_memory_bytes"),
                          QStringLiteral("process_start_time_seconds"),
                          QStringLiteral("process_threads")};
    QTest::newRow("everything") << kStat << kLimits << kProcStat << true << all;
    QTest::newRow("nothing at all")
        << QByteArray() << QByteArray() << QByteArray() << false << QStringList{};
    // Truncated after stime (field 15): cpu only from stat.
    QTest::newRow("stat truncated")
        << QByteArray("4242 (p) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150") << kLimits
        << kProcStat << true
        << QStringList{QStringLiteral("process_cpu_seconds_total"),
                       QStringLiteral("process_open_fds"), QStringLiteral("process_max_fds")};
    QTest::newRow("stat without comm end")
        << QByteArray("4242 (p S 1 2 3") << kLimits << kProcStat << true
        << QStringList{QStringLiteral("process_open_fds"), QStringLiteral("process_max_fds")};
    QTest::newRow("garbage number")
        << QByteArray(kStat).replace(" 250 ", " 2x0 ") << QByteArray("Max open files  lots\n")
        << QByteArray("btime\n") << true
        << QStringList{
               QStringLiteral("process_open_fds"), QStringLiteral("process_virtual_memory_bytes"),
               QStringLiteral("process_resident_memory_bytes"), QStringLiteral("process_threads")};
    QTest::newRow("no fd dir, unlimited fds")
        << kStat << QByteArray("Max open files            unlimited            unlimited  files\n")
        << kProcStat << false << QStringList{QStringLiteral("process_cpu_seconds_total"),
                                             QStringLiteral("process_max_fds"),
                                             QStringLiteral("process_virtual_memory_bytes"),
                                             QStringLiteral("process_resident_memory_bytes"),
                                             QStringLiteral("process_start_time_seconds"),
                                             QStringLiteral("process_threads")};
  }
  void unreadableValuesAreOmitted() {
    QFETCH(QByteArray, stat);
    QFETCH(QByteArray, limits);
    QFETCH(QByteArray, procStat);
    QFETCH(bool, fdDir);
    QFETCH(QStringList, present);
    QTemporaryDir root;
    QDir dir(root.path());
    QVERIFY(dir.mkpath(fdDir ? QStringLiteral("self/fd") : QStringLiteral("self")));
    if (!stat.isEmpty()) QVERIFY(writeFile(dir.filePath(QStringLiteral("self/stat")), stat));
    if (!limits.isEmpty()) QVERIFY(writeFile(dir.filePath(QStringLiteral("self/limits")), limits));
    if (!procStat.isEmpty()) QVERIFY(writeFile(dir.filePath(QStringLiteral("stat")), procStat));

    const ProcessCollector collector(root.path().toStdString(), 100, 4096);
    const auto families = collector.Collect();
    QStringList names;
    for (const auto& f : families) {
      names << QString::fromStdString(f.name);
      QVERIFY(!std::isnan(f.metric.at(0).gauge.value) && !std::isnan(f.metric.at(0).counter.value));
    }
    QCOMPARE(names, present);
    if (limits.contains("files            unlimited"))
      QCOMPARE(*value(families, "process_max_fds"), 18446744073709551615.0);
    Registry registry;
    registry.addCollectable(std::make_shared<ProcessCollector>(collector));
    QVERIFY(registry.text().find("NaN") == std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TstMetricsProcess)
#include "tst_metrics_process.moc"
