// `healthdeck scrape`: the real binary on files and on a loopback HTTP server — summary,
// the --json shape, gzip, and a malformed page exiting non-zero with line and column.

#include "tests/support/ports.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "healthdeck/exporter/gzip_encoder.h"

namespace {

struct Run {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

Run runScrape(const QStringList& args, int timeoutMs = 30000) {
  QProcess p;
  p.start(qEnvironmentVariable("HEALTHDECK_BINARY"), QStringList{QStringLiteral("scrape")} + args);
  Run r;
  if (!p.waitForStarted(timeoutMs)) return r;
  // Wait with a running event loop: servers living in the test must answer meanwhile.
  QElapsedTimer timer;
  timer.start();
  while (p.state() != QProcess::NotRunning && timer.elapsed() < timeoutMs)
    QTest::qWait(10);
  if (p.state() != QProcess::NotRunning) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& data) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(data);
  return path;
}

QByteArray gzipped(const QByteArray& text) {
  std::string out;
  healthdeck::exporter::GzipEncoder().compress(
      std::string_view(text.constData(), static_cast<std::size_t>(text.size())), out);
  return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
}

const QByteArray kPage =
    "# HELP req_total Requests \\\\ served.\n# TYPE req_total counter\n"
    "req_total{code=\"200\",path=\"/a\\\"b\"} 1027 1700000000123\n"
    "req_total{code=\"500\",path=\"/\"} 3\n"
    "# TYPE temp gauge\ntemp NaN\ntemp{side=\"hot\"} +Inf\n"
    "temp{side=\"cold\"} -Inf\ntemp{side=\"x\"} 1.5e-7\n"
    "# TYPE lat histogram\nlat_bucket{le=\"0.1\"} 2\nlat_bucket{le=\"+Inf\"} 3\n"
    "lat_sum 0.25\nlat_count 3\nbare 42\n";

} // namespace

class TstScrapeCommand : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void summaryOfFixture();
  void jsonShape();
  void gzipFile();
  void malformedNamesLineAndColumn();
  void usageAndMissingFile();
  void fromUrl();
  void urlTimeout();

private:
  QTemporaryDir m_dir;
};

void TstScrapeCommand::initTestCase() {
  QVERIFY(QFile::exists(qEnvironmentVariable("HEALTHDECK_BINARY")));
  QVERIFY(m_dir.isValid());
}

void TstScrapeCommand::summaryOfFixture() {
  const QString fixture = QFINDTESTDATA("../data/node_exporter.prom");
  const Run r = runScrape({fixture});
  QCOMPARE(r.exitCode, 0);
  QVERIFY2(r.out.contains("283 families, 507 series, 507 samples, 57527 bytes, 1073 lines"),
           r.out.right(300).constData());
  QVERIFY(r.out.contains("MB/s"));
  // One line per family: samples, type, name.
  QVERIFY(r.out.contains("  summary   go_gc_duration_seconds\n"));
  QVERIFY(r.out.contains("       3  counter   promhttp_metric_handler_requests_total\n"));
}

void TstScrapeCommand::jsonShape() {
  const QString path = writeFile(m_dir, QStringLiteral("page.prom"), kPage);
  const Run r = runScrape({path, QStringLiteral("--json")});
  QCOMPARE(r.exitCode, 0);
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
  QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
  const QJsonArray families = doc.object().value(QStringLiteral("families")).toArray();
  QCOMPARE(families.size(), 4);
  const QJsonObject req = families[0].toObject();
  QCOMPARE(req.value(QStringLiteral("name")).toString(), QStringLiteral("req_total"));
  QCOMPARE(req.value(QStringLiteral("type")).toString(), QStringLiteral("counter"));
  QCOMPARE(req.value(QStringLiteral("help")).toString(), QStringLiteral("Requests \\ served."));
  const QJsonArray reqSamples = req.value(QStringLiteral("samples")).toArray();
  QCOMPARE(reqSamples.size(), 2);
  const QJsonObject s0 = reqSamples[0].toObject();
  QCOMPARE(s0.value(QStringLiteral("name")).toString(), QStringLiteral("req_total"));
  QCOMPARE(s0.value(QStringLiteral("labels")).toObject().value(QStringLiteral("path")).toString(),
           QStringLiteral("/a\"b"));
  QVERIFY(s0.value(QStringLiteral("value")).isDouble());
  QCOMPARE(s0.value(QStringLiteral("value")).toDouble(), 1027.0);
  QCOMPARE(s0.value(QStringLiteral("timestamp_ms")).toInteger(), 1700000000123LL);
  QVERIFY(!reqSamples[1].toObject().contains(QStringLiteral("timestamp_ms")));

  const QJsonArray temp = families[1].toObject().value(QStringLiteral("samples")).toArray();
  QCOMPARE(temp[0].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("NaN"));
  QCOMPARE(temp[1].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("+Inf"));
  QCOMPARE(temp[2].toObject().value(QStringLiteral("value")).toString(), QStringLiteral("-Inf"));
  QCOMPARE(temp[3].toObject().value(QStringLiteral("value")).toDouble(), 1.5e-7);
  QVERIFY(temp[0].toObject().value(QStringLiteral("labels")).toObject().isEmpty());

  const QJsonObject lat = families[2].toObject();
  QCOMPARE(lat.value(QStringLiteral("type")).toString(), QStringLiteral("histogram"));
  QCOMPARE(lat.value(QStringLiteral("samples")).toArray().size(), 4);
  QCOMPARE(lat.value(QStringLiteral("samples"))
               .toArray()[1]
               .toObject()
               .value(QStringLiteral("labels"))
               .toObject()
               .value(QStringLiteral("le"))
               .toString(),
           QStringLiteral("+Inf"));
  const QJsonObject bare = families[3].toObject();
  QCOMPARE(bare.value(QStringLiteral("type")).toString(), QStringLiteral("untyped"));
  QCOMPARE(bare.value(QStringLiteral("help")).toString(), QString());
}

void TstScrapeCommand::gzipFile() {
  const QString path = writeFile(m_dir, QStringLiteral("page.prom.gz"), gzipped(kPage));
  const Run r = runScrape({path});
  QCOMPARE(r.exitCode, 0);
  QVERIFY2(r.out.contains("4 families, 11 series, 11 samples"), r.out.constData());
  QVERIFY(r.out.contains("compressed"));
  const QString bad = writeFile(m_dir, QStringLiteral("bad.gz"), gzipped(kPage).left(30));
  const Run b = runScrape({bad});
  QCOMPARE(b.exitCode, 1);
  QVERIFY(b.err.contains("compressed body"));
}

void TstScrapeCommand::malformedNamesLineAndColumn() {
  const QString path =
      writeFile(m_dir, QStringLiteral("bad.prom"), "a 1\n# TYPE b gauge\nb{x=\"1\"} 1,5\n");
  const Run r = runScrape({path, QStringLiteral("--json")});
  QCOMPARE(r.exitCode, 1);
  QVERIFY(r.out.isEmpty());
  QVERIFY2(r.err.contains("bad.prom:3:10: error: invalid value \"1,5\""), r.err.constData());
}

void TstScrapeCommand::usageAndMissingFile() {
  QCOMPARE(runScrape({}).exitCode, 2);
  QCOMPARE(runScrape({QStringLiteral("--bogus")}).exitCode, 2);
  const Run r = runScrape({m_dir.filePath(QStringLiteral("does-not-exist.prom"))});
  QCOMPARE(r.exitCode, 2);
  QVERIFY(r.err.contains("cannot open"));
}

void TstScrapeCommand::fromUrl() {
  QTcpServer server;
  QVERIFY(server.listen(QHostAddress::LocalHost, 0));
  QByteArray request;
  connect(&server, &QTcpServer::newConnection, this, [&] {
    QTcpSocket* socket = server.nextPendingConnection();
    connect(socket, &QTcpSocket::readyRead, socket, [socket, &request] {
      request += socket->readAll();
      if (!request.contains("\r\n\r\n")) return;
      socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                    "Connection: close\r\nContent-Length: " +
                    QByteArray::number(kPage.size()) + "\r\n\r\n" + kPage);
      socket->disconnectFromHost();
    });
  });
  const QString url = QStringLiteral("http://127.0.0.1:%1/metrics").arg(server.serverPort());
  const Run r = runScrape({url, QStringLiteral("--json")});
  QCOMPARE(r.exitCode, 0);
  QVERIFY(request.startsWith("GET /metrics HTTP/1.1"));
  QVERIFY(request.contains("text/plain;version=0.0.4"));
  const QJsonDocument doc = QJsonDocument::fromJson(r.out);
  QCOMPARE(doc.object().value(QStringLiteral("families")).toArray().size(), 4);

  const Run refused = runScrape(
      {QStringLiteral("http://127.0.0.1:%1/metrics").arg(healthdeck::testing::freePort())});
  QCOMPARE(refused.exitCode, 2);
  QVERIFY(!refused.err.isEmpty());
}

void TstScrapeCommand::urlTimeout() {
  QTcpServer silent; // accepts, never answers
  QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
  QElapsedTimer timer;
  timer.start();
  const Run r = runScrape({QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort()),
                           QStringLiteral("--timeout"), QStringLiteral("1")});
  QCOMPARE(r.exitCode, 2);
  QVERIFY2(timer.elapsed() < 10000, "a 1 s timeout must return well within 10 s");
}

QTEST_GUILESS_MAIN(TstScrapeCommand)
#include "tst_scrape_command.moc"
