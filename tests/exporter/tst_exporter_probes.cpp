// Probe conventions in the exporter's routing, against real checks: a TCP check of a port that
// listens (up) and one of a port that does not (down): `?verbose` text, `?exclude=`, one check
// at /health/ready/NAME, the /livez and /readyz aliases, reasons only when authorized, and
// /metrics answering 200 while readiness is down.

#include "tests/exporter/exporter_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/ports.h"

#include "healthdeck/checks/tcp_check.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace healthdeck;
using namespace healthdeck::testing;

namespace {

struct ProbeFixture {
  explicit ProbeFixture(ExporterOptions o = {}) : f(std::move(o)) {
    listening.listen(QHostAddress::LocalHost);
    const quint16 closedPort = freePort(); // nothing listens there
    add("database", Probe::Readiness, true, listening.serverPort());
    add("cache", Probe::Readiness, true, closedPort);
    add("search", Probe::Readiness, false, closedPort);
    f.exporter->start();
  }
  void add(const std::string& name, Probe probe, bool critical, quint16 port) {
    CheckSpec spec;
    spec.name = name;
    spec.probe = probe;
    spec.critical = critical;
    f.health.add(spec, std::make_shared<TcpCheck>(TcpCheck::Address{"127.0.0.1", port}));
  }
  QTcpServer listening;
  ExporterFixture f;
};

} // namespace

class TstExporterProbes : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void routes_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArrayList>("contains");
    QTest::addColumn<QByteArrayList>("absent");
    QTest::newRow("ready JSON") << QByteArray("/health/ready") << 503
                                << QByteArrayList{"\"status\":\"down\""} << QByteArrayList{};
    QTest::newRow("verbose") << QByteArray("/health/ready?verbose") << 503
                             << QByteArrayList{"[+]database ok", "[-]cache failed: reason withheld",
                                               "readyz check failed"}
                             << QByteArrayList{"refused"};
    QTest::newRow("exclude the failing")
        << QByteArray("/health/ready?verbose&exclude=cache&exclude=search") << 200
        << QByteArrayList{"[+]database ok", "readyz check passed"} << QByteArrayList{"[-]"};
    QTest::newRow("exclude without verbose") << QByteArray("/health/ready?exclude=cache") << 200
                                             << QByteArrayList{"ok"} << QByteArrayList{"[-]cache"};
    QTest::newRow("one check up") << QByteArray("/health/ready/database") << 200
                                  << QByteArrayList{"database"} << QByteArrayList{"cache"};
    QTest::newRow("one check down") << QByteArray("/health/ready/cache") << 503
                                    << QByteArrayList{"cache"} << QByteArrayList{"database"};
    QTest::newRow("one non-critical down") << QByteArray("/health/ready/search") << 503
                                           << QByteArrayList{"search"} << QByteArrayList{};
    QTest::newRow("one check verbose")
        << QByteArray("/health/ready/database?verbose") << 200
        << QByteArrayList{"[+]database ok", "readyz check passed"} << QByteArrayList{"cache"};
    QTest::newRow("escaped name") << QByteArray("/health/ready/data%62ase") << 200
                                  << QByteArrayList{"database"} << QByteArrayList{};
    QTest::newRow("unknown check")
        << QByteArray("/health/ready/nope") << 404 << QByteArrayList{} << QByteArrayList{};
    QTest::newRow("nested") << QByteArray("/health/ready/database/x") << 404 << QByteArrayList{}
                            << QByteArrayList{};
    QTest::newRow("live verbose") << QByteArray("/health/live?verbose") << 200
                                  << QByteArrayList{"livez check passed"} << QByteArrayList{};
    QTest::newRow("readyz alias") << QByteArray("/readyz?verbose") << 503
                                  << QByteArrayList{"readyz check failed"} << QByteArrayList{};
    QTest::newRow("livez alias") << QByteArray("/livez") << 200 << QByteArrayList{}
                                 << QByteArrayList{};
    QTest::newRow("readyz one") << QByteArray("/readyz/database") << 200
                                << QByteArrayList{"database"} << QByteArrayList{};
    QTest::newRow("metrics while not ready")
        << QByteArray("/metrics") << 200
        << QByteArrayList{"health_check_status{component=\"cache\",probe=\"readiness\",status="
                          "\"down\"} 1"}
        << QByteArrayList{};
  }
  void routes() {
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArrayList, contains);
    QFETCH(QByteArrayList, absent);
    ExporterOptions o;
    o.kubernetesAliases = true;
    // Reasons withheld in the text form; the JSON of one check lists just that check.
    o.showDetails = path.contains("verbose") || path.contains("exclude") ? ShowDetails::Never
                                                                         : ShowDetails::Always;
    ProbeFixture p(o);
    const HttpReply r = httpRequest(p.f.port(), "GET", path);
    QCOMPARE(r.status, status);
    for (const QByteArray& c : contains)
      QVERIFY2(r.body.contains(c), r.body.constData());
    for (const QByteArray& a : absent)
      QVERIFY2(!r.body.contains(a), r.body.constData());
  }

  void aliasesOffByDefault() {
    ProbeFixture p;
    QCOMPARE(httpRequest(p.f.port(), "GET", "/readyz").status, 404);
    QCOMPARE(httpRequest(p.f.port(), "GET", "/livez/database").status, 404);
  }

  void reasonsWhenAuthorized() {
    QTemporaryDir dir;
    const std::string token = dir.path().toStdString() + "/token";
    std::ofstream(token) << "probe-token\n";
    ExporterOptions o;
    o.bearerTokenFile = token;
    ProbeFixture p(o);
    const HttpReply anonymous = httpRequest(p.f.port(), "GET", "/health/ready?verbose");
    QVERIFY2(anonymous.body.contains("[-]cache failed: reason withheld"),
             anonymous.body.constData());
    const HttpReply authorized = httpRequest(p.f.port(), "GET", "/health/ready?verbose",
                                             {{"Authorization", "Bearer probe-token"}});
    QCOMPARE(authorized.status, 503);
    QVERIFY2(authorized.body.contains("[-]cache failed: ") &&
                 !authorized.body.contains("reason withheld"),
             authorized.body.constData());
  }
};

QTEST_GUILESS_MAIN(TstExporterProbes)
#include "tst_exporter_probes.moc"
