#include "healthdeck/ui/widgets/target_detail_pane.h"

#include "healthdeck/client/store/target_status.h"

#include "healthdeck/client/format/unit_format.h"
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/component_model.h"
#include "healthdeck/ui/models/event_log_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/views/badge_delegate.h"
#include "healthdeck/ui/views/badge_icon.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace healthdeck {

namespace {

QString probeTitle(Probe probe, const TargetSnapshot& s) {
  const QString name =
      probe == Probe::Readiness ? QStringLiteral("Readiness") : QStringLiteral("Liveness");
  const auto& doc = probe == Probe::Readiness ? s.readiness : s.liveness;
  const auto wordOf = [](Status st) {
    const auto word = toString(st);
    return QString::fromLatin1(word.data(), static_cast<qsizetype>(word.size()));
  };
  // The readiness box also lists the components read from /metrics (up gauges, rules).
  const bool metrics =
      probe == Probe::Readiness && s.metricsHealth && !s.metricsHealth->components.empty();
  QString title = name;
  if (doc) title += QStringLiteral(": ") % wordOf(doc->overall);
  if (metrics)
    title += (doc ? QStringLiteral(" · metrics: ") : QStringLiteral(" (from /metrics): ")) %
             wordOf(s.metricsHealth->overall);
  return title;
}

} // namespace

TargetDetailPane::TargetDetailPane(TargetStore& store, QWidget* parent)
    : QWidget(parent), m_store(store) {
  m_ready = new ComponentModel(store, Probe::Readiness, this);
  m_live = new ComponentModel(store, Probe::Liveness, this);
  m_events = new EventLogModel(store, this);
  m_events->setMaximumRows(50);
  m_events->setTargetFilter(QStringLiteral("\x01none"));

  m_badge = new QLabel(this);
  m_badge->setTextFormat(Qt::PlainText); // may show server text
  m_badge->setFixedSize(36, 36);
  m_name = new QLabel(this);
  m_name->setTextFormat(Qt::PlainText); // may show server text
  QFont big = m_name->font();
  big.setPointSizeF(big.pointSizeF() * 1.4);
  big.setBold(true);
  m_name->setFont(big);
  m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_word = new QLabel(this);
  m_word->setTextFormat(Qt::PlainText); // may show server text
  QFont wordFont = m_word->font();
  wordFont.setBold(true);
  wordFont.setCapitalization(QFont::AllUppercase);
  m_word->setFont(wordFont);
  m_url = new QLabel(this);
  m_url->setTextFormat(Qt::PlainText); // may show server text
  m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_sentence = new QLabel(this);
  m_sentence->setTextFormat(Qt::PlainText); // may show server text
  m_sentence->setWordWrap(true);
  m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_polled = new QLabel(this);
  m_polled->setTextFormat(Qt::PlainText); // may show server text
  m_action = new QPushButton(this);
  m_action->hide();
  connect(m_action, &QPushButton::clicked, this,
          [this] { Q_EMIT stateActionTriggered(m_targetId, m_actionKind); });

  auto* header = new QHBoxLayout;
  header->addWidget(m_badge);
  header->addWidget(m_name);
  header->addSpacing(12);
  header->addWidget(m_word);
  header->addStretch(1);
  header->addWidget(m_url);

  auto* sentenceRow = new QHBoxLayout;
  sentenceRow->addWidget(m_sentence, 1);
  sentenceRow->addWidget(m_action);
  sentenceRow->addWidget(m_polled);

  const auto makeBox = [this](ComponentModel* model, QTableView*& table, QLabel*& empty) {
    auto* box = new QGroupBox(this);
    auto* l = new QVBoxLayout(box);
    table = makeTable(model);
    empty = new QLabel(box);
    empty->setTextFormat(Qt::PlainText); // may show server text
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setEnabled(false);
    l->addWidget(empty);
    l->addWidget(table, 1);
    connect(model, &ComponentModel::emptyReasonChanged, this, [table, empty](const QString& r) {
      empty->setText(r);
      empty->setVisible(!r.isEmpty());
      table->setVisible(r.isEmpty());
    });
    return box;
  };
  m_readyBox = makeBox(m_ready, m_readyTable, m_readyEmpty);
  m_liveBox = makeBox(m_live, m_liveTable, m_liveEmpty);
  m_readyTable->setAccessibleName(QStringLiteral("Readiness components"));
  m_liveTable->setAccessibleName(QStringLiteral("Liveness components"));
  m_readyTable->setObjectName(QStringLiteral("readinessComponents"));
  m_liveTable->setObjectName(QStringLiteral("livenessComponents"));

  auto* probes = new QHBoxLayout;
  probes->addWidget(m_readyBox, 1);
  probes->addWidget(m_liveBox, 1);

  auto* eventsBox = new QGroupBox(QStringLiteral("Recent transitions"), this);
  auto* el = new QVBoxLayout(eventsBox);
  auto* eventsTable = makeTable(m_events);
  eventsTable->setAccessibleName(QStringLiteral("Recent transitions"));
  el->addWidget(eventsTable);

  m_layout = new QVBoxLayout(this);
  m_layout->addLayout(header);
  m_layout->addLayout(sentenceRow);
  m_uptime = new QLabel(this);
  m_uptime->setTextFormat(Qt::PlainText);
  m_uptime->setWordWrap(true);
  m_uptime->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_layout->addWidget(m_uptime);
  m_layout->addLayout(probes, 3);
  m_layout->addWidget(eventsBox, 2);
  m_probes = probes;

  m_ageTimer = new QTimer(this);
  m_ageTimer->setInterval(1000);
  connect(m_ageTimer, &QTimer::timeout, this, &TargetDetailPane::refreshAge);
  m_ageTimer->start();

  connect(&m_store, &TargetStore::snapshotUpdated, this, [this](const QString& id) {
    if (id == m_targetId) refresh();
  });
  connect(&m_store, &TargetStore::snapshotsReset, this, &TargetDetailPane::refresh);
  connect(&m_store, &TargetStore::targetsReset, this, &TargetDetailPane::refresh);
  refresh();
}

QTableView* TargetDetailPane::makeTable(QAbstractItemModel* model) {
  auto* t = new QTableView(this);
  t->setModel(model);
  const bool events = model == m_events;
  const int badgeColumn = events ? static_cast<int>(EventLogModel::ChangeColumn)
                                 : static_cast<int>(ComponentModel::StatusColumn);
  const int stretchColumn = events ? static_cast<int>(EventLogModel::DetailsColumn)
                                   : static_cast<int>(ComponentModel::DetailsColumn);
  t->setItemDelegateForColumn(badgeColumn, new BadgeDelegate(StateRole, FlappingRole, t));
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setWordWrap(false);
  t->setAlternatingRowColors(true);
  t->verticalHeader()->hide();
  t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
  t->horizontalHeader()->setStretchLastSection(false);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
  t->setTabKeyNavigation(false);
  return t;
}

void TargetDetailPane::setMetricsView(QWidget* view) {
  view->setParent(this);
  m_layout->insertWidget(std::max(0, m_layout->count() - 1), view, 4);
}

void TargetDetailPane::setTargetId(const QString& targetId) {
  m_targetId = targetId;
  m_ready->setTargetId(targetId);
  m_live->setTargetId(targetId);
  m_events->setTargetFilter(targetId.isEmpty() ? QStringLiteral("\x01none") : targetId);
  refresh();
}

void TargetDetailPane::resizeEvent(QResizeEvent* event) {
  m_probes->setDirection(event->size().width() >= kSideBySideWidth ? QBoxLayout::LeftToRight
                                                                   : QBoxLayout::TopToBottom);
  QWidget::resizeEvent(event);
}

void TargetDetailPane::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) refresh();
  QWidget::changeEvent(event);
}

void TargetDetailPane::refresh() {
  const TargetConfig* t = m_store.target(m_targetId);
  if (!t) {
    m_badge->clear();
    m_name->setText(QStringLiteral("No server selected"));
    m_word->clear();
    m_url->clear();
    m_sentence->setText(QStringLiteral("Select a server in the list to see its health."));
    m_polled->clear();
    m_uptime->clear();
    m_action->hide();
    m_readyBox->setTitle(QStringLiteral("Readiness"));
    m_liveBox->setTitle(QStringLiteral("Liveness"));
    return;
  }
  const TargetSnapshot s = m_store.snapshot(t->id);
  const StatePresentation p = presentation(s);
  const StatePalette palette = StatePalette::forPalette(this->palette());
  m_badge->setPixmap(badgeIcon(s.state, s.flapping, palette).pixmap(QSize(32, 32)));
  m_badge->setAccessibleName(p.word);
  m_name->setText(t->name);
  // Staleness, maintenance, "behind <parent>" and certificate days (issue 12) come from the
  // one status every surface shares.
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const TargetStatus st = targetStatus(m_store, m_triage, t->id, now);
  m_word->setText(st.presentation.word);
  QPalette wp = m_word->palette();
  wp.setColor(QPalette::WindowText, st.stale || st.maintenance
                                        ? palette.color(ColorRole::Neutral)
                                        : palette.color(s.state, s.flapping));
  m_word->setPalette(wp);
  QString url = t->baseUrl.toString();
  if (st.certificateExpiry)
    url += QStringLiteral("  ·  certificate: %1 days left (expires %2)")
               .arg(st.certificateDaysLeft)
               .arg(st.certificateExpiry->date().toString(Qt::ISODate));
  m_url->setText(url);
  QString sentence = st.sentence;
  if (!st.overlayToolTip.isEmpty()) sentence += QLatin1Char('\n') % st.overlayToolTip;
  m_sentence->setText(sentence);
  m_action->setText(p.actionLabel);
  m_actionKind = p.action;
  m_action->setVisible(!p.actionLabel.isEmpty());
  m_readyBox->setTitle(probeTitle(Probe::Readiness, s));
  m_liveBox->setTitle(probeTitle(Probe::Liveness, s));
  bool anyRows = false;
  for (auto [model, table, empty] : {std::tuple{m_ready, m_readyTable, m_readyEmpty},
                                     std::tuple{m_live, m_liveTable, m_liveEmpty}}) {
    const QString r = model->emptyReason();
    empty->setText(r);
    empty->setVisible(!r.isEmpty());
    table->setVisible(r.isEmpty());
    anyRows = anyRows || r.isEmpty();
  }
  // Without components the probe boxes shrink to their message; the log gets the room.
  m_layout->setStretchFactor(m_probes, anyRows ? 3 : 0);
  m_uptime->setText(uptimeText());
  refreshAge();
}

void TargetDetailPane::setUptime(const QHash<QString, UptimeSet>& uptime) {
  m_uptimeFigures = uptime;
  m_uptime->setText(uptimeText());
}

QString TargetDetailPane::uptimeText() const {
  const auto it = m_uptimeFigures.constFind(m_targetId);
  if (m_targetId.isEmpty()) return {};
  if (it == m_uptimeFigures.cend()) return QStringLiteral("Uptime: no history yet");
  const auto& p = it->periods;
  // "Uptime 24 h 100.00 % · 7 d 99.950 % · 30 d 99.93 % over 29.1 d observed"
  return QStringLiteral("Uptime 24 h %1 · 7 d %2 · 30 d %3")
      .arg(history::percentText(p[0]), history::percentText(p[1]), history::describeUptime(p[2]));
}

void TargetDetailPane::refreshAge() {
  if (m_targetId.isEmpty()) return;
  const TargetSnapshot s = m_store.snapshot(m_targetId);
  if (!s.polledAt.isValid()) {
    m_polled->setText(QStringLiteral("not polled yet"));
    return;
  }
  m_polled->setText(QStringLiteral("polled %1 · %2 ms")
                        .arg(agoText(s.polledAt, QDateTime::currentDateTimeUtc()))
                        .arg(s.latency.count()));
}

} // namespace healthdeck
