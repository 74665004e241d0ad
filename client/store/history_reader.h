#pragma once
// HistoryReader: answers the console's questions about history — uptime of every server for
// 24 h / 7 d / 30 d, one server's status strip, latency cells and events over a range, the
// events timeline — on a worker thread with its own read connection, so the GUI thread never
// waits for SQLite. Requests are queued; each answer arrives as a signal on the owner's thread.
// A request for the same kind while one is pending replaces it (the latest question wins).
//
// Threading: public functions and signals on the owning (GUI) thread. Units: ms since epoch.

#include "healthdeck/client/store/history_db.h"
#include "healthdeck/client/store/uptime.h"

#include <QHash>
#include <QObject>

#include <array>
#include <memory>
#include <vector>

namespace healthdeck {

/// Uptime of one server for the standard periods (24 h, 7 d, 30 d).
struct UptimeSet {
  static constexpr int kPeriods = 3;
  static constexpr std::array<qint64, kPeriods> kPeriodMs{
      24LL * 3600 * 1000, 7LL * 24 * 3600 * 1000, 30LL * 24 * 3600 * 1000};
  std::array<history::UptimeFigures, kPeriods> periods;
};

/// One server over one range, for the history view.
struct ServerHistory {
  QString serverKey;
  qint64 from = 0;
  qint64 to = 0;
  qint64 cellMs = 0;
  std::vector<history::HistoryCell> cells;
  history::UptimeFigures figures;
  /// The same range with the maintenance spans taken out (equal to `figures` when none).
  history::UptimeFigures outsideMaintenance;
  /// Per component ("readiness:database"), over the range.
  std::vector<std::pair<QString, history::UptimeFigures>> components;
  std::vector<history::AnnotationRow> annotations; ///< maintenance and acknowledgements
  std::vector<history::StoredEvent> events;
};

struct EventQuery {
  qint64 from = 0;
  qint64 to = 0;
  QString serverKey; ///< empty: all servers
};

class HistoryReader : public QObject {
  Q_OBJECT
public:
  /// `path`: the database the HistoryWriter writes (a missing file answers empty results).
  explicit HistoryReader(QString path, QObject* parent = nullptr);
  ~HistoryReader() override;

  void requestUptime();
  void requestServerHistory(const QString& serverKey, qint64 from, qint64 to, qint64 cellMs);
  void requestEvents(const EventQuery& query);

  /// The last uptime answer, by server key.
  const QHash<QString, UptimeSet>& uptime() const { return m_uptime; }

Q_SIGNALS:
  void uptimeReady();
  void serverHistoryReady(const healthdeck::ServerHistory& history);
  void eventsReady(const healthdeck::EventQuery& query,
                   const std::vector<healthdeck::history::StoredEvent>& events);

private:
  class Worker;
  std::unique_ptr<Worker> m_worker;
  QHash<QString, UptimeSet> m_uptime;
};

} // namespace healthdeck

Q_DECLARE_METATYPE(healthdeck::ServerHistory)
Q_DECLARE_METATYPE(healthdeck::EventQuery)
