#include "healthdeck/client/store/target_store.h"

#include "healthdeck/client/state_presentation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <utility>

namespace healthdeck {

namespace {

QString componentKey(Probe probe, const QStringList& path) {
  return (probe == Probe::Readiness ? QStringLiteral("r/") : QStringLiteral("l/")) +
         path.join(QLatin1Char('/'));
}

const std::deque<TargetStore::HistoryPoint> kNoHistory;

} // namespace

TargetStore::TargetStore(QObject* parent) : TargetStore(Limits{}, parent) {}

TargetStore::TargetStore(Limits limits, QObject* parent) : QObject(parent), m_limits(limits) {
  m_limits.historyPerTarget = std::max(1, m_limits.historyPerTarget);
  m_limits.events = std::max(1, m_limits.events);
  m_countsTimer.setObjectName(QStringLiteral("TargetStore: counts"));
  m_countsTimer.setSingleShot(true);
  m_countsTimer.setInterval(100);
  connect(&m_countsTimer, &QTimer::timeout, this, &TargetStore::stateCountsChanged);
}

TargetStore::~TargetStore() = default;

void TargetStore::rebuildIndex() {
  m_index.clear();
  m_index.reserve(m_targets.size());
  m_counts = {};
  m_flapping = 0;
  m_stale = 0;
  m_notFound = 0;
  for (int i = 0; i < m_targets.size(); ++i) {
    // A duplicate id keeps its first position, as the linear search did.
    if (!m_index.contains(m_targets.at(i).id)) m_index.insert(m_targets.at(i).id, i);
  }
  for (const auto& t : std::as_const(m_targets)) {
    const auto it = m_entries.constFind(t.id);
    if (it != m_entries.cend())
      count(*it, +1);
    else
      m_counts.at(static_cast<std::size_t>(TargetState::Unknown)) += 1;
  }
}

void TargetStore::count(const Entry& e, int sign) {
  if (e.hasSnapshot && e.snapshot.flapping) m_flapping += sign;
  if (e.stale) { // not current: counted apart, in no state
    m_stale += sign;
    return;
  }
  const TargetState s = e.hasSnapshot ? e.snapshot.state : TargetState::Unknown;
  m_counts.at(static_cast<std::size_t>(s)) += sign;
  if (e.hasSnapshot && !e.snapshot.flapping && isNotFound(e.snapshot)) m_notFound += sign;
}

void TargetStore::setTargets(const QList<TargetConfig>& targets) {
  m_targets = targets;
  QHash<QString, Entry> kept;
  for (const auto& t : m_targets) {
    auto it = m_entries.find(t.id);
    kept.insert(t.id, it != m_entries.end() ? std::move(*it) : Entry{});
  }
  m_entries = std::move(kept);
  rebuildIndex();
  Q_EMIT targetsReset();
  scheduleCounts();
}

void TargetStore::upsertTarget(const TargetConfig& target) {
  const int i = indexOf(target.id);
  if (i >= 0) {
    m_targets[i] = target;
  } else {
    m_targets.append(target);
    m_entries.insert(target.id, Entry{});
  }
  rebuildIndex();
  Q_EMIT targetsReset();
}

void TargetStore::removeTarget(const QString& targetId) {
  const int i = indexOf(targetId);
  if (i < 0) return;
  m_targets.removeAt(i);
  m_entries.remove(targetId);
  rebuildIndex();
  Q_EMIT targetsReset();
}

void TargetStore::moveTarget(const QString& targetId, int newIndex) {
  const int i = indexOf(targetId);
  if (i < 0) return;
  newIndex = std::clamp(newIndex, 0, static_cast<int>(m_targets.size()) - 1);
  if (newIndex == i) return;
  m_targets.move(i, newIndex);
  rebuildIndex();
  Q_EMIT targetsReset();
}

const TargetConfig* TargetStore::target(const QString& targetId) const {
  const int i = indexOf(targetId);
  return i >= 0 ? &m_targets.at(i) : nullptr;
}

int TargetStore::indexOf(const QString& targetId) const {
  return m_index.value(targetId, -1);
}

void TargetStore::record(const TargetSnapshot& s) {
  auto it = m_entries.find(s.targetId);
  if (it == m_entries.end()) return;
  Entry& e = *it;
  const TargetState before = e.hasSnapshot ? e.snapshot.state : TargetState::Unknown;
  const bool wasFlapping = e.hasSnapshot && e.snapshot.flapping;
  const bool wasNotFound = e.hasSnapshot && isNotFound(e.snapshot);
  const QDateTime at = s.polledAt.isValid() ? s.polledAt.toUTC() : QDateTime::currentDateTimeUtc();

  e.history.push_back({at, s.state, s.flapping, s.latency});
  while (static_cast<int>(e.history.size()) > m_limits.historyPerTarget)
    e.history.pop_front();

  QHash<QString, ComponentState> components;
  const auto track = [&](Probe probe, const std::optional<HealthDocument>& doc) {
    if (!doc) return;
    for (const auto& c : doc->components) {
      const QString key = componentKey(probe, c.path.isEmpty() ? QStringList{c.name} : c.path);
      auto old = e.components.constFind(key);
      if (old != e.components.cend() && old->status == c.status)
        components.insert(key, *old);
      else
        components.insert(key, {c.status, at});
    }
  };
  track(Probe::Readiness, s.readiness);
  track(Probe::Readiness, s.metricsHealth); // shown with the readiness components
  track(Probe::Liveness, s.liveness);
  e.components = std::move(components);

  count(e, -1);
  e.snapshot = s;
  e.hasSnapshot = true;
  const bool wasStale = std::exchange(e.stale, false);
  count(e, +1);

  if (before != s.state || wasFlapping != s.flapping || wasNotFound != isNotFound(s)) {
    TargetEvent ev;
    ev.at = at;
    ev.targetId = s.targetId;
    if (const auto* t = target(s.targetId)) ev.targetName = t->name;
    ev.from = before;
    ev.to = s.state;
    ev.flapping = s.flapping;
    ev.fromNotFound = wasNotFound;
    ev.toNotFound = isNotFound(s);
    ev.sentence = s.sentence.isEmpty() ? describe(s) : s.sentence;
    appendEvent(ev);
  }
  if (wasStale) Q_EMIT staleChanged(s.targetId, false);
}

void TargetStore::setStale(const QString& targetId, bool stale) {
  auto it = m_entries.find(targetId);
  if (it == m_entries.end() || it->stale == stale) return;
  count(*it, -1);
  it->stale = stale;
  count(*it, +1);
  scheduleCounts();
  Q_EMIT staleChanged(targetId, stale);
  Q_EMIT snapshotUpdated(targetId);
}

bool TargetStore::isStale(const QString& targetId) const {
  auto it = m_entries.constFind(targetId);
  return it != m_entries.cend() && it->stale;
}

int TargetStore::staleCount() const {
  return m_stale;
}

int TargetStore::notFoundCount() const {
  return m_notFound;
}

// What the counts see of a target, without copying its snapshot (its health documents).
template <typename Entries> TargetState shownState(const Entries& entries, const QString& id) {
  auto it = entries.constFind(id);
  // A stale state is not current: it counts as not knowing.
  return it != entries.cend() && it->hasSnapshot && !it->stale ? it->snapshot.state
                                                               : TargetState::Unknown;
}

void TargetStore::applySnapshot(const TargetSnapshot& snapshot) {
  if (!m_entries.contains(snapshot.targetId)) return;
  const TargetState before = shownState(m_entries, snapshot.targetId);
  record(snapshot);
  Q_EMIT snapshotUpdated(snapshot.targetId);
  if (shownState(m_entries, snapshot.targetId) != before) scheduleCounts();
}

void TargetStore::applySnapshots(const QList<TargetSnapshot>& snapshots) {
  for (const auto& s : snapshots)
    record(s);
  Q_EMIT snapshotsReset();
  scheduleCounts();
}

void TargetStore::setCountsCoalesceInterval(int ms) {
  m_countsTimer.setInterval(ms);
}

void TargetStore::scheduleCounts() {
  if (!m_countsTimer.isActive()) m_countsTimer.start();
}

TargetSnapshot TargetStore::snapshot(const QString& targetId) const {
  auto it = m_entries.constFind(targetId);
  if (it != m_entries.cend() && it->hasSnapshot) return it->snapshot;
  TargetSnapshot s;
  s.targetId = targetId;
  s.state = TargetState::Unknown;
  s.sentence = presentation(TargetState::Unknown).genericSentence;
  return s;
}

const TargetSnapshot* TargetStore::findSnapshot(const QString& targetId) const {
  auto it = m_entries.constFind(targetId);
  return it != m_entries.cend() && it->hasSnapshot ? &it->snapshot : nullptr;
}

const std::deque<TargetStore::HistoryPoint>& TargetStore::history(const QString& targetId) const {
  auto it = m_entries.constFind(targetId);
  return it != m_entries.cend() ? it->history : kNoHistory;
}

QDateTime TargetStore::componentSince(const QString& targetId, Probe probe,
                                      const QStringList& path) const {
  auto it = m_entries.constFind(targetId);
  if (it == m_entries.cend()) return {};
  auto c = it->components.constFind(componentKey(probe, path));
  return c != it->components.cend() ? c->since : QDateTime{};
}

std::array<int, TargetStore::kStateCount> TargetStore::stateCounts() const {
  return m_counts; // kept up to date by count() on every change
}

int TargetStore::flappingCount() const {
  return m_flapping;
}

bool TargetStore::anyFlapping() const {
  return m_flapping > 0;
}

TargetState TargetStore::worstState() const {
  if (m_targets.isEmpty()) return TargetState::Unknown;
  TargetState worst = TargetState::Up;
  const auto counts = stateCounts(); // stale targets count as not current
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto s = static_cast<TargetState>(i);
    if (counts.at(i) > 0 && severity(s) > severity(worst)) worst = s;
  }
  return worst;
}

bool TargetStore::openEventLog(const QString& path, QString* error) {
  m_eventLogPath.clear();
  m_linesInFile = 0;
  const QFileInfo info(path);
  if (!QDir().mkpath(info.absolutePath())) {
    if (error) *error = QStringLiteral("cannot create the directory %1").arg(info.absolutePath());
    return false;
  }
  std::deque<TargetEvent> loaded;
  QFile f(path);
  if (f.exists()) {
    if (!f.open(QIODevice::ReadOnly)) {
      if (error) *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
      return false;
    }
    while (!f.atEnd()) {
      const QByteArray line = f.readLine().trimmed();
      if (line.isEmpty()) continue;
      ++m_linesInFile;
      // A torn last line (crash mid-write) or a hand-edited line is skipped, not fatal.
      const QJsonDocument doc = QJsonDocument::fromJson(line);
      if (!doc.isObject()) continue;
      if (auto ev = TargetEvent::fromJson(doc.object())) loaded.push_back(std::move(*ev));
      if (static_cast<int>(loaded.size()) > m_limits.events) loaded.pop_front();
    }
  }
  m_eventLogPath = info.absoluteFilePath();
  m_events = std::move(loaded);
  if (m_linesInFile > 2 * m_limits.events) compactEventLog();
  Q_EMIT eventsReset();
  return true;
}

void TargetStore::appendEvent(const TargetEvent& event) {
  m_events.push_back(event);
  while (static_cast<int>(m_events.size()) > m_limits.events)
    m_events.pop_front();
  writeEventLine(event);
  Q_EMIT eventRecorded(event);
}

void TargetStore::writeEventLine(const TargetEvent& event) {
  if (m_eventLogPath.isEmpty()) return;
  QFile f(m_eventLogPath);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Append)) {
    m_eventLogError = QStringLiteral("cannot write %1: %2").arg(m_eventLogPath, f.errorString());
    return;
  }
  QByteArray line = QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact);
  line.append('\n');
  if (f.write(line) != line.size()) {
    m_eventLogError = QStringLiteral("cannot write %1: %2").arg(m_eventLogPath, f.errorString());
    return;
  }
  m_eventLogError.clear();
  if (++m_linesInFile > 2 * m_limits.events) compactEventLog();
}

void TargetStore::compactEventLog() {
  // Rewritten atomically so a crash leaves either the old or the new file, never half.
  QSaveFile f(m_eventLogPath);
  if (!f.open(QIODevice::WriteOnly)) {
    m_eventLogError = QStringLiteral("cannot write %1: %2").arg(m_eventLogPath, f.errorString());
    return;
  }
  for (const auto& ev : m_events) {
    f.write(QJsonDocument(ev.toJson()).toJson(QJsonDocument::Compact));
    f.write("\n", 1);
  }
  if (!f.commit()) {
    m_eventLogError = QStringLiteral("cannot write %1: %2").arg(m_eventLogPath, f.errorString());
    return;
  }
  m_linesInFile = static_cast<int>(m_events.size());
}

} // namespace healthdeck
