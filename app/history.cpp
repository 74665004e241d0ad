// `healthdeck history [--server NAME] [--since DURATION | --from T --to T] [--format
// text|json|csv] [--database FILE]`: uptime and events with evidence from the console's history
// database. Opens it without writing (works while a console records into it). Exit status: 0,
// 2 for a usage error or a missing/unreadable database. Per server: uptime, uptime outside
// maintenance windows, per-component uptime, maintenance and acknowledgement spans, events.

#include "app/cli.h"
#include "app/commands.h"
#include "healthdeck/client/store/evidence_format.h"
#include "healthdeck/client/store/history_db.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

namespace healthdeck::app {
namespace {

using namespace history;

constexpr qint64 kSecond = 1000;
constexpr qint64 kDayMs = 24 * 3600 * kSecond;

/// "90s", "15m", "24h", "7d", "2w" (a plain number is seconds) → ms.
std::optional<qint64> parseDuration(const QString& text) {
  static const QRegularExpression re(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([smhdw]?)\\s*$"));
  const auto m = re.match(text);
  if (!m.hasMatch()) return std::nullopt;
  const double n = m.captured(1).toDouble();
  const QString unit = m.captured(2);
  const double scale = unit == QLatin1String("m")   ? 60.0
                       : unit == QLatin1String("h") ? 3600.0
                       : unit == QLatin1String("d") ? 86400.0
                       : unit == QLatin1String("w") ? 7 * 86400.0
                                                    : 1.0;
  const double ms = n * scale * 1000.0;
  if (ms <= 0 || ms > 20.0 * 365 * 86400 * 1000) return std::nullopt;
  return static_cast<qint64>(ms);
}

std::optional<qint64> parseTime(const QString& text) {
  QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
  if (!t.isValid()) t = QDateTime::fromString(text, Qt::ISODate);
  if (!t.isValid()) return std::nullopt;
  if (t.timeSpec() == Qt::LocalTime && !text.contains(QLatin1Char('T'))) t.setTimeSpec(Qt::UTC);
  return t.toMSecsSinceEpoch();
}

QString rfc3339(qint64 ms) {
  return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString stateName(int code) {
  if (code == kNotObserved) return QStringLiteral("not-observed");
  return toString(static_cast<TargetState>(code));
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
      !s.contains(QLatin1Char('\n')))
    return s;
  QString q = s;
  q.replace(QLatin1Char('"'), QLatin1String("\"\""));
  return QLatin1Char('"') % q % QLatin1Char('"');
}

struct Period {
  QString label; ///< "24h", "7d", "30d", "range"
  qint64 from;
  qint64 to;
};

/// {"up", "degraded", "observed_seconds", "not_observed_seconds", "unknown_seconds"} (+ "from"
/// and "to" for a chosen range).
QJsonObject uptimeJson(const UptimeFigures& f, const Period& p) {
  QJsonObject o;
  o.insert(QStringLiteral("up"), f.hasObservation() ? QJsonValue(f.up()) : QJsonValue());
  o.insert(QStringLiteral("degraded"),
           f.hasObservation() ? QJsonValue(f.degraded()) : QJsonValue());
  o.insert(QStringLiteral("observed_seconds"), static_cast<double>(f.observedMs()) / 1000.0);
  o.insert(QStringLiteral("not_observed_seconds"), static_cast<double>(f.notObservedMs) / 1000.0);
  o.insert(QStringLiteral("unknown_seconds"), static_cast<double>(f.unseenMs) / 1000.0);
  if (p.label == QLatin1String("range")) {
    o.insert(QStringLiteral("from"), rfc3339(p.from));
    o.insert(QStringLiteral("to"), rfc3339(p.to));
  }
  return o;
}

void print(std::FILE* f, const QString& s) {
  const QByteArray b = s.toUtf8();
  std::fwrite(b.constData(), 1, static_cast<std::size_t>(b.size()), f);
}

} // namespace

int runHistory(const Args& args) {
  std::unique_ptr<QCoreApplication> app;
  int argc = 1;
  char name[] = "healthdeck";
  char* argv[] = {name, nullptr};
  if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(argc, argv);

  CommandLine cli(QStringLiteral("history"),
                  QStringLiteral("[--server NAME] [--since DURATION | --from T --to T] [--format "
                                 "text|json|csv]"),
                  QStringLiteral("Uptime (24 h, 7 d, 30 d, with the time observed) and state "
                                 "changes with evidence, from the console's history database. "
                                 "Reads without writing; works while a console runs."));
  cli.addOption({QStringLiteral("server")}, QStringLiteral("Only this server (name or id)."),
                QStringLiteral("NAME"));
  cli.addOption({QStringLiteral("since")},
                QStringLiteral("Events (and a range uptime) of the last DURATION: 90m, 24h, 7d, "
                               "2w. Default: the last 24 h."),
                QStringLiteral("DURATION"));
  cli.addOption({QStringLiteral("from")}, QStringLiteral("Range start, RFC 3339."),
                QStringLiteral("T"));
  cli.addOption({QStringLiteral("to")}, QStringLiteral("Range end, RFC 3339 (default: now)."),
                QStringLiteral("T"));
  cli.addOption({QStringLiteral("format")}, QStringLiteral("text, json or csv."),
                QStringLiteral("FORMAT"), QStringLiteral("text"));
  cli.addOption({QStringLiteral("database")},
                QStringLiteral("The history database (default: %1).").arg(defaultHistoryPath()),
                QStringLiteral("FILE"));
  if (const auto exit = cli.parse(args)) return *exit;
  auto usageError = [&](const QString& message) { return cli.usageError(message); };
  const QString format = cli.value(QStringLiteral("format"));
  if (format != QLatin1String("text") && format != QLatin1String("json") &&
      format != QLatin1String("csv"))
    return usageError(QStringLiteral("--format must be text, json or csv, not '%1'").arg(format));

  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  qint64 from = now - kDayMs;
  qint64 to = now;
  bool customRange = false;
  if (cli.isSet(QStringLiteral("since")) &&
      (cli.isSet(QStringLiteral("from")) || cli.isSet(QStringLiteral("to"))))
    return usageError(QStringLiteral("use --since or --from/--to, not both"));
  if (cli.isSet(QStringLiteral("since"))) {
    const auto d = parseDuration(cli.value(QStringLiteral("since")));
    if (!d)
      return usageError(QStringLiteral("--since: '%1' is not a duration (e.g. 90m, 24h, 7d)")
                            .arg(cli.value(QStringLiteral("since"))));
    from = now - *d;
    customRange = true;
  } else if (cli.isSet(QStringLiteral("from")) || cli.isSet(QStringLiteral("to"))) {
    if (!cli.isSet(QStringLiteral("from"))) return usageError(QStringLiteral("--to needs --from"));
    const auto f = parseTime(cli.value(QStringLiteral("from")));
    if (!f)
      return usageError(QStringLiteral("--from: '%1' is not an RFC 3339 time")
                            .arg(cli.value(QStringLiteral("from"))));
    from = *f;
    if (cli.isSet(QStringLiteral("to"))) {
      const auto t = parseTime(cli.value(QStringLiteral("to")));
      if (!t)
        return usageError(QStringLiteral("--to: '%1' is not an RFC 3339 time")
                              .arg(cli.value(QStringLiteral("to"))));
      to = *t;
    }
    if (to <= from) return usageError(QStringLiteral("--to must be after --from"));
    customRange = true;
  }

  const QString path = cli.isSet(QStringLiteral("database")) ? cli.value(QStringLiteral("database"))
                                                             : defaultHistoryPath();
  HistoryDb db;
  const HistoryDb::OpenResult opened = db.open(path, HistoryDb::Mode::Read);
  if (!opened.ok) {
    print(stderr, QStringLiteral("healthdeck history: ") % opened.error % QLatin1Char('\n'));
    return 2;
  }

  std::vector<ServerInfo> servers = db.servers();
  if (cli.isSet(QStringLiteral("server"))) {
    const auto one = db.server(cli.value(QStringLiteral("server")));
    if (!one) {
      print(stderr, QStringLiteral("healthdeck history: no server '%1' in %2\n")
                        .arg(cli.value(QStringLiteral("server")), path));
      return 2;
    }
    servers = {*one};
  }
  const QString only = servers.size() == 1 ? servers.front().key : QString();

  std::vector<Period> periods{{QStringLiteral("24h"), now - kDayMs, now},
                              {QStringLiteral("7d"), now - 7 * kDayMs, now},
                              {QStringLiteral("30d"), now - 30 * kDayMs, now}};
  if (customRange) periods.push_back({QStringLiteral("range"), from, to});
  std::vector<QHash<QString, StateDurations>> figures;
  for (const Period& p : periods)
    figures.push_back(db.durations(p.from, p.to, now, only));
  std::vector<StoredEvent> events = db.events(from, to, only);
  const std::vector<AnnotationRow> annotations = db.annotations(from, to, only);

  QJsonArray jsonServers;
  QString text;
  QString csv = QStringLiteral("record,server,period_or_time,from,to,up,degraded,"
                               "observed_seconds,sentence\n");
  for (const ServerInfo& s : servers) {
    QJsonObject uptime;
    QJsonObject outsideMaintenance;
    std::map<QString, QJsonObject> components; ///< by component key
    std::map<QString, QStringList> componentText;
    text += s.name % (s.removedMs ? QStringLiteral(" (removed from the list)") : QString()) %
            QLatin1Char('\n');
    for (std::size_t i = 0; i < periods.size(); ++i) {
      const Period& p = periods[i];
      const UptimeFigures f = figuresOf(figures[i].value(s.key), p.to - p.from);
      uptime.insert(p.label, uptimeJson(f, p));
      const UptimeFigures outside = figuresOf(
          db.durationsOutside(s.key, p.from, p.to, now, QLatin1String(AnnotationRow::kMaintenance)),
          p.to - p.from);
      outsideMaintenance.insert(p.label, uptimeJson(outside, p));
      for (const auto& [key, d] : db.componentDurations(s.key, p.from, p.to, now)) {
        QJsonObject& c = components[key];
        QJsonObject u = c.value(QStringLiteral("uptime")).toObject();
        u.insert(p.label, uptimeJson(figuresOf(d, p.to - p.from), p));
        c.insert(QStringLiteral("uptime"), u);
        componentText[key] << p.label % QLatin1Char(' ') % percentText(figuresOf(d, p.to - p.from));
      }
      const QString label = p.label == QLatin1String("range")
                                ? rfc3339(p.from) % QStringLiteral(" – ") % rfc3339(p.to)
                                : p.label;
      if (f.hasObservation())
        text += QStringLiteral("  %1: %2 up, %3 degraded, over %4 observed\n")
                    .arg(label, -5)
                    .arg(percentText(f.up()), percentText(f.degraded()), spanText(f.observedMs()));
      else
        text += QStringLiteral("  %1: not observed\n").arg(label, -5);
      csv += QStringLiteral("uptime,%1,%2,,,%3,%4,%5,\n")
                 .arg(csvField(s.name), p.label,
                      f.hasObservation() ? QString::number(f.up(), 'f', 6) : QString(),
                      f.hasObservation() ? QString::number(f.degraded(), 'f', 6) : QString(),
                      QString::number(f.observedMs() / 1000));
    }
    QJsonArray jsonComponents;
    for (auto& [key, c] : components) {
      const qsizetype colon = key.indexOf(QLatin1Char(':'));
      c.insert(QStringLiteral("probe"), key.left(colon));
      c.insert(QStringLiteral("component"), key.mid(colon + 1));
      jsonComponents.append(c);
      text += QStringLiteral("  component %1 (%2): %3\n")
                  .arg(key.mid(colon + 1), key.left(colon),
                       componentText[key].join(QStringLiteral(", ")));
    }
    QJsonArray jsonAnnotations;
    for (const AnnotationRow& a : annotations) {
      if (a.serverKey != s.key) continue;
      QJsonObject o;
      o.insert(QStringLiteral("kind"), a.kind);
      o.insert(QStringLiteral("from"), rfc3339(a.from));
      o.insert(QStringLiteral("to"), rfc3339(a.to));
      if (!a.by.isEmpty()) o.insert(QStringLiteral("by"), a.by);
      if (!a.note.isEmpty()) o.insert(QStringLiteral("note"), a.note);
      jsonAnnotations.append(o);
      text += QStringLiteral("  %1 %2 – %3%4%5\n")
                  .arg(a.kind, rfc3339(a.from), rfc3339(a.to),
                       a.by.isEmpty() ? QString() : QStringLiteral(" by ") % a.by,
                       a.note.isEmpty() ? QString() : QStringLiteral(": ") % a.note);
      csv += QStringLiteral("%1,%2,,%3,%4,,,,%5\n")
                 .arg(a.kind, csvField(s.name), rfc3339(a.from), rfc3339(a.to), csvField(a.note));
    }
    QJsonArray jsonEvents;
    bool headed = false;
    for (const StoredEvent& e : events) {
      if (e.serverKey != s.key) continue;
      QJsonObject o;
      o.insert(QStringLiteral("time"), rfc3339(e.t));
      o.insert(QStringLiteral("from"), stateName(e.from));
      o.insert(QStringLiteral("to"), stateName(e.to));
      if (e.flapping) o.insert(QStringLiteral("flapping"), true);
      o.insert(QStringLiteral("sentence"), e.sentence);
      o.insert(QStringLiteral("evidence"), e.evidence);
      jsonEvents.append(o);
      if (!headed) {
        text += QStringLiteral("  events %1 – %2:\n").arg(rfc3339(from), rfc3339(to));
        headed = true;
      }
      text += QStringLiteral("    %1  %2 → %3%4  %5\n")
                  .arg(rfc3339(e.t), stateName(e.from), stateName(e.to),
                       e.flapping ? QStringLiteral(" (flapping)") : QString(), e.sentence);
      const QString ev = evidenceText(e.evidence);
      if (!ev.isEmpty()) {
        // The body excerpt can be long; the text view shows its first lines only.
        QStringList lines = ev.split(QLatin1Char('\n'));
        if (lines.size() > 24) {
          lines = lines.mid(0, 24);
          lines << QStringLiteral("… (--format json has all of it)");
        }
        for (const QString& l : lines)
          text += QStringLiteral("        ") % l % QLatin1Char('\n');
      }
      csv += QStringLiteral("event,%1,%2,%3,%4,,,,%5\n")
                 .arg(csvField(s.name), rfc3339(e.t), stateName(e.from), stateName(e.to),
                      csvField(e.sentence));
    }
    if (!headed)
      text += QStringLiteral("  no state changes %1 – %2\n").arg(rfc3339(from), rfc3339(to));
    QJsonObject server;
    server.insert(QStringLiteral("name"), s.name);
    server.insert(QStringLiteral("id"), s.key);
    if (s.removedMs) server.insert(QStringLiteral("removed"), rfc3339(s.removedMs));
    server.insert(QStringLiteral("uptime"), uptime);
    server.insert(QStringLiteral("uptime_outside_maintenance"), outsideMaintenance);
    server.insert(QStringLiteral("components"), jsonComponents);
    server.insert(QStringLiteral("annotations"), jsonAnnotations);
    server.insert(QStringLiteral("events"), jsonEvents);
    jsonServers.append(server);
  }
  if (format == QLatin1String("json")) {
    QJsonObject root;
    root.insert(QStringLiteral("servers"), jsonServers);
    print(stdout, QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
  } else if (format == QLatin1String("csv")) {
    print(stdout, csv);
  } else {
    if (servers.empty()) text = QStringLiteral("No servers recorded in %1 yet.\n").arg(path);
    print(stdout, text);
  }
  return 0;
}

} // namespace healthdeck::app
