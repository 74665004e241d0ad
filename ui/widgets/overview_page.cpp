#include "healthdeck/ui/widgets/overview_page.h"

#include "healthdeck/ui/models/component_matrix_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/overview_model.h"
#include "healthdeck/ui/views/badge_delegate.h"
#include "healthdeck/ui/views/server_card_delegate.h"

#include <QAction>
#include <QButtonGroup>
#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace healthdeck {

namespace {

QListView* cardView(QAbstractItemModel* model, QAbstractItemDelegate* delegate, QWidget* parent) {
  auto* v = new QListView(parent);
  v->setModel(model);
  v->setItemDelegate(delegate);
  v->setViewMode(QListView::IconMode);
  v->setMovement(QListView::Static);
  v->setResizeMode(QListView::Adjust);
  v->setUniformItemSizes(true); // one size for all: layout is arithmetic, not 200 sizeHints
  v->setSpacing(0);
  v->setGridSize(ServerCardDelegate::kCardSize + QSize(3, 3));
  v->setSelectionMode(QAbstractItemView::SingleSelection);
  v->setContextMenuPolicy(Qt::CustomContextMenu);
  v->setMouseTracking(true);
  return v;
}

} // namespace

OverviewPage::OverviewPage(TargetStore& store, TriageState* triage, const MetricsHub* hub,
                           QWidget* parent)
    : QWidget(parent) {
  setAccessibleName(QStringLiteral("Overview"));
  m_grid = new OverviewModel(store, triage, this);
  m_attention = new OverviewModel(store, triage, this);
  m_attention->setAttentionOnly(true);
  m_matrix = new ComponentMatrixModel(store, *m_grid, this);

  auto* cards = new ServerCardDelegate(store, hub, this);
  m_laneView = cardView(m_attention, cards, this);
  m_laneView->setAccessibleName(QStringLiteral("Needs attention"));
  m_laneView->setFlow(QListView::LeftToRight);
  m_laneView->setWrapping(false);
  m_laneView->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  m_laneView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  const int laneHeight = ServerCardDelegate::kCardSize.height() + 8 +
                         m_laneView->horizontalScrollBar()->sizeHint().height();
  m_laneView->setFixedHeight(laneHeight);

  m_gridView = cardView(m_grid, cards, this);
  m_gridView->setAccessibleName(QStringLiteral("All servers, trouble first"));
  m_gridView->setFlow(QListView::LeftToRight);
  m_gridView->setWrapping(true);

  m_matrixView = new QTableView(this);
  m_matrixView->setModel(m_matrix);
  m_matrixView->setAccessibleName(QStringLiteral("Servers by component"));
  auto* badges = new BadgeDelegate(StateRole, FlappingRole, m_matrixView);
  badges->setTriageRoles(StaleRole, OverlayRole);
  m_matrixView->setItemDelegate(badges);
  m_matrixView->horizontalHeader()->setDefaultSectionSize(28);
  m_matrixView->horizontalHeader()->setMinimumSectionSize(22);
  m_matrixView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_matrixView->horizontalHeader()->setSectionResizeMode(ComponentMatrixModel::kStateColumn,
                                                         QHeaderView::Interactive);
  const auto sizeStateColumn = [this] {
    m_matrixView->horizontalHeader()->resizeSection(ComponentMatrixModel::kStateColumn, 320);
  };
  sizeStateColumn();
  connect(m_matrix, &QAbstractItemModel::modelReset, this, sizeStateColumn);
  m_matrixView->setWordWrap(false);
  m_matrixView->setTextElideMode(Qt::ElideRight);
  m_matrixView->verticalHeader()->setDefaultSectionSize(std::max(18, fontMetrics().height() + 4));
  m_matrixView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  m_matrixView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_matrixView->setContextMenuPolicy(Qt::CustomContextMenu);
  m_matrixView->setShowGrid(true);

  m_laneTitle = new QLabel(this);
  m_laneTitle->setTextFormat(Qt::PlainText);
  QFont f = m_laneTitle->font();
  f.setBold(true);
  m_laneTitle->setFont(f);

  m_gridButton = new QToolButton(this);
  m_gridButton->setText(QStringLiteral("Cards"));
  m_matrixButton = new QToolButton(this);
  m_matrixButton->setText(QStringLiteral("Matrix"));
  for (QToolButton* b : {m_gridButton, m_matrixButton}) {
    b->setCheckable(true);
    b->setAutoRaise(true);
    b->setAccessibleName(b->text() == QLatin1String("Cards")
                             ? QStringLiteral("Show server cards")
                             : QStringLiteral("Show the server by component matrix"));
  }
  auto* group = new QButtonGroup(this);
  group->addButton(m_gridButton);
  group->addButton(m_matrixButton);
  m_gridButton->setChecked(true);
  auto* toggle = new QAction(this);
  toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  toggle->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  connect(toggle, &QAction::triggered, this,
          [this] { setMode(mode() == Mode::Grid ? Mode::Matrix : Mode::Grid); });
  addAction(toggle);
  m_gridButton->setToolTip(QStringLiteral("Server cards, trouble first (Ctrl+Shift+M)"));
  m_matrixButton->setToolTip(QStringLiteral("Servers × components (Ctrl+Shift+M)"));

  m_stack = new QStackedWidget(this);
  m_stack->addWidget(m_gridView);
  m_stack->addWidget(m_matrixView);
  connect(m_gridButton, &QToolButton::clicked, this, [this] { setMode(Mode::Grid); });
  connect(m_matrixButton, &QToolButton::clicked, this, [this] { setMode(Mode::Matrix); });

  auto* head = new QHBoxLayout;
  head->setContentsMargins(4, 2, 4, 0);
  head->addWidget(m_laneTitle);
  head->addStretch(1);
  head->addWidget(m_gridButton);
  head->addWidget(m_matrixButton);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(head);
  layout->addWidget(m_laneView);
  layout->addWidget(m_stack, 1);

  const auto wire = [this](QAbstractItemView* v) {
    connect(v, &QAbstractItemView::activated, this, [this](const QModelIndex& i) {
      Q_EMIT targetActivated(i.data(TargetIdRole).toString());
    });
    connect(v, &QWidget::customContextMenuRequested, this, [this, v](const QPoint& pos) {
      QModelIndex i = v->indexAt(pos);
      QPoint at = pos;
      if (!i.isValid()) { // the keyboard's menu key: the current item
        i = v->currentIndex();
        at = v->visualRect(i).center();
      }
      const QString id = i.data(TargetIdRole).toString();
      if (!id.isEmpty()) Q_EMIT contextMenuRequested(id, v->viewport()->mapToGlobal(at));
    });
  };
  wire(m_laneView);
  wire(m_gridView);
  wire(m_matrixView);
  connect(m_attention, &QAbstractItemModel::modelReset, this, &OverviewPage::updateLaneTitle);
  connect(m_attention, &QAbstractItemModel::layoutChanged, this, &OverviewPage::updateLaneTitle);
  updateLaneTitle();
  setFocusProxy(m_gridView);
}

void OverviewPage::setMode(Mode mode) {
  m_stack->setCurrentIndex(mode == Mode::Grid ? 0 : 1);
  (mode == Mode::Grid ? m_gridButton : m_matrixButton)->setChecked(true);
  setFocusProxy(mode == Mode::Grid ? static_cast<QWidget*>(m_gridView) : m_matrixView);
}

OverviewPage::Mode OverviewPage::mode() const {
  return m_stack->currentIndex() == 0 ? Mode::Grid : Mode::Matrix;
}

void OverviewPage::refresh() {
  m_grid->refresh();
  m_attention->refresh();
  updateLaneTitle();
}

void OverviewPage::showEvent(QShowEvent* event) {
  m_grid->setActive(true);
  m_attention->setActive(true);
  QWidget::showEvent(event);
}

void OverviewPage::hideEvent(QHideEvent* event) {
  m_grid->setActive(false);
  m_attention->setActive(false);
  QWidget::hideEvent(event);
}

void OverviewPage::updateLaneTitle() {
  const int n = m_attention->rowCount();
  m_laneTitle->setText(n == 0 ? QStringLiteral("Nothing needs attention")
                              : QStringLiteral("Needs attention (%1)").arg(n));
  m_laneView->setVisible(n > 0);
}

} // namespace healthdeck
