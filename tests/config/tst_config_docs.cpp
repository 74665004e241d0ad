// docs/configuration.md lists exactly the keys of the key table (core/config/setting_keys.cpp):
// the `## Keys` table, the `### Checks` table of common check keys, and the environment
// variable table with each variable's derived name. A key added to the table without a doc
// row, or a doc row left behind after a key was removed, fails naming the key.

#include "healthdeck/config/setting_keys.h"

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <set>

using namespace healthdeck;

namespace {

// The first column of the markdown table that follows `heading`, with the backticks removed.
// `heading` must match a whole line; the table ends at the first line not starting with '|'.
std::vector<std::pair<QString, QString>> tableAfter(const QStringList& lines,
                                                    const QString& heading) {
  std::vector<std::pair<QString, QString>> rows;
  const qsizetype start = lines.indexOf(heading);
  if (start < 0) return rows;
  qsizetype i = start + 1;
  while (i < lines.size() && !lines[i].startsWith(QLatin1Char('|'))) {
    if (lines[i].startsWith(QLatin1Char('#'))) return rows; // next section, no table
    ++i;
  }
  static const QRegularExpression cell(QStringLiteral("^\\|\\s*`([^`]+)`\\s*\\|\\s*([^|]*)\\|"));
  for (i += 2; i < lines.size() && lines[i].startsWith(QLatin1Char('|')); ++i) {
    const auto m = cell.match(lines[i]);
    if (m.hasMatch()) rows.emplace_back(m.captured(1), m.captured(2).trimmed());
  }
  return rows;
}

QString difference(const std::set<QString>& table, const std::set<QString>& doc) {
  QStringList problems;
  for (const auto& key : table)
    if (!doc.count(key)) problems << QStringLiteral("missing from the doc: ") + key;
  for (const auto& key : doc)
    if (!table.count(key))
      problems << QStringLiteral("in the doc but not in the key table: ") + key;
  return problems.join(QStringLiteral("; "));
}

} // namespace

class TestConfigDocs : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void keysTable();
  void checkKeysTable();
  void environmentTable();
  void differenceNamesBothSides();

private:
  QStringList m_lines;
};

void TestConfigDocs::initTestCase() {
  const QByteArray source = qgetenv("HEALTHDECK_SOURCE_DIR");
  QVERIFY2(!source.isEmpty(), "HEALTHDECK_SOURCE_DIR is not set (run through ctest)");
  QFile doc(QString::fromLocal8Bit(source) + QStringLiteral("/docs/configuration.md"));
  QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
  m_lines = QString::fromUtf8(doc.readAll()).split(QLatin1Char('\n'));
  QVERIFY(m_lines.size() > 50);
}

void TestConfigDocs::keysTable() {
  const auto rows = tableAfter(m_lines, QStringLiteral("## Keys"));
  QVERIFY2(!rows.empty(), "no key table under '## Keys'");
  std::set<QString> doc;
  for (const auto& [key, rest] : rows) {
    QVERIFY2(doc.insert(key).second, qPrintable(QStringLiteral("listed twice: ") + key));
    QVERIFY2(!rest.isEmpty(), qPrintable(QStringLiteral("no default for ") + key));
  }
  std::set<QString> table;
  for (const auto& key : settingKeys())
    table.insert(QString::fromLatin1(key.path.data(), qsizetype(key.path.size())));
  table.insert(QString::fromLatin1(kChecksKey.data(), qsizetype(kChecksKey.size())));
  const QString problems = difference(table, doc);
  QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestConfigDocs::checkKeysTable() {
  const auto rows = tableAfter(m_lines, QStringLiteral("### Checks"));
  QVERIFY2(!rows.empty(), "no key table under '### Checks'");
  std::set<QString> doc;
  for (const auto& [key, rest] : rows)
    doc.insert(key);
  std::set<QString> table;
  for (const auto& key : checkKeys())
    table.insert(QString::fromLatin1(key.name.data(), qsizetype(key.name.size())));
  const QString problems = difference(table, doc);
  QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestConfigDocs::environmentTable() {
  const auto rows = tableAfter(m_lines, QStringLiteral("## Environment overrides"));
  QVERIFY2(!rows.empty(), "no variable table under '## Environment overrides'");
  std::set<QString> doc;
  for (const auto& [variable, key] : rows) {
    if (variable.contains(QLatin1Char('<'))) continue; // the CHECKS_<index>_<KEY> pattern row
    // Each row names its key, and the variable is the one derived from it.
    const QString bare = QString(key).remove(QLatin1Char('`'));
    QCOMPARE(variable, QString::fromStdString(environmentName(bare.toStdString())));
    doc.insert(bare);
  }
  std::set<QString> table;
  for (const auto& key : settingKeys())
    table.insert(QString::fromLatin1(key.path.data(), qsizetype(key.path.size())));
  const QString problems = difference(table, doc);
  QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestConfigDocs::differenceNamesBothSides() {
  // The failure message names the key on the side where it is missing.
  QCOMPARE(difference({QStringLiteral("a"), QStringLiteral("b")},
                      {QStringLiteral("b"), QStringLiteral("c")}),
           QStringLiteral("missing from the doc: a; in the doc but not in the key table: c"));
  QCOMPARE(difference({QStringLiteral("a")}, {QStringLiteral("a")}), QString());
  // The table parser stops at the table's end and skips the header rows.
  const QStringList text = {QStringLiteral("## T"),
                            QString(),
                            QStringLiteral("| key | x |"),
                            QStringLiteral("|---|---|"),
                            QStringLiteral("| `one` | 1 |"),
                            QStringLiteral("| `two` | 2 |"),
                            QString(),
                            QStringLiteral("| `three` | 3 |")};
  const auto rows = tableAfter(text, QStringLiteral("## T"));
  QCOMPARE(rows.size(), std::size_t(2));
  QCOMPARE(rows[1].first, QStringLiteral("two"));
}

QTEST_GUILESS_MAIN(TestConfigDocs)
#include "tst_config_docs.moc"
