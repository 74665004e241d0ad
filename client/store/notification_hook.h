#pragma once
// NotificationHook: forwards notifications to a program the admin chose (a chat webhook
// script, a pager CLI). The program is an argv list started directly with QProcess — never
// through a shell, and no server text is ever put into its arguments — so a server name like
// "$(rm -rf ~)" stays data. The transition travels in environment variables and as one JSON
// object on standard input:
//   HEALTHDECK_EVENT=transition  HEALTHDECK_SERVER_ID  HEALTHDECK_SERVER_NAME
//   HEALTHDECK_FROM / HEALTHDECK_TO (state words)  HEALTHDECK_FLAPPING=0|1
//   HEALTHDECK_AT (ISO 8601 UTC)  HEALTHDECK_TITLE  HEALTHDECK_SENTENCE
//   stdin: {"server_id","server_name","from","to","flapping","at","title","sentence"}
// Each run has a timeout; a program still running then is killed (and reported). At most
// `maxRunning` run at once; more are dropped and reported, so a storm cannot fork-bomb.
// Not thread-safe: GUI thread. Owns its QProcess objects.

#include "healthdeck/client/store/target_event.h"

#include <QObject>
#include <QStringList>

#include <chrono>

namespace healthdeck {

class NotificationHook : public QObject {
  Q_OBJECT
public:
  explicit NotificationHook(QObject* parent = nullptr);
  ~NotificationHook() override;

  /// argv: program (absolute path or a name found on PATH) and its fixed arguments; empty
  /// turns the hook off.
  void setCommand(const QStringList& argv) { m_argv = argv; }
  QStringList command() const { return m_argv; }
  void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
  void setMaxRunning(int n) { m_maxRunning = n; }
  int running() const { return m_running; }

  /// Starts the program for one notification (no-op when no command is set).
  void run(const healthdeck::TargetEvent& event, const QString& title, const QString& body);

  /// The JSON document written to the program's standard input.
  static QByteArray payload(const TargetEvent& event, const QString& title, const QString& body);

Q_SIGNALS:
  /// The program ended by itself with this exit code.
  void hookFinished(int exitCode);
  /// It could not start, crashed, was killed at the timeout, or was dropped; `reason` says.
  void hookFailed(const QString& reason);

private:
  QStringList m_argv;
  std::chrono::milliseconds m_timeout{10000};
  int m_maxRunning = 4;
  int m_running = 0;
};

} // namespace healthdeck
