#include "healthdeck/ui/widgets/main_window.h"

#include "healthdeck/ui/views/filtered_tree.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/event_log_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/badge_delegate.h"
#include "healthdeck/ui/views/badge_icon.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAction>
#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>

namespace healthdeck {

namespace {

/// Order of the status bar counts: trouble first.
constexpr TargetState kSummaryOrder[] = {
    TargetState::Down, TargetState::Unreachable, TargetState::Unauthorized, TargetState::Degraded,
    TargetState::Up,   TargetState::Disabled,    TargetState::Unknown};

} // namespace

MainWindow::MainWindow(TargetStore& store, QWidget* parent) : QMainWindow(parent), m_store(store) {
  setWindowTitle(QStringLiteral("Healthdeck"));
  m_listModel = new TargetListModel(store, this);
  FilteredTreeOptions options;
  options.sortRole = SortRole;
  options.filterColumn = TargetListModel::NameColumn;
  options.placeholder = QStringLiteral("Filter servers… (Ctrl+F)");
  options.filterAccessibleName = QStringLiteral("Filter servers");
  options.viewAccessibleName = QStringLiteral("Servers");
  m_serverTree = makeFilteredTree(m_listModel, options, this);
  m_proxy = m_serverTree.proxy;
  m_tree = m_serverTree.view;
  m_filter = m_serverTree.filter;
  m_tree->setItemDelegateForColumn(TargetListModel::NameColumn,
                                   new BadgeDelegate(StateRole, FlappingRole, m_tree));
  m_tree->setAllColumnsShowFocus(true);
  m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
  m_tree->header()->setStretchLastSection(false);
  m_tree->header()->setSectionResizeMode(TargetListModel::NameColumn, QHeaderView::Stretch);
  m_tree->header()->setSectionResizeMode(TargetListModel::StateColumn,
                                         QHeaderView::ResizeToContents);
  m_tree->header()->setSectionResizeMode(TargetListModel::LatencyColumn,
                                         QHeaderView::ResizeToContents);
  m_tree->header()->setSectionResizeMode(TargetListModel::UptimeColumn,
                                         QHeaderView::ResizeToContents);
  const auto expand = [this] { m_tree->expandAll(); };
  connect(m_proxy, &QAbstractItemModel::modelReset, this, expand);
  connect(m_proxy, &QAbstractItemModel::rowsInserted, this, expand);
  connect(m_proxy, &QAbstractItemModel::layoutChanged, this, expand);


  auto* left = new QWidget(this);
  auto* ll = new QVBoxLayout(left);
  ll->setContentsMargins(0, 0, 0, 0);
  ll->addWidget(m_filter);
  ll->addWidget(m_tree, 1);

  m_detail = new TargetDetailPane(store, this);
  connect(m_detail, &TargetDetailPane::stateActionTriggered, this,
          &MainWindow::stateActionRequested);

  m_allEvents = new EventLogModel(store, this);
  auto* eventsView = new QTableView(this);
  eventsView->setModel(m_allEvents);
  eventsView->setAccessibleName(QStringLiteral("All events"));
  eventsView->setItemDelegateForColumn(EventLogModel::ChangeColumn,
                                       new BadgeDelegate(StateRole, FlappingRole, eventsView));
  eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
  eventsView->verticalHeader()->hide();
  eventsView->horizontalHeader()->setStretchLastSection(true);
  eventsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  eventsView->setAlternatingRowColors(true);

  m_tabs = new QTabWidget(this);
  m_tabs->addTab(m_detail, QStringLiteral("&Server"));
  m_tabs->addTab(eventsView, QStringLiteral("&Events"));

  auto* split = new QSplitter(this);
  split->addWidget(left);
  split->addWidget(m_tabs);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 1);
  split->setSizes({340, 940});
  split->setChildrenCollapsible(false);
  setCentralWidget(split);

  for (TargetState s : kSummaryOrder) {
    auto* box = new QWidget(this);
    auto* bl = new QHBoxLayout(box);
    bl->setContentsMargins(4, 0, 8, 0);
    bl->setSpacing(4);
    auto* badge = new QLabel(box);
    auto* text = new QLabel(box);
    text->setTextFormat(Qt::PlainText);
    bl->addWidget(badge);
    bl->addWidget(text);
    m_counts.append({s, box, badge, text});
    statusBar()->addWidget(box);
  }
  m_exporterLabel = new QLabel(this);
  statusBar()->addPermanentWidget(m_exporterLabel);

  buildActions();

  connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            m_detail->setTargetId(current.data(TargetIdRole).toString());
            updateActions();
          });
  connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const QString id = index.data(TargetIdRole).toString();
    if (!id.isEmpty()) m_tabs->setCurrentWidget(m_detail);
  });
  connect(&m_store, &TargetStore::stateCountsChanged, this, &MainWindow::updateStatusCounts);
  connect(&m_store, &TargetStore::targetsReset, this, [this] {
    if (!m_store.target(m_detail->targetId())) m_detail->setTargetId({});
    updateActions();
  });
  m_tree->expandAll();
  updateStatusCounts();
  updateActions();
  resize(1280, 800);
}

void MainWindow::buildActions() {
  const auto make = [this](const QString& text, const QKeySequence& key, const QString& tip) {
    auto* a = new QAction(text, this);
    a->setShortcut(key);
    a->setToolTip(tip % QStringLiteral(" (") % key.toString(QKeySequence::NativeText) %
                  QLatin1Char(')'));
    return a;
  };
  auto* add = make(QStringLiteral("&Add server…"), QKeySequence::New,
                   QStringLiteral("Add a server to watch"));
  connect(add, &QAction::triggered, this, &MainWindow::addServerRequested);
  m_editAction = make(QStringLiteral("&Edit server…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                      QStringLiteral("Edit the selected server"));
  connect(m_editAction, &QAction::triggered, this,
          [this] { Q_EMIT editServerRequested(selectedTargetId()); });
  m_removeAction = make(QStringLiteral("&Remove server"), QKeySequence::Delete,
                        QStringLiteral("Remove the selected server"));
  m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  m_tree->addAction(m_removeAction);
  connect(m_removeAction, &QAction::triggered, this,
          [this] { Q_EMIT removeServerRequested(selectedTargetId()); });
  m_pollAction = make(QStringLiteral("&Poll now"), QKeySequence::Refresh,
                      QStringLiteral("Poll the selected server now"));
  connect(m_pollAction, &QAction::triggered, this, [this] {
    const QString id = selectedTargetId();
    if (id.isEmpty())
      Q_EMIT pollAllRequested();
    else
      Q_EMIT pollRequested(id);
  });
  auto* pollAll = make(QStringLiteral("Poll &all"), QKeySequence(Qt::CTRL | Qt::Key_R),
                       QStringLiteral("Poll every server now"));
  connect(pollAll, &QAction::triggered, this, &MainWindow::pollAllRequested);
  m_upAction = make(QStringLiteral("Move &up"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up),
                    QStringLiteral("Move the server up in the list"));
  connect(m_upAction, &QAction::triggered, this, [this] { moveSelected(-1); });
  m_downAction =
      make(QStringLiteral("Move do&wn"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down),
           QStringLiteral("Move the server down in the list"));
  connect(m_downAction, &QAction::triggered, this, [this] { moveSelected(+1); });
  auto* import = new QAction(QStringLiteral("&Import servers…"), this);
  connect(import, &QAction::triggered, this, &MainWindow::importRequested);
  auto* exportA = new QAction(QStringLiteral("E&xport servers…"), this);
  connect(exportA, &QAction::triggered, this, &MainWindow::exportRequested);
  auto* quit = make(QStringLiteral("&Quit"), QKeySequence::Quit, QStringLiteral("Quit Healthdeck"));
  connect(quit, &QAction::triggered, this, &MainWindow::quitRequested);
  auto* settings = make(QStringLiteral("Se&ttings…"), QKeySequence::Preferences,
                        QStringLiteral("Default interval, notifications, embedded exporter"));
  settings->setObjectName(QStringLiteral("settingsAction"));
  connect(settings, &QAction::triggered, this, &MainWindow::settingsRequested);
  auto* find = new QAction(QStringLiteral("&Find server"), this);
  find->setShortcut(QKeySequence::Find);
  connect(find, &QAction::triggered, this, [this] {
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
  });
  auto* showEvents = make(QStringLiteral("&Events"), QKeySequence(Qt::CTRL | Qt::Key_2),
                          QStringLiteral("Show all events"));
  connect(showEvents, &QAction::triggered, this, [this] { m_tabs->setCurrentIndex(1); });
  auto* showServer = make(QStringLiteral("&Server details"), QKeySequence(Qt::CTRL | Qt::Key_1),
                          QStringLiteral("Show the selected server"));
  connect(showServer, &QAction::triggered, this, [this] { m_tabs->setCurrentIndex(0); });
  auto* docs = make(QStringLiteral("&Documentation"), QKeySequence::HelpContents,
                    QStringLiteral("Open the operations guide"));
  connect(docs, &QAction::triggered, this, [] {
    QDesktopServices::openUrl(QUrl(QStringLiteral(
        "https://github.com/healthdeck/healthdeck/blob/main/docs/operations/monitoring.md")));
  });

  auto* file = menuBar()->addMenu(QStringLiteral("&File"));
  file->addAction(import);
  file->addAction(exportA);
  file->addSeparator();
  file->addAction(settings);
  file->addSeparator();
  file->addAction(quit);
  auto* server = menuBar()->addMenu(QStringLiteral("&Server"));
  server->addActions({add, m_editAction, m_removeAction});
  server->addSeparator();
  server->addActions({m_pollAction, pollAll});
  server->addSeparator();
  server->addActions({m_upAction, m_downAction});
  auto* view = menuBar()->addMenu(QStringLiteral("&View"));
  view->addActions({find, showServer, showEvents});
  auto* help = menuBar()->addMenu(QStringLiteral("&Help"));
  help->addAction(docs);

  auto* tb = addToolBar(QStringLiteral("Main"));
  tb->setObjectName(QStringLiteral("mainToolBar"));
  tb->setMovable(false);
  tb->setToolButtonStyle(Qt::ToolButtonTextOnly);
  tb->addActions({add, m_editAction, m_pollAction, pollAll});
  tb->addSeparator();
  tb->addAction(settings);
}

void MainWindow::setEventsWidget(QWidget* widget) {
  const int index = 1; // "&Events", see the constructor
  QWidget* old = m_tabs->widget(index);
  m_tabs->removeTab(index);
  m_tabs->insertTab(index, widget, QStringLiteral("&Events"));
  if (old) old->deleteLater();
}

QString MainWindow::selectedTargetId() const {
  return m_tree->currentIndex().data(TargetIdRole).toString();
}

void MainWindow::selectTarget(const QString& targetId) {
  if (targetId.isEmpty()) {
    m_tree->setCurrentIndex({});
    m_detail->setTargetId({});
    return;
  }
  const QModelIndex src = m_listModel->indexForTarget(targetId);
  const QModelIndex idx = m_proxy->mapFromSource(src);
  if (!idx.isValid()) return;
  m_tree->setCurrentIndex(idx);
  m_detail->setTargetId(targetId);
}

void MainWindow::moveSelected(int delta) {
  const QString id = selectedTargetId();
  if (id.isEmpty()) return;
  m_store.moveTarget(id, m_store.indexOf(id) + delta);
  selectTarget(id);
}

void MainWindow::updateActions() {
  const bool has = !selectedTargetId().isEmpty();
  m_editAction->setEnabled(has);
  m_removeAction->setEnabled(has);
  m_upAction->setEnabled(has);
  m_downAction->setEnabled(has);
  m_pollAction->setText(has ? QStringLiteral("&Poll now") : QStringLiteral("&Poll all"));
}

void MainWindow::setExporterStatus(const QString& text, bool ok) {
  m_exporterLabel->setText(text);
  QPalette p = m_exporterLabel->palette();
  p.setColor(QPalette::WindowText,
             StatePalette::forPalette(palette()).color(ok ? ColorRole::Good : ColorRole::Critical));
  m_exporterLabel->setPalette(p);
  m_exporterLabel->setProperty("ok", ok);
}

void MainWindow::showMessage(const QString& text, int timeoutMs) {
  statusBar()->showMessage(text, timeoutMs);
}

QString MainWindow::stateSummary() const {
  QStringList parts;
  for (const auto& item : m_counts)
    if (!item.box->isHidden()) parts << item.text->text();
  return parts.join(QStringLiteral(" · "));
}

void MainWindow::updateStatusCounts() {
  const auto counts = m_store.stateCounts();
  const StatePalette palette = StatePalette::forPalette(this->palette());
  const int h = fontMetrics().height();
  for (const auto& item : m_counts) {
    const int n = counts.at(static_cast<std::size_t>(item.state));
    item.box->setHidden(n == 0);
    if (n == 0) continue;
    const QString word = presentation(item.state).word.toLower();
    item.text->setText(QStringLiteral("%1 %2").arg(n).arg(word));
    item.box->setAccessibleName(QStringLiteral("%1 servers %2").arg(n).arg(word));
    // The marks depend only on the palette and font: paint them once, not on every poll.
    if (m_countBadgesStale || item.badge->pixmap().isNull())
      item.badge->setPixmap(badgeIcon(item.state, false, palette).pixmap(QSize(h, h)));
  }
  m_countBadgesStale = false;
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
    m_countBadgesStale = true;
    updateStatusCounts();
  }
  QMainWindow::changeEvent(event);
}

} // namespace healthdeck
