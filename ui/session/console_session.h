#pragma once
// ConsoleSession: wires one running console together — monitoring config, embedded exporter,
// "This host", the server list file, keychain, Poller → TargetStore → window, tray and
// notifications — and carries out what the window asks for (add, edit, remove, poll, import,
// export). app/console.cpp is a thin main around it. GUI thread only.

#include "healthdeck/client/store/maintenance_window.h"
#include "healthdeck/client/target_snapshot.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/ui/session/console_settings.h"

#include <QList>
#include <QObject>
#include <QPoint>
#include <QString>

#include <memory>

namespace healthdeck {

class EmbeddedExporter;
class FreshnessMonitor;
class EventsTimeline;
class HistoryReader;
class HistoryView;
class HistoryWriter;
class MainWindow;
class MetricsHub;
class NotificationHook;
class TriageController;
class TriageState;
class Poller;
class PrometheusSourceHub;
class SecretStore;
class TargetStore;
class TrayController;
class TransitionNotifier;
struct TargetConfig;

struct ConsoleOptions {
  QString configPath;   ///< monitoring YAML; empty → the default location or built-ins
  bool exporter = true; ///< start the embedded exporter
  QString serversPath;  ///< empty → defaultServerListPath()
  QString eventLogPath; ///< empty → $XDG_DATA_HOME/healthdeck/events.jsonl
  /// Acknowledgements and snoozes; empty → triage.json next to the event log.
  QString triagePath;
  /// empty → history.sqlite next to the event log ($XDG_DATA_HOME/healthdeck/history.sqlite)
  QString historyPath;
};

class ConsoleSession : public QObject {
  Q_OBJECT
public:
  explicit ConsoleSession(ConsoleOptions options, QObject* parent = nullptr);
  ~ConsoleSession() override;

  /// Loads the configuration and starts everything. Returns a fatal error ("FILE:LINE: KEY:
  /// message" of a bad monitoring config), empty on success; other problems (busy port,
  /// unreadable server list) are shown in the window and the console keeps running.
  QString start();

  MainWindow& window() { return *m_window; }
  TargetStore& store() { return *m_store; }
  /// The Prometheus sources and their rows (null before start()).
  PrometheusSourceHub* sources() { return m_sources; }
  TriageState& triage() { return *m_triage; }
  /// Null before start(); writes nothing when another console holds the database.
  HistoryWriter* history() const { return m_history; }
  HistoryReader* historyReader() const { return m_historyReader; }
  HistoryView* historyView() const { return m_historyView; }
  EventsTimeline* eventsTimeline() const { return m_timeline; }
  static QString thisHostId() { return QStringLiteral("this-host"); }

  const ConsoleSettings& settings() const { return m_settings; }
  /// Persists `settings` and applies them at once: reminder interval and failures-before-
  /// notify to every target, the default interval to servers added from now on, and the
  /// embedded exporter stopped, started or moved (This host follows it).
  void applySettings(const ConsoleSettings& settings);
  /// Where the embedded exporter serves ("127.0.0.1:9797"), empty when it does not.
  QString exporterAddress() const;
  /// "Open direct" on a row a Prometheus source feeds: adds a server that this desk polls
  /// itself (a copy of the row: its scrape address, default health routes; group "Direct",
  /// id "direct:<row id>"), saves the server list and selects it. Other rows: nothing.
  void openDirect(const QString& targetId);
  /// The servers `targetId` may sit behind, as (id, name) sorted by name: every listed server
  /// but itself and those already behind it (directly or through others), so no loop forms.
  QList<QPair<QString, QString>> parentCandidates(const QString& targetId) const;

private:
  void addServer();
  void editServer(const QString& targetId);
  void removeServer(const QString& targetId);
  void importServers();
  void exportServers();
  void applyEdited(const TargetConfig& target, const QByteArray& secret, bool keychain);
  void saveServers();
  void loadKeychainSecrets();
  void attachMetrics();
  /// History (issue 11): the writer fed by the Poller and the store, the reader behind the
  /// uptime column, the detail pane's uptime line, the History tab and the Events timeline.
  void attachHistory(const QString& eventLogPath);
  void syncHistoryServers();
  void recordTriageSpans(const TargetConfig& target);
  void openSettings();
  // Prometheus sources (issue 13): rows fed by a Prometheus-compatible API.
  void addSource();
  void editSource(const QString& sourceId);
  void removeSource();
  void attachSourcesMenu();
  /// (Re)starts the embedded exporter as options and settings say and points This host at
  /// it (or at the configured address when it does not serve).
  void startExporter(TargetConfig& here);
  /// Triage (issue 12): acknowledgements, snoozes, maintenance, freshness, the command hook,
  /// the overview page and the servers' context menu.
  void attachTriage(const QString& eventLogPath);
  void applyTriageSettings();
  void showContextMenu(const QString& targetId, const QPoint& globalPos);

  ConsoleOptions m_options;
  std::unique_ptr<TargetStore> m_store;
  std::unique_ptr<EmbeddedExporter> m_exporter;
  SecretStore* m_secrets = nullptr;
  Poller* m_poller = nullptr;
  PrometheusSourceHub* m_sources = nullptr;
  TransitionNotifier* m_notifier = nullptr;
  TriageState* m_triage = nullptr;
  TriageController* m_triageController = nullptr;
  FreshnessMonitor* m_freshness = nullptr;
  NotificationHook* m_hook = nullptr;
  MetricsHub* m_hub = nullptr;
  QList<MaintenanceWindow> m_loadedWindows;
  TrayController* m_tray = nullptr;
  HistoryWriter* m_history = nullptr;
  HistoryReader* m_historyReader = nullptr;
  HistoryView* m_historyView = nullptr;
  EventsTimeline* m_timeline = nullptr;
  QString m_lastRawId;                               ///< the last raw observation, so the
  TargetState m_lastRawState = TargetState::Unknown; ///< history stores what was observed
  std::unique_ptr<MainWindow> m_window;
  MonitoringConfig m_config;
  ConsoleSettings m_settings;
  QString m_serversPath;
  bool m_serversFileBroken = false; ///< never overwrite a file we could not read
};

} // namespace healthdeck
