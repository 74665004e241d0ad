#pragma once
// TimedApplication: a QApplication that times every top-level event dispatch on the GUI thread
// while `measuring`, and keeps those over kSlowMs by event type and receiver class (and the
// receiver's object name when it has one, and its parent's class: the owner of a timer or a queued
// call). For the console benchmarks (bench_console_load, bench_prometheus_source --console): it
// says which events make the event loop late. Events dispatched on other threads are not timed.

#include <QApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringBuilder>
#include <QThread>

#include <algorithm>
#include <cstdio>

namespace healthdeck::bench {

class TimedApplication : public QApplication {
public:
  static constexpr double kSlowMs = 8.0;
  using QApplication::QApplication;
  struct Slow {
    int count = 0;
    double totalMs = 0;
    double maxMs = 0;
  };
  bool measuring = false;
  QHash<QString, Slow> slow;

  bool notify(QObject* receiver, QEvent* event) override {
    // notify() runs on every thread that dispatches events (workers included): only the GUI
    // thread's are timed, and only it touches m_depth and `slow`.
    if (m_depth > 0 || !measuring || QThread::currentThread() != thread())
      return QApplication::notify(receiver, event);
    ++m_depth;
    QElapsedTimer t;
    t.start();
    const int type = static_cast<int>(event->type());
    // Class names are taken before the dispatch (the receiver may be deleted by it); meta
    // objects are static, so this costs no allocation per event.
    const QMetaObject* mo = receiver ? receiver->metaObject() : nullptr;
    QObject* parent = receiver ? receiver->parent() : nullptr;
    const QMetaObject* parentMo = parent ? parent->metaObject() : nullptr;
    const QString name = receiver ? receiver->objectName() : QString(); // shared, not copied
    const bool result = QApplication::notify(receiver, event);
    --m_depth;
    const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
    if (ms > kSlowMs) {
      QString who = QStringLiteral("event %1").arg(type);
      if (mo) who += QLatin1Char(' ') % QLatin1String(mo->className());
      if (!name.isEmpty()) who += QStringLiteral(" \"") % name % QLatin1Char('"');
      if (parentMo) who += QStringLiteral(" in ") % QLatin1String(parentMo->className());
      Slow& s = slow[who];
      ++s.count;
      s.totalMs += ms;
      s.maxMs = std::max(s.maxMs, ms);
    }
    return result;
  }

  QJsonArray slowEventsJson() const {
    QJsonArray out;
    for (auto it = slow.cbegin(); it != slow.cend(); ++it)
      out.append(QJsonObject{{QStringLiteral("what"), it.key()},
                             {QStringLiteral("count"), it.value().count},
                             {QStringLiteral("total_ms"), it.value().totalMs},
                             {QStringLiteral("max_ms"), it.value().maxMs}});
    return out;
  }

private:
  int m_depth = 0;
};

/// Prints the slow events of slowEventsJson(), the costliest (total time) first, at most 6.
inline void printSlowEvents(const QJsonArray& events) {
  QList<QJsonObject> slow;
  for (const auto v : events)
    slow << v.toObject();
  std::sort(slow.begin(), slow.end(), [](const QJsonObject& a, const QJsonObject& b) {
    return a.value(QLatin1String("total_ms")).toDouble() >
           b.value(QLatin1String("total_ms")).toDouble();
  });
  std::printf("  GUI-thread events over %.0f ms: %lld kinds\n", TimedApplication::kSlowMs,
              static_cast<long long>(slow.size()));
  for (qsizetype i = 0; i < std::min<qsizetype>(6, slow.size()); ++i)
    std::printf("    %4d x, max %6.1f ms, total %7.1f ms: %s\n",
                slow[i].value(QLatin1String("count")).toInt(),
                slow[i].value(QLatin1String("max_ms")).toDouble(),
                slow[i].value(QLatin1String("total_ms")).toDouble(),
                qPrintable(slow[i].value(QLatin1String("what")).toString()));
}

} // namespace healthdeck::bench
