#pragma once
// KeyMetricsWidget: the "Key metrics" block of the detail pane — one tile per key metric of a
// MetricSummaryModel (title, value with unit, sparkline), two tiles a row. A model reset
// rebuilds the tiles; a dataChanged only updates their text and sparklines. Clicking a tile
// reports it (the chart opens it); a pinned tile's context menu unpins it. Values that are no
// longer current (the latest scrape failed) are greyed, and the sentence above the tiles says
// how old they are; with no tiles the sentence says why (first scrape pending, no metrics path,
// route disabled, no profile matched).

#include <QWidget>

#include <vector>

class QGridLayout;
class QLabel;

namespace healthdeck {

class MetricSummaryModel;
class Sparkline;

class KeyMetricsWidget : public QWidget {
  Q_OBJECT
public:
  explicit KeyMetricsWidget(MetricSummaryModel& model, QWidget* parent = nullptr);
  /// The sentence shown above (or instead of) the tiles; empty while live values are shown.
  QString statusText() const;

  int tileCount() const { return static_cast<int>(m_tiles.size()); }

Q_SIGNALS:
  void metricActivated(const QString& metricId);
  void unpinRequested(const QString& metricId);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  struct Tile {
    QWidget* box;
    QLabel* title;
    QLabel* value;
    Sparkline* spark;
  };
  void rebuild();
  void updateValues();

  MetricSummaryModel& m_model;
  QGridLayout* m_grid = nullptr;
  QLabel* m_empty = nullptr;
  std::vector<Tile> m_tiles;
};

} // namespace healthdeck
