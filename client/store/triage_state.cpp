#include "healthdeck/client/store/triage_state.h"

#include "healthdeck/client/store/target_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace healthdeck {

namespace {

QString serverKey(const QString& id) {
  return QStringLiteral("server:") % id;
}
QString groupKey(const QString& group) {
  return QStringLiteral("group:") % group;
}

} // namespace

TriageState::TriageState(TargetStore* store, QObject* parent)
    : QObject(parent), m_store(store), m_clock([] { return QDateTime::currentDateTimeUtc(); }) {
  m_timer.setObjectName(QStringLiteral("TriageState: next expiry"));
  m_timer.setSingleShot(true);
  m_timer.setTimerType(Qt::CoarseTimer);
  connect(&m_timer, &QTimer::timeout, this, &TriageState::onTimer);
  if (m_store) {
    connect(m_store, &TargetStore::eventRecorded, this, [this](const TargetEvent& e) {
      // Recovery ends an acknowledgement: the next problem is news again.
      if (e.to == TargetState::Up && !e.flapping && m_acks.remove(e.targetId) > 0) {
        save();
        Q_EMIT acknowledgementEnded(e.targetId);
        Q_EMIT triageChanged(e.targetId);
      }
    });
  }
}

void TriageState::setClock(Clock clock) {
  m_clock = std::move(clock);
  rearm();
}

QString TriageState::groupOf(const QString& targetId) const {
  if (!m_store) return {};
  const TargetConfig* t = m_store->target(targetId);
  return t ? t->group : QString();
}

void TriageState::acknowledge(const QString& targetId, const QString& by, const QString& note) {
  m_acks.insert(targetId, Acknowledgement{by, now(), note});
  save();
  Q_EMIT triageChanged(targetId);
}

void TriageState::clearAcknowledgement(const QString& targetId) {
  if (m_acks.remove(targetId) == 0) return;
  save();
  Q_EMIT triageChanged(targetId);
}

std::optional<Acknowledgement> TriageState::acknowledgement(const QString& targetId) const {
  auto it = m_acks.constFind(targetId);
  return it != m_acks.cend() ? std::optional<Acknowledgement>(*it) : std::nullopt;
}

void TriageState::snoozeTarget(const QString& targetId, const QDateTime& until) {
  if (until.isValid() && until > now())
    m_snoozes.insert(serverKey(targetId), until.toUTC());
  else
    m_snoozes.remove(serverKey(targetId));
  save();
  rearm();
  Q_EMIT triageChanged(targetId);
}

void TriageState::snoozeGroup(const QString& group, const QDateTime& until) {
  if (until.isValid() && until > now())
    m_snoozes.insert(groupKey(group), until.toUTC());
  else
    m_snoozes.remove(groupKey(group));
  save();
  rearm();
  Q_EMIT triageChanged({});
}

void TriageState::clearSnooze(const QString& targetId) {
  snoozeTarget(targetId, {});
}

void TriageState::clearGroupSnooze(const QString& group) {
  snoozeGroup(group, {});
}

std::optional<QDateTime> TriageState::snoozedUntil(const QString& targetId) const {
  const QDateTime t = now();
  std::optional<QDateTime> until;
  const auto consider = [&](const QString& key) {
    auto it = m_snoozes.constFind(key);
    if (it != m_snoozes.cend() && *it > t && (!until || *it > *until)) until = *it;
  };
  consider(serverKey(targetId));
  const QString group = groupOf(targetId);
  if (!group.isEmpty()) consider(groupKey(group));
  return until;
}

void TriageState::setMaintenanceWindows(const QList<MaintenanceWindow>& windows) {
  m_windows = windows;
  m_inMaintenance.clear();
  const QDateTime t = now();
  for (const auto& w : m_windows)
    m_inMaintenance.insert(w.id, w.contains(t));
  rearm();
  Q_EMIT maintenanceChanged();
  Q_EMIT triageChanged({});
}

void TriageState::addMaintenanceWindow(const MaintenanceWindow& window) {
  QList<MaintenanceWindow> all = m_windows;
  all.removeIf([&](const MaintenanceWindow& w) { return w.id == window.id; });
  all.append(window);
  setMaintenanceWindows(all);
}

void TriageState::removeMaintenanceWindow(const QString& windowId) {
  QList<MaintenanceWindow> all = m_windows;
  if (all.removeIf([&](const MaintenanceWindow& w) { return w.id == windowId; }) == 0) return;
  setMaintenanceWindows(all);
}

std::optional<std::pair<MaintenanceWindow, QDateTime>>
TriageState::activeMaintenance(const QString& targetId) const {
  const QDateTime t = now();
  const QString group = groupOf(targetId);
  std::optional<std::pair<MaintenanceWindow, QDateTime>> best;
  for (const auto& w : m_windows) {
    if (!w.covers(targetId, group)) continue;
    if (const auto occ = w.occurrenceAt(t); occ && (!best || occ->second > best->second))
      best = std::make_pair(w, occ->second);
  }
  return best;
}

bool TriageState::mayNotify(const QString& targetId) const {
  return !m_acks.contains(targetId) && !snoozedUntil(targetId) && !activeMaintenance(targetId);
}

void TriageState::rearm() {
  // One timer for the nearest boundary: a snooze end, or a window starting or ending.
  const QDateTime t = now();
  std::optional<QDateTime> next;
  const auto consider = [&](const QDateTime& at) {
    if (at.isValid() && at > t && (!next || at < *next)) next = at;
  };
  for (const QDateTime& until : std::as_const(m_snoozes))
    consider(until);
  for (const auto& w : m_windows) {
    if (const auto occ = w.occurrenceAt(t)) consider(occ->second);
    if (const auto s = w.nextStart(t)) consider(*s);
  }
  if (!next) {
    m_timer.stop();
    return;
  }
  // Re-checked at least hourly so a wall-clock jump cannot leave the timer far off.
  const qint64 ms = std::clamp<qint64>(t.msecsTo(*next) + 5, 1, 3600 * 1000);
  m_timer.start(static_cast<int>(ms));
}

void TriageState::onTimer() {
  const QDateTime t = now();
  QStringList ended;
  for (auto it = m_snoozes.begin(); it != m_snoozes.end();) {
    if (*it <= t) {
      ended << it.key();
      it = m_snoozes.erase(it);
    } else {
      ++it;
    }
  }
  bool maintenance = false;
  for (const auto& w : m_windows) {
    const bool in = w.contains(t);
    if (m_inMaintenance.value(w.id) != in) {
      m_inMaintenance.insert(w.id, in);
      maintenance = true;
    }
  }
  if (!ended.isEmpty()) save();
  rearm();
  for (const QString& key : std::as_const(ended)) {
    Q_EMIT snoozeEnded(key);
    Q_EMIT triageChanged(key.startsWith(QLatin1String("server:")) ? key.mid(7) : QString());
  }
  if (maintenance) {
    Q_EMIT maintenanceChanged();
    Q_EMIT triageChanged({});
  }
}

QJsonObject TriageState::toJson() const {
  QJsonArray acks;
  for (auto it = m_acks.cbegin(); it != m_acks.cend(); ++it)
    acks.append(QJsonObject{{QStringLiteral("server"), it.key()},
                            {QStringLiteral("by"), it->by},
                            {QStringLiteral("at"), it->at.toString(Qt::ISODateWithMs)},
                            {QStringLiteral("note"), it->note}});
  QJsonArray snoozes;
  for (auto it = m_snoozes.cbegin(); it != m_snoozes.cend(); ++it)
    snoozes.append(QJsonObject{{QStringLiteral("key"), it.key()},
                               {QStringLiteral("until"), it->toString(Qt::ISODateWithMs)}});
  return {{QStringLiteral("version"), 1},
          {QStringLiteral("acknowledgements"), acks},
          {QStringLiteral("snoozes"), snoozes}};
}

void TriageState::fromJson(const QJsonObject& o) {
  m_acks.clear();
  m_snoozes.clear();
  for (const QJsonValue& v : o.value(QStringLiteral("acknowledgements")).toArray()) {
    const QJsonObject a = v.toObject();
    const QString id = a.value(QStringLiteral("server")).toString();
    const QDateTime at =
        QDateTime::fromString(a.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
    if (id.isEmpty() || !at.isValid()) continue;
    m_acks.insert(id, Acknowledgement{a.value(QStringLiteral("by")).toString(), at.toUTC(),
                                      a.value(QStringLiteral("note")).toString()});
  }
  const QDateTime t = now();
  for (const QJsonValue& v : o.value(QStringLiteral("snoozes")).toArray()) {
    const QJsonObject s = v.toObject();
    const QString key = s.value(QStringLiteral("key")).toString();
    const QDateTime until =
        QDateTime::fromString(s.value(QStringLiteral("until")).toString(), Qt::ISODateWithMs);
    if ((key.startsWith(QLatin1String("server:")) || key.startsWith(QLatin1String("group:"))) &&
        until.isValid() && until > t)
      m_snoozes.insert(key, until.toUTC());
  }
  rearm();
  Q_EMIT triageChanged({});
}

bool TriageState::openStateFile(const QString& path, QString* error) {
  m_path.clear();
  QFile f(path);
  if (f.exists()) {
    if (!f.open(QIODevice::ReadOnly)) {
      if (error) *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
      return false;
    }
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
      if (error)
        *error = QStringLiteral("%1: not valid JSON at byte %2: %3")
                     .arg(path)
                     .arg(pe.offset)
                     .arg(pe.errorString());
      return false;
    }
    fromJson(doc.object());
  }
  if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
    if (error) *error = QStringLiteral("cannot create the directory of %1").arg(path);
    return false;
  }
  m_path = path;
  return true;
}

void TriageState::save() {
  if (m_path.isEmpty()) return;
  QSaveFile f(m_path);
  const QByteArray data = QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
  if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
    m_fileError = QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString());
    return;
  }
  m_fileError.clear();
}

} // namespace healthdeck
