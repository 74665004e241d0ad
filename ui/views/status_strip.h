#pragma once
// StatusStrip: one server's history as a row of cells (an hour or a day each), each coloured
// by the worst state seen in it, with a grey hatched cell where nothing was observed (the
// console was not running, the machine slept, our network was down). A thin bar under each
// cell shows how much of it was observed. Tooltips give the cell's time, worst state and
// observed share. Colours from StatePalette, so the strip reads like the badges.

#include "healthdeck/client/store/history_db.h"

#include <QWidget>

#include <vector>

namespace healthdeck {

class StatusStrip : public QWidget {
  Q_OBJECT
public:
  explicit StatusStrip(QWidget* parent = nullptr);

  void setCells(std::vector<history::HistoryCell> cells);
  const std::vector<history::HistoryCell>& cells() const { return m_cells; }
  /// Index of the cell under x (widget coordinates), -1 if none.
  int cellAt(int x) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

private:
  QRectF cellRect(int i) const;

  std::vector<history::HistoryCell> m_cells;
};

} // namespace healthdeck
