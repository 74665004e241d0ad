// A FIFO named as a server's secret file must not block the GUI thread: the real ConsoleSession
// (window, store, Poller, keychain/file secrets) keeps answering, and the server shows why its
// credentials could not be read. Before the one secret reader, the console opened such a file
// on the GUI thread with a blocking read and the window froze until something wrote to the FIFO.
#include "healthdeck/client/state_presentation.h"
#include "healthdeck/client/store/server_list_file.h"
#include "healthdeck/client/store/target_store.h"
#include "healthdeck/ui/models/item_roles.h"
#include "healthdeck/ui/models/target_list_model.h"
#include "healthdeck/ui/session/console_session.h"
#include "healthdeck/ui/widgets/main_window.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/stat.h>

using namespace healthdeck;

class TstFifoSecret : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_home.isValid());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.path());
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
  }

  void fifoSecretDoesNotBlockTheWindow() {
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("token.fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);

    TargetConfig t;
    t.id = QStringLiteral("fifo-server");
    t.name = QStringLiteral("fifo-server");
    t.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    t.auth = AuthKind::Bearer;
    t.secretRef = QStringLiteral("file:") + fifo;
    const QString servers = dir.filePath(QStringLiteral("servers.json"));
    QCOMPARE(saveServerList(servers, {t}), QString());

    ConsoleOptions options;
    options.exporter = false;
    options.serversPath = servers;
    options.eventLogPath = dir.filePath(QStringLiteral("events.jsonl"));
    ConsoleSession session(options);

    // The event loop turns throughout: count ticks of a GUI-thread timer.
    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
    tick.start(20);

    QCOMPARE(session.start(), QString());
    const QString expected = QStringLiteral("not a regular file (a FIFO)");
    QTRY_VERIFY_WITH_TIMEOUT(session.store().snapshot(t.id).sentence.contains(expected), 10000);
    const TargetSnapshot s = session.store().snapshot(t.id);
    QCOMPARE(toString(s.state), toString(TargetState::Unauthorized));
    QVERIFY2(s.sentence.startsWith(QStringLiteral("Credentials could not be read: ")),
             qPrintable(s.sentence));
    QVERIFY2(s.sentence.contains(fifo), qPrintable(s.sentence));
    QVERIFY(ticks > 0);
    // The window's list says the same, as plain data.
    TargetListModel* model = session.window().listModel();
    model->flushPendingChanges();
    const QModelIndex row = model->indexForTarget(t.id);
    QVERIFY(row.isValid());
    QVERIFY(row.data(SentenceRole).toString().contains(expected));
    // Polling again keeps answering from the cache; the window still turns.
    const int before = ticks;
    session.window().findChild<QWidget*>(); // the window exists and is usable
    QTRY_VERIFY_WITH_TIMEOUT(ticks > before + 2, 5000);
  }

private:
  QTemporaryDir m_home;
};

QTEST_MAIN(TstFifoSecret)
#include "tst_fifo_secret.moc"
