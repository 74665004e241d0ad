#include "healthdeck/client/store/notification_hook.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

namespace healthdeck {

NotificationHook::NotificationHook(QObject* parent) : QObject(parent) {}

NotificationHook::~NotificationHook() {
  // Children still running are killed and reaped, never left behind.
  for (QProcess* p : findChildren<QProcess*>()) {
    p->disconnect(this);
    p->kill();
    p->waitForFinished(2000);
  }
}

QByteArray NotificationHook::payload(const TargetEvent& e, const QString& title,
                                     const QString& body) {
  const QJsonObject o{{QStringLiteral("server_id"), e.targetId},
                      {QStringLiteral("server_name"), e.targetName},
                      {QStringLiteral("from"), toString(e.from)},
                      {QStringLiteral("to"), toString(e.to)},
                      {QStringLiteral("flapping"), e.flapping},
                      {QStringLiteral("at"), e.at.toUTC().toString(Qt::ISODate)},
                      {QStringLiteral("title"), title},
                      {QStringLiteral("sentence"), body}};
  return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

void NotificationHook::run(const TargetEvent& e, const QString& title, const QString& body) {
  if (m_argv.isEmpty() || m_argv.first().isEmpty()) return;
  if (m_running >= m_maxRunning) {
    Q_EMIT hookFailed(QStringLiteral("%1 hook runs still busy; notification for %2 dropped")
                          .arg(m_running)
                          .arg(e.targetName));
    return;
  }
  auto* p = new QProcess(this);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("HEALTHDECK_EVENT"), QStringLiteral("transition"));
  env.insert(QStringLiteral("HEALTHDECK_SERVER_ID"), e.targetId);
  env.insert(QStringLiteral("HEALTHDECK_SERVER_NAME"), e.targetName);
  env.insert(QStringLiteral("HEALTHDECK_FROM"), toString(e.from));
  env.insert(QStringLiteral("HEALTHDECK_TO"), toString(e.to));
  env.insert(QStringLiteral("HEALTHDECK_FLAPPING"),
             e.flapping ? QStringLiteral("1") : QStringLiteral("0"));
  env.insert(QStringLiteral("HEALTHDECK_AT"), e.at.toUTC().toString(Qt::ISODate));
  env.insert(QStringLiteral("HEALTHDECK_TITLE"), title);
  env.insert(QStringLiteral("HEALTHDECK_SENTENCE"), body);
  p->setProcessEnvironment(env);
  p->setProgram(m_argv.first());
  p->setArguments(m_argv.mid(1));
  p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
  p->setStandardOutputFile(QProcess::nullDevice());

  auto* timer = new QTimer(p);
  timer->setSingleShot(true);
  connect(timer, &QTimer::timeout, p, [p] {
    p->setProperty("healthdeckKilled", true);
    p->kill();
  });
  ++m_running;
  connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError err) {
    if (err != QProcess::FailedToStart) return; // crash/kill end in finished()
    --m_running;
    Q_EMIT hookFailed(QStringLiteral("%1 did not start: %2").arg(p->program(), p->errorString()));
    p->deleteLater();
  });
  connect(p, &QProcess::finished, this, [this, p, timer](int code, QProcess::ExitStatus status) {
    timer->stop();
    --m_running;
    if (p->property("healthdeckKilled").toBool())
      Q_EMIT hookFailed(QStringLiteral("%1 killed after %2 ms (timeout)")
                            .arg(p->program())
                            .arg(m_timeout.count()));
    else if (status == QProcess::CrashExit)
      Q_EMIT hookFailed(QStringLiteral("%1 crashed").arg(p->program()));
    else
      Q_EMIT hookFinished(code);
    p->deleteLater();
  });
  p->start(QIODevice::ReadWrite);
  if (p->state() == QProcess::NotRunning) return; // errorOccurred already reported it
  timer->start(static_cast<int>(m_timeout.count()));
  // A program that never reads stdin must not block us: the write is buffered by QProcess.
  p->write(payload(e, title, body));
  p->closeWriteChannel();
}

} // namespace healthdeck
