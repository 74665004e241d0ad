#pragma once
// OverviewModel: every server as one flat row, sorted trouble-first (needs attention, then
// by severity; stale above its state; maintenance and "behind a parent" below), for the
// overview's card grid, its "needs attention" lane (attentionOnly) and the matrix rows.
// Roles: Qt::DisplayRole (name), Qt::ToolTipRole, Qt::AccessibleTextRole, TargetIdRole,
// StateRole, FlappingRole, StaleRole, OverlayRole, SentenceRole, GroupRole, TagsRole,
// StateWordsRole, AttentionRole, UptimeRole, UptimeSpanRole, CertDaysRole, SeverityRole
// (the trouble rank).
// Updates: store and triage changes are coalesced (default 250 ms) into one re-sort: the same
// set of rows is re-ordered with layoutChanged (persistent indexes kept, so selection stays),
// a different set resets. While inactive (its page hidden or minimised, setActive(false)),
// changes are only noted and the one re-sort runs when it becomes active again: at 1,000
// servers a re-sort is several milliseconds of the GUI thread, four times a second. GUI thread.

#include <QAbstractListModel>
#include <QDateTime>
#include <QTimer>

#include <functional>

namespace healthdeck {

class TargetStore;
class TriageState;

class OverviewModel : public QAbstractListModel {
  Q_OBJECT
public:
  OverviewModel(TargetStore& store, TriageState* triage, QObject* parent = nullptr);

  /// Only servers that need attention (the lane).
  void setAttentionOnly(bool on);
  void setCoalesceInterval(int ms) { m_timer.setInterval(ms); }
  /// Re-sorts now (tests, screenshots).
  void refresh();
  /// Inactive: store and triage changes are remembered, not re-sorted, until active again
  /// (then one re-sort at once if anything changed). Active by default.
  void setActive(bool active);
  bool isActive() const { return m_active; }
  /// "Now" for ages and maintenance (replaceable for tests and screenshots).
  void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

  QString targetIdAt(int row) const { return m_ids.value(row); }
  int rowOf(const QString& targetId) const { return static_cast<int>(m_ids.indexOf(targetId)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

private:
  QStringList ordered() const;
  void schedule();

  TargetStore& m_store;
  TriageState* m_triage = nullptr;
  bool m_attentionOnly = false;
  bool m_active = true;
  bool m_dirty = false; ///< a change came while inactive
  QStringList m_ids;
  QTimer m_timer;
  std::function<QDateTime()> m_clock;
};

} // namespace healthdeck
