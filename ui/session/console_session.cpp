#include "healthdeck/ui/session/console_session.h"

#include "healthdeck/ui/models/metric_roles.h"

#include "healthdeck/client/source/poller.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/history_reader.h"
#include "healthdeck/client/store/history_writer.h"
#include "healthdeck/client/store/metrics_hub.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/client/store/transition_notifier.h"
#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/ui/dialogs/server_dialog.h"
#include "healthdeck/ui/dialogs/settings_dialog.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/session/embedded_exporter.h"
#include "healthdeck/ui/session/secret_store.h"
#include "healthdeck/ui/views/server_sparkline_delegate.h"
#include "healthdeck/ui/widgets/events_timeline.h"
#include "healthdeck/ui/widgets/history_view.h"
#include "healthdeck/ui/widgets/main_window.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"
#include "healthdeck/ui/widgets/target_metrics_view.h"
#include "healthdeck/ui/widgets/tray_controller.h"

#include <QApplication>
#include <QBoxLayout>
#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QNetworkInformation>
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
  }
  for (auto& t : targets)
    applyNotifyRules(t, m_settings);
  m_store->setTargets(targets);
  for (const auto& t : targets)
    m_poller->upsertTarget(t);
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
  if (!m_options.exporter) {
    m_window->setExporterStatus(QStringLiteral("exporter off (--no-exporter)"), true);
  } else if (!m_settings.exporterEnabled) {
    m_window->setExporterStatus(QStringLiteral("exporter off (Settings)"), true);
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
  bool serversChanged = false;
  for (TargetConfig t : m_store->targets()) {
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
  ServerDialog dialog(fresh, *m_secrets, m_window.get());
  if (dialog.exec() != QDialog::Accepted) return;
  applyEdited(dialog.target(), dialog.typedSecret(),
              dialog.secretStorage() == ServerDialog::SecretStorage::Keychain);
}

void ConsoleSession::editServer(const QString& targetId) {
  const TargetConfig* t = m_store->target(targetId);
  if (!t) return;
  if (targetId == thisHostId()) {
    m_window->showMessage(QStringLiteral("This host follows the monitoring configuration "
                                         "(--config); edit that file to change it."),
                          8000);
    return;
  }
  ServerDialog dialog(*t, *m_secrets, m_window.get());
  if (dialog.exec() != QDialog::Accepted) return;
  applyEdited(dialog.target(), dialog.typedSecret(),
              dialog.secretStorage() == ServerDialog::SecretStorage::Keychain);
}

void ConsoleSession::removeServer(const QString& targetId) {
  const TargetConfig* t = m_store->target(targetId);
  if (!t) return;
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
    if (t.id != thisHostId()) servers.append(t);
  const QString error = saveServerList(m_serversPath, servers);
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
    if (t.id != thisHostId()) servers.append(t);
  const QString error = saveServerList(path, servers);
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

// Metrics (issue 5): bodies from the Poller → MetricsHub (worker thread) → the key-metrics
// block and tabs in the detail pane, and a sparkline per row of the server list. Pins persist
// in ~/.config/healthdeck/console.ini under "metrics/pins/<percent-encoded target id>".
void ConsoleSession::attachMetrics() {
  auto* hub = new MetricsHub(this);
  hub->setPinStorage(new QSettings(QSettings::IniFormat, QSettings::UserScope,
                                   QStringLiteral("healthdeck"), QStringLiteral("console"), this));
  connect(m_poller, &Poller::metricsReceived, hub, &MetricsHub::ingest);
  connect(m_poller, &Poller::metricsFetched, hub, &MetricsHub::recordFetch);
  TargetStore* store = m_store.get();
  connect(store, &TargetStore::targetsReset, hub, [hub, store] {
    for (const QString& id : hub->targetIds())
      if (!store->target(id)) hub->removeTarget(id);
  });

  auto* view = new TargetMetricsView(*hub);
  m_window->detailPane()->setMetricsView(view);
  connect(m_window->serverView()->selectionModel(), &QItemSelectionModel::currentRowChanged, view,
          [this, view] { view->setTargetId(m_window->selectedTargetId()); });

  // Sparklines are a role of the server list (targeted dataChanged, at most once a second).
  m_window->listModel()->setMetricsHub(hub);
  QTreeView* tree = m_window->serverView();
  tree->setItemDelegateForColumn(
      TargetListModel::NameColumn,
      new ServerSparklineDelegate(StateRole, FlappingRole, SparklineRole, tree));
}

} // namespace healthdeck
