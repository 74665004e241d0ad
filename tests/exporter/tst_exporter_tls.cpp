// The exporter over TLS against real clients: a real Prometheus scraping with a CA file, with a
// client certificate (RequireAndVerifyClientCert) and with basic auth (up == 1), and without
// the client certificate (handshake refused, up == 0) — while hostile clients (half-open TLS
// handshakes, slowloris, idle sockets) hold connections. curl for 401/200 with basic
// credentials and plain HTTP on the TLS port; openssl s_client for a certificate replaced on
// disk being served on the next connection. Certificates are made with openssl here.

#include "tests/exporter/exporter_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "tests/support/serve_process.h"

#include "healthdeck/exporter/http_util.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <csignal>
#include <memory>
#include <vector>

using namespace healthdeck;
using namespace healthdeck::testing;

namespace {

QByteArray run(const QString& program, const QStringList& args, const QByteArray& input = {},
               int* exitCode = nullptr) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(program, args);
  if (!p.waitForStarted(10000)) return "cannot start " + program.toUtf8();
  p.write(input);
  p.closeWriteChannel();
  p.waitForFinished(60000);
  if (exitCode) *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  return p.readAll();
}

/// A throw-away CA, a server certificate for IP 127.0.0.1 with subject CN=`cn`, and a client
/// certificate, all signed by the CA.
class Pki {
public:
  explicit Pki(const QString& dir) : m_dir(dir) {
    m_openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
  }
  bool ok() const { return m_ok; }
  QString path(const QString& name) const { return m_dir + QLatin1Char('/') + name; }

  void makeCa() {
    step({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
          QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
          QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
          QStringLiteral("-keyout"), path(QStringLiteral("ca.key")), QStringLiteral("-out"),
          path(QStringLiteral("ca.pem")), QStringLiteral("-days"), QStringLiteral("2"),
          QStringLiteral("-subj"), QStringLiteral("/CN=healthdeck test CA")});
    writeTextFile(m_dir, QStringLiteral("server.ext"), "subjectAltName=IP:127.0.0.1\n");
    writeTextFile(m_dir, QStringLiteral("client.ext"), "extendedKeyUsage=clientAuth\n");
  }
  /// Writes NAME.pem / NAME.key signed by the CA.
  void makeLeaf(const QString& name, const QString& cn, const QString& ext) {
    step({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"),
          QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
          QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(name + QStringLiteral(".key")),
          QStringLiteral("-out"), path(name + QStringLiteral(".csr")), QStringLiteral("-subj"),
          QStringLiteral("/CN=") + cn});
    step({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
          path(name + QStringLiteral(".csr")), QStringLiteral("-CA"),
          path(QStringLiteral("ca.pem")), QStringLiteral("-CAkey"), path(QStringLiteral("ca.key")),
          QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
          path(name + QStringLiteral(".pem")), QStringLiteral("-days"), QStringLiteral("2"),
          QStringLiteral("-extfile"), path(ext)});
  }

private:
  void step(const QStringList& args) {
    int code = -1;
    const QByteArray out = run(m_openssl, args, {}, &code);
    if (code != 0) {
      m_ok = false;
      qWarning("openssl failed: %s", out.constData());
    }
  }
  QString m_dir;
  QString m_openssl;
  bool m_ok = true;
};

QJsonObject getJson(quint16 port, const QByteArray& pathAndQuery) {
  const HttpReply r = httpRequest(port, "GET", pathAndQuery, {}, 3000);
  return r.status == 200 ? QJsonDocument::fromJson(r.body).object() : QJsonObject{};
}

/// Value of the first sample of an instant query, or -1.
double queryValue(quint16 port, const QString& promql) {
  const QJsonArray result = getJson(port, "/api/v1/query?query=" + QUrl::toPercentEncoding(promql))
                                .value(QStringLiteral("data"))
                                .toObject()
                                .value(QStringLiteral("result"))
                                .toArray();
  if (result.isEmpty()) return -1;
  return result[0].toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
}

ExporterOptions tlsOptions(const Pki& pki, const QString& cert = QStringLiteral("server")) {
  ExporterOptions o;
  o.tls.certFile = pki.path(cert + QStringLiteral(".pem")).toStdString();
  o.tls.keyFile = pki.path(cert + QStringLiteral(".key")).toStdString();
  o.tls.keyPrefix = "tls_server_config";
  o.requestTimeout = std::chrono::milliseconds(3000);
  return o;
}

void useBasicAuth(ExporterOptions& o) {
  o.basicAuth = [](std::string_view user, std::string_view password) {
    // The exporter's side of basic auth (header, challenge, routing); the bcrypt verifier of
    // the web config plugs in here.
    const bool u = exporter::constantTimeEquals(user, "scraper");
    const bool p = exporter::constantTimeEquals(password, "s3cret pass");
    return u && p;
  };
}

} // namespace

class TstExporterTls : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty(),
             "openssl comes from scripts/deps.sh");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty(),
             "curl comes from scripts/deps.sh");
    QVERIFY(m_dir.isValid());
    m_pki = std::make_unique<Pki>(m_dir.path());
    m_pki->makeCa();
    m_pki->makeLeaf(QStringLiteral("server"), QStringLiteral("first"),
                    QStringLiteral("server.ext"));
    m_pki->makeLeaf(QStringLiteral("second"), QStringLiteral("second"),
                    QStringLiteral("server.ext"));
    m_pki->makeLeaf(QStringLiteral("client"), QStringLiteral("scraper"),
                    QStringLiteral("client.ext"));
    QVERIFY(m_pki->ok());
  }

  void prometheusScrapesOverTls() {
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    QVERIFY2(!prometheus.isEmpty(), "prometheus not installed (scripts/deps.sh installs it)");
    const Pki& pki = *m_pki;
    ExporterFixture plainCa(tlsOptions(pki));
    ExporterOptions mtlsOptions = tlsOptions(pki);
    mtlsOptions.tls.clientAuth = TlsClientAuth::RequireAndVerifyClientCert;
    mtlsOptions.tls.clientCaFile = pki.path(QStringLiteral("ca.pem")).toStdString();
    ExporterFixture mtls(mtlsOptions);
    ExporterOptions basicOptions = tlsOptions(pki);
    useBasicAuth(basicOptions);
    basicOptions.responseHeaders = {{"Strict-Transport-Security", "max-age=31536000"}};
    ExporterFixture basic(basicOptions);
    for (ExporterFixture* f : {&plainCa, &mtls, &basic})
      f->exporter->start();

    const QString ca = pki.path(QStringLiteral("ca.pem"));
    const auto job = [&](const char* name, quint16 port, const QByteArray& extra) -> QByteArray {
      return QByteArray("  - job_name: ") + name +
             "\n    scrape_interval: 1s\n    scheme: https\n    tls_config:\n      ca_file: " +
             ca.toUtf8() + "\n" + extra +
             "    static_configs:\n      - targets: ['127.0.0.1:" + QByteArray::number(port) +
             "']\n";
    };
    const QByteArray clientCert =
        "      cert_file: " + pki.path(QStringLiteral("client.pem")).toUtf8() +
        "\n      key_file: " + pki.path(QStringLiteral("client.key")).toUtf8() + "\n";
    const QByteArray config =
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n" +
        job("ca", plainCa.port(), {}) + job("mtls", mtls.port(), clientCert) +
        job("basic", basic.port(),
            "    basic_auth:\n      username: scraper\n      password: s3cret pass\n") +
        job("nocert", mtls.port(), {}) +
        job("badpass", basic.port(),
            "    basic_auth:\n      username: scraper\n      password: wrong\n");
    const QString promConfig =
        writeTextFile(m_dir.path(), QStringLiteral("prometheus.yml"), config);
    const quint16 promPort = freePort();
    QProcess prom;
    prom.setProcessChannelMode(QProcess::MergedChannels);
    prom.start(prometheus,
               {QStringLiteral("--config.file=") + promConfig,
                QStringLiteral("--storage.tsdb.path=") + m_dir.path() + QStringLiteral("/tsdb"),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
                QStringLiteral("--log.level=warn")});
    QVERIFY(prom.waitForStarted(10000));
    const auto cleanup = qScopeGuard([&] {
      prom.terminate();
      if (!prom.waitForFinished(10000)) prom.kill();
      prom.waitForFinished(5000);
    });

    const auto upOf = [&](const char* j) {
      return queryValue(promPort, QStringLiteral("up{job=\"%1\"}").arg(QLatin1String(j)));
    };
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 40000 &&
           !(upOf("ca") == 1 && upOf("mtls") == 1 && upOf("basic") == 1 && upOf("nocert") == 0 &&
             upOf("badpass") == 0))
      QThread::msleep(500);
    QVERIFY2(prom.state() == QProcess::Running, prom.readAll().constData());
    QCOMPARE(upOf("ca"), 1.0);
    QCOMPARE(upOf("mtls"), 1.0);
    QCOMPARE(upOf("basic"), 1.0);
    QCOMPARE(upOf("nocert"), 0.0); // the handshake is refused without a client certificate
    QCOMPARE(upOf("badpass"), 0.0);

    // Hostile clients on every TLS port: half-open handshakes (a TLS record header and no
    // more), a slowloris dribbling bytes, idle sockets. Prometheus keeps scraping.
    std::vector<std::unique_ptr<QTcpSocket>> hostile;
    for (ExporterFixture* f : {&plainCa, &mtls, &basic}) {
      for (int i = 0; i < 20; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QStringLiteral("127.0.0.1"), f->port());
        QVERIFY(s->waitForConnected(3000));
        if (i % 3 == 0) s->write(QByteArray("\x16\x03\x01\x02\x00\x01", 6)); // half a ClientHello
        if (i % 3 == 1) s->write(QByteArray("\x16", 1));
        s->flush();
        s->waitForBytesWritten(1000);
        hostile.push_back(std::move(s));
      }
    }
    QElapsedTimer hold;
    hold.start();
    while (hold.elapsed() < 8000) {
      for (auto& s : hostile)
        if (s->state() == QAbstractSocket::ConnectedState) {
          s->write(QByteArray(1, '\x03'));
          s->flush();
        }
      QThread::msleep(700);
    }
    // Every scrape of the last 8 s answered: up stayed 1 on the three served jobs.
    for (const char* j : {"ca", "mtls", "basic"}) {
      const QString q = QStringLiteral("min_over_time(up{job=\"%1\"}[8s])").arg(QLatin1String(j));
      QCOMPARE(queryValue(promPort, q), 1.0);
      const QString n = QStringLiteral("count_over_time(up{job=\"%1\"}[8s])").arg(QLatin1String(j));
      QVERIFY2(queryValue(promPort, n) >= 5,
               qPrintable(QString::fromLatin1(j) + QStringLiteral(" scrapes missing")));
    }
    // The hostile sockets were cut off by the request timeout (3 s), not held forever.
    int stillOpen = 0;
    for (auto& s : hostile) {
      s->waitForReadyRead(10);
      if (s->state() == QAbstractSocket::ConnectedState) ++stillOpen;
    }
    QCOMPARE(stillOpen, 0);
  }

  void curlBasicAuthAndPlainOnTlsPort() {
    const Pki& pki = *m_pki;
    ExporterOptions o = tlsOptions(pki);
    useBasicAuth(o);
    o.responseHeaders = {{"Strict-Transport-Security", "max-age=31536000"}};
    ExporterFixture f(o);
    f.exporter->start();
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    const QString url = QStringLiteral("https://127.0.0.1:%1/metrics").arg(f.port());
    const QString ca = pki.path(QStringLiteral("ca.pem"));
    const auto status = [&](const QStringList& extra) {
      QStringList args{QStringLiteral("-s"),
                       QStringLiteral("-o"),
                       QStringLiteral("/dev/null"),
                       QStringLiteral("-w"),
                       QStringLiteral("%{http_code}"),
                       QStringLiteral("--cacert"),
                       ca};
      return run(curl, args + extra + QStringList{url});
    };
    QCOMPARE(status({}), QByteArray("401"));
    QCOMPARE(status({QStringLiteral("-u"), QStringLiteral("scraper:wrong")}), QByteArray("401"));
    QCOMPARE(status({QStringLiteral("-u"), QStringLiteral("scraper:s3cret pass")}),
             QByteArray("200"));
    const QByteArray headers =
        run(curl, {QStringLiteral("-s"), QStringLiteral("-D"), QStringLiteral("-"),
                   QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("--cacert"),
                   ca, QStringLiteral("-u"), QStringLiteral("scraper:s3cret pass"), url});
    QVERIFY2(headers.contains("Strict-Transport-Security: max-age=31536000"), headers.constData());
    QVERIFY2(headers.contains("WWW-Authenticate") == false, headers.constData());
    const QByteArray challenge =
        run(curl,
            {QStringLiteral("-s"), QStringLiteral("-D"), QStringLiteral("-"), QStringLiteral("-o"),
             QStringLiteral("/dev/null"), QStringLiteral("--cacert"), ca, url});
    QVERIFY2(challenge.contains("WWW-Authenticate: Basic realm=\"healthdeck\""),
             challenge.constData());
    // Plain HTTP on the TLS port: no page, the connection is refused at the handshake.
    int code = 0;
    const QByteArray plain =
        run(curl,
            {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
             QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-m"),
             QStringLiteral("10"), QStringLiteral("http://127.0.0.1:%1/metrics").arg(f.port())},
            {}, &code);
    QCOMPARE(plain, QByteArray("000"));
    QVERIFY(code != 0);
    // And the TLS clients are still served.
    QCOMPARE(status({QStringLiteral("-u"), QStringLiteral("scraper:s3cret pass")}),
             QByteArray("200"));
  }

  void certificateReplacedOnDisk() {
    const Pki& pki = *m_pki;
    QTemporaryDir live;
    const QString cert = live.path() + QStringLiteral("/tls.pem");
    const QString key = live.path() + QStringLiteral("/tls.key");
    QVERIFY(QFile::copy(pki.path(QStringLiteral("server.pem")), cert));
    QVERIFY(QFile::copy(pki.path(QStringLiteral("server.key")), key));
    ExporterOptions o;
    o.tls.certFile = cert.toStdString();
    o.tls.keyFile = key.toStdString();
    ExporterFixture f(o);
    f.exporter->start();
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    const auto subject = [&] {
      return run(openssl,
                 {QStringLiteral("s_client"), QStringLiteral("-connect"),
                  QStringLiteral("127.0.0.1:%1").arg(f.port()), QStringLiteral("-CAfile"),
                  pki.path(QStringLiteral("ca.pem")), QStringLiteral("-verify_return_error")},
                 "Q\n");
    };
    const QByteArray first = subject();
    QVERIFY2(first.contains("CN = first") && first.contains("Verify return code: 0"),
             first.constData());
    // Replace both files the way cert-manager/certbot do: write aside, rename over.
    for (const auto& [from, to] : {std::pair{pki.path(QStringLiteral("second.pem")), cert},
                                   std::pair{pki.path(QStringLiteral("second.key")), key}}) {
      const QString tmp = to + QStringLiteral(".new");
      QVERIFY(QFile::copy(from, tmp));
      QVERIFY(::rename(tmp.toLocal8Bit().constData(), to.toLocal8Bit().constData()) == 0);
    }
    const QByteArray second = subject();
    QVERIFY2(second.contains("CN = second") && second.contains("Verify return code: 0"),
             second.constData());
  }

  /// `healthdeck serve --web.config.file=FILE` with a file node_exporter accepts: TLS, a
  /// bcrypt user made by htpasswd, a response header. Then an invalid file: exit 2 naming file,
  /// line and key.
  void serveWithWebConfigFile() {
    QVERIFY2(!ServeProcess::binary().isEmpty(), "HEALTHDECK_BINARY is set by ctest");
    const QString htpasswd = QStandardPaths::findExecutable(QStringLiteral("htpasswd"));
    QVERIFY2(!htpasswd.isEmpty(), "htpasswd comes from apache2-utils (scripts/deps.sh)");
    int code = -1;
    const QByteArray line = run(htpasswd,
                                {QStringLiteral("-nbBC"), QStringLiteral("10"),
                                 QStringLiteral("scraper"), QStringLiteral("s3cret pass")},
                                {}, &code)
                                .trimmed();
    QCOMPARE(code, 0);
    const QByteArray hash = line.mid(line.indexOf(':') + 1);
    const Pki& pki = *m_pki;
    const QString web = writeTextFile(
        m_dir.path(), QStringLiteral("web.yml"),
        "tls_server_config:\n  cert_file: " + pki.path(QStringLiteral("server.pem")).toUtf8() +
            "\n  key_file: " + pki.path(QStringLiteral("server.key")).toUtf8() +
            "\n  min_version: TLS12\nhttp_server_config:\n  headers:\n"
            "    Strict-Transport-Security: max-age=31536000\nbasic_auth_users:\n  scraper: '" +
            hash + "'\n");
    const quint16 port = freePort();
    const QString cfg =
        writeTextFile(m_dir.path(), QStringLiteral("monitoring.yaml"),
                      "monitoring:\n  listen: 127.0.0.1:" + QByteArray::number(port) + "\n");
    ServeProcess serve;
    const QStringList urls =
        serve.start({QStringLiteral("--config"), cfg, QStringLiteral("--web.config.file=") + web});
    QVERIFY2(urls.size() == 4 && urls[0].startsWith(QLatin1String("https://")),
             serve.standardError().constData());
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    const auto status = [&](const QString& user) {
      return run(curl,
                 {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                  QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("--cacert"),
                  pki.path(QStringLiteral("ca.pem")), QStringLiteral("-u"), user, urls[0]});
    };
    QCOMPARE(status(QStringLiteral("scraper:wrong")), QByteArray("401"));
    QCOMPARE(status(QStringLiteral("scraper:s3cret pass")), QByteArray("200"));
    QCOMPARE(status(QStringLiteral("nobody:s3cret pass")), QByteArray("401"));
    QCOMPARE(serve.stop(SIGTERM), 0);

    const QString bad = writeTextFile(
        m_dir.path(), QStringLiteral("bad.yml"),
        "tls_server_config:\n  cert_file: " + pki.path(QStringLiteral("server.pem")).toUtf8() +
            "\n  key_file: " + pki.path(QStringLiteral("server.key")).toUtf8() +
            "\n  client_auth_type: Sometimes\n");
    ServeProcess refused;
    refused.start({QStringLiteral("--config"), cfg, QStringLiteral("--web.config.file=") + bad}, 4,
                  10000);
    QCOMPARE(refused.waitForExit(10000), 2);
    const QByteArray err = refused.standardError();
    QVERIFY2(err.contains("bad.yml:4") && err.contains("client_auth_type"), err.constData());
  }

private:
  QTemporaryDir m_dir;
  std::unique_ptr<Pki> m_pki;
};

QTEST_GUILESS_MAIN(TstExporterTls)
#include "tst_exporter_tls.moc"
