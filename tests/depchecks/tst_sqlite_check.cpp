// SqliteCheck against real database files: healthy (schema read and quick_check), a missing
// file (never created), a file that is not a database, a corrupted one, read-only (writes
// refused), a database locked past the deadline, a query interrupted at the deadline, and a
// file replaced under a running check.

#include "tests/depchecks/depcheck_util.h"
#include "tests/health/status_compare.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace healthdeck;
using namespace healthdeck::testing;
using namespace std::chrono_literals;

namespace {

// Creates a database with one table of `rows` rows; returns false on any SQLite error.
bool makeDatabase(const QString& path, int rows) {
  sqlite3* db = nullptr;
  if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK) return false;
  const std::string sql =
      "PRAGMA journal_mode=DELETE; CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT);"
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < " +
      std::to_string(rows) +
      ") INSERT INTO items(name) SELECT printf('item-%08d-padding-padding-padding', x) FROM c;"
      "CREATE INDEX items_name ON items(name);";
  const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

} // namespace

class TestSqliteCheck : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void healthy();
  void quickCheck();
  void missingFileIsNotCreated();
  void notADatabase();
  void corrupted();
  void opensReadOnly();
  void lockedPastTheDeadline();
  void longQueryInterruptedAtDeadline();
  void replacedFileIsSeen();
  void allowedOnLiveness();

private:
  QTemporaryDir m_dir;
  QString m_db;
};

void TestSqliteCheck::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_db = m_dir.filePath(QStringLiteral("app.db"));
  QVERIFY(makeDatabase(m_db, 2000));
}

void TestSqliteCheck::healthy() {
  auto c = buildTyped("sqlite", {{"path", s(m_db)}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Up);
  QVERIFY2(r.details().startsWith(QStringLiteral("read in ")), qPrintable(r.details()));
}

void TestSqliteCheck::quickCheck() {
  auto c = buildTyped("sqlite", {{"path", s(m_db)}, {"quick_check", "true"}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Up);
  QVERIFY2(r.details().startsWith(QStringLiteral("quick_check ok in ")), qPrintable(r.details()));
}

void TestSqliteCheck::missingFileIsNotCreated() {
  const QString path = m_dir.filePath(QStringLiteral("missing.db"));
  auto c = buildTyped("sqlite", {{"path", s(path)}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().endsWith(QStringLiteral("does not exist")), qPrintable(r.details()));
  QVERIFY(!QFile::exists(path));
}

void TestSqliteCheck::notADatabase() {
  const QString path = m_dir.filePath(QStringLiteral("text.db"));
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QByteArray(8192, 'x'));
  f.close();
  auto c = buildTyped("sqlite", {{"path", s(path)}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("not a database")), qPrintable(r.details()));
}

void TestSqliteCheck::corrupted() {
  const QString path = m_dir.filePath(QStringLiteral("corrupt.db"));
  QVERIFY(makeDatabase(path, 5000));
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadWrite));
  const qint64 size = f.size();
  QVERIFY(size > 16 * 4096);
  // Scribble over pages in the middle: b-tree pages of the table and the index.
  for (qint64 page = 3; page < size / 4096 - 1; page += 3) {
    f.seek(page * 4096 + 8);
    f.write(QByteArray(600, '\x5a'));
  }
  f.close();
  auto c = buildTyped("sqlite", {{"path", s(path)}, {"quick_check", "true"}});
  const auto r = runWithin(*c, 5s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("malformed")) ||
               r.details().startsWith(QStringLiteral("quick_check found problems")),
           qPrintable(r.details()));
}

void TestSqliteCheck::opensReadOnly() {
  auto c = buildTyped("sqlite", {{"path", s(m_db)}, {"query", "CREATE TABLE probe(x)"}});
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("readonly")), qPrintable(r.details()));
}

void TestSqliteCheck::lockedPastTheDeadline() {
  const QString path = m_dir.filePath(QStringLiteral("locked.db"));
  QVERIFY(makeDatabase(path, 10));
  sqlite3* writer = nullptr;
  QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &writer), SQLITE_OK);
  QCOMPARE(sqlite3_exec(writer, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto c = buildTyped("sqlite", {{"path", s(path)}});
  const auto r = runWithin(*c, 400ms);
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("locked")), qPrintable(r.details()));
  QVERIFY2(r.took >= 300ms && r.took < 400ms + 500ms, qPrintable(QString::number(r.took.count())));
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
}

void TestSqliteCheck::longQueryInterruptedAtDeadline() {
  auto c = buildTyped("sqlite", {{"path", s(m_db)},
                                 {"query", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 "
                                           "FROM c) SELECT count(*) FROM c"}});
  const auto r = runWithin(*c, 300ms);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().startsWith(QStringLiteral("no result within")), qPrintable(r.details()));
  QVERIFY2(r.took < 300ms + 500ms, qPrintable(QString::number(r.took.count())));
}

void TestSqliteCheck::replacedFileIsSeen() {
  const QString path = m_dir.filePath(QStringLiteral("swap.db"));
  QVERIFY(makeDatabase(path, 10));
  auto c = buildTyped("sqlite", {{"path", s(path)}});
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
  const QString junk = m_dir.filePath(QStringLiteral("junk"));
  QFile f(junk);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(QByteArray(4096, 'j'));
  f.close();
  QVERIFY(::rename(QFile::encodeName(junk).constData(), QFile::encodeName(path).constData()) == 0);
  const auto r = runWithin(*c, 2s);
  QCOMPARE_STATUS(r.outcome.status, Status::Down);
  QVERIFY2(r.details().contains(QStringLiteral("not a database")), qPrintable(r.details()));
}

void TestSqliteCheck::allowedOnLiveness() {
  // A local file is not an outside service: liveness needs no allow_liveness.
  auto c = buildTyped("sqlite", {{"path", s(m_db)}}, Probe::Liveness);
  QCOMPARE_STATUS(runWithin(*c, 2s).outcome.status, Status::Up);
}

QTEST_GUILESS_MAIN(TestSqliteCheck)
#include "tst_sqlite_check.moc"
