// freePort() (tests/support/ports.cpp), which every suite that starts a server relies on: the
// ports it hands out are bindable on loopback, never repeat within a process, and lie outside
// the kernel's ephemeral range (where an outgoing connection could take one before the server
// binds it: what cost a CI run its etcd).

#include "tests/support/ports.h"

#include <QFile>
#include <QHostAddress>
#include <QSet>
#include <QTcpServer>
#include <QTest>

using healthdeck::testing::freePort;

class TstFreePort : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void distinctBindableOutsideEphemeralRange() {
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    QVERIFY(range.open(QIODevice::ReadOnly));
    const QList<QByteArray> parts = range.readAll().simplified().split(' ');
    QCOMPARE(parts.size(), 2);
    const int low = parts[0].toInt();
    const int high = parts[1].toInt();
    QSet<quint16> seen;
    for (int i = 0; i < 200; ++i) {
      const quint16 port = freePort();
      QVERIFY(port != 0);
      QVERIFY2(!seen.contains(port), qPrintable(QString::number(port)));
      seen.insert(port);
      QVERIFY2(port < low || port > high,
               qPrintable(QStringLiteral("%1 in %2-%3").arg(port).arg(low).arg(high)));
      QTcpServer server;
      QVERIFY2(server.listen(QHostAddress::LocalHost, port), qPrintable(server.errorString()));
    }
  }
};

QTEST_GUILESS_MAIN(TstFreePort)
#include "tst_free_port.moc"
