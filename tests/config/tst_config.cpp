// The monitoring configuration loader: every key parsed, the built-in defaults, every
// validation error with its line and key, HEALTHDECK_MONITORING_* overrides (through an
// injected environment), secret-file readability, the listen-in-use check and the shipped
// resources/monitoring.yaml.

#include "healthdeck/checks/check_factory.h"
#include "healthdeck/config/monitoring_config.h"
#include "tests/support/ports.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace healthdeck;

namespace {

// EnvLookup is a plain function pointer, so the fake environment lives in a global that each
// test resets.
std::map<std::string, std::string>& fakeEnvironment() {
  static std::map<std::string, std::string> vars;
  return vars;
}

std::optional<std::string> fakeEnv(const char* name) {
  const auto it = fakeEnvironment().find(name);
  if (it == fakeEnvironment().end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> fakeNames() {
  std::vector<std::string> names;
  for (const auto& [name, value] : fakeEnvironment())
    names.push_back(name);
  return names;
}

MonitoringConfig parse(const std::string& yaml, const std::string& file = "test.yaml") {
  return parseMonitoringConfig(yaml, file, &fakeEnv, &fakeNames);
}

std::string str(const QString& s) {
  return s.toStdString();
}

// A check type with a secret file key and an outside dependency, standing in for the ones
// (postgres, redis) that take `password_file` / `dsn_file`.
class NoopCheck : public HealthCheck {
public:
  CheckOutcome run(const CheckContext&) override { return {}; }
};

void registerTestType() {
  if (findCheckType("vault_test")) return;
  registerCheckType(CheckType{"vault_test",
                              {"address", "password_file"},
                              true,
                              [](const CheckConfig& cfg) -> std::shared_ptr<HealthCheck> {
                                cfg.required("address");
                                return std::make_shared<NoopCheck>();
                              }});
}

} // namespace

class TestConfig : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void init();

  void defaultsWithoutFile();
  void defaultsFromEmptyDocument();
  void fullConfig();
  void validationErrors_data();
  void validationErrors();
  void yamlSyntaxErrorLines_data();
  void yamlSyntaxErrorLines();
  void crlfAndByteOrderMark();
  void environmentOverrides();
  void environmentCheckOverrides();
  void environmentErrors_data();
  void environmentErrors();
  void collisionAfterEnvironmentOverride();
  void processEnvironmentIsScreened();
  void unreadableSecretFiles_data();
  void unreadableSecretFiles();
  void relativeSecretPathsFollowTheFile();
  void warnings();
  void listenInUse();
  void listenOverride();
  void explicitPathMustExist();
  void defaultConfigPathLookup();
  void loadsDefaultPathWhenPresent();
  void shippedConfigValidates();
  void webConfigFileAndKubernetesAliases();

private:
  QTemporaryDir m_dir;
  std::string m_token;
  std::string m_cert;
  std::string m_key;
  std::string m_password;
};

void TestConfig::initTestCase() {
  // One row resolves a name under .invalid; on a host whose DNS server does not answer, keep
  // that to about a second instead of the resolver's default retries.
  qputenv("RES_OPTIONS", "timeout:1 attempts:1");
  QVERIFY(m_dir.isValid());
  registerTestType();
  auto write = [&](const QString& name) {
    QFile f(m_dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly)) return std::string();
    f.write("secret\n");
    return str(f.fileName());
  };
  m_token = write(QStringLiteral("token"));
  m_cert = write(QStringLiteral("cert.pem"));
  m_key = write(QStringLiteral("key.pem"));
  m_password = write(QStringLiteral("password"));
  QVERIFY(!m_token.empty() && !m_cert.empty() && !m_key.empty() && !m_password.empty());
}

void TestConfig::init() {
  fakeEnvironment().clear();
}

static void compareWithDefaults(const MonitoringConfig& c) {
  const MonitoringConfig d;
  QCOMPARE(c.listen, std::string("127.0.0.1:9797"));
  QCOMPARE(c.listen, d.listen);
  QCOMPARE(c.listenHost, d.listenHost);
  QCOMPARE(c.listenAddress, std::string("127.0.0.1"));
  QCOMPARE(c.listenPort, d.listenPort);
  QCOMPARE(c.prometheus.enabled, true);
  QCOMPARE(c.prometheus.endpoint, std::string("/metrics"));
  QCOMPARE(c.prometheus.ns, std::string());
  QCOMPARE(c.health.enabled, true);
  QCOMPARE(c.health.healthPath, std::string("/health"));
  QCOMPARE(c.health.livePath, std::string("/health/live"));
  QCOMPARE(c.health.readyPath, std::string("/health/ready"));
  QCOMPARE(c.health.timeout, std::chrono::milliseconds(2000));
  QCOMPARE(c.health.cacheTtl, std::chrono::milliseconds(1000));
  QCOMPARE(c.auth.bearerTokenFile, std::string());
  QVERIFY(c.auth.showDetails == ShowDetails::WhenAuthorized);
  QCOMPARE(c.tls.certFile, std::string());
  QCOMPARE(c.tls.keyFile, std::string());
  QVERIFY(c.checks.empty());
  QVERIFY(c.warnings.empty());
  QVERIFY(c.listensOnLoopback());
}

void TestConfig::defaultsWithoutFile() {
  // No XDG_CONFIG_HOME/HOME: no default file to find, so the built-in defaults.
  const MonitoringConfig c = loadMonitoringConfig({}, &fakeEnv, &fakeNames);
  compareWithDefaults(c);
  QCOMPARE(c.sourceFile, std::string());
  QVERIFY(c.sources.empty());
}

void TestConfig::defaultsFromEmptyDocument() {
  for (const char* yaml : {"", "# only a comment\n", "monitoring:\n", "monitoring: {}\n",
                           "monitoring:\n  prometheus:\n  tls:\n  checks: []\n"}) {
    const MonitoringConfig c = parse(yaml);
    compareWithDefaults(c);
    QCOMPARE(c.sourceFile, std::string("test.yaml"));
  }
}

void TestConfig::fullConfig() {
  const std::string yaml = "monitoring:\n"                 // 1
                           "  listen: 127.0.0.1:19797\n"   // 2
                           "  prometheus:\n"               // 3
                           "    enabled: false\n"          // 4
                           "    endpoint: /prom/metrics\n" // 5
                           "    namespace: myapp\n"        // 6
                           "  health_check:\n"             // 7
                           "    enabled: no\n"             // 8
                           "    endpoints:\n"              // 9
                           "      health: /hc\n"           // 10
                           "      live: /hc/live\n"        // 11
                           "      ready: /hc/ready\n"      // 12
                           "    timeout: 1.5s\n"           // 13
                           "    cache_ttl: 0s\n"           // 14
                           "  auth:\n"                     // 15
                           "    bearer_token_file: " +
                           m_token +
                           "\n"                        // 16
                           "    show_details: never\n" // 17
                           "  tls: {cert_file: " +
                           m_cert + ", key_file: " + m_key +
                           "}\n"                           // 18
                           "  checks:\n"                   // 19
                           "    - name: disk.root\n"       // 20
                           "      type: disk\n"            // 21
                           "      path: /\n"               // 22
                           "      min_free_percent: 5\n"   // 23
                           "      probe: liveness\n"       // 24
                           "      critical: false\n"       // 25
                           "      timeout: 250ms\n"        // 26
                           "      degraded_after: 100ms\n" // 27
                           "    - {name: vault-1, type: vault_test, address: 127.0.0.1:8200, "
                           "password_file: " +
                           m_password +
                           ", probe: liveness, allow_liveness: true}\n" // 28
                           "    - name: jobs_cleaner\n"                 // 29
                           "      type: heartbeat\n"                    // 30
                           "      file: /var/lib/app/cleaner.stamp\n"   // 31
                           "      max_age: 10m\n";                      // 32
  const MonitoringConfig c = parse(yaml);
  QCOMPARE(c.listen, std::string("127.0.0.1:19797"));
  QCOMPARE(c.listenHost, std::string("127.0.0.1"));
  QCOMPARE(c.listenPort, std::uint16_t(19797));
  QCOMPARE(c.prometheus.enabled, false);
  QCOMPARE(c.prometheus.endpoint, std::string("/prom/metrics"));
  QCOMPARE(c.prometheus.ns, std::string("myapp"));
  QCOMPARE(c.health.enabled, false);
  QCOMPARE(c.health.healthPath, std::string("/hc"));
  QCOMPARE(c.health.livePath, std::string("/hc/live"));
  QCOMPARE(c.health.readyPath, std::string("/hc/ready"));
  QCOMPARE(c.health.timeout, std::chrono::milliseconds(1500));
  QCOMPARE(c.health.cacheTtl, std::chrono::milliseconds(0));
  QCOMPARE(c.auth.bearerTokenFile, m_token);
  QVERIFY(c.auth.showDetails == ShowDetails::Never);
  QCOMPARE(c.tls.certFile, m_cert);
  QCOMPARE(c.tls.keyFile, m_key);
  QVERIFY(c.warnings.empty());

  QCOMPARE(c.checks.size(), std::size_t(3));
  const CheckConfig& disk = c.checks[0];
  QCOMPARE(disk.name, std::string("disk.root"));
  QCOMPARE(disk.type, std::string("disk"));
  QVERIFY(disk.probe == Probe::Liveness);
  QCOMPARE(disk.critical, false);
  QCOMPARE(disk.timeout, std::chrono::milliseconds(250));
  QCOMPARE(disk.degradedAfter, std::chrono::milliseconds(100));
  QCOMPARE(disk.allowLiveness, false);
  QCOMPARE(disk.line, 20);
  QCOMPARE(disk.index, 0);
  QCOMPARE(disk.file, std::string("test.yaml"));
  QCOMPARE(disk.params.size(), std::size_t(2));
  QCOMPARE(disk.params.at("path").value, std::string("/"));
  QCOMPARE(disk.params.at("path").line, 22);
  QCOMPARE(disk.params.at("min_free_percent").value, std::string("5"));
  QCOMPARE(disk.params.at("min_free_percent").line, 23);

  const CheckConfig& vault = c.checks[1];
  QCOMPARE(vault.name, std::string("vault-1"));
  QCOMPARE(vault.allowLiveness, true);
  QVERIFY(vault.probe == Probe::Liveness);
  QCOMPARE(vault.critical, true);
  QCOMPARE(vault.timeout, std::chrono::milliseconds(0));
  QCOMPARE(vault.line, 28);
  QCOMPARE(vault.params.at("password_file").value, m_password);
  QCOMPARE(vault.params.at("address").value, std::string("127.0.0.1:8200"));

  const CheckConfig& jobs = c.checks[2];
  QVERIFY(jobs.probe == Probe::Readiness);
  QCOMPARE(jobs.params.at("max_age").value, std::string("10m"));
  QCOMPARE(jobs.index, 2);

  // Where each value came from, for errors raised later (bind failure, TLS load).
  QCOMPARE(c.sources.at("monitoring.listen").line, 2);
  QCOMPARE(c.sources.at("monitoring.listen").file, std::string("test.yaml"));
  QCOMPARE(c.sources.at("monitoring.tls.key_file").line, 18);
  QCOMPARE(c.sources.at("monitoring.checks[2].max_age").line, 32);
  const ConfigError e = c.error("monitoring.listen", "127.0.0.1:19797 is already in use");
  QCOMPARE(std::string(e.what()),
           std::string("test.yaml:2: monitoring.listen: 127.0.0.1:19797 is already in use"));
}

void TestConfig::validationErrors_data() {
  QTest::addColumn<QString>("yaml");
  QTest::addColumn<int>("line");
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("message");

  auto row = [](const char* name, const char* yaml, int line, const char* key,
                const char* message) {
    QTest::newRow(name) << QString::fromUtf8(yaml) << line << QString::fromUtf8(key)
                        << QString::fromUtf8(message);
  };
  // structure
  row("top level not a mapping", "- monitoring\n", 1, "", "expected a mapping");
  row("unknown top key", "monitorin:\n  listen: 127.0.0.1:1\n", 1, "monitorin",
      "did you mean 'monitoring'?");
  row("monitoring is a list", "monitoring:\n  - a\n", 2, "monitoring", "expected a mapping");
  row("prometheus scalar", "monitoring:\n  prometheus: yes\n", 2, "monitoring.prometheus",
      "expected a mapping, got a scalar");
  row("unknown key suggestion", "monitoring:\n  prometheus:\n    endpont: /m\n", 3,
      "monitoring.prometheus.endpont", "did you mean 'endpoint'?");
  row("unknown key listing", "monitoring:\n  tls:\n    zzzzzzzzzz: x\n", 3,
      "monitoring.tls.zzzzzzzzzz", "known keys: cert_file, key_file");
  row("unknown nested key", "monitoring:\n  health_check:\n    endpoints:\n      reddy: /r\n", 4,
      "monitoring.health_check.endpoints.reddy", "did you mean 'ready'?");
  row("duplicate key", "monitoring:\n  listen: 127.0.0.1:1\n  listen: 127.0.0.1:2\n", 3,
      "monitoring.listen", "duplicate key (first set at line 2)");
  row("scalar expected", "monitoring:\n  listen: [127.0.0.1, 9797]\n", 2, "monitoring.listen",
      "expected a single value, got a list");
  row("two documents", "monitoring: {}\n---\nmonitoring: {}\n", 2, "", "more than one YAML");
  // scalar types
  row("bool", "monitoring:\n  prometheus:\n    enabled: maybe\n", 3,
      "monitoring.prometheus.enabled", "invalid boolean 'maybe'");
  row("bool empty", "monitoring:\n  health_check:\n    enabled:\n", 3,
      "monitoring.health_check.enabled", "invalid boolean ''");
  row("namespace", "monitoring:\n  prometheus:\n    namespace: 9app\n", 3,
      "monitoring.prometheus.namespace", "not a metric name prefix");
  row("show_details", "monitoring:\n  auth:\n    show_details: when_authorised\n", 3,
      "monitoring.auth.show_details", "did you mean 'when_authorized'?");
  // durations
  row("bad duration", "monitoring:\n  health_check:\n    timeout: 5\n", 3,
      "monitoring.health_check.timeout", "invalid duration '5'");
  row("bad unit", "monitoring:\n  health_check:\n    cache_ttl: 1d\n", 3,
      "monitoring.health_check.cache_ttl", "invalid duration '1d'");
  row("negative timeout", "monitoring:\n  health_check:\n    timeout: -2s\n", 3,
      "monitoring.health_check.timeout", "is negative");
  row("zero timeout", "monitoring:\n  health_check:\n    timeout: 0s\n", 3,
      "monitoring.health_check.timeout", "must be greater than 0s");
  row("negative check timeout",
      "monitoring:\n  checks:\n    - name: a\n      type: disk\n      timeout: -1s\n", 5,
      "monitoring.checks[0].timeout", "is negative");
  row("bad degraded_after",
      "monitoring:\n  checks:\n    - name: a\n      type: disk\n      degraded_after: soon\n", 5,
      "monitoring.checks[0].degraded_after", "invalid duration 'soon'");
  // listen
  row("listen no port", "monitoring:\n  listen: 127.0.0.1\n", 2, "monitoring.listen",
      "expected HOST:PORT, got '127.0.0.1' (the port is missing)");
  row("listen bare port", "monitoring:\n  listen: \"9797\"\n", 2, "monitoring.listen",
      "the port is missing");
  row("listen empty host", "monitoring:\n  listen: :9797\n", 2, "monitoring.listen",
      "the host is missing");
  row("listen port range", "monitoring:\n  listen: 127.0.0.1:70000\n", 2, "monitoring.listen",
      "invalid port '70000' (expected 1-65535)");
  row("listen port zero", "monitoring:\n  listen: 127.0.0.1:0\n", 2, "monitoring.listen",
      "invalid port '0'");
  row("listen port text", "monitoring:\n  listen: 127.0.0.1:http\n", 2, "monitoring.listen",
      "invalid port 'http'");
  row("listen ipv6 brackets", "monitoring:\n  listen: \"[::1]:9797\"\n", 2, "monitoring.listen",
      "IPv6 is not supported");
  row("listen ipv6 bare", "monitoring:\n  listen: \"::1:9797\"\n", 2, "monitoring.listen",
      "IPv6 is not supported");
  row("listen bad ipv4", "monitoring:\n  listen: 300.1.2.3:9797\n", 2, "monitoring.listen",
      "'300.1.2.3' is not a valid IPv4 address");
  row("listen bad host", "monitoring:\n  listen: \"my host:9797\"\n", 2, "monitoring.listen",
      "not a valid host name");
  row("listen unresolvable", "monitoring:\n  listen: no-such-host.invalid:9797\n", 2,
      "monitoring.listen", "cannot resolve host 'no-such-host.invalid'");
  // endpoints
  row("endpoint no slash", "monitoring:\n  prometheus:\n    endpoint: metrics\n", 3,
      "monitoring.prometheus.endpoint", "must start with '/'");
  row("endpoint empty", "monitoring:\n  health_check:\n    endpoints: {live: \"\"}\n", 3,
      "monitoring.health_check.endpoints.live", "must not be empty");
  row("endpoint query", "monitoring:\n  health_check:\n    endpoints:\n      ready: /r?x=1\n", 4,
      "monitoring.health_check.endpoints.ready", "contains '?'");
  row("endpoint trailing slash", "monitoring:\n  prometheus:\n    endpoint: /metrics/\n", 3,
      "monitoring.prometheus.endpoint", "must not end with '/'");
  row("endpoint dotdot", "monitoring:\n  prometheus:\n    endpoint: /a/../b\n", 3,
      "monitoring.prometheus.endpoint", "'..'");
  row("metrics collides with health", "monitoring:\n  prometheus:\n    endpoint: /health/ready\n",
      3, "monitoring.prometheus.endpoint",
      "'/health/ready' collides with monitoring.health_check.endpoints.ready");
  row("health routes collide",
      "monitoring:\n  health_check:\n    endpoints:\n      health: /h\n      live: /h\n", 5,
      "monitoring.health_check.endpoints.live",
      "collides with monitoring.health_check.endpoints.health");
  // auth / tls
  row("tls cert only", "monitoring:\n  tls:\n    cert_file: /etc/hostname\n", 3,
      "monitoring.tls.cert_file", "key_file is not set");
  row("tls key only", "monitoring:\n  tls:\n    key_file: /etc/hostname\n", 3,
      "monitoring.tls.key_file", "cert_file is not set");
  row("token missing", "monitoring:\n  auth:\n    bearer_token_file: /nonexistent/token\n", 3,
      "monitoring.auth.bearer_token_file",
      "cannot read /nonexistent/token: No such file or directory");
  // checks
  row("checks not a list", "monitoring:\n  checks: {name: a}\n", 2, "monitoring.checks",
      "expected a list of checks, got a mapping");
  row("check not a mapping", "monitoring:\n  checks:\n    - disk\n", 3, "monitoring.checks[0]",
      "expected a mapping");
  row("check missing name", "monitoring:\n  checks:\n    - type: disk\n      path: /\n", 3,
      "monitoring.checks[0].name", "missing required key 'name'");
  row("check missing type", "monitoring:\n  checks:\n    - name: a\n", 3,
      "monitoring.checks[0].type", "missing required key 'type'");
  row("check bad name", "monitoring:\n  checks:\n    - {name: \"my db\", type: disk}\n", 3,
      "monitoring.checks[0].name", "'my db' is not a valid check name");
  row("check duplicate name",
      "monitoring:\n  checks:\n"
      "    - {name: d, type: disk, path: /, min_free_percent: 1}\n"
      "    - {name: d, type: disk, path: /, min_free_percent: 1}\n",
      4, "monitoring.checks[1].name",
      "duplicate check name 'd' (first used by monitoring.checks[0].name, line 3)");
  row("check bad probe", "monitoring:\n  checks:\n    - {name: a, type: disk, probe: live}\n", 3,
      "monitoring.checks[0].probe", "invalid probe 'live' (expected readiness or liveness)");
  row("check bad critical", "monitoring:\n  checks:\n    - {name: a, type: disk, critical: 1}\n", 3,
      "monitoring.checks[0].critical", "invalid boolean '1'");
  row("check unknown type",
      "monitoring:\n  checks:\n    - name: a\n      type: dsik\n      path: /\n", 4,
      "monitoring.checks[0].type", "unknown check type 'dsik' (did you mean 'disk'?)");
  row("check unknown key",
      "monitoring:\n  checks:\n    - name: a\n      type: disk\n      path: /\n"
      "      min_free_percent: 5\n      colour: red\n",
      7, "monitoring.checks[0].colour", "unknown key for type \"disk\"");
  row("check bad value",
      "monitoring:\n  checks:\n    - name: a\n      type: disk\n      path: /\n"
      "      min_free_percent: lots\n",
      6, "monitoring.checks[0].min_free_percent", "invalid number");
  row("check param not scalar",
      "monitoring:\n  checks:\n    - name: a\n      type: disk\n      path: [/, /tmp]\n", 5,
      "monitoring.checks[0].path", "expected a single value, got a list");
  row("check outside service on liveness",
      "monitoring:\n  checks:\n    - name: db\n      type: tcp\n      address: 127.0.0.1:5432\n"
      "      probe: liveness\n",
      6, "monitoring.checks[0].probe", "must not decide liveness");
  row("check secret file missing",
      "monitoring:\n  checks:\n    - name: v\n      type: vault_test\n"
      "      address: 127.0.0.1:1\n      password_file: /nonexistent/pw\n",
      6, "monitoring.checks[0].password_file",
      "cannot read /nonexistent/pw: No such file or directory");
}

void TestConfig::validationErrors() {
  QFETCH(QString, yaml);
  QFETCH(int, line);
  QFETCH(QString, key);
  QFETCH(QString, message);
  try {
    parse(str(yaml));
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    const QString what = QString::fromStdString(e.what());
    QVERIFY2(e.line() == line,
             qPrintable(QStringLiteral("line %1 in: %2").arg(e.line()).arg(what)));
    QCOMPARE(QString::fromStdString(e.file()), QStringLiteral("test.yaml"));
    QVERIFY2(QString::fromStdString(e.key()) == key, qPrintable(what));
    QVERIFY2(QString::fromStdString(e.message()).contains(message), qPrintable(what));
    QVERIFY(what.startsWith(QStringLiteral("test.yaml:%1: ").arg(line)));
  }
}

void TestConfig::yamlSyntaxErrorLines_data() {
  QTest::addColumn<QString>("yaml");
  QTest::addColumn<int>("line");
  QTest::newRow("unclosed flow map") << QStringLiteral("monitoring:\n  tls: {cert_file: a\n") << 3;
  QTest::newRow("bad indentation")
      << QStringLiteral("monitoring:\n  listen: 127.0.0.1:1\n prometheus:\n    enabled: true\n")
      << 3;
  QTest::newRow("text after quote")
      << QStringLiteral("monitoring:\n  listen: \"127.0.0.1:1\" x\n") << 2;
  QTest::newRow("nested map value") << QStringLiteral("monitoring: listen: 127.0.0.1:1\n") << 1;
  QTest::newRow("list then map") << QStringLiteral("monitoring:\n  - a\n  b: c\n") << 3;
  QTest::newRow("tab indentation")
      << QStringLiteral("monitoring:\n  prometheus:\n\tenabled: true\n") << 3;
  // yaml-cpp 0.7's LoadAll loops forever on these (allocating): they must fail, fast.
  QTest::newRow("lone comma") << QStringLiteral(",") << 1;
  QTest::newRow("comma after comment") << QStringLiteral("# x\n\n,\n") << 3;
  QTest::newRow("comma after marker") << QStringLiteral("---\n,\n") << 2;
  QTest::newRow("unknown alias") << QStringLiteral("monitoring:\n\n\n  listen: *nowhere\n") << 4;
}

void TestConfig::yamlSyntaxErrorLines() {
  QFETCH(QString, yaml);
  QFETCH(int, line);
  try {
    parse(str(yaml));
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QVERIFY2(e.line() == line, e.what());
    QVERIFY2(e.message().rfind("YAML syntax error: ", 0) == 0, e.what());
    QCOMPARE(e.file(), std::string("test.yaml"));
  }
}

void TestConfig::crlfAndByteOrderMark() {
  // Files edited on Windows: a BOM and CRLF line ends read the same, and lines still count.
  const MonitoringConfig c = parse("\xEF\xBB\xBFmonitoring:\r\n  listen: 127.0.0.1:1234\r\n");
  QCOMPARE(c.listenPort, std::uint16_t(1234));
  try {
    parse("\xEF\xBB\xBFmonitoring:\r\n  listen: 127.0.0.1:1234\r\n  prometheus:\r\n"
          "    endpont: /x\r\n");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.line(), 4);
    QCOMPARE(e.key(), std::string("monitoring.prometheus.endpont"));
  }
}

void TestConfig::environmentOverrides() {
  auto& env = fakeEnvironment();
  env["HEALTHDECK_MONITORING_LISTEN"] = "127.0.0.1:19000";
  env["HEALTHDECK_MONITORING_PROMETHEUS_ENABLED"] = "false";
  env["HEALTHDECK_MONITORING_PROMETHEUS_ENDPOINT"] = "/m";
  env["HEALTHDECK_MONITORING_PROMETHEUS_NAMESPACE"] = "svc";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_ENABLED"] = "off";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_HEALTH"] = "/h";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_LIVE"] = "/h/l";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY"] = "/h/r";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_TIMEOUT"] = "750ms";
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_CACHE_TTL"] = "3s";
  env["HEALTHDECK_MONITORING_AUTH_BEARER_TOKEN_FILE"] = m_token;
  env["HEALTHDECK_MONITORING_AUTH_SHOW_DETAILS"] = "always";
  env["HEALTHDECK_MONITORING_TLS_CERT_FILE"] = m_cert;
  env["HEALTHDECK_MONITORING_TLS_KEY_FILE"] = m_key;
  env["HEALTHDECK_SOURCE_DIR"] = "/elsewhere"; // not under MONITORING_: ignored
  const MonitoringConfig c = parse("monitoring:\n  listen: 127.0.0.1:1\n"
                                   "  prometheus: {enabled: true, endpoint: /metrics}\n");
  QCOMPARE(c.listen, std::string("127.0.0.1:19000"));
  QCOMPARE(c.listenPort, std::uint16_t(19000));
  QCOMPARE(c.prometheus.enabled, false);
  QCOMPARE(c.prometheus.endpoint, std::string("/m"));
  QCOMPARE(c.prometheus.ns, std::string("svc"));
  QCOMPARE(c.health.enabled, false);
  QCOMPARE(c.health.healthPath, std::string("/h"));
  QCOMPARE(c.health.livePath, std::string("/h/l"));
  QCOMPARE(c.health.readyPath, std::string("/h/r"));
  QCOMPARE(c.health.timeout, std::chrono::milliseconds(750));
  QCOMPARE(c.health.cacheTtl, std::chrono::milliseconds(3000));
  QCOMPARE(c.auth.bearerTokenFile, m_token);
  QVERIFY(c.auth.showDetails == ShowDetails::Always);
  QCOMPARE(c.tls.certFile, m_cert);
  QCOMPARE(c.tls.keyFile, m_key);
  QCOMPARE(c.sources.at("monitoring.listen").file, std::string("HEALTHDECK_MONITORING_LISTEN"));
  QCOMPARE(c.sources.at("monitoring.listen").line, 0);

  // Overrides apply to the built-in defaults too, when there is no file.
  env.clear();
  env["HEALTHDECK_MONITORING_PROMETHEUS_NAMESPACE"] = "fromenv";
  const MonitoringConfig d = loadMonitoringConfig({}, &fakeEnv, &fakeNames);
  QCOMPARE(d.prometheus.ns, std::string("fromenv"));
  QCOMPARE(d.sourceFile, std::string());
}

void TestConfig::environmentCheckOverrides() {
  auto& env = fakeEnvironment();
  const std::string yaml = "monitoring:\n  checks:\n"
                           "    - {name: disk, type: disk, path: /, min_free_percent: 5}\n"
                           "    - {name: up, type: tcp, address: 127.0.0.1:1}\n";
  env["HEALTHDECK_MONITORING_CHECKS_0_MIN_FREE_PERCENT"] = "20";
  env["HEALTHDECK_MONITORING_CHECKS_0_WARN_FREE_PERCENT"] = "30"; // a key the file did not set
  env["HEALTHDECK_MONITORING_CHECKS_0_CRITICAL"] = "false";
  env["HEALTHDECK_MONITORING_CHECKS_1_TIMEOUT"] = "300ms";
  env["HEALTHDECK_MONITORING_CHECKS_1_NAME"] = "upstream";
  const MonitoringConfig c = parse(yaml);
  QCOMPARE(c.checks.size(), std::size_t(2));
  QCOMPARE(c.checks[0].params.at("min_free_percent").value, std::string("20"));
  QCOMPARE(c.checks[0].params.at("warn_free_percent").value, std::string("30"));
  QCOMPARE(c.checks[0].critical, false);
  QCOMPARE(c.checks[1].timeout, std::chrono::milliseconds(300));
  QCOMPARE(c.checks[1].name, std::string("upstream"));
  QCOMPARE(c.sources.at("monitoring.checks[1].name").file,
           std::string("HEALTHDECK_MONITORING_CHECKS_1_NAME"));

  // The same overrides through the lookup alone (no list of names) reach the same keys.
  const MonitoringConfig viaLookup = parseMonitoringConfig(yaml, "test.yaml", &fakeEnv, nullptr);
  QCOMPARE(viaLookup.checks[0].params.at("warn_free_percent").value, std::string("30"));
  QCOMPARE(viaLookup.checks[1].name, std::string("upstream"));
}

void TestConfig::environmentErrors_data() {
  QTest::addColumn<QString>("variable");
  QTest::addColumn<QString>("value");
  QTest::addColumn<QString>("key");
  QTest::addColumn<QString>("message");
  auto row = [](const char* var, const char* value, const char* key, const char* message) {
    QTest::newRow(var) << QString::fromUtf8(var) << QString::fromUtf8(value)
                       << QString::fromUtf8(key) << QString::fromUtf8(message);
  };
  row("HEALTHDECK_MONITORING_LISTEN", "[::1]:9797", "monitoring.listen", "IPv6 is not supported");
  row("HEALTHDECK_MONITORING_PROMETHEUS_ENABLED", "nope", "monitoring.prometheus.enabled",
      "invalid boolean 'nope'");
  row("HEALTHDECK_MONITORING_HEALTH_CHECK_TIMEOUT", "-1s", "monitoring.health_check.timeout",
      "is negative");
  row("HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY", "ready",
      "monitoring.health_check.endpoints.ready", "must start with '/'");
  row("HEALTHDECK_MONITORING_AUTH_SHOW_DETAILS", "sometimes", "monitoring.auth.show_details",
      "expected always, when_authorized or never");
  row("HEALTHDECK_MONITORING_AUTH_BEARER_TOKEN_FILE", "/nonexistent/token",
      "monitoring.auth.bearer_token_file", "No such file or directory");
  row("HEALTHDECK_MONITORING_TLS_CERT_FILE", "/etc/hostname", "monitoring.tls.cert_file",
      "key_file is not set");
  row("HEALTHDECK_MONITORING_PROMETHEUS_ENABLD", "false", "",
      "did you mean "
      "HEALTHDECK_MONITORING_PROMETHEUS_ENABLED?");
  row("HEALTHDECK_MONITORING_COLOUR", "blue", "", "unknown setting");
  row("HEALTHDECK_MONITORING_CHECKS_5_TIMEOUT", "1s", "monitoring.checks[5]", "cannot add checks");
  row("HEALTHDECK_MONITORING_CHECKS_00_TIMEOUT", "1s", "", "HEALTHDECK_MONITORING_CHECKS_<index>");
  row("HEALTHDECK_MONITORING_CHECKS_0_", "1s", "", "HEALTHDECK_MONITORING_CHECKS_<index>");
  row("HEALTHDECK_MONITORING_CHECKS_X_TIMEOUT", "1s", "", "HEALTHDECK_MONITORING_CHECKS_<index>");
  row("HEALTHDECK_MONITORING_CHECKS_0_TIMEOUT", "soon", "monitoring.checks[0].timeout",
      "invalid duration 'soon'");
  row("HEALTHDECK_MONITORING_CHECKS_0_NAME", "bad name", "monitoring.checks[0].name",
      "not a valid check name");
  row("HEALTHDECK_MONITORING_CHECKS_0_MIN_FREE_PERCENT", "200",
      "monitoring.checks[0].min_free_percent", "between 0 and 100");
  row("HEALTHDECK_MONITORING_CHECKS_0_COLOUR", "red", "monitoring.checks[0].colour",
      "unknown key for type \"disk\"");
}

void TestConfig::environmentErrors() {
  QFETCH(QString, variable);
  QFETCH(QString, value);
  QFETCH(QString, key);
  QFETCH(QString, message);
  fakeEnvironment()[str(variable)] = str(value);
  try {
    parse("monitoring:\n  checks:\n    - {name: disk, type: disk, path: /, min_free_percent: 5}\n");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(QString::fromStdString(e.file()), variable);
    QCOMPARE(e.line(), 0);
    QVERIFY2(QString::fromStdString(e.key()) == key, e.what());
    QVERIFY2(QString::fromStdString(e.message()).contains(message), e.what());
    QVERIFY(QString::fromStdString(e.what()).startsWith(variable + QStringLiteral(": ")));
  }
}

void TestConfig::collisionAfterEnvironmentOverride() {
  // The file is fine on its own; the override makes /metrics collide with the ready route.
  fakeEnvironment()["HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY"] = "/metrics";
  try {
    parse("monitoring:\n  prometheus:\n    endpoint: /metrics\n");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.file(), std::string("HEALTHDECK_MONITORING_HEALTH_CHECK_ENDPOINTS_READY"));
    QCOMPARE(e.key(), std::string("monitoring.health_check.endpoints.ready"));
    QVERIFY2(e.message().find("collides with monitoring.prometheus.endpoint") != std::string::npos,
             e.what());
  }
  // And the other way round: the file's endpoint is blamed only when the env is not involved.
  fakeEnvironment().clear();
  fakeEnvironment()["HEALTHDECK_MONITORING_PROMETHEUS_ENDPOINT"] = "/health";
  try {
    parse("monitoring:\n  health_check:\n    endpoints: {health: /health}\n");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.file(), std::string("HEALTHDECK_MONITORING_PROMETHEUS_ENDPOINT"));
    QCOMPARE(e.key(), std::string("monitoring.prometheus.endpoint"));
  }
}

void TestConfig::processEnvironmentIsScreened() {
  // The real environment: a typo'd variable is refused, a foreign HEALTHDECK_ one is not.
  qputenv("HEALTHDECK_MONITORING_LISTN", "127.0.0.1:1");
  qputenv("HEALTHDECK_SOMETHING_ELSE", "x");
  try {
    parseMonitoringConfig("monitoring: {}\n", "test.yaml");
    qunsetenv("HEALTHDECK_MONITORING_LISTN");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.file(), std::string("HEALTHDECK_MONITORING_LISTN"));
    QVERIFY2(e.message().find("did you mean HEALTHDECK_MONITORING_LISTEN?") != std::string::npos,
             e.what());
  }
  qunsetenv("HEALTHDECK_MONITORING_LISTN");
  qputenv("HEALTHDECK_MONITORING_PROMETHEUS_NAMESPACE", "real");
  const MonitoringConfig c = parseMonitoringConfig("monitoring: {}\n", "test.yaml");
  qunsetenv("HEALTHDECK_MONITORING_PROMETHEUS_NAMESPACE");
  qunsetenv("HEALTHDECK_SOMETHING_ELSE");
  QCOMPARE(c.prometheus.ns, std::string("real"));
}

void TestConfig::unreadableSecretFiles_data() {
  // Mode 000 is readable by root (CI runs as root), so "unreadable" here is a path that does
  // not exist and a directory.
  QTest::addColumn<QString>("key");
  QTest::addColumn<bool>("directory");
  QTest::addColumn<QString>("message");
  for (const char* key :
       {"auth.bearer_token_file", "tls.cert_file", "tls.key_file", "checks.password_file"}) {
    QTest::addRow("%s missing", key)
        << QString::fromUtf8(key) << false << QStringLiteral("No such file or directory");
    QTest::addRow("%s directory", key)
        << QString::fromUtf8(key) << true << QStringLiteral("Is a directory");
  }
}

void TestConfig::unreadableSecretFiles() {
  QFETCH(QString, key);
  QFETCH(bool, directory);
  QFETCH(QString, message);
  const std::string bad =
      directory ? str(m_dir.path()) : str(m_dir.filePath(QStringLiteral("gone")));
  std::string cert = m_cert;
  std::string keyFile = m_key;
  std::string token = m_token;
  std::string password = m_password;
  std::string dotted;
  int line = 0;
  if (key == QStringLiteral("auth.bearer_token_file")) {
    token = bad, dotted = "monitoring.auth.bearer_token_file", line = 3;
  } else if (key == QStringLiteral("tls.cert_file")) {
    cert = bad, dotted = "monitoring.tls.cert_file", line = 5;
  } else if (key == QStringLiteral("tls.key_file")) {
    keyFile = bad, dotted = "monitoring.tls.key_file", line = 6;
  } else {
    password = bad, dotted = "monitoring.checks[0].password_file", line = 9;
  }
  const std::string yaml = "monitoring:\n"
                           "  auth:\n"
                           "    bearer_token_file: " +
                           token +
                           "\n"
                           "  tls:\n"
                           "    cert_file: " +
                           cert +
                           "\n"
                           "    key_file: " +
                           keyFile +
                           "\n"
                           "  checks:\n"
                           "    - {name: v, type: vault_test, address: 127.0.0.1:1,\n"
                           "       password_file: " +
                           password + "}\n";
  try {
    parse(yaml);
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.key(), dotted);
    QVERIFY2(e.line() == line, e.what());
    QVERIFY2(QString::fromStdString(e.message()).contains(message), e.what());
    QVERIFY2(e.message().find("cannot read " + bad) == 0, e.what());
  }
}

void TestConfig::relativeSecretPathsFollowTheFile() {
  const std::string file = str(m_dir.filePath(QStringLiteral("monitoring.yaml")));
  const MonitoringConfig c =
      parse("monitoring:\n  auth: {bearer_token_file: token}\n  tls: {cert_file: ./cert.pem, "
            "key_file: ../" +
                str(QDir(m_dir.path()).dirName()) + "/key.pem}\n",
            file);
  QCOMPARE(c.auth.bearerTokenFile, m_token);
  QCOMPARE(c.tls.certFile, m_cert);
  QCOMPARE(c.tls.keyFile, m_key);
  // Next to a file that is not in the same directory as the secrets, the lookup fails.
  QVERIFY_THROWS_EXCEPTION(ConfigError, parse("monitoring:\n  auth: {bearer_token_file: token}\n",
                                              "/nonexistent-dir/monitoring.yaml"));
}

void TestConfig::warnings() {
  const MonitoringConfig open = parse("monitoring:\n  listen: 0.0.0.0:9797\n");
  QCOMPARE(open.warnings.size(), std::size_t(1));
  QVERIFY(open.warnings[0].find("accepts connections from other hosts") != std::string::npos);
  QVERIFY(open.warnings[0].find("bearer_token_file is not set") != std::string::npos);
  QVERIFY(!open.listensOnLoopback());

  const MonitoringConfig tokenNoTls =
      parse("monitoring:\n  listen: 0.0.0.0:9797\n  auth: {bearer_token_file: " + m_token + "}\n");
  QCOMPARE(tokenNoTls.warnings.size(), std::size_t(1));
  QVERIFY(tokenNoTls.warnings[0].find("clear text") != std::string::npos);

  const MonitoringConfig secured =
      parse("monitoring:\n  listen: 0.0.0.0:9797\n  auth: {bearer_token_file: " + m_token +
            "}\n  tls: {cert_file: " + m_cert + ", key_file: " + m_key + "}\n");
  QVERIFY(secured.warnings.empty());

  const MonitoringConfig loopback = parse("monitoring:\n  listen: localhost:9797\n");
  QVERIFY(loopback.warnings.empty());
  QCOMPARE(loopback.listenHost, std::string("localhost"));
  QCOMPARE(loopback.listenAddress.rfind("127.", 0), std::size_t(0));

  const MonitoringConfig slowCheck =
      parse("monitoring:\n  checks:\n    - {name: d, type: disk, path: /, min_free_percent: 1, "
            "timeout: 1s, degraded_after: 1s}\n");
  QCOMPARE(slowCheck.warnings.size(), std::size_t(1));
  QVERIFY(slowCheck.warnings[0].find("can never report degraded") != std::string::npos);
}

void TestConfig::listenInUse() {
  QTcpServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost, testing::freePort()));
  const std::string listen = "127.0.0.1:" + std::to_string(server.serverPort());
  const MonitoringConfig c = parse("monitoring:\n  listen: " + listen + "\n");
  try {
    checkListenAvailable(c);
    QFAIL("no ConfigError thrown for a port in use");
  } catch (const ConfigError& e) {
    QCOMPARE(e.key(), std::string("monitoring.listen"));
    QCOMPARE(e.message(), listen + " is already in use");
    QCOMPARE(e.file(), std::string("test.yaml"));
    QCOMPARE(e.line(), 2);
  }
  // Every interface overlaps the loopback listener too.
  fakeEnvironment()["HEALTHDECK_MONITORING_LISTEN"] =
      "0.0.0.0:" + std::to_string(server.serverPort());
  const MonitoringConfig any = parse("monitoring: {}\n");
  QVERIFY_THROWS_EXCEPTION(ConfigError, checkListenAvailable(any));

  server.close();
  checkListenAvailable(c); // free again: no throw, and it left nothing bound
  QTcpServer again;
  QVERIFY(again.listen(QHostAddress::LocalHost, c.listenPort));
}

void TestConfig::listenOverride() {
  MonitoringConfig c = parse("monitoring:\n  listen: 127.0.0.1:9797\n");
  overrideListen(c, "0.0.0.0:9898");
  QCOMPARE(c.listenPort, std::uint16_t(9898));
  QCOMPARE(c.listenAddress, std::string("0.0.0.0"));
  QCOMPARE(c.warnings.size(), std::size_t(1));
  QCOMPARE(c.sources.at("monitoring.listen").file, std::string("--listen"));
  try {
    overrideListen(c, "9797");
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.file(), std::string("--listen"));
    QCOMPARE(e.key(), std::string("monitoring.listen"));
  }
  QCOMPARE(c.listenPort, std::uint16_t(9898)); // unchanged by the failed override
}

void TestConfig::explicitPathMustExist() {
  const std::string missing = str(m_dir.filePath(QStringLiteral("missing.yaml")));
  try {
    loadMonitoringConfig(missing, &fakeEnv, &fakeNames);
    QFAIL("no ConfigError thrown");
  } catch (const ConfigError& e) {
    QCOMPARE(e.file(), missing);
    QCOMPARE(e.message(), "cannot read " + missing + ": No such file or directory");
  }
  try {
    loadMonitoringConfig(str(m_dir.path()), &fakeEnv, &fakeNames);
    QFAIL("no ConfigError thrown for a directory");
  } catch (const ConfigError& e) {
    QVERIFY2(e.message().find("Is a directory") != std::string::npos, e.what());
  }
}

void TestConfig::defaultConfigPathLookup() {
  auto& env = fakeEnvironment();
  QCOMPARE(defaultConfigPath(&fakeEnv), std::string());
  env["HOME"] = "/home/ops";
  QCOMPARE(defaultConfigPath(&fakeEnv),
           std::string("/home/ops/.config/healthdeck/monitoring.yaml"));
  env["XDG_CONFIG_HOME"] = "relative/ignored";
  QCOMPARE(defaultConfigPath(&fakeEnv),
           std::string("/home/ops/.config/healthdeck/monitoring.yaml"));
  env["XDG_CONFIG_HOME"] = "/xdg";
  QCOMPARE(defaultConfigPath(&fakeEnv), std::string("/xdg/healthdeck/monitoring.yaml"));
}

void TestConfig::loadsDefaultPathWhenPresent() {
  QTemporaryDir xdg;
  QVERIFY(xdg.isValid());
  fakeEnvironment()["XDG_CONFIG_HOME"] = str(xdg.path());
  // No file yet: defaults.
  compareWithDefaults(loadMonitoringConfig({}, &fakeEnv, &fakeNames));
  QVERIFY(QDir(xdg.path()).mkpath(QStringLiteral("healthdeck")));
  QFile f(xdg.filePath(QStringLiteral("healthdeck/monitoring.yaml")));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("monitoring:\n  prometheus:\n    namespace: fromfile\n");
  f.close();
  const MonitoringConfig c = loadMonitoringConfig({}, &fakeEnv, &fakeNames);
  QCOMPARE(c.prometheus.ns, std::string("fromfile"));
  QCOMPARE(c.sourceFile, str(f.fileName()));
  QCOMPARE(c.sources.at("monitoring.prometheus.namespace").line, 3);
}

void TestConfig::shippedConfigValidates() {
  QString path = QFINDTESTDATA("../../resources/monitoring.yaml");
  if (path.isEmpty())
    path = qEnvironmentVariable("HEALTHDECK_SOURCE_DIR") +
           QStringLiteral("/resources/monitoring.yaml");
  QVERIFY2(QFile::exists(path), qPrintable(path));
  const MonitoringConfig c = loadMonitoringConfig(str(path), &fakeEnv, &fakeNames);
  compareWithDefaults(c);
  QCOMPARE(c.sourceFile, str(path));
  // It is the documented file: every section appears, commented out or not.
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray text = f.readAll();
  for (const char* key : {"listen:",    "prometheus:",   "enabled:",           "endpoint:",
                          "namespace:", "health_check:", "endpoints:",         "timeout:",
                          "cache_ttl:", "auth:",         "bearer_token_file:", "show_details:",
                          "tls:",       "cert_file:",    "key_file:",          "checks:",
                          "probe",      "critical",      "degraded_after",     "allow_liveness"})
    QVERIFY2(text.contains(key), key);
}

void TestConfig::webConfigFileAndKubernetesAliases() {
  // Defaults: no web config, no /livez and /readyz.
  const MonitoringConfig d = parse("");
  QVERIFY(d.webConfigFile.empty());
  QVERIFY(!d.webConfig.has_value());
  QCOMPARE(d.health.kubernetesAliases, false);

  QFile web(m_dir.filePath(QStringLiteral("web.yml")));
  QVERIFY(web.open(QIODevice::WriteOnly));
  web.write("http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
  web.close();
  // From the file: a relative path follows the config file.
  const std::string file = str(m_dir.filePath(QStringLiteral("monitoring.yaml")));
  const MonitoringConfig c = parse("monitoring:\n  web_config_file: web.yml\n"
                                   "  health_check:\n    kubernetes_aliases: true\n",
                                   file);
  QCOMPARE(c.webConfigFile, str(web.fileName()));
  QVERIFY(c.webConfig.has_value());
  QCOMPARE(c.webConfig->http.headers.at("X-Frame-Options"), std::string("deny"));
  QCOMPARE(c.health.kubernetesAliases, true);
  QCOMPARE(c.sources.at("monitoring.web_config_file").line, 2);

  // From the environment.
  auto& env = fakeEnvironment();
  env["HEALTHDECK_MONITORING_WEB_CONFIG_FILE"] = str(web.fileName());
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_KUBERNETES_ALIASES"] = "yes";
  const MonitoringConfig e = parse("");
  QCOMPARE(e.webConfigFile, str(web.fileName()));
  QVERIFY(e.webConfig.has_value());
  QCOMPARE(e.health.kubernetesAliases, true);

  // Errors name the key, and a web config with TLS beside monitoring.tls is refused.
  env["HEALTHDECK_MONITORING_HEALTH_CHECK_KUBERNETES_ALIASES"] = "sometimes";
  QVERIFY_THROWS_EXCEPTION(ConfigError, parse(""));
  env.clear();
  env["HEALTHDECK_MONITORING_WEB_CONFIG_FILE"] = str(m_dir.filePath(QStringLiteral("none.yml")));
  try {
    (void)parse("");
    QFAIL("a missing web config was accepted");
  } catch (const ConfigError& err) {
    QCOMPARE(err.key(), std::string("monitoring.web_config_file"));
    QCOMPARE(err.file(), std::string("HEALTHDECK_MONITORING_WEB_CONFIG_FILE"));
  }
  env.clear();
  QFile tlsWeb(m_dir.filePath(QStringLiteral("tlsweb.yml")));
  QVERIFY(tlsWeb.open(QIODevice::WriteOnly));
  tlsWeb.write(QByteArray("tls_server_config:\n  cert_file: ") + m_cert.c_str() +
               "\n  key_file: " + m_key.c_str() + "\n");
  tlsWeb.close();
  try {
    (void)parse("monitoring:\n  tls: {cert_file: " + m_cert + ", key_file: " + m_key +
                "}\n  web_config_file: " + str(tlsWeb.fileName()) + "\n");
    QFAIL("TLS configured twice was accepted");
  } catch (const ConfigError& err) {
    QCOMPARE(err.key(), std::string("monitoring.web_config_file"));
    QCOMPARE(err.line(), 3);
  }
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
