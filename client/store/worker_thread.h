#pragma once
// The one way the history writer and reader end the thread their worker object lives on.
// GUI-thread code, called from the owner's destructor; blocks until the thread has ended.

#include <QMetaObject>
#include <QObject>
#include <QThread>

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

} // namespace healthdeck
