#include "healthdeck/ui/session/console_session.h"

#include "healthdeck/ui/models/metric_roles.h"

#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/freshness_monitor.h"
#include "healthdeck/client/store/history_reader.h"
#include "healthdeck/client/store/history_writer.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/notification_hook.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/client/store/triage_state.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/ui/dialogs/prometheus_source_dialog.h"
#include "healthdeck/ui/dialogs/server_dialog.h"
#include "healthdeck/ui/dialogs/settings_dialog.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/session/embedded_exporter.h"
#include "healthdeck/ui/session/prometheus_source_hub.h"
#include "healthdeck/ui/session/secret_store.h"
#include "healthdeck/ui/session/triage_controller.h"
#include "healthdeck/ui/views/badge_delegate.h"
#include "healthdeck/ui/views/server_sparkline_delegate.h"
#include "healthdeck/ui/widgets/events_timeline.h"
#include "healthdeck/ui/widgets/history_view.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/widgets/overview_page.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"
#include "healthdeck/ui/widgets/target_metrics_view.h"
#include "healthdeck/ui/widgets/tray_controller.h"

#include <QApplication>
#include <QBoxLayout>
#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkInformation>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QUuid>
#include <algorithm>

namespace healthdeck {

ConsoleSession::ConsoleSession(ConsoleOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)) {}

ConsoleSession::~ConsoleSession() {
  // Window and poller first: they reference the store (and the history reader); the exporter
  // last. The history writer (a child) flushes and ends its session when it is destroyed.
  m_window.reset();
  delete m_tray;
  delete m_poller;
  delete m_sources;
  m_store.reset();
  m_exporter.reset();
}

namespace {

QSettings consoleQSettings() {
  return QSettings(QSettings::IniFormat, QSettings::UserScope, consoleSettingsOrganization(),
                   consoleSettingsApplication());
}

void applyNotifyRules(TargetConfig& t, const ConsoleSettings& s) {
  t.flap.failuresToDown = s.failuresBeforeNotify;
  t.flap.notifyMinInterval = s.reminderInterval;
}

} // namespace

QString ConsoleSession::start() {
  try {
    m_config = loadMonitoringConfig(m_options.configPath.toStdString());
  } catch (const ConfigError& e) {
    return QString::fromStdString(e.what());
  }
  const MonitoringConfig& config = m_config;
  m_settings = ConsoleSettings::load(consoleQSettings());

  m_store = std::make_unique<TargetStore>();
  const QString eventLog =
      m_options.eventLogPath.isEmpty()
          ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) %
                QStringLiteral("/healthdeck/events.jsonl")
          : m_options.eventLogPath;
  QString eventLogError;
  const bool eventLogOk = m_store->openEventLog(eventLog, &eventLogError);

  m_secrets = new SecretStore(QStringLiteral("healthdeck"), this);
  m_poller = new Poller;
  m_poller->setSecretResolver(m_secrets->resolver(),
                              [this](const QString& ref) { return m_secrets->problem(ref); });
  connect(m_poller, &Poller::snapshotReady, m_store.get(), &TargetStore::applySnapshot);
  m_notifier = new TransitionNotifier(*m_store, this);
  m_notifier->setReminderInterval(m_settings.reminderInterval);

  m_window = std::make_unique<MainWindow>(*m_store);
  attachMetrics();
  attachTriage(eventLog);
  attachSourcesMenu();
  attachHistory(eventLog);
  m_tray = new TrayController(*m_store, *m_notifier);
  connect(m_tray, &TrayController::openRequested, m_window.get(), [this] {
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
  });
  connect(m_tray, &TrayController::quitRequested, qApp, &QApplication::quit);
  connect(m_window.get(), &MainWindow::quitRequested, qApp, &QApplication::quit);
  connect(m_window.get(), &MainWindow::addServerRequested, this, &ConsoleSession::addServer);
  connect(m_window.get(), &MainWindow::editServerRequested, this, &ConsoleSession::editServer);
  connect(m_window.get(), &MainWindow::removeServerRequested, this, &ConsoleSession::removeServer);
  connect(m_window.get(), &MainWindow::pollRequested, m_poller, &Poller::pollNow);
  connect(m_window.get(), &MainWindow::pollAllRequested, m_poller, &Poller::pollAll);
  connect(m_window.get(), &MainWindow::importRequested, this, &ConsoleSession::importServers);
  connect(m_window.get(), &MainWindow::exportRequested, this, &ConsoleSession::exportServers);
  connect(m_window.get(), &MainWindow::settingsRequested, this, &ConsoleSession::openSettings);
  connect(m_window.get(), &MainWindow::stateActionRequested, this,
          [this](const QString& id, StateAction action) {
            if (action == StateAction::SetCredentials)
              editServer(id);
            else if (action == StateAction::HowToEnable)
              QDesktopServices::openUrl(
                  QUrl(QStringLiteral("https://github.com/healthdeck/healthdeck/blob/main/") %
                       QString::fromLatin1(kEnableMonitoringDocs)));
          });

  // "This host": the embedded exporter, or whatever serves the configured address.
  m_exporter = std::make_unique<EmbeddedExporter>();
  TargetConfig here;
  here.id = thisHostId();
  here.name = QSysInfo::machineHostName().isEmpty() ? QStringLiteral("localhost")
                                                    : QSysInfo::machineHostName();
  here.group = QStringLiteral("This host");
  startExporter(here);
  here.readyPath =
      config.health.enabled ? QString::fromStdString(config.health.readyPath) : QString{};
  here.livePath =
      config.health.enabled ? QString::fromStdString(config.health.livePath) : QString{};
  here.metricsPath =
      config.prometheus.enabled ? QString::fromStdString(config.prometheus.endpoint) : QString{};
  if (!config.auth.bearerTokenFile.empty()) {
    here.auth = AuthKind::Bearer;
    here.secretRef = SecretStore::fileRef(QString::fromStdString(config.auth.bearerTokenFile));
  }

  QList<TargetConfig> targets{here};
  m_serversPath = m_options.serversPath.isEmpty() ? defaultServerListPath() : m_options.serversPath;
  if (QFile::exists(m_serversPath)) {
    const ServerListResult loaded = loadServerList(m_serversPath);
    if (!loaded.error.isEmpty()) {
      m_serversFileBroken = true;
      m_window->showMessage(loaded.error % QStringLiteral(" — server list not loaded; fix the "
                                                          "file and restart"));
    }
    for (const auto& t : loaded.servers)
      if (t.id != thisHostId()) targets.append(t);
    m_loadedWindows = loaded.maintenance;
  }
  for (auto& t : targets)
    applyNotifyRules(t, m_settings);
  m_store->setTargets(targets);
  m_triage->setMaintenanceWindows(m_loadedWindows);
  for (const auto& t : targets)
    m_poller->upsertTarget(t);
  if (QFile::exists(m_serversPath))
    for (const auto& source : loadServerList(m_serversPath).sources)
      m_sources->upsertSource(source);
  if (!eventLogOk) m_window->showMessage(QStringLiteral("Event log not kept: ") % eventLogError);

  connect(m_secrets, &SecretStore::secretLoaded, this, [this](const QString& key) {
    if (m_store->target(key)) m_poller->pollNow(key);
  });
  // A secret file read (first time, or changed on disk): poll the servers that use it.
  connect(m_secrets, &SecretStore::fileSecretLoaded, this, [this](const QString& ref) {
    for (const auto& t : m_store->targets())
      if (t.secretRef == ref || SecretStore::fileRef(t.secretRef) == ref) m_poller->pollNow(t.id);
  });
  m_secrets->probe();
  loadKeychainSecrets();
  m_window->selectTarget(thisHostId());
  m_historyReader->requestUptime();
  return {};
}

void ConsoleSession::startExporter(TargetConfig& here) {
  m_exporter->stop();
  MonitoringConfig config = m_config;
  if (const auto hostPort = m_settings.exporterHostPort()) {
    config.listenAddress = hostPort->first.toStdString();
    config.listenPort = hostPort->second;
  }
  QUrl base;
  // With the embedded exporter off, "This host" is not polled: whatever else listens on its
  // address is not this console's exporter, and "unreachable" would be a false alarm.
  here.enabled = m_options.exporter && m_settings.exporterEnabled;
  here.disabledReason.clear();
  if (!m_options.exporter) {
    m_window->setExporterStatus(QStringLiteral("exporter off (--no-exporter)"), true);
    here.disabledReason = QStringLiteral("The embedded exporter is off (--no-exporter)");
  } else if (!m_settings.exporterEnabled) {
    m_window->setExporterStatus(QStringLiteral("exporter off (Settings)"), true);
    here.disabledReason = QStringLiteral("The embedded exporter is off (Settings)");
  } else {
    const QString error = m_exporter->start(config);
    if (error.isEmpty()) {
      base = m_exporter->baseUrl();
      m_window->setExporterStatus(QStringLiteral("exporter %1 ✓").arg(m_exporter->address()), true);
    } else {
      m_window->setExporterStatus(QStringLiteral("exporter not started: ") % error, false);
    }
  }
  if (base.isEmpty()) {
    const QString host = QString::fromStdString(config.listenAddress);
    base.setScheme(config.tls.certFile.empty() ? QStringLiteral("http") : QStringLiteral("https"));
    base.setHost(host == QLatin1String("0.0.0.0") ? QStringLiteral("127.0.0.1") : host);
    base.setPort(config.listenPort);
  }
  here.baseUrl = base;
}

QString ConsoleSession::exporterAddress() const {
  return m_exporter && m_exporter->isRunning() ? m_exporter->address() : QString();
}

void ConsoleSession::applySettings(const ConsoleSettings& settings) {
  QSettings stored = consoleQSettings();
  settings.save(stored);
  const bool exporterChanged = settings.exporterEnabled != m_settings.exporterEnabled ||
                               settings.exporterAddress != m_settings.exporterAddress;
  m_settings = settings;
  m_notifier->setReminderInterval(settings.reminderInterval);
  applyTriageSettings();
  if (m_history)
    m_history->setRetention(
        {settings.historyRawDays, settings.historyMinuteDays, settings.historyHourDays});
  bool serversChanged = false;
  for (TargetConfig t : m_store->targets()) {
    if (!t.sourceId.isEmpty()) continue; // fed by a Prometheus source, never polled here
    if (t.flap.failuresToDown == settings.failuresBeforeNotify &&
        t.flap.notifyMinInterval == settings.reminderInterval &&
        !(exporterChanged && t.id == thisHostId()))
      continue;
    applyNotifyRules(t, settings);
    if (t.id == thisHostId() && exporterChanged) startExporter(t);
    m_store->upsertTarget(t);
    m_poller->upsertTarget(t);
    serversChanged = serversChanged || t.id != thisHostId();
  }
  if (serversChanged) saveServers();
}

void ConsoleSession::openSettings() {
  SettingsDialog dialog(m_settings, m_window.get());
  if (dialog.exec() != QDialog::Accepted) return;
  applySettings(dialog.settings());
}

void ConsoleSession::loadKeychainSecrets() {
  for (const auto& t : m_store->targets())
    if (t.secretRef.startsWith(QLatin1String("keychain:"))) m_secrets->load(t.secretRef.mid(9));
}

void ConsoleSession::applyEdited(const TargetConfig& target, const QByteArray& secret,
                                 bool keychain) {
  if (keychain && !secret.isEmpty()) m_secrets->save(target.id, secret);
  m_store->upsertTarget(target);
  m_poller->stateMachine().reset(target.id);
  m_poller->upsertTarget(target);
  saveServers();
  m_window->selectTarget(target.id);
}

void ConsoleSession::addServer() {
  TargetConfig fresh;
  fresh.interval = m_settings.defaultInterval;
  applyNotifyRules(fresh, m_settings);
  ServerDialog dialog(fresh, *m_secrets, *m_poller, m_window.get());
  dialog.setParentCandidates(parentCandidates(QString()));
  if (dialog.exec() != QDialog::Accepted) return;
  applyEdited(dialog.target(), dialog.typedSecret(),
              dialog.secretStorage() == ServerDialog::SecretStorage::Keychain);
}

void ConsoleSession::editServer(const QString& targetId) {
  const TargetConfig* t = m_store->target(targetId);
  if (!t) return;
  if (!t->sourceId.isEmpty()) {
    // A row Prometheus feeds: its settings are the source's; offer the target itself.
    QMessageBox box(QMessageBox::Question, QStringLiteral("Prometheus target"),
                    QStringLiteral("%1 is read from a Prometheus source. Poll it directly for "
                                   "the full detail, or edit the source?")
                        .arg(t->name),
                    QMessageBox::Cancel, m_window.get());
    box.setTextFormat(Qt::PlainText);
    QPushButton* direct = box.addButton(QStringLiteral("Open direct"), QMessageBox::AcceptRole);
    QPushButton* source = box.addButton(QStringLiteral("Edit source"), QMessageBox::ActionRole);
    box.exec();
    if (box.clickedButton() == direct)
      openDirect(targetId);
    else if (box.clickedButton() == source)
      editSource(t->sourceId);
    return;
  }
  if (targetId == thisHostId()) {
    m_window->showMessage(QStringLiteral("This host follows the monitoring configuration "
                                         "(--config); edit that file to change it."),
                          8000);
    return;
  }
  ServerDialog dialog(*t, *m_secrets, *m_poller, m_window.get());
  dialog.setParentCandidates(parentCandidates(targetId));
  if (dialog.exec() != QDialog::Accepted) return;
  applyEdited(dialog.target(), dialog.typedSecret(),
              dialog.secretStorage() == ServerDialog::SecretStorage::Keychain);
}

QList<QPair<QString, QString>> ConsoleSession::parentCandidates(const QString& targetId) const {
  // Servers behind targetId, found by walking each one's parent chain (bounded: a hand-edited
  // list may hold a loop).
  const auto behind = [this, &targetId](const TargetConfig& t) {
    QString parent = t.parentId;
    for (int hops = 0; !parent.isEmpty() && hops < 64; ++hops) {
      if (parent == targetId) return true;
      const TargetConfig* p = m_store->target(parent);
      parent = p ? p->parentId : QString();
    }
    return false;
  };
  QList<QPair<QString, QString>> out;
  for (const TargetConfig& t : m_store->targets())
    if (t.id != targetId && (targetId.isEmpty() || !behind(t))) out.append({t.id, t.name});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const int byName = a.second.compare(b.second, Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : a.first < b.first;
  });
  return out;
}

void ConsoleSession::removeServer(const QString& targetId) {
  const TargetConfig* t = m_store->target(targetId);
  if (!t) return;
  if (!t->sourceId.isEmpty()) {
    m_window->showMessage(QStringLiteral("%1 comes from a Prometheus source; remove the source "
                                         "(Sources menu) or narrow its label filter.")
                              .arg(t->name),
                          8000);
    return;
  }
  if (targetId == thisHostId()) {
    m_window->showMessage(QStringLiteral("This host is always listed; start with "
                                         "--no-exporter to stop serving it."),
                          8000);
    return;
  }
  const auto answer = QMessageBox::question(
      m_window.get(), QStringLiteral("Remove server"),
      QStringLiteral("Stop watching %1? Its stored credentials are deleted too.").arg(t->name));
  if (answer != QMessageBox::Yes) return;
  if (t->secretRef.startsWith(QLatin1String("keychain:"))) m_secrets->remove(t->secretRef.mid(9));
  m_poller->removeTarget(targetId);
  m_store->removeTarget(targetId);
  saveServers();
}

void ConsoleSession::saveServers() {
  if (m_serversFileBroken) {
    m_window->showMessage(m_serversPath %
                          QStringLiteral(" could not be read at start, so it is not overwritten; "
                                         "changes last until you quit."));
    return;
  }
  QList<TargetConfig> servers;
  for (const auto& t : m_store->targets())
    if (t.id != thisHostId() && t.sourceId.isEmpty()) servers.append(t);
  const QString error =
      saveServerList(m_serversPath, servers, m_triage->maintenanceWindows(), m_sources->sources());
  if (!error.isEmpty()) m_window->showMessage(QStringLiteral("Not saved: ") % error);
}

void ConsoleSession::importServers() {
  const QString path = QFileDialog::getOpenFileName(
      m_window.get(), QStringLiteral("Import servers"), QString(),
      QStringLiteral("Healthdeck server lists (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  const ServerListResult loaded = loadServerList(path);
  if (!loaded.error.isEmpty()) {
    QMessageBox::warning(m_window.get(), QStringLiteral("Import servers"), loaded.error);
    return;
  }
  QList<TargetConfig> targets = m_store->targets();
  QSet<QString> ids;
  for (const auto& t : targets)
    ids.insert(t.id);
  for (TargetConfig t : loaded.servers) {
    if (ids.contains(t.id)) t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    ids.insert(t.id);
    targets.append(t);
    m_poller->upsertTarget(t);
  }
  m_store->setTargets(targets);
  loadKeychainSecrets();
  saveServers();
  m_window->showMessage(
      QStringLiteral("Imported %1 servers from %2").arg(loaded.servers.size()).arg(path), 8000);
}

void ConsoleSession::exportServers() {
  const QString path =
      QFileDialog::getSaveFileName(m_window.get(), QStringLiteral("Export servers"),
                                   QStringLiteral("servers.json"), QStringLiteral("JSON (*.json)"));
  if (path.isEmpty()) return;
  QList<TargetConfig> servers;
  for (const auto& t : m_store->targets())
    if (t.id != thisHostId() && t.sourceId.isEmpty()) servers.append(t);
  const QString error =
      saveServerList(path, servers, m_triage->maintenanceWindows(), m_sources->sources());
  m_window->showMessage(
      error.isEmpty()
          ? QStringLiteral("Exported %1 servers (no secrets) to %2").arg(servers.size()).arg(path)
          : error,
      8000);
}

void ConsoleSession::attachHistory(const QString& eventLogPath) {
  HistoryWriter::Options o;
  o.path = !m_options.historyPath.isEmpty()    ? m_options.historyPath
           : !m_options.eventLogPath.isEmpty() ? QFileInfo(m_options.eventLogPath).absolutePath() %
                                                     QStringLiteral("/history.sqlite")
                                               : history::defaultHistoryPath();
  o.importEventsFile = eventLogPath;
  o.retention = {m_settings.historyRawDays, m_settings.historyMinuteDays,
                 m_settings.historyHourDays};
  m_history = new HistoryWriter(o, this);
  const HistoryWriter::Status status = m_history->start();
  if (!status.message.isEmpty()) m_window->showMessage(status.message);
  connect(m_history, &HistoryWriter::writeFailed, this, [this](const QString& why) {
    m_window->showMessage(QStringLiteral("History not saved (%1); polling goes on and the "
                                         "console retries")
                              .arg(why));
  });
  connect(m_history, &HistoryWriter::writeRecovered, this,
          [this] { m_window->showMessage(QStringLiteral("History saved again"), 5000); });

  // The store shows flap-controlled states; history keeps what each poll itself observed.
  connect(m_poller, &Poller::observationReady, this, [this](const TargetSnapshot& raw) {
    m_lastRawId = raw.targetId;
    m_lastRawState = raw.state;
  });
  connect(m_poller, &Poller::snapshotReady, this, [this](const TargetSnapshot& shown) {
    const TargetConfig* t = m_store->target(shown.targetId);
    if (!t) return;
    const bool paired = m_lastRawId == shown.targetId;
    m_history->recordPoll(shown, *t, paired ? std::optional(m_lastRawState) : std::nullopt);
    m_lastRawId.clear();
    recordTriageSpans(*t);
  });
  connect(m_store.get(), &TargetStore::eventRecorded, this, [this](const TargetEvent& e) {
    const TargetSnapshot* s = m_store->findSnapshot(e.targetId);
    m_history->recordEvent(e, s ? *s : TargetSnapshot{});
  });
  connect(m_store.get(), &TargetStore::targetsReset, this, &ConsoleSession::syncHistoryServers);

  // Our own network: while it is down, remote servers are not observed (a gap, not "down").
  if (QNetworkInformation::loadDefaultBackend()) {
    if (auto* info = QNetworkInformation::instance()) {
      const auto apply = [this](QNetworkInformation::Reachability r) {
        m_history->setLocalNetworkDown(r == QNetworkInformation::Reachability::Disconnected);
      };
      apply(info->reachability());
      connect(info, &QNetworkInformation::reachabilityChanged, this, apply);
    }
  }

  m_historyReader = new HistoryReader(o.path, this);
  connect(m_historyReader, &HistoryReader::uptimeReady, this, [this] {
    m_window->listModel()->setUptime(m_historyReader->uptime());
    m_window->detailPane()->setUptime(m_historyReader->uptime());
  });
  m_historyView = new HistoryView(*m_historyReader, m_window.get());
  m_window->tabs()->addTab(m_historyView, QStringLiteral("&History"));
  m_timeline = new EventsTimeline(*m_historyReader, m_window.get());
  m_window->setEventsWidget(m_timeline);
  connect(m_window->serverView()->selectionModel(), &QItemSelectionModel::currentRowChanged,
          m_historyView, [this] {
            const QString id = m_window->selectedTargetId();
            const TargetConfig* t = m_store->target(id);
            m_historyView->setTarget(id, t ? t->name : QString());
          });
  connect(m_window->tabs(), &QTabWidget::currentChanged, this, [this](int index) {
    QWidget* w = m_window->tabs()->widget(index);
    if (w == m_historyView) m_historyView->refresh();
    if (w == m_timeline) m_timeline->refresh();
  });
  // Uptime changes slowly: once a minute is enough, and the visible history tab follows.
  auto* refresh = new QTimer(this);
  refresh->setInterval(60 * 1000);
  connect(refresh, &QTimer::timeout, this, [this] {
    m_historyReader->requestUptime();
    QWidget* w = m_window->tabs()->currentWidget();
    if (w == m_historyView) m_historyView->refresh();
    if (w == m_timeline) m_timeline->refresh();
  });
  refresh->start();
  // A new event shows in an open timeline once the writer has committed it (≤ 1 s).
  auto* eventsChanged = new QTimer(this);
  eventsChanged->setSingleShot(true);
  eventsChanged->setInterval(1500);
  connect(eventsChanged, &QTimer::timeout, this, [this] {
    if (m_window->tabs()->currentWidget() == m_timeline) m_timeline->refresh();
  });
  connect(m_store.get(), &TargetStore::eventRecorded, eventsChanged,
          [eventsChanged] { eventsChanged->start(); });
}

// Maintenance and acknowledgements go into the history as spans, extended on each poll while
// they last, so uptime can be shown with and without maintenance and the timeline shows them.
void ConsoleSession::recordTriageSpans(const TargetConfig& target) {
  if (!m_triage) return;
  const QDateTime now = m_triage->now();
  const qint64 nowMs = now.toMSecsSinceEpoch();
  if (const auto active = m_triage->activeMaintenance(target.id)) {
    const auto occurrence = active->first.occurrenceAt(now);
    const qint64 start = occurrence ? occurrence->first.toMSecsSinceEpoch() : nowMs;
    m_history->recordAnnotation(
        {target.id, target.name, QLatin1String(history::AnnotationRow::kMaintenance), start,
         std::min(nowMs, active->second.toMSecsSinceEpoch()), QString(),
         active->first.note.isEmpty() ? active->first.describe() : active->first.note});
  }
  if (const auto ack = m_triage->acknowledgement(target.id))
    m_history->recordAnnotation({target.id, target.name,
                                 QLatin1String(history::AnnotationRow::kAcknowledged),
                                 ack->at.toMSecsSinceEpoch(), nowMs, ack->by, ack->note});
}

void ConsoleSession::syncHistoryServers() {
  QHash<QString, QString> listed;
  QList<QPair<QString, QString>> names;
  for (const TargetConfig& t : m_store->targets()) {
    listed.insert(t.id, t.name);
    names.append({t.id, t.name});
  }
  m_history->setServers(listed);
  m_timeline->setServers(names);
}

// Metrics (issue 5): bodies from the Poller → MetricsHub (worker thread, one parse per scrape
// for the views and health from metrics) → the key-metrics
// block and tabs in the detail pane, and a sparkline per row of the server list. Pins persist
// in ~/.config/healthdeck/console.ini under "metrics/pins/<percent-encoded target id>".
void ConsoleSession::attachMetrics() {
  // Pages are parsed on the Poller's parse thread: a round's documents and page on one thread.
  MetricsHub::Options hubOptions;
  hubOptions.parseThread = m_poller->parseThread();
  auto* hub = m_hub = new MetricsHub(hubOptions, this);
  hub->setPinStorage(new QSettings(QSettings::IniFormat, QSettings::UserScope,
                                   QStringLiteral("healthdeck"), QStringLiteral("console"), this));
  // Scheduled pages go to the hub, which parses each once for its views and for the round's
  // health from metrics.
  m_poller->setMetricsIngest([hub = QPointer<MetricsHub>(hub)](
                                 const QString& id, const QByteArray& body, const QDateTime& at,
                                 const QList<MetricRule>& rules, Poller::HealthReady ready) {
    if (hub) hub->ingestWithHealth(id, body, at, rules, std::move(ready));
  });
  connect(m_poller, &Poller::metricsFetched, hub, &MetricsHub::recordFetch);
  TargetStore* store = m_store.get();
  connect(store, &TargetStore::targetsReset, hub, [hub, store] {
    for (const QString& id : hub->targetIds())
      if (!store->target(id)) hub->removeTarget(id);
    // A server with no metrics path is not waiting for a first scrape: the block says so.
    // A Prometheus source's row gets its series from the source.
    for (const TargetConfig& t : store->targets())
      hub->setMetricsPolled(t.id, !t.metricsPath.isEmpty() || !t.sourceId.isEmpty());
  });
  for (const TargetConfig& t : store->targets())
    hub->setMetricsPolled(t.id, !t.metricsPath.isEmpty() || !t.sourceId.isEmpty());

  auto* view = new TargetMetricsView(*hub);
  m_window->detailPane()->setMetricsView(view);
  connect(m_window->serverView()->selectionModel(), &QItemSelectionModel::currentRowChanged, view,
          [this, view] { view->setTargetId(m_window->selectedTargetId()); });

  // Sparklines are a role of the server list (targeted dataChanged, at most once a second).
  m_window->listModel()->setMetricsHub(hub);
  QTreeView* tree = m_window->serverView();
  tree->setItemDelegateForColumn(
      TargetListModel::NameColumn,
      new ServerSparklineDelegate(StateRole, FlappingRole, SparklineRole, MetricStaleRole, tree));
}

} // namespace healthdeck

namespace healthdeck {

void ConsoleSession::attachTriage(const QString& eventLogPath) {
  m_triage = new TriageState(m_store.get(), this);
  const QString path = m_options.triagePath.isEmpty()
                           ? QFileInfo(eventLogPath).absolutePath() % QStringLiteral("/triage.json")
                           : m_options.triagePath;
  QString error;
  if (!m_triage->openStateFile(path, &error))
    m_window->showMessage(QStringLiteral("Acknowledgements and snoozes not kept: ") % error);
  m_notifier->setTriage(m_triage);
  m_window->setTriage(m_triage);
  if (auto* d = qobject_cast<BadgeDelegate*>(
          m_window->serverView()->itemDelegateForColumn(TargetListModel::NameColumn)))
    d->setTriageRoles(StaleRole, OverlayRole);

  m_hook = new NotificationHook(this);
  connect(m_notifier, &TransitionNotifier::notificationDue, m_hook, &NotificationHook::run);
  connect(m_hook, &NotificationHook::hookFailed, this, [this](const QString& why) {
    m_window->showMessage(QStringLiteral("Notification command: ") % why, 10000);
  });
  applyTriageSettings();

  // Freshness: stale marks, and a poll of everything after sleep or a network change.
  m_freshness = new FreshnessMonitor(*m_store, this);
  connect(m_freshness, &FreshnessMonitor::resumeDetected, m_poller, &Poller::pollAll);
  connect(m_freshness, &FreshnessMonitor::networkChanged, m_poller, &Poller::pollAll);
  m_freshness->watchNetwork();

  m_triageController = new TriageController(*m_store, *m_triage, m_window.get(), this);
  connect(m_triageController, &TriageController::maintenanceEdited, this,
          &ConsoleSession::saveServers);
  m_window->attachOverview(new OverviewPage(*m_store, m_triage, m_hub, m_window.get()));
  connect(m_window.get(), &MainWindow::contextMenuRequested, this,
          &ConsoleSession::showContextMenu);
}

void ConsoleSession::applyTriageSettings() {
  const CertificateThresholds th{m_settings.certWarnDays, m_settings.certCritDays};
  m_notifier->setCertificateThresholds(th);
  m_hook->setCommand(m_settings.notifyCommand);
  m_hook->setTimeout(m_settings.notifyCommandTimeout);
}

void ConsoleSession::showContextMenu(const QString& targetId, const QPoint& globalPos) {
  if (!m_store->target(targetId)) return;
  QMenu menu(m_window.get());
  menu.addAction(QStringLiteral("&Poll now"), this,
                 [this, targetId] { m_poller->pollNow(targetId); });
  menu.addSeparator();
  m_triageController->populateMenu(menu, targetId);
  menu.addSeparator();
  menu.addAction(QStringLiteral("&Edit…"), this, [this, targetId] { editServer(targetId); });
  menu.addAction(QStringLiteral("&Remove"), this, [this, targetId] { removeServer(targetId); });
  menu.exec(globalPos);
}

// Prometheus sources (issue 13). The hub lives beside the Poller; its rows carry sourceId, so
// the Poller never polls them and the server list saves them as sources, not as servers.
void ConsoleSession::attachSourcesMenu() {
  m_sources = new PrometheusSourceHub(*m_store);
  m_sources->setSecretResolver(m_secrets->resolver());
  m_sources->setMetricsHub(m_hub);
  connect(m_sources, &PrometheusSourceHub::statusChanged, this,
          [this](const QString&, const QString& sentence, bool ok) {
            m_window->showMessage(sentence, ok ? 5000 : 0);
          });
  auto* menu = new QMenu(QStringLiteral("S&ources"), m_window.get());
  QAction* add = menu->addAction(QStringLiteral("Add &Prometheus source…"));
  add->setObjectName(QStringLiteral("addPrometheusSourceAction"));
  connect(add, &QAction::triggered, this, &ConsoleSession::addSource);
  QAction* remove = menu->addAction(QStringLiteral("&Remove Prometheus source…"));
  remove->setObjectName(QStringLiteral("removePrometheusSourceAction"));
  connect(remove, &QAction::triggered, this, &ConsoleSession::removeSource);
  // Before Help, which stays last.
  const auto actions = m_window->menuBar()->actions();
  m_window->menuBar()->insertMenu(actions.isEmpty() ? nullptr : actions.last(), menu);
}

void ConsoleSession::addSource() {
  PrometheusSourceConfig fresh;
  fresh.connection.interval = std::chrono::milliseconds(15000);
  fresh.connection.timeout = std::chrono::milliseconds(10000);
  PrometheusSourceDialog dialog(fresh, m_window.get());
  if (dialog.exec() != QDialog::Accepted) return;
  m_sources->upsertSource(dialog.source());
  saveServers();
}

void ConsoleSession::editSource(const QString& sourceId) {
  const PrometheusSource* source = m_sources->source(sourceId);
  if (!source) return;
  PrometheusSourceDialog dialog(source->config(), m_window.get());
  if (dialog.exec() != QDialog::Accepted) return;
  m_sources->upsertSource(dialog.source());
  saveServers();
}

void ConsoleSession::removeSource() {
  const QList<PrometheusSourceConfig> sources = m_sources->sources();
  if (sources.isEmpty()) {
    m_window->showMessage(QStringLiteral("No Prometheus sources configured."), 5000);
    return;
  }
  QStringList names;
  for (const auto& s : sources)
    names << s.connection.name;
  bool ok = false;
  const QString name = QInputDialog::getItem(m_window.get(), QStringLiteral("Remove source"),
                                             QStringLiteral("Stop reading:"), names, 0, false, &ok);
  if (!ok) return;
  m_sources->removeSource(sources.at(names.indexOf(name)).connection.id);
  saveServers();
}

void ConsoleSession::openDirect(const QString& targetId) {
  const TargetConfig* row = m_store->target(targetId);
  if (!row || row->sourceId.isEmpty()) return;
  // A server of its own, polled by this desk beside the Prometheus row (group "Direct"), with
  // the full detail pane; it is kept in the server list like any server until removed.
  TargetConfig direct = *row;
  direct.sourceId.clear();
  direct.id = QStringLiteral("direct:") + targetId;
  direct.name = row->name + QStringLiteral(" (direct)");
  direct.group = QStringLiteral("Direct");
  applyNotifyRules(direct, m_settings);
  m_store->upsertTarget(direct);
  m_poller->upsertTarget(direct);
  saveServers();
  m_window->selectTarget(direct.id);
}

} // namespace healthdeck
