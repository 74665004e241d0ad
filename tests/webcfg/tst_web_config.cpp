// The exporter-toolkit web configuration file: valid files parse to the expected settings and
// are accepted by the real node_exporter (Debian's prometheus-node-exporter) as well, invalid
// ones are refused with file, line and key — and, where exporter-toolkit refuses them too, the
// real node_exporter is shown to refuse them. Certificates come from openssl, bcrypt hashes
// from htpasswd (apache2-utils), each made in the test.

#include "healthdeck/config/monitoring_config.h"
#include "healthdeck/exporter/web_config.h"
#include "tests/support/ports.h"
#include "tests/support/serve_process.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace healthdeck;
using healthdeck::testing::freePort;
using healthdeck::testing::waitForPort;
using healthdeck::testing::writeTextFile;

namespace {

QByteArray run(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    qFatal("%s failed: %s", qPrintable(program), p.readAllStandardError().constData());
  return p.readAllStandardOutput();
}

// One line per part, so a mismatch shows which setting differs.
QString describe(const WebConfig& c, const QString& dir) {
  const auto rel = [&](const std::string& path) -> QString {
    QString p = QString::fromStdString(path);
    return p.replace(dir, QStringLiteral("$DIR"));
  };
  QStringList lines;
  const auto& t = c.tls;
  if (t.enabled()) {
    QStringList suites;
    for (const auto& s : t.cipherSuites)
      suites << QString::fromStdString(s.openSslName);
    QStringList curves;
    for (const auto& cv : t.curvePreferences)
      curves << QString::fromStdString(cv.openSslName);
    QStringList sans;
    for (const auto& s : t.clientAllowedSans)
      sans << QString::fromStdString(s);
    lines << QStringLiteral("tls cert=%1 key=%2 ca=%3 inline=%4%5%6 auth=%7 %8-%9 prefer=%10")
                 .arg(rel(t.certFile), rel(t.keyFile), rel(t.clientCaFile))
                 .arg(t.certPem.empty() ? 0 : 1)
                 .arg(t.keyPem.empty() ? 0 : 1)
                 .arg(t.clientCaPem.empty() ? 0 : 1)
                 .arg(QLatin1String(toString(t.clientAuth).data()),
                      QLatin1String(toString(t.minVersion).data()),
                      QLatin1String(toString(t.maxVersion).data()))
                 .arg(t.preferServerCipherSuites ? 1 : 0);
    if (!suites.isEmpty()) lines << QStringLiteral("ciphers ") + suites.join(QLatin1Char(','));
    if (!curves.isEmpty()) lines << QStringLiteral("curves ") + curves.join(QLatin1Char(','));
    if (!sans.isEmpty()) lines << QStringLiteral("sans ") + sans.join(QLatin1Char(','));
  } else {
    lines << QStringLiteral("plain http");
  }
  lines << QStringLiteral("http2=%1").arg(c.http.http2 ? 1 : 0);
  for (const auto& [name, value] : c.http.headers)
    lines << QStringLiteral("header %1: %2")
                 .arg(QString::fromStdString(name), QString::fromStdString(value));
  QStringList users;
  for (const auto& [user, hash] : c.basicAuthUsers)
    users << QString::fromStdString(user) + QLatin1Char('=') +
                 QString::fromStdString(hash.substr(0, 7));
  if (!users.isEmpty()) lines << QStringLiteral("users ") + users.join(QLatin1Char(','));
  if (c.rateLimit.interval.count() > 0)
    lines << QStringLiteral("rate %1ms burst %2")
                 .arg(c.rateLimit.interval.count())
                 .arg(c.rateLimit.burst);
  return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestWebConfig : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void valid_data();
  void valid();
  void invalid_data();
  void invalid();
  void cipherTableMatchesOpenSsl();
  void loadReadsTheFile();
  void monitoringConfigLoadsTheWebConfig();

private:
  QString expand(QString yaml) const;
  QString write(const QString& yaml);
  // Runs node_exporter with `webConfig` and returns the HTTP status it answered with, or -1
  // when it refused to run.
  int nodeExporterAnswer(const QString& webConfig, bool tls, bool clientCert);

  QTemporaryDir m_dir;
  QString m_hashAlice;
  QString m_hashBob;
  int m_files = 0;
};

void TestWebConfig::initTestCase() {
  QVERIFY(m_dir.isValid());
  for (const char* tool : {"openssl", "htpasswd", "prometheus-node-exporter", "curl"})
    if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
      QFAIL(qPrintable(
          QStringLiteral("%1 is not installed (scripts/deps.sh)").arg(QLatin1String(tool))));
  const QString d = m_dir.path();
  const auto path = [&](const char* name) -> QString {
    return d + QLatin1Char('/') + QLatin1String(name);
  };
  // A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by it.
  run(QStringLiteral("openssl"),
      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
       QStringLiteral("ec"), QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
       QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=healthdeck test CA"),
       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-keyout"), path("ca.key"),
       QStringLiteral("-out"), path("ca.crt")});
  for (const char* who : {"server", "client"}) {
    const QString key = path(who) + QStringLiteral(".key");
    const QString csr = path(who) + QStringLiteral(".csr");
    const QString crt = path(who) + QStringLiteral(".crt");
    run(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
         QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
         QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr});
    const QString ext = writeTextFile(d, QLatin1String(who) + QStringLiteral(".ext"),
                                      "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(QStringLiteral("openssl"),
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
         QStringLiteral("-CA"), path("ca.crt"), QStringLiteral("-CAkey"), path("ca.key"),
         QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
         QStringLiteral("-extfile"), ext, QStringLiteral("-out"), crt});
  }
  // htpasswd -nbBC 4 USER PASS prints "USER:$2y$04$...".
  const auto hash = [](const char* user, const char* password) {
    const QByteArray line =
        run(QStringLiteral("htpasswd"), {QStringLiteral("-nbBC"), QStringLiteral("4"),
                                         QLatin1String(user), QLatin1String(password)})
            .trimmed();
    return QString::fromLatin1(line.mid(line.indexOf(':') + 1));
  };
  m_hashAlice = hash("alice", "wonderland");
  m_hashBob = hash("bob", "builder");
  QVERIFY(m_hashAlice.startsWith(QStringLiteral("$2y$04$")));
}

QString TestWebConfig::expand(QString yaml) const {
  return yaml.replace(QStringLiteral("@ALICE@"), m_hashAlice)
      .replace(QStringLiteral("@BOB@"), m_hashBob)
      .replace(QStringLiteral("@DIR@"), m_dir.path());
}

QString TestWebConfig::write(const QString& yaml) {
  return writeTextFile(m_dir.path(), QStringLiteral("web%1.yml").arg(++m_files),
                       expand(yaml).toUtf8());
}

int TestWebConfig::nodeExporterAnswer(const QString& webConfig, bool tls, bool clientCert) {
  const quint16 port = freePort();
  QProcess exporter;
  exporter.setProcessChannelMode(QProcess::MergedChannels);
  exporter.start(QStringLiteral("prometheus-node-exporter"),
                 {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                  QStringLiteral("--web.config.file=") + webConfig,
                  QStringLiteral("--collector.disable-defaults"),
                  QStringLiteral("--collector.time")});
  if (!exporter.waitForStarted(10000)) qFatal("node_exporter did not start");
  int answer = -1;
  // An invalid file makes it exit right after binding; a valid one keeps serving.
  if (!exporter.waitForFinished(1500) && waitForPort(port, 10000)) {
    QStringList args = {
        QStringLiteral("-s"), QStringLiteral("-o"),           QStringLiteral("/dev/null"),
        QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("--max-time"),
        QStringLiteral("10")};
    if (tls) args << QStringLiteral("--cacert") << m_dir.filePath(QStringLiteral("ca.crt"));
    if (clientCert)
      args << QStringLiteral("--cert") << m_dir.filePath(QStringLiteral("client.crt"))
           << QStringLiteral("--key") << m_dir.filePath(QStringLiteral("client.key"));
    args << (tls ? QStringLiteral("https") : QStringLiteral("http")) +
                QStringLiteral("://127.0.0.1:%1/metrics").arg(port);
    QProcess curl;
    curl.start(QStringLiteral("curl"), args);
    curl.waitForFinished(15000);
    answer = curl.readAllStandardOutput().toInt();
  }
  if (exporter.state() != QProcess::NotRunning) {
    exporter.terminate();
    exporter.waitForFinished(5000);
  }
  if (answer <= 0) qInfo("node_exporter: %s", exporter.readAll().constData());
  return answer;
}

void TestWebConfig::valid_data() {
  QTest::addColumn<QString>("yaml");
  QTest::addColumn<QString>("expected");
  // 0: node_exporter 1.5 does not know a key used here; 1: it must serve plain HTTP;
  // 2: it must serve TLS; 3: TLS with a client certificate.
  QTest::addColumn<int>("nodeExporter");

  QTest::newRow("empty file") << QString() << QStringLiteral("plain http\nhttp2=1") << 1;
  QTest::newRow("exporter-toolkit sample: TLS and two users")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "basic_auth_users:\n  alice: @ALICE@\n  bob: @BOB@\n")
      << QStringLiteral("tls cert=$DIR/server.crt key=$DIR/server.key ca= inline=000 "
                        "auth=NoClientCert TLS12-TLS13 prefer=1\nhttp2=1\n"
                        "users alice=$2y$04$,bob=$2y$04$")
      << 2;
  QTest::newRow("mutual TLS, absolute paths")
      << QStringLiteral("tls_server_config:\n  cert_file: @DIR@/server.crt\n"
                        "  key_file: @DIR@/server.key\n  client_ca_file: @DIR@/ca.crt\n"
                        "  client_auth_type: RequireAndVerifyClientCert\n")
      << QStringLiteral("tls cert=$DIR/server.crt key=$DIR/server.key ca=$DIR/ca.crt inline=000 "
                        "auth=RequireAndVerifyClientCert TLS12-TLS13 prefer=1\nhttp2=1")
      << 3;
  QTest::newRow("versions, ciphers, curves, old client auth name")
      << QStringLiteral("tls_server_config:\n  cert_file: ./server.crt\n  key_file: server.key\n"
                        "  client_ca_file: ca.crt\n  client_auth_type: RequireClientCert\n"
                        "  min_version: TLS12\n  max_version: TLS12\n"
                        "  cipher_suites:\n    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n"
                        "    - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256\n"
                        "  prefer_server_cipher_suites: false\n"
                        "  curve_preferences: [X25519, CurveP256]\n")
      << QStringLiteral("tls cert=$DIR/server.crt key=$DIR/server.key ca=$DIR/ca.crt inline=000 "
                        "auth=RequireAnyClientCert TLS12-TLS12 prefer=0\n"
                        "ciphers ECDHE-ECDSA-AES128-GCM-SHA256,ECDHE-ECDSA-CHACHA20-POLY1305\n"
                        "curves X25519,P-256\nhttp2=1")
      << 3;
  QTest::newRow("headers and http2 off")
      << QStringLiteral("http_server_config:\n  http2: false\n  headers:\n"
                        "    Strict-Transport-Security: max-age=31536000\n"
                        "    X-Frame-Options: deny\n    X-Content-Type-Options: nosniff\n"
                        "    Content-Security-Policy: \"\"\n")
      << QStringLiteral("plain http\nhttp2=0\nheader Strict-Transport-Security: max-age=31536000\n"
                        "header X-Content-Type-Options: nosniff\nheader X-Frame-Options: deny")
      << 1;
  QTest::newRow("basic auth only, empty sections")
      << QStringLiteral(
             "tls_server_config:\nhttp_server_config:\nbasic_auth_users:\n  alice: @ALICE@\n")
      << QStringLiteral("plain http\nhttp2=1\nusers alice=$2y$04$") << 1;
  QTest::newRow("newer keys: SANs and rate limit")
      << QStringLiteral(
             "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
             "  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n"
             "  client_allowed_sans: [localhost]\nrate_limit:\n  interval: 1s\n  burst: 20\n")
      << QStringLiteral("tls cert=$DIR/server.crt key=$DIR/server.key ca=$DIR/ca.crt inline=000 "
                        "auth=RequireAndVerifyClientCert TLS12-TLS13 prefer=1\nsans localhost\n"
                        "http2=1\nrate 1000ms burst 20")
      << 0;
}

void TestWebConfig::valid() {
  QFETCH(QString, yaml);
  QFETCH(QString, expected);
  QFETCH(int, nodeExporter);
  const QString file = write(yaml);
  WebConfig config;
  try {
    config = loadWebConfig(file.toStdString());
  } catch (const ConfigError& e) {
    QFAIL(e.what());
  }
  QCOMPARE(describe(config, m_dir.path()), expected);
  QCOMPARE(QString::fromStdString(config.sourceFile), file);
  if (nodeExporter == 0) return;
  const int answer = nodeExporterAnswer(file, nodeExporter >= 2, nodeExporter == 3);
  // Basic auth without credentials answers 401: served all the same.
  QVERIFY2(answer == 200 || answer == 401, qPrintable(QString::number(answer)));
}

void TestWebConfig::invalid_data() {
  QTest::addColumn<QString>("yaml");
  QTest::addColumn<QString>("error"); // after "FILE:"
  QTest::addColumn<bool>("nodeExporterRefuses");

  QTest::newRow("misspelt section")
      << QStringLiteral("tls_sever_config:\n  cert_file: server.crt\n")
      << QStringLiteral("1: tls_sever_config: unknown key 'tls_sever_config' (did you mean "
                        "'tls_server_config'?)")
      << true;
  QTest::newRow("unknown TLS key")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  keyfile: server.key\n")
      << QStringLiteral("4: tls_server_config.keyfile: unknown key 'keyfile' (did you mean "
                        "'key_file'?)")
      << true;
  QTest::newRow("client auth type misspelt")
      << QStringLiteral(
             "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
             "  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCerts\n")
      << QStringLiteral(
             "5: tls_server_config.client_auth_type: invalid value "
             "'RequireAndVerifyClientCerts' (did you mean 'RequireAndVerifyClientCert'?)")
      << true;
  QTest::newRow("client CA without client auth")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  client_ca_file: ca.crt\n")
      << QStringLiteral("4: tls_server_config.client_ca_file: client CAs are configured but "
                        "client_auth_type does not ask for a client certificate; set "
                        "client_auth_type: RequireAndVerifyClientCert")
      << true;
  QTest::newRow("certificate without key")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n")
      << QStringLiteral("1: tls_server_config.key_file: TLS needs the certificate's key: set "
                        "key_file (or an inline key)")
      << true;
  QTest::newRow("empty cert_file")
      << QStringLiteral("tls_server_config:\n  cert_file: \"\"\n  key_file: server.key\n")
      << QStringLiteral("2: tls_server_config.cert_file: TLS needs a certificate: set cert_file "
                        "(or an inline cert)")
      << true;
  QTest::newRow("client auth type alone")
      << QStringLiteral("tls_server_config:\n  client_auth_type: NoClientCert\n")
      << QStringLiteral("1: tls_server_config.cert_file: TLS needs a certificate: set cert_file "
                        "(or an inline cert)")
      << true;
  QTest::newRow("missing certificate file")
      << QStringLiteral("tls_server_config:\n  cert_file: nothere.crt\n  key_file: server.key\n")
      << QStringLiteral("2: tls_server_config.cert_file: cannot read @DIR@/nothere.crt: No such "
                        "file or directory")
      << true;
  QTest::newRow("TLS version")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  min_version: TLS1.2\n")
      << QStringLiteral("4: tls_server_config.min_version: unknown TLS version 'TLS1.2' (expected "
                        "TLS10, TLS11, TLS12, TLS13)")
      << true;
  QTest::newRow("cipher suite, OpenSSL name")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  cipher_suites:\n    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
                        "    - ECDHE-RSA-AES256-GCM-SHA384\n")
      << QStringLiteral("6: tls_server_config.cipher_suites: unknown cipher suite "
                        "'ECDHE-RSA-AES256-GCM-SHA384' (Go names such as "
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)")
      << true;
  QTest::newRow("curve")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  curve_preferences: [P-256]\n")
      << QStringLiteral("4: tls_server_config.curve_preferences: unknown curve 'P-256' (expected "
                        "CurveP256, CurveP384, CurveP521, X25519)")
      << true;
  QTest::newRow("header not allowed")
      << QStringLiteral("http_server_config:\n  headers:\n    X-Powered-By: healthdeck\n")
      << QStringLiteral("3: http_server_config.headers.X-Powered-By: HTTP header 'X-Powered-By' "
                        "cannot be configured (allowed: Strict-Transport-Security, "
                        "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, "
                        "Content-Security-Policy)")
      << true;
  QTest::newRow("header value not allowed")
      << QStringLiteral("http_server_config:\n  headers:\n    X-Frame-Options: allow\n")
      << QStringLiteral("3: http_server_config.headers.X-Frame-Options: invalid value 'allow' "
                        "(expected deny, sameorigin)")
      << true;
  QTest::newRow("header with a line break")
      << QStringLiteral("http_server_config:\n  headers:\n"
                        "    Strict-Transport-Security: \"max-age=1\\r\\nSet-Cookie: a=b\"\n")
      << QStringLiteral("3: http_server_config.headers.Strict-Transport-Security: the value "
                        "contains a control character (line break?)")
      << false;
  QTest::newRow("plain-text password")
      << QStringLiteral("basic_auth_users:\n  alice: wonderland\n")
      << QStringLiteral("2: basic_auth_users.alice: not a bcrypt hash (expected $2y$, $2b$ or "
                        "$2a$, a cost 04-31 and 53 characters, as `htpasswd -nBC 10 \"\" | tr -d "
                        "':\\n'` prints)")
      << true;
  QTest::newRow("users as a list")
      << QStringLiteral("basic_auth_users:\n  - alice\n")
      << QStringLiteral("2: basic_auth_users: expected a mapping, got a list") << true;
  QTest::newRow("duplicate user")
      << QStringLiteral("basic_auth_users:\n  alice: @ALICE@\n  alice: @BOB@\n")
      << QStringLiteral("3: basic_auth_users.alice: duplicate key (first set at line 2)") << true;
  QTest::newRow("boolean")
      << QStringLiteral("http_server_config:\n  http2: maybe\n")
      << QStringLiteral("2: http_server_config.http2: invalid boolean 'maybe' (expected true or "
                        "false)")
      << true;
  QTest::newRow("versions crossed")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  min_version: TLS13\n  max_version: TLS12\n")
      << QStringLiteral("5: tls_server_config.max_version: min_version TLS13 is above "
                        "max_version TLS12: no protocol version is left")
      << false;
  QTest::newRow("3DES")
      << QStringLiteral("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        "  cipher_suites: [TLS_RSA_WITH_3DES_EDE_CBC_SHA]\n")
      << QStringLiteral("4: tls_server_config.cipher_suites: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA' "
                        "cannot be offered: the TLS library here (OpenSSL 3) has no 3DES; remove "
                        "it from the list")
      << false;
  QTest::newRow("not a mapping")
      << QStringLiteral("- tls_server_config\n")
      << QStringLiteral("1: expected a mapping (tls_server_config, http_server_config, "
                        "basic_auth_users), got a list")
      << true;
  QTest::newRow("YAML syntax") << QStringLiteral("tls_server_config:\n  cert_file: [server.crt\n")
                               << QStringLiteral(
                                      "3: YAML syntax error: end of sequence flow not found")
                               << true;
  QTest::newRow("rate limit burst")
      << QStringLiteral("rate_limit:\n  interval: 1s\n  burst: lots\n")
      << QStringLiteral("3: rate_limit.burst: invalid burst 'lots' (a whole number, 0 or more)")
      << true;
}

void TestWebConfig::invalid() {
  QFETCH(QString, yaml);
  QFETCH(QString, error);
  QFETCH(bool, nodeExporterRefuses);
  const QString file = write(yaml);
  try {
    (void)loadWebConfig(file.toStdString());
    QFAIL("accepted");
  } catch (const ConfigError& e) {
    QCOMPARE(QString::fromStdString(e.what()), file + QLatin1Char(':') + expand(error));
    QCOMPARE(QString::fromStdString(e.file()), file);
  }
  if (nodeExporterRefuses) QCOMPARE(nodeExporterAnswer(file, false, false), -1);
}

void TestWebConfig::cipherTableMatchesOpenSsl() {
  // Every OpenSSL name in the table is one the installed OpenSSL knows, with the same code
  // point (openssl ciphers -V prints "0xC0,0x2F - NAME ...").
  const QString listing = QString::fromLatin1(
      run(QStringLiteral("openssl"),
          {QStringLiteral("ciphers"), QStringLiteral("-V"), QStringLiteral("ALL:@SECLEVEL=0")}));
  int checked = 0;
  for (const auto& suite : knownCipherSuites()) {
    if (suite.openSslName.empty()) continue;
    const QString id = QStringLiteral("0x%1,0x%2")
                           .arg(suite.id >> 8, 2, 16, QLatin1Char('0'))
                           .arg(suite.id & 0xff, 2, 16, QLatin1Char('0'))
                           .toUpper()
                           .replace(QStringLiteral("0X"), QStringLiteral("0x"));
    const QString line =
        id + QStringLiteral(" - ") + QString::fromStdString(suite.openSslName) + QLatin1Char(' ');
    QVERIFY2(listing.contains(line), qPrintable(line));
    ++checked;
  }
  QCOMPARE(checked, 17);
}

void TestWebConfig::loadReadsTheFile() {
  // A directory and a missing file are refused naming the path.
  try {
    (void)loadWebConfig(m_dir.path().toStdString());
    QFAIL("a directory was accepted");
  } catch (const ConfigError& e) {
    QCOMPARE(QString::fromStdString(e.what()), m_dir.path() + QStringLiteral(": cannot read ") +
                                                   m_dir.path() +
                                                   QStringLiteral(": Is a directory"));
  }
  // checkFiles=false parses without touching the named files.
  const WebConfig c = parseWebConfig("tls_server_config:\n  cert_file: /nonexistent/a.crt\n"
                                     "  key_file: b.key\n",
                                     "/etc/x/web.yml", false);
  QCOMPARE(QString::fromStdString(c.tls.keyFile), QStringLiteral("/etc/x/b.key"));
  QCOMPARE(QString::fromStdString(c.tls.certFile), QStringLiteral("/nonexistent/a.crt"));
}

void TestWebConfig::monitoringConfigLoadsTheWebConfig() {
  const QString web = write(QStringLiteral("basic_auth_users:\n  alice: @ALICE@\n"));
  const QString monitoring =
      writeTextFile(m_dir.path(), QStringLiteral("monitoring.yaml"),
                    QStringLiteral("monitoring:\n  listen: 0.0.0.0:9797\n  web_config_file: %1\n")
                        .arg(QFileInfo(web).fileName())
                        .toUtf8());
  const auto noEnv = [](const char*) -> std::optional<std::string> { return std::nullopt; };
  const auto noNames = []() { return std::vector<std::string>{}; };
  const MonitoringConfig c = loadMonitoringConfig(monitoring.toStdString(), noEnv, noNames);
  QCOMPARE(QString::fromStdString(c.webConfigFile), web);
  QVERIFY(c.webConfig.has_value());
  QCOMPARE(c.webConfig->basicAuthUsers.size(), std::size_t(1));
  // Basic auth counts as authentication for a non-loopback bind; no TLS still warns.
  QCOMPARE(c.warnings.size(), std::size_t(1));
  QVERIFY2(QString::fromStdString(c.warnings[0]).contains(QStringLiteral("password crosses")),
           c.warnings[0].c_str());

  // An invalid web config is reported in its own file's terms.
  const QString bad = write(QStringLiteral("basic_auth_users:\n  alice: x\n"));
  const QString monitoring2 =
      writeTextFile(m_dir.path(), QStringLiteral("monitoring2.yaml"),
                    QStringLiteral("monitoring:\n  web_config_file: %1\n").arg(bad).toUtf8());
  try {
    (void)loadMonitoringConfig(monitoring2.toStdString(), noEnv, noNames);
    QFAIL("accepted");
  } catch (const ConfigError& e) {
    QCOMPARE(QString::fromStdString(e.file()), bad);
    QCOMPARE(e.line(), 2);
    QCOMPARE(QString::fromStdString(e.key()), QStringLiteral("basic_auth_users.alice"));
  }
}

QTEST_GUILESS_MAIN(TestWebConfig)
#include "tst_web_config.moc"
