#pragma once
// Worker threads of the client library: the one way the history writer and reader end the
// thread their worker object lives on, and the parse thread the Poller and the MetricsHub
// share (health documents and /metrics pages of a round are parsed on one thread).
// GUI-thread code; the finishing calls block until the worker's current job is done.

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <memory>

namespace healthdeck {

/// Runs `close` on `worker`'s thread, hands the worker back to the thread that created that
/// thread (its timers and connections must not outlive their thread: the owner then destroys
/// it safely), quits and joins the thread, and deletes the QThread.
template <typename Close> void finishWorkerThread(QObject* worker, Close close) {
  QThread* thread = worker->thread();
  QMetaObject::invokeMethod(
      worker,
      [worker, thread, &close] {
        close();
        worker->moveToThread(thread->thread());
        thread->quit();
      },
      Qt::BlockingQueuedConnection);
  thread->wait();
  delete thread;
}

/// A started worker thread that several owners share; it is quit and joined when the last
/// owner lets go of it.
inline std::shared_ptr<QThread> startSharedThread(const QString& name) {
  auto* thread = new QThread;
  thread->setObjectName(name);
  thread->start();
  return {thread, [](QThread* t) {
            t->quit();
            t->wait();
            delete t;
          }};
}

/// Ends an owner's use of a shared worker thread: waits for the job running on `context` (an
/// object living on that thread) to finish, takes the context back to the calling thread and
/// deletes it with every job still queued for it. Nothing posted to it runs afterwards.
inline void retireContext(QObject* context) {
  QThread* here = QThread::currentThread();
  QThread* there = context->thread();
  if (there && there != here && there->isRunning())
    QMetaObject::invokeMethod(
        context, [context, here] { context->moveToThread(here); }, Qt::BlockingQueuedConnection);
  delete context;
}

} // namespace healthdeck
