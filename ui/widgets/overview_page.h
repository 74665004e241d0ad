#pragma once
// OverviewPage: "what needs me now?" — a "needs attention" lane on top (down, unreachable,
// unauthorized, degraded, stale, certificate expiring; not acknowledged, not in maintenance),
// then either a grid of server cards sorted trouble-first or a server × component matrix.
// Both are item views with painted delegates, so 200+ servers stay cheap. Keyboard: the views
// take focus in tab order, arrows move, Enter opens a server, the context-menu key or
// Shift+F10 asks for its menu; Ctrl+Shift+M switches grid/matrix. It only shows the store and
// emits requests; the window decides what they do.

#include <QWidget>

class QLabel;
class QListView;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace healthdeck {

class ComponentMatrixModel;
class MetricsHub;
class OverviewModel;
class TargetStore;
class TriageState;

class OverviewPage : public QWidget {
  Q_OBJECT
public:
  OverviewPage(TargetStore& store, TriageState* triage, const MetricsHub* hub,
               QWidget* parent = nullptr);

  enum class Mode { Grid, Matrix };
  void setMode(Mode mode);
  Mode mode() const;

  OverviewModel* gridModel() const { return m_grid; }
  OverviewModel* attentionModel() const { return m_attention; }
  ComponentMatrixModel* matrixModel() const { return m_matrix; }
  QListView* gridView() const { return m_gridView; }
  QListView* laneView() const { return m_laneView; }
  QTableView* matrixView() const { return m_matrixView; }
  /// Re-sorts and repaints now (tests, screenshots).
  void refresh();

Q_SIGNALS:
  void targetActivated(const QString& targetId);
  void contextMenuRequested(const QString& targetId, const QPoint& globalPos);

protected:
  // Hidden (another page in front, or the window minimised), the models only note changes;
  // shown again, they re-sort once.
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

private:
  void updateLaneTitle();

  OverviewModel* m_grid = nullptr;
  OverviewModel* m_attention = nullptr;
  ComponentMatrixModel* m_matrix = nullptr;
  QListView* m_gridView = nullptr;
  QListView* m_laneView = nullptr;
  QTableView* m_matrixView = nullptr;
  QLabel* m_laneTitle = nullptr;
  QStackedWidget* m_stack = nullptr;
  QToolButton* m_gridButton = nullptr;
  QToolButton* m_matrixButton = nullptr;
};

} // namespace healthdeck
