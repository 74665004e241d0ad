#include "healthdeck/ui/widgets/history_view.h"

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/evidence_format.h"
#include "healthdeck/ui/models/history_event_model.h"
#include "healthdeck/ui/views/state_palette.h"
#include "healthdeck/ui/views/status_strip.h"
#include "healthdeck/ui/widgets/evidence_panel.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace healthdeck {

namespace {

constexpr qint64 kHour = 3600LL * 1000;
constexpr qint64 kDay = 24 * kHour;

struct RangeChoice {
  const char* label;
  qint64 span;
  qint64 cell;
};
constexpr RangeChoice kRanges[] = {
    {"Last 24 hours", kDay, kHour},
    {"Last 7 days", 7 * kDay, kHour},
    {"Last 30 days", 30 * kDay, kDay},
    {"Last 90 days", 90 * kDay, kDay},
};

} // namespace

HistoryView::HistoryView(HistoryReader& reader, QWidget* parent)
    : QWidget(parent), m_reader(reader) {
  auto* box = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  m_title = new QLabel(this);
  m_title->setTextFormat(Qt::PlainText);
  QFont bold = m_title->font();
  bold.setBold(true);
  m_title->setFont(bold);
  m_range = new QComboBox(this);
  for (const RangeChoice& r : kRanges)
    m_range->addItem(QLatin1String(r.label));
  top->addWidget(m_title);
  top->addStretch(1);
  top->addWidget(m_range);
  box->addLayout(top);
  m_uptime = new QLabel(this);
  m_uptime->setTextFormat(Qt::PlainText);
  box->addWidget(m_uptime);
  for (QLabel** label : {&m_components, &m_annotations}) {
    *label = new QLabel(this);
    (*label)->setTextFormat(Qt::PlainText);
    (*label)->setWordWrap(true);
    (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    (*label)->hide();
    box->addWidget(*label);
  }
  m_strip = new StatusStrip(this);
  box->addWidget(m_strip);

  m_chart = new QChart;
  m_chart->setTitle(QStringLiteral("Latency (ms): p50 line, p50–p95 band"));
  m_chart->legend()->setVisible(false);
  m_chart->setMargins(QMargins(4, 4, 4, 4));
  m_chartView = new QChartView(m_chart, this);
  m_chartView->setRenderHint(QPainter::Antialiasing);
  m_chartView->setMinimumHeight(180);

  m_events = new HistoryEventModel(this);
  m_eventView = new QTableView(this);
  m_eventView->setModel(m_events);
  m_eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_eventView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_eventView->verticalHeader()->hide();
  m_eventView->horizontalHeader()->setStretchLastSection(true);
  for (int c : {HistoryEventModel::TimeColumn, HistoryEventModel::ServerColumn,
                HistoryEventModel::ChangeColumn})
    m_eventView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  m_eventView->setWordWrap(false);
  m_evidence = new EvidencePanel(this);

  auto* lower = new QSplitter(Qt::Horizontal, this);
  lower->addWidget(m_eventView);
  lower->addWidget(m_evidence);
  lower->setStretchFactor(0, 1);
  lower->setStretchFactor(1, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_chartView);
  split->addWidget(lower);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  box->addWidget(split, 1);

  connect(m_range, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(&m_reader, &HistoryReader::serverHistoryReady, this, [this](const ServerHistory& h) {
    if (h.serverKey == m_key) showHistory(h);
  });
  connect(
      m_eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
      [this](const QModelIndex& current) {
        const history::StoredEvent* e = m_events->eventAt(current.row());
        if (!e) {
          m_evidence->clear();
          return;
        }
        m_evidence->setEvidence(
            m_events->index(current.row(), HistoryEventModel::TimeColumn).data().toString() %
                QStringLiteral("  ") % e->serverName % QStringLiteral(": ") %
                m_events->index(current.row(), HistoryEventModel::ChangeColumn).data().toString(),
            e->evidence);
      });
  m_uptime->setText(QStringLiteral("Select a server to see its history"));
}

void HistoryView::setTarget(const QString& serverKey, const QString& name) {
  if (serverKey == m_key && name == m_name) return;
  m_key = serverKey;
  m_name = name;
  m_title->setText(name);
  m_strip->setCells({});
  m_events->setEvents({});
  m_evidence->clear();
  refresh();
}

void HistoryView::setRangeIndex(int index) {
  m_range->setCurrentIndex(index);
}

void HistoryView::refresh() {
  if (m_key.isEmpty()) return;
  const RangeChoice& r = kRanges[std::clamp(m_range->currentIndex(), 0, 3)];
  // Cells end at the next whole hour/day (UTC) so they line up with the roll-ups.
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  const qint64 to = (now / r.cell + 1) * r.cell;
  m_reader.requestServerHistory(m_key, to - r.span, to, r.cell);
}

void HistoryView::showHistory(const ServerHistory& h) {
  const RangeChoice& r = kRanges[std::clamp(m_range->currentIndex(), 0, 3)];
  m_uptime->setText(
      QStringLiteral("Uptime %1: %2")
          .arg(QString::fromLatin1(r.label).toLower(), history::describeUptime(h.figures)) %
      (h.figures.notObservedMs > 0
           ? QStringLiteral(" · not observed %1").arg(history::spanText(h.figures.notObservedMs))
           : QString()));
  if (h.outsideMaintenance.observedMs() != h.figures.observedMs())
    m_uptime->setText(m_uptime->text() % QStringLiteral(" · %1 outside maintenance")
                                             .arg(history::percentText(h.outsideMaintenance)));
  showComponentsAndAnnotations(h);
  m_strip->setCells(h.cells);
  showLatency(h);
  m_events->setEvents(h.events);
  m_evidence->clear();
  Q_EMIT historyShown(h.serverKey);
}

void HistoryView::showComponentsAndAnnotations(const ServerHistory& h) {
  QSet<QString> keys;
  for (const auto& c : h.components)
    keys.insert(c.first);
  QStringList parts;
  for (const auto& [key, figures] : h.components)
    if (figures.hasObservation())
      parts << componentDisplayName(key, keys) % QLatin1Char(' ') % history::percentText(figures);
  m_components->setText(QStringLiteral("Components: ") % parts.join(QStringLiteral(" · ")));
  m_components->setVisible(!parts.isEmpty());

  QStringList lines;
  auto when = [](qint64 ms) {
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(),
                              QLocale::ShortFormat);
  };
  constexpr std::size_t kShown = 6;
  for (std::size_t i = 0; i < h.annotations.size() && i < kShown; ++i) {
    const history::AnnotationRow& a = h.annotations[h.annotations.size() - 1 - i]; // newest first
    const bool maintenance = a.kind == QLatin1String(history::AnnotationRow::kMaintenance);
    QString line =
        (maintenance ? QStringLiteral("Maintenance ") : QStringLiteral("Acknowledged ")) %
        when(a.from) % QStringLiteral(" – ") % when(a.to);
    if (!a.by.isEmpty()) line += QStringLiteral(" by ") % a.by;
    if (!a.note.isEmpty()) line += QStringLiteral(": ") % a.note;
    lines << line;
  }
  if (h.annotations.size() > kShown)
    lines << QStringLiteral("… and %1 more").arg(h.annotations.size() - kShown);
  m_annotations->setText(lines.join(QLatin1Char('\n')));
  m_annotations->setVisible(!lines.isEmpty());
}

void HistoryView::showLatency(const ServerHistory& h) {
  m_chart->removeAllSeries(); // deletes the series (each area owns its two edge lines)
  for (QAbstractAxis* axis : m_chart->axes()) {
    m_chart->removeAxis(axis); // the chart gives up ownership: the axis is ours to delete
    delete axis;
  }
  auto* x = new QDateTimeAxis;
  x->setFormat(h.cellMs >= kDay ? QStringLiteral("MMM d") : QStringLiteral("ddd HH:mm"));
  x->setRange(QDateTime::fromMSecsSinceEpoch(h.from), QDateTime::fromMSecsSinceEpoch(h.to));
  auto* y = new QValueAxis;
  y->setLabelFormat(QStringLiteral("%.0f"));
  m_chart->addAxis(x, Qt::AlignBottom);
  m_chart->addAxis(y, Qt::AlignLeft);
  const QColor line = palette().color(QPalette::Highlight);
  QColor band = line;
  band.setAlpha(70);
  double top = 1;
  QLineSeries* p50 = nullptr;
  QLineSeries* p95 = nullptr;
  auto closeSegment = [&] {
    if (!p50) return;
    auto* area = new QAreaSeries(p95, p50);
    p95->setParent(area); // the area does not own its edges; removeAllSeries deletes the area
    p50->setParent(area);
    area->setBrush(band);
    area->setPen(Qt::NoPen);
    // The area takes the two lines as its edges; the p50 line is drawn again on top.
    auto* mid = new QLineSeries;
    mid->append(p50->points());
    mid->setPen(QPen(line, 2));
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{area, mid}) {
      m_chart->addSeries(s);
      s->attachAxis(x);
      s->attachAxis(y);
    }
    p50 = p95 = nullptr;
  };
  for (const history::HistoryCell& c : h.cells) {
    if (c.count == 0) { // a gap breaks the band
      closeSegment();
      continue;
    }
    if (!p50) {
      p50 = new QLineSeries;
      p95 = new QLineSeries;
    }
    const auto mid = static_cast<double>(c.start + (c.end - c.start) / 2);
    p50->append(mid, c.latencyP50);
    p95->append(mid, c.latencyP95);
    top = std::max(top, c.latencyP95);
  }
  closeSegment();
  y->setRange(0, top * 1.1);
  y->applyNiceNumbers();
}

int HistoryView::chartSeriesCount() const {
  return static_cast<int>(m_chart->series().size());
}

} // namespace healthdeck
