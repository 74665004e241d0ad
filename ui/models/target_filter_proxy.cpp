#include "healthdeck/ui/models/target_filter_proxy.h"

#include "healthdeck/ui/models/item_roles.h"

namespace healthdeck {

TargetFilterProxy::TargetFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setRecursiveFilteringEnabled(true);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void TargetFilterProxy::setFilterText(const QString& text) {
  const QStringList words = text.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
  if (words == m_words) return;
  m_words = words;
  invalidateFilter();
}

void TargetFilterProxy::setStateFilter(const QString& stateWord) {
  if (stateWord == m_state) return;
  m_state = stateWord;
  invalidateFilter();
  Q_EMIT stateFilterChanged(m_state);
}

bool TargetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
  if (idx.data(IsGroupRole).toBool()) return m_words.isEmpty() && m_state.isEmpty();
  const QStringList states = idx.data(StateWordsRole).toStringList();
  if (!m_state.isEmpty() && !states.contains(m_state)) return false;
  if (m_words.isEmpty()) return true;
  const QString name = idx.data(Qt::DisplayRole).toString();
  const QString url = idx.data(UrlRole).toString();
  const QString group = idx.data(GroupRole).toString();
  const QStringList tags = idx.data(TagsRole).toStringList();
  for (const QString& w : m_words) {
    const auto in = [&w](const QString& s) { return s.contains(w, Qt::CaseInsensitive); };
    const auto inList = [&](const QStringList& l) { return std::any_of(l.cbegin(), l.cend(), in); };
    // State words match from their start ("ack" finds acknowledged; "edge" does not).
    const auto stateWord = [&w](const QString& s) { return s.startsWith(w, Qt::CaseInsensitive); };
    if (!in(name) && !in(url) && !in(group) && !inList(tags) &&
        std::none_of(states.cbegin(), states.cend(), stateWord))
      return false;
  }
  return true;
}

} // namespace healthdeck
