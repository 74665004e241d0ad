// Test helper for tst_notification_hook: a program the hook starts. It writes what it was
// given — its arguments, the HEALTHDECK_* environment and its standard input — into the
// directory named by its first argument, or, with "hang" as the second argument, reads its
// input and then sleeps far past any timeout the test sets.

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QThread>

#include <cstdio>

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const QStringList args = app.arguments();
  if (args.size() < 2) return 64;
  const QDir dir(args.at(1));
  QFile in;
  if (!in.open(stdin, QIODevice::ReadOnly)) return 65;
  const QByteArray input = in.readAll();
  if (args.size() > 2 && args.at(2) == QLatin1String("hang")) {
    QThread::sleep(60);
    return 0;
  }
  QFile out(dir.filePath(QStringLiteral("stdin.json")));
  if (!out.open(QIODevice::WriteOnly)) return 66;
  out.write(input);
  out.close();
  QFile env(dir.filePath(QStringLiteral("env.txt")));
  if (!env.open(QIODevice::WriteOnly)) return 66;
  const QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  QStringList keys = e.keys();
  keys.sort();
  for (const QString& k : keys)
    if (k.startsWith(QLatin1String("HEALTHDECK_")))
      env.write((k + QLatin1Char('=') + e.value(k) + QLatin1Char('\n')).toUtf8());
  QFile argFile(dir.filePath(QStringLiteral("args.txt")));
  if (!argFile.open(QIODevice::WriteOnly)) return 66;
  argFile.write(args.mid(2).join(QLatin1Char('\n')).toUtf8());
  return 7; // a distinctive exit code the test checks
}
