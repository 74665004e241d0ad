#pragma once
// SecretStore: where the console keeps credentials — the desktop keychain (QtKeychain, service
// "healthdeck") or a file the user names. Never plain text in the console's own files, and no
// silent fallback: when no keychain service answers, availability() says so with the reason
// and the UI offers the file option.
// Keychain access is asynchronous; secrets read once are cached in memory so the Poller's
// synchronous resolver can use them. Files are read off the GUI thread by a FileCache and kept
// until they change (a FIFO or a huge file named as a secret never blocks the window); the
// first poll of a target waits for that read and fileSecretLoaded() asks for a poll again.
// Secret references: "keychain:<key>" or "file:<path>" (a bare absolute path is read as a file
// too). GUI thread only.

#include "healthdeck/client/source/file_cache.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace healthdeck {

class SecretStore : public QObject {
  Q_OBJECT
public:
  enum class Availability { Unknown, Available, Unavailable };

  explicit SecretStore(QString service = QStringLiteral("healthdeck"), QObject* parent = nullptr);

  /// Asks the keychain once (reads a key that need not exist); emits availabilityChanged.
  void probe();
  Availability availability() const { return m_availability; }
  /// "No keychain service is running (org.freedesktop.secrets not on the session bus)".
  QString unavailableReason() const { return m_reason; }

  /// Reads `key` from the keychain into the cache; emits secretLoaded or secretFailed.
  void load(const QString& key);
  /// Writes `secret` under `key` (cached at once); emits secretSaved or secretFailed.
  void save(const QString& key, const QByteArray& secret);
  void remove(const QString& key);

  /// The secret a reference names, nullopt when unknown or unreadable (trimmed file content).
  std::optional<QByteArray> resolve(const QString& ref) const;
  /// Suitable for Poller::setSecretResolver.
  std::function<std::optional<QByteArray>(const QString&)> resolver() const;
  /// Why `ref` resolves to nothing ("/x is not a regular file (a FIFO)", "the keychain has not
  /// answered yet"); empty while a file's first read is on its way (the Poller then waits for
  /// fileSecretLoaded). For Poller::setSecretResolver's second argument.
  QString problem(const QString& ref) const;
  /// A "file:" secret whose first read has not landed yet (fileSecretLoaded follows).
  bool pending(const QString& ref) const;

  static QString keychainRef(const QString& key) { return QStringLiteral("keychain:") + key; }
  static QString fileRef(const QString& path) { return QStringLiteral("file:") + path; }

Q_SIGNALS:
  void availabilityChanged(healthdeck::SecretStore::Availability availability);
  void secretLoaded(const QString& key);
  void secretSaved(const QString& key);
  void secretFailed(const QString& key, const QString& reason);
  /// A secret file named by "file:<path>" was (re)read; targets using it can poll again.
  void fileSecretLoaded(const QString& ref);

private:
  QString m_service;
  Availability m_availability = Availability::Unknown;
  QString m_reason;
  QHash<QString, QByteArray> m_cache;
  FileCache* m_files = nullptr;
};

} // namespace healthdeck
