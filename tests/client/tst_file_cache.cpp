// FileCache: secrets and CA bundles read off the GUI thread, cached until the file changes, and
// special files (a FIFO named as a secret) refused without blocking anyone.
#include "healthdeck/client/source/file_cache.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/stat.h>

using namespace healthdeck;

namespace {

void writeFile(const QString& path, const QByteArray& content) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(content);
}

} // namespace

class TstFileCache : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void secretIsReadOffThreadThenCached() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    writeFile(path, "first\n");
    FileCache cache;
    QSignalSpy loaded(&cache, &FileCache::fileLoaded);
    const auto before = cache.lookup(path, FileCache::Kind::Secret);
    QVERIFY(before.pending);
    QVERIFY(!before.secret);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
    QCOMPARE(loaded.at(0).at(0).toString(), path);
    const auto after = cache.lookup(path, FileCache::Kind::Secret);
    QVERIFY(!after.pending);
    QCOMPARE(after.secret.value_or(QByteArray()), QByteArray("first"));
    QVERIFY(after.error.isEmpty());
    // A second lookup answers from memory: no new read.
    QTest::qWait(100);
    QCOMPARE(loaded.count(), 1);
  }

  void changedFileIsReadAgain() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    writeFile(path, "old");
    FileCache cache;
    QSignalSpy loaded(&cache, &FileCache::fileLoaded);
    cache.lookup(path, FileCache::Kind::Secret);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
    writeFile(path, "new");
    QTRY_VERIFY_WITH_TIMEOUT(
        cache.lookup(path, FileCache::Kind::Secret).secret.value_or(QByteArray()) == "new", 5000);
    // Replaced by rename, as editors and config management write files.
    const QString tmp = dir.filePath(QStringLiteral("token.tmp"));
    writeFile(tmp, "renamed");
    QVERIFY(::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        cache.lookup(path, FileCache::Kind::Secret).secret.value_or(QByteArray()) == "renamed",
        5000);
  }

  void fifoIsRefusedWithoutBlocking() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    FileCache cache;
    QSignalSpy loaded(&cache, &FileCache::fileLoaded);
    // The event loop keeps turning while the cache works: count timer ticks meanwhile.
    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] { ++ticks; });
    tick.start(10);
    QVERIFY(cache.lookup(path, FileCache::Kind::Secret).pending);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
    const auto e = cache.lookup(path, FileCache::Kind::Secret);
    QVERIFY(!e.secret);
    QVERIFY2(e.error.contains(QStringLiteral("not a regular file (a FIFO)")), qPrintable(e.error));
    QTRY_VERIFY_WITH_TIMEOUT(ticks > 0, 5000);
  }

  void missingAndEmptyFilesSayWhy_data() {
    QTest::addColumn<bool>("create");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing") << false << QStringLiteral("cannot read ");
    QTest::newRow("empty") << true << QStringLiteral("is empty");
  }
  void missingAndEmptyFilesSayWhy() {
    QFETCH(bool, create);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secret"));
    if (create) writeFile(path, QByteArray());
    FileCache cache;
    QSignalSpy loaded(&cache, &FileCache::fileLoaded);
    cache.lookup(path, FileCache::Kind::Secret);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
    const auto e = cache.lookup(path, FileCache::Kind::Secret);
    QVERIFY(!e.secret);
    QVERIFY2(e.error.contains(error), qPrintable(e.error));
  }

  void caBundleParsedOnce() {
    QTemporaryDir dir;
    const QString cert = dir.filePath(QStringLiteral("ca.pem"));
    const QString key = dir.filePath(QStringLiteral("ca.key"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=healthdeck test CA")});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    FileCache cache;
    QSignalSpy loaded(&cache, &FileCache::fileLoaded);
    cache.lookup(cert, FileCache::Kind::CaBundle);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
    const auto e = cache.lookup(cert, FileCache::Kind::CaBundle);
    QCOMPARE(e.certificates.size(), 1);
    QCOMPARE(e.certificates.first().subjectInfo(QSslCertificate::CommonName).value(0),
             QStringLiteral("healthdeck test CA"));
    // A file that holds no certificate says so.
    const QString junk = dir.filePath(QStringLiteral("junk.pem"));
    writeFile(junk, "not a certificate\n");
    cache.lookup(junk, FileCache::Kind::CaBundle);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 5000);
    QVERIFY(cache.lookup(junk, FileCache::Kind::CaBundle)
                .error.contains(QStringLiteral("holds no readable certificate")));
  }
};

QTEST_GUILESS_MAIN(TstFileCache)
#include "tst_file_cache.moc"
