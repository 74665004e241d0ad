#pragma once
// MainWindow: the console window — server tree (groups → servers, badges, filter, sort by
// state), the selected server's detail pane, an all-events tab, and a status bar with a count
// per state and the embedded exporter's status. It only shows the TargetStore and turns user
// actions into request signals; the ConsoleSession (or a test) decides what they do.

#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/target_snapshot.h"

#include "healthdeck/ui/views/filtered_tree.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QScrollArea;
class QMenu;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace healthdeck {

class TargetStore;
class TargetListModel;
class TargetDetailPane;
class EventLogModel;
class OverviewPage;
class TargetFilterProxy;
class TriageState;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(TargetStore& store, QWidget* parent = nullptr);

  TargetListModel* listModel() const { return m_listModel; }
  QTreeView* serverView() const { return m_tree; }
  TargetDetailPane* detailPane() const { return m_detail; }
  QTabWidget* tabs() const { return m_tabs; }
  /// Replaces the contents of the Events tab (the session puts the history timeline there).
  void setEventsWidget(QWidget* widget);
  /// The status bar's per-state summary ("3 up · 1 degraded · ..."), for tests and tray.
  QString stateSummary() const;

  /// Selects a target (and shows its details); empty clears the selection.
  void selectTarget(const QString& targetId);
  QString selectedTargetId() const;
  /// Shown at the right of the status bar: "exporter 127.0.0.1:9797 ✓" or the failure.
  void setExporterStatus(const QString& text, bool ok);
  /// A one-line message in the status bar (errors of the server file, keychain notes).
  void showMessage(const QString& text, int timeoutMs = 0);

  // Triage (issue 12).
  /// Overlays, stale rows and state words in the list; null = none.
  void setTriage(TriageState* triage);
  /// The overview page: shown when nothing is selected, and full-window with the Overview
  /// action (Ctrl+3). The window takes ownership.
  void attachOverview(OverviewPage* page);
  OverviewPage* overviewPage() const { return m_overview; }
  /// Full-window overview on or off (the toolbar toggle).
  void setOverviewShown(bool shown);
  bool overviewShown() const;
  TargetFilterProxy* filterProxy() const { return m_proxy; }
  /// The status-bar button of a state word ("down", "stale"), for tests.
  QToolButton* countButton(const QString& stateWord) const;

Q_SIGNALS:
  void addServerRequested();
  void editServerRequested(const QString& targetId);
  void removeServerRequested(const QString& targetId);
  void pollRequested(const QString& targetId);
  void pollAllRequested();
  void importRequested();
  void exportRequested();
  void settingsRequested();
  void stateActionRequested(const QString& targetId, healthdeck::StateAction action);
  /// The server's context menu was asked for (list or overview), at a global position.
  void contextMenuRequested(const QString& targetId, const QPoint& globalPos);
  void quitRequested();

protected:
  void changeEvent(QEvent* event) override;

private:
  void buildActions();
  void updateStatusCounts();
  void updateActions();
  void moveSelected(int delta);

  TargetStore& m_store;
  TargetListModel* m_listModel = nullptr;
  FilteredTree m_serverTree;
  TargetFilterProxy* m_proxy = nullptr;
  EventLogModel* m_allEvents = nullptr;
  QTreeView* m_tree = nullptr;
  QLineEdit* m_filter = nullptr;
  QTabWidget* m_tabs = nullptr;
  TargetDetailPane* m_detail = nullptr;
  QScrollArea* m_detailScroll = nullptr;
  struct CountItem {
    TargetState state;
    QToolButton* box; ///< a checkable button: filters the list to this state
    QString text;
    bool notFound = false; ///< the Disabled servers whose 404 reads "Not found"
  };
  QList<CountItem> m_counts;
  QToolButton* m_staleButton = nullptr;
  QSplitter* m_split = nullptr;
  QWidget* m_left = nullptr;
  QStackedWidget* m_right = nullptr;
  OverviewPage* m_overview = nullptr;
  QAction* m_overviewAction = nullptr;
  QMenu* m_viewMenu = nullptr;
  bool m_countBadgesStale = true;
  QLabel* m_exporterLabel = nullptr;
  QAction* m_editAction = nullptr;
  QAction* m_removeAction = nullptr;
  QAction* m_pollAction = nullptr;
  QAction* m_upAction = nullptr;
  QAction* m_downAction = nullptr;
};

} // namespace healthdeck
