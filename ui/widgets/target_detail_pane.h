#pragma once
// TargetDetailPane: the selected server — badge, state word, URL, the sentence, when it was
// last polled and how long it took, readiness and liveness component tables side by side, and
// its recent transitions, and its uptime (24 h / 7 d / 30 d with the observed time). Reads
// everything from the TargetStore it is given.

#include "healthdeck/client/store/history_reader.h"

#include "healthdeck/client/state_presentation.h"

#include <QWidget>

class QAbstractItemModel;
class QBoxLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace healthdeck {

class TargetStore;
class TriageState;
class ComponentModel;
class EventLogModel;

class TargetDetailPane : public QWidget {
  Q_OBJECT
public:
  /// Pane width (px) from which readiness and liveness sit side by side.
  static constexpr int kSideBySideWidth = 1000;
  explicit TargetDetailPane(TargetStore& store, QWidget* parent = nullptr);
  /// Acknowledgement, snooze and maintenance shown under the sentence; null = none.
  void setTriage(TriageState* triage) { m_triage = triage; }

  void setTargetId(const QString& targetId);
  QString targetId() const { return m_targetId; }

  ComponentModel* readinessModel() const { return m_ready; }
  ComponentModel* livenessModel() const { return m_live; }
  EventLogModel* eventModel() const { return m_events; }
  /// Places the key-metrics view (its tabs) between the probes and the recent transitions;
  /// the pane takes ownership.
  void setMetricsView(QWidget* view);
  /// Uptime by target id (HistoryReader's answer), shown under the sentence.
  void setUptime(const QHash<QString, UptimeSet>& uptime);
  QString uptimeText() const;

Q_SIGNALS:
  /// The state's action button ("Set credentials", "How to enable") was pressed.
  void stateActionTriggered(const QString& targetId, healthdeck::StateAction action);

protected:
  void changeEvent(QEvent* event) override;
  /// Readiness and liveness sit side by side from kSideBySideWidth up; narrower (the default
  /// 1280x800 window) one above the other, so neither table cuts its details.
  void resizeEvent(QResizeEvent* event) override;

private:
  void refresh();
  void refreshAge();
  QTableView* makeTable(QAbstractItemModel* model);

  TargetStore& m_store;
  TriageState* m_triage = nullptr;
  QString m_targetId;
  ComponentModel* m_ready = nullptr;
  ComponentModel* m_live = nullptr;
  EventLogModel* m_events = nullptr;
  QLabel* m_badge = nullptr;
  QLabel* m_name = nullptr;
  QLabel* m_word = nullptr;
  QLabel* m_url = nullptr;
  QLabel* m_sentence = nullptr;
  QLabel* m_polled = nullptr;
  QPushButton* m_action = nullptr;
  StateAction m_actionKind = StateAction::None;
  QGroupBox* m_readyBox = nullptr;
  QGroupBox* m_liveBox = nullptr;
  QLabel* m_readyEmpty = nullptr;
  QLabel* m_liveEmpty = nullptr;
  QLabel* m_uptime = nullptr;
  QHash<QString, UptimeSet> m_uptimeFigures;
  QTableView* m_readyTable = nullptr;
  QTableView* m_liveTable = nullptr;
  QTimer* m_ageTimer = nullptr;
  QBoxLayout* m_layout = nullptr;
  QBoxLayout* m_probes = nullptr;
};

} // namespace healthdeck
