#pragma once
// FileCache: secrets and CA bundles named by the console's server list, read off the GUI thread
// and kept until the file changes.
//
// The Poller needs a target's secret and CA certificates at every poll, on the GUI thread. Reading
// them there would let a slow disk, a network file system or a huge file freeze the window, and
// re-parse a CA bundle on every poll. Instead lookup() answers from memory at once; the first
// lookup of a path (and the first after the file changed, as QFileSystemWatcher reports it)
// starts a read on this cache's own worker thread and answers "pending"; when the read lands
// (queued back to the owner thread) fileLoaded(path) is emitted so the caller can poll again.
// Secrets go through the one secret reader (core/util/secret_file.h: regular files only, 64 KiB
// cap, one trailing newline dropped, content never in a message); CA bundles are PEM files of at
// most 1 MiB.
//
// Threading: create and use from one thread with an event loop (the GUI thread); the worker is
// internal and joined by the destructor. A file replaced by rename (how editors and config
// management write) is picked up too: the cache watches the file and re-adds it after a change.

#include <QFileSystemWatcher>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QString>
#include <QThreadPool>

#include <optional>

namespace healthdeck {

class FileCache : public QObject {
  Q_OBJECT
public:
  enum class Kind { Secret, CaBundle };
  struct Entry {
    bool pending = true;                 ///< no read has landed yet for this version of the file
    std::optional<QByteArray> secret;    ///< Kind::Secret: the secret, when readable
    QList<QSslCertificate> certificates; ///< Kind::CaBundle: the certificates, when readable
    QString error;                       ///< why the file cannot be used; empty when it can
  };

  explicit FileCache(QObject* parent = nullptr);
  ~FileCache() override;

  /// The cached entry for `path` (a read is started if none is cached or the file changed).
  Entry lookup(const QString& path, Kind kind);
  /// Drops every cached entry and watch (e.g. after the server list changed).
  void clear();

Q_SIGNALS:
  /// A read of `path` landed (value or error); lookup() now answers from it.
  void fileLoaded(const QString& path);

private:
  struct Slot {
    Kind kind = Kind::Secret;
    Entry entry;
    bool reading = false;
    bool stale = false; ///< changed while a read was running: read again when it lands
  };
  void startRead(const QString& path);
  void landed(const QString& path, const Entry& entry);
  void changed(const QString& path);

  QThreadPool m_pool;
  QFileSystemWatcher m_watcher;
  QHash<QString, Slot> m_slots;
};

} // namespace healthdeck
