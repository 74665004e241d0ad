#include "healthdeck/ui/widgets/events_timeline.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/ui/models/history_event_model.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/widgets/evidence_panel.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace healthdeck {

namespace {
constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr qint64 kSpans[] = {kDay, 7 * kDay, 30 * kDay, 90 * kDay};
} // namespace

EventsTimeline::EventsTimeline(HistoryReader& reader, QWidget* parent)
    : QWidget(parent), m_reader(reader) {
  auto* box = new QVBoxLayout(this);
  auto* filters = new QHBoxLayout;
  m_server = new QComboBox(this);
  m_server->addItem(QStringLiteral("All servers"), QString());
  m_state = new QComboBox(this);
  m_state->addItem(QStringLiteral("Any change"), -1);
  for (int s = 0; s <= static_cast<int>(TargetState::Unknown); ++s)
    m_state->addItem(QStringLiteral("To ") % presentation(static_cast<TargetState>(s)).word, s);
  m_range = new QComboBox(this);
  for (const char* label : {"Last 24 hours", "Last 7 days", "Last 30 days", "Last 90 days"})
    m_range->addItem(QLatin1String(label));
  m_range->setCurrentIndex(1);
  m_count = new QLabel(this);
  filters->addWidget(new QLabel(QStringLiteral("Server:"), this));
  filters->addWidget(m_server);
  filters->addWidget(m_state);
  filters->addWidget(m_range);
  filters->addStretch(1);
  filters->addWidget(m_count);
  box->addLayout(filters);

  m_model = new HistoryEventModel(this);
  m_proxy = new QSortFilterProxyModel(this);
  m_proxy->setSourceModel(m_model);
  m_proxy->setFilterRole(StateRole);
  m_proxy->setFilterKeyColumn(HistoryEventModel::ChangeColumn);
  m_view = new QTableView(this);
  m_view->setModel(m_proxy);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setSelectionMode(QAbstractItemView::SingleSelection);
  m_view->verticalHeader()->hide();
  m_view->horizontalHeader()->setStretchLastSection(true);
  for (int c : {HistoryEventModel::TimeColumn, HistoryEventModel::ServerColumn,
                HistoryEventModel::ChangeColumn})
    m_view->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  m_view->setWordWrap(false);
  m_evidence = new EvidencePanel(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_view);
  split->addWidget(m_evidence);
  box->addWidget(split, 1);

  connect(m_server, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(m_range, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
    const int s = m_state->currentData().toInt();
    m_proxy->setFilterRegularExpression(s < 0 ? QString() : QStringLiteral("^%1$").arg(s));
    m_count->setText(QStringLiteral("%1 changes").arg(m_proxy->rowCount()));
  });
  connect(&m_reader, &HistoryReader::eventsReady, this,
          [this](const EventQuery& q, const std::vector<history::StoredEvent>& events) {
            if (q.serverKey != m_server->currentData().toString()) return;
            m_model->setEvents(events);
            m_evidence->clear();
            m_count->setText(QStringLiteral("%1 changes").arg(m_proxy->rowCount()));
            Q_EMIT eventsShown(m_proxy->rowCount());
          });
  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const QModelIndex source = m_proxy->mapToSource(current);
            const history::StoredEvent* e = m_model->eventAt(source.row());
            if (!e) {
              m_evidence->clear();
              return;
            }
            m_evidence->setEvidence(
                m_model->index(source.row(), HistoryEventModel::TimeColumn).data().toString() %
                    QStringLiteral("  ") % e->serverName % QStringLiteral(": ") %
                    m_model->index(source.row(), HistoryEventModel::ChangeColumn).data().toString(),
                e->evidence);
          });
}

void EventsTimeline::setServers(const QList<QPair<QString, QString>>& servers) {
  const QString current = m_server->currentData().toString();
  const QSignalBlocker block(m_server);
  m_server->clear();
  m_server->addItem(QStringLiteral("All servers"), QString());
  for (const auto& [key, name] : servers)
    m_server->addItem(name, key);
  const int i = m_server->findData(current);
  m_server->setCurrentIndex(i < 0 ? 0 : i);
}

void EventsTimeline::setServerFilter(const QString& serverKey) {
  const int i = m_server->findData(serverKey);
  m_server->setCurrentIndex(i < 0 ? 0 : i);
}

void EventsTimeline::setStateFilter(int state) {
  const int i = m_state->findData(state);
  m_state->setCurrentIndex(i < 0 ? 0 : i);
}

void EventsTimeline::setRangeIndex(int index) {
  m_range->setCurrentIndex(index);
}

void EventsTimeline::refresh() {
  EventQuery q;
  q.to = QDateTime::currentMSecsSinceEpoch() + 1;
  q.from = q.to - kSpans[std::clamp(m_range->currentIndex(), 0, 3)];
  q.serverKey = m_server->currentData().toString();
  m_reader.requestEvents(q);
}

} // namespace healthdeck
