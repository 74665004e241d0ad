#pragma once
// TriageState: what the admin decided about current trouble — acknowledgements, snoozes and
// maintenance windows — and the questions every surface asks of it ("is this server in
// maintenance now?", "may it notify?").
//
// - Acknowledgement (per server, with who/when/why): notifications for that server stop until
//   it recovers; it ends by itself on the server's next transition to Up (watched on the
//   TargetStore's event log), emitting acknowledgementEnded.
// - Snooze (per server or per group) until a time: notifications stop; it ends by itself at
//   that time (a single timer armed for the earliest end), emitting snoozeEnded.
// - Maintenance windows (see maintenance_window.h): polled as usual, shown as "maintenance",
//   no notifications; maintenanceChanged fires when a window starts or ends for anyone.
//
// Persistence, with a seam for the history database: acknowledgements and snoozes (run-time
// decisions) are read and written as one JSON object (toJson/fromJson; openStateFile keeps a
// small JSON file next to the event log); maintenance window *definitions* belong to the
// server list file and are set with setMaintenanceWindows. A later store only has to call the
// same two functions.
//
// Times are UTC QDateTime from the clock (replaceable for tests). Not thread-safe: GUI thread.

#include "healthdeck/client/store/maintenance_window.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace healthdeck {

class TargetStore;

struct Acknowledgement {
  QString by;   ///< who (the desktop user name)
  QDateTime at; ///< when, UTC
  QString note; ///< why; plain text
};

class TriageState : public QObject {
  Q_OBJECT
public:
  using Clock = std::function<QDateTime()>;

  /// `store` (may be null in tests) supplies groups and ends acknowledgements on recovery.
  explicit TriageState(TargetStore* store, QObject* parent = nullptr);

  void setClock(Clock clock);
  QDateTime now() const { return m_clock(); }

  // Acknowledgements.
  void acknowledge(const QString& targetId, const QString& by, const QString& note);
  void clearAcknowledgement(const QString& targetId);
  std::optional<Acknowledgement> acknowledgement(const QString& targetId) const;

  // Snoozes: `until` UTC; a time in the past clears it.
  void snoozeTarget(const QString& targetId, const QDateTime& until);
  void snoozeGroup(const QString& group, const QDateTime& until);
  void clearSnooze(const QString& targetId);
  void clearGroupSnooze(const QString& group);
  /// The later of the server's and its group's snooze end, when still in the future.
  std::optional<QDateTime> snoozedUntil(const QString& targetId) const;

  // Maintenance.
  void setMaintenanceWindows(const QList<MaintenanceWindow>& windows);
  void addMaintenanceWindow(const MaintenanceWindow& window);
  void removeMaintenanceWindow(const QString& windowId);
  const QList<MaintenanceWindow>& maintenanceWindows() const { return m_windows; }
  /// The window covering the server now and when its occurrence ends (UTC).
  std::optional<std::pair<MaintenanceWindow, QDateTime>>
  activeMaintenance(const QString& targetId) const;

  /// False while acknowledged, snoozed or in maintenance.
  bool mayNotify(const QString& targetId) const;

  // Persistence of acknowledgements and snoozes.
  QJsonObject toJson() const;
  void fromJson(const QJsonObject& o);
  /// Loads `path` if it exists and writes every change to it. False (with `error`) if it
  /// exists but cannot be read or parsed; state then stays in memory only.
  bool openStateFile(const QString& path, QString* error = nullptr);
  QString stateFileError() const { return m_fileError; }

Q_SIGNALS:
  /// Any acknowledgement, snooze or window of this server changed (empty id: many servers).
  void triageChanged(const QString& targetId);
  void acknowledgementEnded(const QString& targetId);
  /// `key` is "server:<id>" or "group:<name>".
  void snoozeEnded(const QString& key);
  void maintenanceChanged();

private:
  QString groupOf(const QString& targetId) const;
  void rearm();
  void onTimer();
  void save();

  TargetStore* m_store = nullptr;
  Clock m_clock;
  QHash<QString, Acknowledgement> m_acks;
  QHash<QString, QDateTime> m_snoozes; ///< key "server:<id>" / "group:<name>"
  QList<MaintenanceWindow> m_windows;
  QHash<QString, bool> m_inMaintenance; ///< last known, per window id
  QTimer m_timer;
  QString m_path;
  QString m_fileError;
};

} // namespace healthdeck
