// The Grafana dashboard (docs/dashboards/healthdeck.json) and the alert rules
// (docs/alerts/healthdeck.rules.yml) only query metric names the exporter actually serves:
// the names are collected from the exposition of a real Registry holding the standard
// Instruments, the ProcessCollector and the exporter's own and health families, and compared
// with the names parsed out of every PromQL expression. The dashboard's shape is checked, and
// its expressions are handed to promtool (as recording rules) so PromQL syntax errors fail too.

#include "healthdeck/exporter/exporter_metrics.h"
#include "healthdeck/health/status.h"
#include "healthdeck/metrics/instruments.h"
#include "healthdeck/metrics/process_collector.h"
#include "healthdeck/metrics/registry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

namespace {

using NameSet = QSet<QString>;

QString sourceDir() {
  return qEnvironmentVariable("HEALTHDECK_SOURCE_DIR");
}

/// PromQL words that look like identifiers but are not metric names.
const NameSet& promqlKeywords() {
  static const NameSet words{
      QStringLiteral("by"),           QStringLiteral("without"),    QStringLiteral("on"),
      QStringLiteral("ignoring"),     QStringLiteral("group_left"), QStringLiteral("group_right"),
      QStringLiteral("bool"),         QStringLiteral("and"),        QStringLiteral("or"),
      QStringLiteral("unless"),       QStringLiteral("offset"),     QStringLiteral("atan2"),
      QStringLiteral("inf"),          QStringLiteral("nan"),        QStringLiteral("sum"),
      QStringLiteral("min"),          QStringLiteral("max"),        QStringLiteral("avg"),
      QStringLiteral("count"),        QStringLiteral("stddev"),     QStringLiteral("stdvar"),
      QStringLiteral("topk"),         QStringLiteral("bottomk"),    QStringLiteral("quantile"),
      QStringLiteral("count_values"), QStringLiteral("group")};
  return words;
}

bool isIdentStart(QChar c) {
  return c.isLetter() || c == u'_' || c == u':';
}
bool isIdentChar(QChar c) {
  return c.isLetterOrNumber() || c == u'_' || c == u':';
}

/// Index just past the bracket group that opens at `open` (which holds `(`, `{` or `[`),
/// skipping string literals inside it. Returns expr.size() when unbalanced.
qsizetype skipGroup(const QString& expr, qsizetype open) {
  const QChar opening = expr[open];
  const QChar closing = opening == u'(' ? u')' : opening == u'{' ? u'}' : u']';
  int depth = 0;
  for (qsizetype i = open; i < expr.size(); ++i) {
    const QChar c = expr[i];
    if (c == u'"' || c == u'\'' || c == u'`') {
      const qsizetype end = expr.indexOf(c, i + 1);
      if (end < 0) return expr.size();
      i = end;
    } else if (c == opening) {
      ++depth;
    } else if (c == closing && --depth == 0) {
      return i + 1;
    }
  }
  return expr.size();
}

/// Metric names a PromQL expression selects: identifiers that are not functions (followed by
/// `(`), keywords, label names (inside `{...}` or a by/without/on/ignoring/group_x list),
/// durations or numbers, or Grafana variables (`$job`, `${x}`, `$__rate_interval`).
NameSet metricNames(const QString& expr) {
  static const NameSet labelListKeywords{
      QStringLiteral("by"),       QStringLiteral("without"),    QStringLiteral("on"),
      QStringLiteral("ignoring"), QStringLiteral("group_left"), QStringLiteral("group_right")};
  NameSet names;
  qsizetype i = 0;
  while (i < expr.size()) {
    const QChar c = expr[i];
    if (c == u'"' || c == u'\'' || c == u'`') {
      const qsizetype end = expr.indexOf(c, i + 1);
      i = end < 0 ? expr.size() : end + 1;
    } else if (c == u'{' || c == u'[') {
      i = skipGroup(expr, i); // label matchers, range or subquery durations
    } else if (c == u'$') {
      ++i;
      if (i < expr.size() && expr[i] == u'{') {
        i = skipGroup(expr, i);
      } else {
        while (i < expr.size() && isIdentChar(expr[i]))
          ++i;
      }
    } else if (c.isDigit() || (c == u'.' && i + 1 < expr.size() && expr[i + 1].isDigit())) {
      while (i < expr.size() && (isIdentChar(expr[i]) || expr[i] == u'.'))
        ++i; // 1e3, 5m, 0x1f
    } else if (isIdentStart(c)) {
      const qsizetype start = i;
      while (i < expr.size() && isIdentChar(expr[i]))
        ++i;
      const QString word = expr.mid(start, i - start);
      qsizetype next = i;
      while (next < expr.size() && expr[next].isSpace())
        ++next;
      const bool callOrList = next < expr.size() && expr[next] == u'(';
      if (labelListKeywords.contains(word)) {
        if (callOrList) i = skipGroup(expr, next); // the label names in the list
      } else if (!callOrList && !promqlKeywords().contains(word.toLower())) {
        names.insert(word);
      }
    } else {
      ++i;
    }
  }
  return names;
}

/// Every sample name the exposition of `text` can contain: `# TYPE` names (with
/// _bucket/_sum/_count for histograms and summaries) and the names of actual sample lines.
NameSet servedNames(const std::string& text) {
  NameSet names;
  const QStringList lines = QString::fromStdString(text).split(u'\n', Qt::SkipEmptyParts);
  for (const QString& line : lines) {
    if (line.startsWith(QLatin1String("# TYPE "))) {
      const QStringList parts = line.split(u' ', Qt::SkipEmptyParts);
      if (parts.size() < 4) continue;
      names.insert(parts[2]);
      if (parts[3] == QLatin1String("histogram") || parts[3] == QLatin1String("summary")) {
        names.insert(parts[2] + QLatin1String("_sum"));
        names.insert(parts[2] + QLatin1String("_count"));
        if (parts[3] == QLatin1String("histogram"))
          names.insert(parts[2] + QLatin1String("_bucket"));
      }
    } else if (!line.startsWith(u'#')) {
      qsizetype end = 0;
      while (end < line.size() && isIdentChar(line[end]))
        ++end;
      if (end > 0) names.insert(line.left(end));
    }
  }
  return names;
}

/// The `# TYPE` family names of the exposition, for the coverage check.
QStringList familyNames(const std::string& text) {
  QStringList families;
  const QStringList lines = QString::fromStdString(text).split(u'\n', Qt::SkipEmptyParts);
  for (const QString& line : lines) {
    if (line.startsWith(QLatin1String("# TYPE "))) families << line.section(u' ', 2, 2);
  }
  return families;
}

/// The exposition of a registry set up the way `healthdeck serve` sets it up, with one series
/// bound for each open label so every family has samples.
std::string exposition() {
  healthdeck::metrics::Registry registry;
  healthdeck::metrics::Instruments instruments(registry);
  registry.addCollectable(std::make_shared<healthdeck::metrics::ProcessCollector>());
  healthdeck::exporter::ExporterMetrics exporterMetrics(registry);

  instruments.httpRoute(healthdeck::metrics::HttpMethod::Get, "/api/users/{id}").observe(200, 0.01);
  instruments.realtimeStream("alerts").broadcast();
  instruments.job("cleaner").run(healthdeck::metrics::JobResult::Success, 1.5);
  exporterMetrics.observeScrape(std::chrono::milliseconds(2), 1234);
  healthdeck::ProbeResult probe;
  probe.checks.push_back(
      {"database", healthdeck::Status::Up, "SELECT 1", std::chrono::milliseconds(3), true, {}});
  exporterMetrics.observeHealth(probe);

  std::string text;
  registry.appendText(text);
  return text;
}

QJsonObject loadDashboard() {
  QFile file(sourceDir() + QLatin1String("/docs/dashboards/healthdeck.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  if (error.error != QJsonParseError::NoError) {
    qWarning("healthdeck.json: %s at offset %d", qPrintable(error.errorString()),
             static_cast<int>(error.offset));
    return {};
  }
  return doc.object();
}

/// Every panel, rows' nested panels included.
QList<QJsonObject> allPanels(const QJsonObject& dashboard) {
  QList<QJsonObject> out;
  const QJsonArray panels = dashboard.value(QLatin1String("panels")).toArray();
  for (const QJsonValue& p : panels) {
    out << p.toObject();
    const QJsonArray nested = p.toObject().value(QLatin1String("panels")).toArray();
    for (const QJsonValue& n : nested)
      out << n.toObject();
  }
  return out;
}

struct Query {
  QString where; // "panel 'Title' A", "alert X"
  QString expr;
};

QList<Query> dashboardQueries(const QJsonObject& dashboard) {
  QList<Query> queries;
  for (const QJsonObject& panel : allPanels(dashboard)) {
    const QJsonArray targets = panel.value(QLatin1String("targets")).toArray();
    for (const QJsonValue& t : targets) {
      const QJsonObject target = t.toObject();
      queries.push_back({QLatin1String("panel '") + panel.value(QLatin1String("title")).toString() +
                             QLatin1String("' ") + target.value(QLatin1String("refId")).toString(),
                         target.value(QLatin1String("expr")).toString()});
    }
  }
  const QJsonArray vars = dashboard.value(QLatin1String("templating"))
                              .toObject()
                              .value(QLatin1String("list"))
                              .toArray();
  for (const QJsonValue& v : vars) {
    const QJsonObject var = v.toObject();
    if (var.value(QLatin1String("type")).toString() != QLatin1String("query")) continue;
    // label_values(SELECTOR, label): the selector is PromQL.
    static const QRegularExpression labelValues(
        QStringLiteral(R"(^label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$)"));
    const QString q =
        var.value(QLatin1String("query")).toObject().value(QLatin1String("query")).toString();
    const QRegularExpressionMatch m = labelValues.match(q);
    queries.push_back({QLatin1String("variable ") + var.value(QLatin1String("name")).toString(),
                       m.hasMatch() ? m.captured(1) : q});
  }
  return queries;
}

QList<Query> alertQueries() {
  QList<Query> queries;
  const QString path = sourceDir() + QLatin1String("/docs/alerts/healthdeck.rules.yml");
  const YAML::Node root = YAML::LoadFile(path.toStdString());
  for (const YAML::Node& group : root["groups"]) {
    for (const YAML::Node& rule : group["rules"]) {
      const std::string name =
          rule["alert"] ? rule["alert"].as<std::string>() : rule["record"].as<std::string>();
      queries.push_back({QLatin1String("rule ") + QString::fromStdString(name),
                         QString::fromStdString(rule["expr"].as<std::string>())});
    }
  }
  return queries;
}

/// Names that `queries` use and `served` lacks, as "where: name" lines.
QStringList unknownNames(const QList<Query>& queries, const NameSet& served) {
  QStringList unknown;
  for (const Query& q : queries) {
    for (const QString& name : metricNames(q.expr)) {
      if (!served.contains(name)) unknown << q.where + QLatin1String(": ") + name;
    }
  }
  unknown.sort();
  return unknown;
}

/// Grafana variables replaced by values PromQL accepts, so promtool can parse the query.
QString substituteVariables(QString expr) {
  expr.replace(QLatin1String("$__rate_interval"), QLatin1String("5m"));
  expr.replace(QLatin1String("$__interval"), QLatin1String("1m"));
  expr.replace(QLatin1String("$__range"), QLatin1String("1h"));
  expr.replace(QLatin1String("$job"), QLatin1String("healthdeck"));
  expr.replace(QLatin1String("$instance"), QLatin1String(".*"));
  return expr;
}

} // namespace

class TstDashboard : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void extractsMetricNames_data();
  void extractsMetricNames();
  void servedNamesIncludeEveryStandardFamily();
  void dashboardHasGrafanaShape();
  void dashboardQueriesOnlyServedNames();
  void dashboardCoversEveryFamily();
  void dashboardQueriesParse();
  void alertRulesQueryOnlyServedNames();
  void unknownNameIsReported();

private:
  NameSet m_served;
  QStringList m_families;
  QJsonObject m_dashboard;
};

void TstDashboard::initTestCase() {
  QVERIFY2(!sourceDir().isEmpty(), "HEALTHDECK_SOURCE_DIR is not set");
  const std::string text = exposition();
  m_served = servedNames(text);
  m_served.insert(QStringLiteral("up")); // written by Prometheus for every target
  m_families = familyNames(text);
  m_dashboard = loadDashboard();
  QVERIFY2(!m_dashboard.isEmpty(), "docs/dashboards/healthdeck.json is missing or not JSON");
}

void TstDashboard::extractsMetricNames_data() {
  QTest::addColumn<QString>("expr");
  QTest::addColumn<QStringList>("names");
  QTest::newRow("bare") << QStringLiteral("up") << QStringList{QStringLiteral("up")};
  QTest::newRow("selector and range")
      << QStringLiteral(
             R"(rate(auth_attempts_total{job="$job", result!="success"}[$__rate_interval]))")
      << QStringList{QStringLiteral("auth_attempts_total")};
  QTest::newRow("histogram quantile with by list")
      << QStringLiteral(
             R"(histogram_quantile(0.95, sum by (route, le) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m]))))")
      << QStringList{QStringLiteral("http_request_duration_seconds_bucket")};
  QTest::newRow("binary with by after aggregation and numbers")
      << QStringLiteral("sum(rate(a_total[1m])) by (job) / on (job) group_left(instance) "
                        "b_seconds > 26 * 3600 and 1e3 < c")
      << QStringList{QStringLiteral("a_total"), QStringLiteral("b_seconds"), QStringLiteral("c")};
  QTest::newRow("label value that looks like a name")
      << QStringLiteral(
             R"(health_check_status{component="process_open_fds", probe='readiness'} == 1)")
      << QStringList{QStringLiteral("health_check_status")};
  QTest::newRow("time and variables")
      << QStringLiteral("time() - process_start_time_seconds{instance=~\"$instance\"} offset 5m")
      << QStringList{QStringLiteral("process_start_time_seconds")};
  QTest::newRow("keywords") << QStringLiteral("x bool == y unless z or sum without (a) (w)")
                            << QStringList{QStringLiteral("x"), QStringLiteral("y"),
                                           QStringLiteral("z"), QStringLiteral("w")};
  QTest::newRow("vector literal") << QStringLiteral("sum(m) or vector(0)")
                                  << QStringList{QStringLiteral("m")};
}

void TstDashboard::extractsMetricNames() {
  QFETCH(QString, expr);
  QFETCH(QStringList, names);
  QStringList got = metricNames(expr).values();
  got.sort();
  names.sort();
  QCOMPARE(got, names);
}

void TstDashboard::servedNamesIncludeEveryStandardFamily() {
  // The exposition really holds what DESIGN.md lists; a setup mistake here would make the
  // other checks vacuous.
  for (const char* name : {"auth_attempts_total",
                           "permission_checks_total",
                           "sessions_active",
                           "session_duration_seconds_bucket",
                           "http_request_duration_seconds_count",
                           "vault_operations_total",
                           "vault_operation_duration_seconds_bucket",
                           "realtime_connections_active",
                           "realtime_subscriptions_total",
                           "realtime_broadcasts_total",
                           "realtime_send_failures_total",
                           "realtime_queue_dropped_total",
                           "realtime_queue_depth",
                           "maintenance_job_runs_total",
                           "maintenance_job_duration_seconds_bucket",
                           "maintenance_job_last_success_timestamp_seconds",
                           "connection_launches_total",
                           "connections_active",
                           "health_check_status",
                           "health_check_duration_seconds",
                           "exporter_scrapes_total",
                           "exporter_scrape_duration_seconds_bucket",
                           "exporter_response_bytes_total",
                           "exporter_last_scrape_timestamp_seconds",
                           "process_cpu_seconds_total",
                           "process_resident_memory_bytes",
                           "process_open_fds",
                           "process_max_fds",
                           "process_start_time_seconds",
                           "process_threads"}) {
    QVERIFY2(m_served.contains(QLatin1String(name)), name);
  }
}

void TstDashboard::dashboardHasGrafanaShape() {
  QVERIFY(!m_dashboard.value(QLatin1String("title")).toString().isEmpty());
  QCOMPARE(m_dashboard.value(QLatin1String("uid")).toString(),
           QStringLiteral("healthdeck-overview"));
  QVERIFY(m_dashboard.value(QLatin1String("schemaVersion")).toInt() >= 36);

  bool hasDatasourceVar = false;
  const QJsonArray vars = m_dashboard.value(QLatin1String("templating"))
                              .toObject()
                              .value(QLatin1String("list"))
                              .toArray();
  for (const QJsonValue& v : vars) {
    const QJsonObject var = v.toObject();
    if (var.value(QLatin1String("name")).toString() == QLatin1String("datasource")) {
      QCOMPARE(var.value(QLatin1String("type")).toString(), QStringLiteral("datasource"));
      QCOMPARE(var.value(QLatin1String("query")).toString(), QStringLiteral("prometheus"));
      hasDatasourceVar = true;
    }
  }
  QVERIFY2(hasDatasourceVar, "no datasource variable: the dashboard would be tied to one uid");

  QSet<int> ids;
  int queried = 0;
  for (const QJsonObject& panel : allPanels(m_dashboard)) {
    const QString title = panel.value(QLatin1String("title")).toString();
    QVERIFY2(!title.isEmpty(), "a panel without a title");
    const int id = panel.value(QLatin1String("id")).toInt(-1);
    QVERIFY2(id > 0 && !ids.contains(id),
             qPrintable(QLatin1String("bad or duplicate id: ") + title));
    ids.insert(id);
    const QJsonObject grid = panel.value(QLatin1String("gridPos")).toObject();
    QVERIFY2(grid.contains(QLatin1String("h")) && grid.contains(QLatin1String("w")) &&
                 grid.contains(QLatin1String("x")) && grid.contains(QLatin1String("y")),
             qPrintable(QLatin1String("gridPos incomplete: ") + title));
    QVERIFY2(grid.value(QLatin1String("x")).toInt() + grid.value(QLatin1String("w")).toInt() <= 24,
             qPrintable(QLatin1String("panel wider than the grid: ") + title));
    if (panel.value(QLatin1String("type")).toString() == QLatin1String("row")) continue;
    QCOMPARE(
        panel.value(QLatin1String("datasource")).toObject().value(QLatin1String("uid")).toString(),
        QStringLiteral("${datasource}"));
    const QJsonArray targets = panel.value(QLatin1String("targets")).toArray();
    QVERIFY2(!targets.isEmpty(), qPrintable(QLatin1String("panel without a query: ") + title));
    for (const QJsonValue& t : targets) {
      QVERIFY2(!t.toObject().value(QLatin1String("expr")).toString().trimmed().isEmpty(),
               qPrintable(QLatin1String("empty query in ") + title));
      ++queried;
    }
  }
  QVERIFY(queried >= 20);
}

void TstDashboard::dashboardQueriesOnlyServedNames() {
  const QStringList unknown = unknownNames(dashboardQueries(m_dashboard), m_served);
  QVERIFY2(unknown.isEmpty(), qPrintable(QLatin1String("names the exporter does not serve:\n  ") +
                                         unknown.join(QLatin1String("\n  "))));
}

void TstDashboard::dashboardCoversEveryFamily() {
  NameSet used;
  for (const Query& q : dashboardQueries(m_dashboard))
    used.unite(metricNames(q.expr));
  QStringList missing;
  for (const QString& family : m_families) {
    const bool covered = used.contains(family) ||
                         used.contains(family + QLatin1String("_bucket")) ||
                         used.contains(family + QLatin1String("_count")) ||
                         used.contains(family + QLatin1String("_sum"));
    if (!covered) missing << family;
  }
  QVERIFY2(missing.isEmpty(), qPrintable(QLatin1String("families without a panel: ") +
                                         missing.join(QLatin1String(", "))));
}

void TstDashboard::dashboardQueriesParse() {
  const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
  QVERIFY2(!promtool.isEmpty(), "promtool not found (Debian package prometheus)");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  // Each query becomes a recording rule: `promtool check rules` parses every expression.
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "dashboard";
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  int n = 0;
  for (const Query& q : dashboardQueries(m_dashboard)) {
    out << YAML::BeginMap << YAML::Key << "record" << YAML::Value
        << ("dashboard:query_" + std::to_string(++n)) << YAML::Key << "expr" << YAML::Value
        << substituteVariables(q.expr).toStdString() << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  const QString path = dir.filePath(QStringLiteral("dashboard.rules.yml"));
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(out.c_str());
  file.close();

  QProcess p;
  p.start(promtool, {QStringLiteral("check"), QStringLiteral("rules"), path});
  QVERIFY(p.waitForFinished(30000));
  const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
  QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, output.constData());
  const QByteArray found = QByteArray::number(n) + QByteArrayLiteral(" rules found");
  QVERIFY2(output.contains(found), output.constData());
}

void TstDashboard::alertRulesQueryOnlyServedNames() {
  const QList<Query> queries = alertQueries();
  QVERIFY(queries.size() >= 6);
  const QStringList unknown = unknownNames(queries, m_served);
  QVERIFY2(unknown.isEmpty(), qPrintable(QLatin1String("names the exporter does not serve:\n  ") +
                                         unknown.join(QLatin1String("\n  "))));
}

void TstDashboard::unknownNameIsReported() {
  const QList<Query> queries{
      {QStringLiteral("q"),
       QStringLiteral(R"(rate(auth_attempts_total[5m]) + auth_attempt_total{job="x"})")}};
  QCOMPARE(unknownNames(queries, m_served), QStringList{QStringLiteral("q: auth_attempt_total")});
}

QTEST_GUILESS_MAIN(TstDashboard)
#include "tst_dashboard.moc"
