#include "healthdeck/ui/session/secret_store.h"

#include <QFile>
#include <qt6keychain/keychain.h>

namespace healthdeck {

namespace {

bool backendMissing(QKeychain::Error e) {
  return e == QKeychain::NoBackendAvailable || e == QKeychain::NotImplemented ||
         e == QKeychain::OtherError;
}

} // namespace

SecretStore::SecretStore(QString service, QObject* parent)
    : QObject(parent), m_service(std::move(service)), m_files(new FileCache(this)) {
  connect(m_files, &FileCache::fileLoaded, this,
          [this](const QString& path) { Q_EMIT fileSecretLoaded(fileRef(path)); });
}

void SecretStore::probe() {
  auto* job = new QKeychain::ReadPasswordJob(m_service, this);
  job->setInsecureFallback(false);
  job->setKey(QStringLiteral("healthdeck-availability-probe"));
  connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job* j) {
    const QKeychain::Error e = j->error();
    if (e == QKeychain::NoError || e == QKeychain::EntryNotFound) {
      m_availability = Availability::Available;
      m_reason.clear();
    } else {
      m_availability = Availability::Unavailable;
      // QtKeychain reports a missing session bus as "Unknown error": name the cause instead.
      const QString detail = qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")
                                 ? QStringLiteral("no D-Bus session bus")
                                 : j->errorString();
      m_reason = backendMissing(e)
                     ? QStringLiteral("No keychain service is running (%1)").arg(detail)
                     : QStringLiteral("The keychain refused access (%1)").arg(detail);
    }
    Q_EMIT availabilityChanged(m_availability);
  });
  job->start();
}

void SecretStore::load(const QString& key) {
  auto* job = new QKeychain::ReadPasswordJob(m_service, this);
  job->setInsecureFallback(false);
  job->setKey(key);
  connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
    if (j->error() != QKeychain::NoError) {
      // Gone from the keychain (removed elsewhere): stop sending the copy cached here.
      if (j->error() == QKeychain::EntryNotFound) m_cache.remove(key);
      Q_EMIT secretFailed(key, j->errorString());
      return;
    }
    m_cache.insert(key, static_cast<QKeychain::ReadPasswordJob*>(j)->binaryData());
    Q_EMIT secretLoaded(key);
  });
  job->start();
}

void SecretStore::save(const QString& key, const QByteArray& secret) {
  m_cache.insert(key, secret);
  auto* job = new QKeychain::WritePasswordJob(m_service, this);
  job->setInsecureFallback(false);
  job->setKey(key);
  job->setBinaryData(secret);
  connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
    if (j->error() != QKeychain::NoError)
      Q_EMIT secretFailed(key, j->errorString());
    else
      Q_EMIT secretSaved(key);
  });
  job->start();
}

void SecretStore::remove(const QString& key) {
  m_cache.remove(key);
  auto* job = new QKeychain::DeletePasswordJob(m_service, this);
  job->setInsecureFallback(false);
  job->setKey(key);
  job->start();
}

std::optional<QByteArray> SecretStore::resolve(const QString& ref) const {
  if (ref.startsWith(QLatin1String("keychain:"))) {
    auto it = m_cache.constFind(ref.mid(9));
    if (it == m_cache.cend()) return std::nullopt;
    return *it;
  }
  const QString path = ref.startsWith(QLatin1String("file:")) ? ref.mid(5) : ref;
  if (path.isEmpty()) return std::nullopt;
  return m_files->lookup(path, FileCache::Kind::Secret).secret;
}

bool SecretStore::pending(const QString& ref) const {
  if (ref.startsWith(QLatin1String("keychain:"))) return false;
  const QString path = ref.startsWith(QLatin1String("file:")) ? ref.mid(5) : ref;
  return !path.isEmpty() && m_files->lookup(path, FileCache::Kind::Secret).pending;
}

QString SecretStore::problem(const QString& ref) const {
  if (ref.startsWith(QLatin1String("keychain:")))
    return m_availability == Availability::Unavailable
               ? m_reason
               : QStringLiteral("the keychain has not answered yet");
  const QString path = ref.startsWith(QLatin1String("file:")) ? ref.mid(5) : ref;
  if (path.isEmpty()) return QStringLiteral("no secret file named");
  const FileCache::Entry e = m_files->lookup(path, FileCache::Kind::Secret);
  return e.pending ? QString() : e.error; // empty while the first read is on its way
}

std::function<std::optional<QByteArray>(const QString&)> SecretStore::resolver() const {
  return [this](const QString& ref) { return resolve(ref); };
}

} // namespace healthdeck
