#include "healthdeck/client/source/file_cache.h"

#include "healthdeck/util/secret_file.h"

#include <QFile>
#include <QMetaObject>

namespace healthdeck {

namespace {

constexpr qint64 kMaxCaBundleBytes = 1024 * 1024;

FileCache::Entry readEntry(const QString& path, FileCache::Kind kind) {
  FileCache::Entry e;
  e.pending = false;
  if (kind == FileCache::Kind::Secret) {
    std::string error;
    const auto secret = readSecretFile(QFile::encodeName(path).toStdString(), &error);
    if (secret)
      e.secret = QByteArray::fromStdString(*secret);
    else
      e.error = QString::fromStdString(error);
    return e;
  }
  // A CA bundle is public; the same special-file rules keep a FIFO from blocking the worker.
  std::string error;
  const auto pem = readSecretFile(QFile::encodeName(path).toStdString(), &error,
                                  static_cast<std::size_t>(kMaxCaBundleBytes));
  if (!pem) {
    e.error = QString::fromStdString(error);
    return e;
  }
  e.certificates = QSslCertificate::fromData(QByteArray::fromStdString(*pem), QSsl::Pem);
  if (e.certificates.isEmpty())
    e.error = QStringLiteral("CA file %1 holds no readable certificate").arg(path);
  return e;
}

} // namespace

FileCache::FileCache(QObject* parent) : QObject(parent) {
  m_pool.setMaxThreadCount(1);
  connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FileCache::changed);
}

FileCache::~FileCache() {
  m_pool.clear();
  m_pool.waitForDone();
}

FileCache::Entry FileCache::lookup(const QString& path, Kind kind) {
  auto it = m_slots.find(path);
  if (it == m_slots.end() || it->kind != kind) {
    Slot slot;
    slot.kind = kind;
    it = m_slots.insert(path, slot);
    m_watcher.addPath(path); // fails quietly for a missing file; the read says why
    startRead(path);
  }
  return it->entry;
}

void FileCache::clear() {
  m_slots.clear();
  if (!m_watcher.files().isEmpty()) m_watcher.removePaths(m_watcher.files());
}

void FileCache::startRead(const QString& path) {
  Slot& slot = m_slots[path];
  if (slot.reading) {
    slot.stale = true;
    return;
  }
  slot.reading = true;
  slot.stale = false;
  const Kind kind = slot.kind;
  // The destructor waits for the pool, so `this` outlives the task; a queued call to a
  // deleted object is dropped by Qt.
  m_pool.start([this, path, kind] {
    const Entry entry = readEntry(path, kind);
    QMetaObject::invokeMethod(
        this, [this, path, entry] { landed(path, entry); }, Qt::QueuedConnection);
  });
}

void FileCache::landed(const QString& path, const Entry& entry) {
  auto it = m_slots.find(path);
  if (it == m_slots.end()) return; // cleared meanwhile
  it->reading = false;
  it->entry = entry;
  // A watch is dropped when the file is replaced by rename; watch the new file.
  if (!m_watcher.files().contains(path)) m_watcher.addPath(path);
  if (it->stale) startRead(path);
  Q_EMIT fileLoaded(path);
}

void FileCache::changed(const QString& path) {
  if (!m_slots.contains(path)) return;
  startRead(path);
}

} // namespace healthdeck
