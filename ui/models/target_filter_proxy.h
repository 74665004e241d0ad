#pragma once
// TargetFilterProxy: the server list's filter. The filter box text is split into words; a
// server matches when every word is found (case-insensitive, substring) in its name, URL,
// group, one of its tags or one of its state words ("down", "stale", "acknowledged",
// "maintenance", "expiring", "attention" …). The status-bar buttons set a state filter: only
// servers with that state word are shown. Group rows show when a member matches (recursive
// filtering). Reads only roles (Qt::DisplayRole, UrlRole, GroupRole, TagsRole, StateWordsRole,
// IsGroupRole), so it works over any model that answers them.

#include <QSortFilterProxyModel>
#include <QStringList>

namespace healthdeck {

class TargetFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit TargetFilterProxy(QObject* parent = nullptr);

  void setFilterText(const QString& text);
  QString filterText() const { return m_words.join(QLatin1Char(' ')); }
  /// A state word from the status bar ("down", "stale"); empty shows every state.
  void setStateFilter(const QString& stateWord);
  QString stateFilter() const { return m_state; }

Q_SIGNALS:
  void stateFilterChanged(const QString& stateWord);

protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
  QStringList m_words;
  QString m_state;
};

} // namespace healthdeck
