#include "healthdeck/ui/widgets/main_window.h"

#include "healthdeck/ui/views/filtered_tree.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/event_log_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_filter_proxy.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/views/badge_delegate.h"
#include "healthdeck/ui/views/badge_icon.h"
#include "healthdeck/ui/views/badge_overlay.h"
#include "healthdeck/ui/widgets/overview_page.h"
#include "healthdeck/ui/widgets/target_detail_pane.h"

#include <QAction>
#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPainter>
#include <QPixmap>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
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
  options.placeholder = QStringLiteral("Filter: name, URL, group, tag or state (Ctrl+F)");
  options.filterAccessibleName = QStringLiteral("Filter servers");
  options.viewAccessibleName = QStringLiteral("Servers");
  // Name, URL, group, tags and state words (issue 12), not the name column alone.
  options.proxy = m_proxy = new TargetFilterProxy(this);
  options.applyText = [](QSortFilterProxyModel* proxy, const QString& text) {
    static_cast<TargetFilterProxy*>(proxy)->setFilterText(text);
  };
  options.fittedColumns = {TargetListModel::StateColumn, TargetListModel::LatencyColumn,
                           TargetListModel::UptimeColumn};
  QStringList stateWords = {notFoundWord(), flappingPresentation().word, stalePresentation().word,
                            maintenancePresentation().word};
  for (int s = 0; s <= static_cast<int>(TargetState::Unknown); ++s)
    stateWords << presentation(static_cast<TargetState>(s)).word;
  options.fittedColumnTexts.insert(TargetListModel::StateColumn, stateWords);
  m_serverTree = makeFilteredTree(m_listModel, options, this);
  m_tree = m_serverTree.view;
  m_filter = m_serverTree.filter;
  m_tree->setItemDelegateForColumn(TargetListModel::NameColumn,
                                   new BadgeDelegate(StateRole, FlappingRole, m_tree));
  m_tree->setAllColumnsShowFocus(true);
  m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
  m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QModelIndex i = m_tree->indexAt(pos);
    QPoint at = pos;
    if (!i.isValid()) { // the keyboard's menu key: the current row
      i = m_tree->currentIndex();
      at = m_tree->visualRect(i).center();
    }
    const QString id = i.data(TargetIdRole).toString();
    if (!id.isEmpty()) Q_EMIT contextMenuRequested(id, m_tree->viewport()->mapToGlobal(at));
  });
  m_tree->header()->setStretchLastSection(false);
  m_tree->header()->setSectionResizeMode(TargetListModel::NameColumn, QHeaderView::Stretch);
  const auto expand = [this] { m_tree->expandAll(); };
  connect(m_proxy, &QAbstractItemModel::modelReset, this, expand);
  connect(m_proxy, &QAbstractItemModel::rowsInserted, this, expand);
  connect(m_proxy, &QAbstractItemModel::layoutChanged, this, expand);

  auto* left = m_left = new QWidget(this);
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

  // The pane scrolls rather than squeezing its tables below a readable height (1280x800).
  m_detailScroll = new QScrollArea(this);
  m_detailScroll->setWidget(m_detail);
  m_detailScroll->setWidgetResizable(true);
  m_detailScroll->setFrameShape(QFrame::NoFrame);
  m_tabs = new QTabWidget(this);
  m_tabs->addTab(m_detailScroll, QStringLiteral("&Server"));
  m_tabs->addTab(eventsView, QStringLiteral("&Events"));

  m_right = new QStackedWidget(this);
  m_right->addWidget(m_tabs);
  auto* split = m_split = new QSplitter(this);
  split->addWidget(left);
  split->addWidget(m_right);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 1);
  // Wide enough for the name beside state, latency and uptime at 1280x800.
  split->setSizes({430, 850});
  split->setChildrenCollapsible(false);
  setCentralWidget(split);

  // Counts are buttons: a click shows only that state in the list, a second click all.
  const auto countButton = [this](const QString& word) {
    auto* b = new QToolButton(this);
    b->setCheckable(true);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setFocusPolicy(Qt::TabFocus);
    b->setProperty("stateWord", word);
    connect(b, &QToolButton::toggled, this, [this, word](bool on) {
      if (on)
        m_proxy->setStateFilter(word);
      else if (m_proxy->stateFilter() == word)
        m_proxy->setStateFilter({});
    });
    statusBar()->addWidget(b);
    return b;
  };
  for (TargetState s : kSummaryOrder) {
    m_counts.append({s, countButton(presentation(s).word.toLower()), {}});
    if (s == TargetState::Disabled) // "Not found" (a Disabled 404) right beside the rest
      m_counts.append({s, countButton(QStringLiteral("not found")), {}, true});
  }
  m_staleButton = countButton(QStringLiteral("stale"));
  connect(m_proxy, &TargetFilterProxy::stateFilterChanged, this, [this](const QString& word) {
    for (const auto& item : m_counts)
      item.box->setChecked(item.box->property("stateWord").toString() == word);
    m_staleButton->setChecked(word == QLatin1String("stale"));
    m_tree->expandAll();
  });
  m_exporterLabel = new QLabel(this);
  m_exporterLabel->setTextFormat(Qt::PlainText); // may show server text
  statusBar()->addPermanentWidget(m_exporterLabel);

  buildActions();

  connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const QString id = current.data(TargetIdRole).toString();
            m_detail->setTargetId(id);
            // Nothing selected (or a group row): the overview, when there is one.
            if (m_overview && !overviewShown())
              m_right->setCurrentWidget(id.isEmpty() ? static_cast<QWidget*>(m_overview) : m_tabs);
            updateActions();
          });
  connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const QString id = index.data(TargetIdRole).toString();
    if (!id.isEmpty()) m_tabs->setCurrentWidget(m_detailScroll);
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
  m_overviewAction = make(QStringLiteral("&Overview"), QKeySequence(Qt::CTRL | Qt::Key_3),
                          QStringLiteral("Every server at a glance, trouble first"));
  m_overviewAction->setCheckable(true);
  m_overviewAction->setEnabled(false); // until a page is attached
  connect(m_overviewAction, &QAction::toggled, this, &MainWindow::setOverviewShown);
  view->addActions({find, showServer, showEvents, m_overviewAction});
  m_viewMenu = view;
  auto* help = menuBar()->addMenu(QStringLiteral("&Help"));
  help->addAction(docs);

  auto* tb = addToolBar(QStringLiteral("Main"));
  tb->setObjectName(QStringLiteral("mainToolBar"));
  tb->setMovable(false);
  tb->setToolButtonStyle(Qt::ToolButtonTextOnly);
  tb->addActions({add, m_editAction, m_pollAction, pollAll});
  tb->addSeparator();
  tb->addAction(m_overviewAction);
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
    if (!item.box->isHidden()) parts << item.text;
  if (!m_staleButton->isHidden()) parts << m_staleButton->text();
  return parts.join(QStringLiteral(" · "));
}

void MainWindow::setTriage(TriageState* triage) {
  m_listModel->setTriage(triage);
  m_detail->setTriage(triage);
  if (auto* d = qobject_cast<BadgeDelegate*>(m_tree->itemDelegateForColumn(0)))
    d->setTriageRoles(StaleRole, OverlayRole);
}

void MainWindow::attachOverview(OverviewPage* page) {
  m_overview = page;
  page->setParent(m_right);
  m_right->addWidget(page);
  m_overviewAction->setEnabled(true);
  connect(page, &OverviewPage::targetActivated, this, [this](const QString& id) {
    setOverviewShown(false);
    selectTarget(id);
    m_tabs->setCurrentWidget(m_detail);
    m_tree->setFocus(Qt::OtherFocusReason);
  });
  connect(page, &OverviewPage::contextMenuRequested, this, &MainWindow::contextMenuRequested);
  if (selectedTargetId().isEmpty()) m_right->setCurrentWidget(page);
}

void MainWindow::setOverviewShown(bool shown) {
  if (!m_overview) return;
  if (m_overviewAction->isChecked() != shown) m_overviewAction->setChecked(shown);
  // Full-window: the list steps aside so 200 cards fit one screen.
  m_left->setVisible(!shown);
  if (shown)
    m_right->setCurrentWidget(m_overview);
  else
    m_right->setCurrentWidget(selectedTargetId().isEmpty() ? static_cast<QWidget*>(m_overview)
                                                           : m_tabs);
  if (shown) m_overview->setFocus(Qt::ShortcutFocusReason);
}

bool MainWindow::overviewShown() const {
  return m_overviewAction && m_overviewAction->isChecked();
}

QToolButton* MainWindow::countButton(const QString& stateWord) const {
  if (stateWord == QLatin1String("stale")) return m_staleButton;
  for (const auto& item : m_counts)
    if (item.box->property("stateWord").toString() == stateWord) return item.box;
  return nullptr;
}

void MainWindow::updateStatusCounts() {
  const auto counts = m_store.stateCounts();
  const int notFound = m_store.notFoundCount();
  const StatePalette palette = StatePalette::forPalette(this->palette());
  const int h = fontMetrics().height();
  for (auto& item : m_counts) {
    int n = counts.at(static_cast<std::size_t>(item.state));
    if (item.state == TargetState::Disabled) n = item.notFound ? notFound : n - notFound;
    // A checked (filtering) button stays so it can be switched off again.
    item.box->setHidden(n == 0 && !item.box->isChecked());
    const QString word =
        item.notFound ? QStringLiteral("not found") : presentation(item.state).word.toLower();
    item.text = QStringLiteral("%1 %2").arg(n).arg(word);
    if (item.box->text() != item.text) {
      item.box->setText(item.text);
      item.box->setAccessibleName(QStringLiteral("%1 servers %2").arg(n).arg(word));
      item.box->setToolTip(QStringLiteral("Show only %1 servers (click again for all)").arg(word));
    }
    // The marks depend only on the palette and font: paint them once, not on every poll.
    if (m_countBadgesStale || item.box->icon().isNull()) {
      item.box->setIcon(badgeIcon(item.state, false, palette));
      item.box->setIconSize(QSize(h, h));
    }
  }
  if (m_countBadgesStale || m_staleButton->icon().isNull()) {
    // Stale: the mark of a known state, greyed — known, but not current.
    QPixmap pm(QSize(h, h) * devicePixelRatioF());
    pm.setDevicePixelRatio(devicePixelRatioF());
    pm.fill(Qt::transparent);
    QPainter painter(&pm);
    paintBadgeWithOverlays(painter, QRectF(0, 0, h, h).adjusted(1, 1, -1, -1), TargetState::Up,
                           false, true, {}, palette);
    painter.end();
    m_staleButton->setIcon(QIcon(pm));
    m_staleButton->setIconSize(QSize(h, h));
  }
  const int stale = m_store.staleCount();
  m_staleButton->setHidden(stale == 0 && !m_staleButton->isChecked());
  const QString staleText = QStringLiteral("%1 stale").arg(stale);
  if (m_staleButton->text() != staleText) {
    m_staleButton->setText(staleText);
    m_staleButton->setAccessibleName(QStringLiteral("%1 servers stale").arg(stale));
    m_staleButton->setToolTip(
        QStringLiteral("Show only servers without a recent answer (click again for all)"));
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
