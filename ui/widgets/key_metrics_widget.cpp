#include "healthdeck/ui/widgets/key_metrics_widget.h"
#include "healthdeck/ui/views/plain_text.h"

#include "healthdeck/ui/models/metric_roles.h"
#include "healthdeck/ui/models/metric_summary_model.h"

#include "healthdeck/ui/views/sparkline.h"
#include <QStringBuilder>

#include <QAbstractItemModel>
#include <QContextMenuEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace healthdeck {

namespace {
constexpr int kColumns = 2;
}

KeyMetricsWidget::KeyMetricsWidget(MetricSummaryModel& model, QWidget* parent)
    : QWidget(parent), m_model(model) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  m_empty = new QLabel(this);
  m_empty->setTextFormat(Qt::PlainText); // carries the server's error words
  m_empty->setWordWrap(true);
  m_empty->setEnabled(false);
  outer->addWidget(m_empty);
  m_grid = new QGridLayout;
  m_grid->setHorizontalSpacing(18);
  m_grid->setVerticalSpacing(2);
  outer->addLayout(m_grid);
  outer->addStretch(1);
  connect(&m_model, &QAbstractItemModel::modelReset, this, &KeyMetricsWidget::rebuild);
  connect(&m_model, &QAbstractItemModel::rowsInserted, this, &KeyMetricsWidget::rebuild);
  connect(&m_model, &QAbstractItemModel::rowsRemoved, this, &KeyMetricsWidget::rebuild);
  connect(&m_model, &QAbstractItemModel::dataChanged, this, &KeyMetricsWidget::updateValues);
  connect(&m_model, &MetricSummaryModel::statusChanged, this, &KeyMetricsWidget::updateValues);
  rebuild();
}

void KeyMetricsWidget::rebuild() {
  for (Tile& t : m_tiles)
    delete t.box;
  m_tiles.clear();
  const int rows = m_model.rowCount();
  for (int row = 0; row < rows; ++row) {
    auto* box = new QWidget(this);
    box->installEventFilter(this);
    box->setCursor(Qt::PointingHandCursor);
    auto* l = new QHBoxLayout(box);
    l->setContentsMargins(2, 1, 2, 1);
    auto* title = new QLabel(box);
    title->setTextFormat(Qt::PlainText); // may show server text
    title->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("Realtime connections")));
    auto* value = new QLabel(box);
    value->setTextFormat(Qt::PlainText); // may show server text
    QFont bold = value->font();
    bold.setBold(true);
    value->setFont(bold);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    value->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("000.0 MiB/s")));
    auto* spark = new Sparkline(box);
    spark->setMinimumWidth(80);
    l->addWidget(title);
    l->addWidget(value);
    l->addWidget(spark, 1);
    m_grid->addWidget(box, row / kColumns, row % kColumns);
    m_tiles.push_back({box, title, value, spark});
  }
  updateValues();
}

QString KeyMetricsWidget::statusText() const {
  return m_empty->isVisibleTo(this) ? m_empty->text() : QString();
}

void KeyMetricsWidget::updateValues() {
  const QString status = m_model.statusText();
  m_empty->setText(status);
  m_empty->setVisible(!status.isEmpty());
  const bool stale = m_model.stale();
  for (int row = 0; row < static_cast<int>(m_tiles.size()); ++row) {
    Tile& t = m_tiles[static_cast<std::size_t>(row)];
    // Greyed, never shown as live: a disabled widget paints with the palette's disabled group.
    t.box->setEnabled(!stale);
    const QModelIndex name = m_model.index(row, MetricSummaryModel::NameColumn);
    const QModelIndex value = m_model.index(row, MetricSummaryModel::ValueColumn);
    const bool pinned = name.data(PinnedRole).toBool();
    t.title->setText(pinned ? QStringLiteral("★ ") % name.data().toString()
                            : name.data().toString());
    t.title->setToolTip(ui::plainToolTip(name.data(MetricIdRole).toString()));
    t.value->setText(value.data().toString());
    const QList<double> spark = name.data(SparklineRole).value<QList<double>>();
    t.spark->setValues(spark);
    t.box->setToolTip(name.data(Qt::ToolTipRole).toString());
  }
}

bool KeyMetricsWidget::eventFilter(QObject* watched, QEvent* event) {
  for (int row = 0; row < static_cast<int>(m_tiles.size()); ++row) {
    if (m_tiles[static_cast<std::size_t>(row)].box != watched) continue;
    const QModelIndex name = m_model.index(row, MetricSummaryModel::NameColumn);
    const QString id = name.data(MetricIdRole).toString();
    if (event->type() == QEvent::MouseButtonRelease &&
        static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
      Q_EMIT metricActivated(id);
      return true;
    }
    if (event->type() == QEvent::ContextMenu && name.data(PinnedRole).toBool()) {
      QMenu menu;
      QAction* unpin = menu.addAction(QStringLiteral("Unpin"));
      QAction* chart = menu.addAction(QStringLiteral("Show chart"));
      QAction* chosen = menu.exec(static_cast<QContextMenuEvent*>(event)->globalPos());
      if (chosen == unpin) Q_EMIT unpinRequested(id);
      if (chosen == chart) Q_EMIT metricActivated(id);
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

} // namespace healthdeck
