#include "app/request_options.h"

#include "healthdeck/util/secret_file.h"

#include <QFile>

namespace healthdeck::app {

namespace {

// The secretRef prefix of a basic-auth password file (never shown to a server).
const QLatin1String kPasswordRef("basic-password:");

/// The project's one secret-file reader (regular files only, bounded, one line break dropped).
std::optional<QByteArray> readSecret(const QString& path) {
  const auto secret = readSecretFile(QFile::encodeName(path).toStdString(), nullptr);
  if (!secret) return std::nullopt;
  return QByteArray::fromStdString(*secret);
}

} // namespace

void addRequestOptions(CommandLine& cli) {
  cli.addOption({QStringLiteral("token-file")},
                QStringLiteral("Send the bearer token read from this file."), QStringLiteral("F"));
  cli.addOption({QStringLiteral("user")}, QStringLiteral("Basic auth user (with --password-file)."),
                QStringLiteral("NAME"));
  cli.addOption({QStringLiteral("password-file")},
                QStringLiteral("Basic auth password, read from this file."), QStringLiteral("F"));
  cli.addOption({QStringLiteral("header")},
                QStringLiteral("Extra request header 'Name: value'; 'Name: @FILE' reads the value "
                               "from a file. Repeatable."),
                QStringLiteral("H"));
}

QString applyRequestOptions(const CommandLine& cli, TargetConfig& config) {
  const QString token = cli.value(QStringLiteral("token-file"));
  const QString user = cli.value(QStringLiteral("user"));
  const QString password = cli.value(QStringLiteral("password-file"));
  const bool hasToken = cli.isSet(QStringLiteral("token-file"));
  const bool hasUser = cli.isSet(QStringLiteral("user"));
  const bool hasPassword = cli.isSet(QStringLiteral("password-file"));
  if (hasToken && !readSecret(token)) return QStringLiteral("cannot read a token from ") + token;
  if (hasUser != hasPassword) return QStringLiteral("--user and --password-file go together");
  if (hasUser && hasToken) return QStringLiteral("--token-file or --user, not both");
  if (hasUser && (user.isEmpty() || user.contains(QLatin1Char(':'))))
    return QStringLiteral("--user takes a name without ':'");
  if (hasPassword && !readSecret(password))
    return QStringLiteral("cannot read a password from ") + password;
  if (hasToken) {
    config.auth = AuthKind::Bearer;
    config.secretRef = token;
  } else if (hasUser) {
    config.auth = AuthKind::Basic;
    config.secretRef = kPasswordRef + password;
  }
  for (const QString& h : cli.values(QStringLiteral("header"))) {
    const qsizetype colon = h.indexOf(QLatin1Char(':'));
    RequestHeader rh;
    rh.name = h.left(std::max<qsizetype>(colon, 0)).trimmed().toLatin1();
    if (colon <= 0 || !isAllowedExtraHeader(rh.name))
      return QStringLiteral("--header takes 'Name: value' with a header name the command does "
                            "not set itself: ") +
             h;
    const QString value = h.mid(colon + 1).trimmed();
    if (value.startsWith(QLatin1Char('@'))) {
      rh.secretRef = value.mid(1);
      if (!readSecret(rh.secretRef))
        return QStringLiteral("cannot read a header value from ") + rh.secretRef;
    } else {
      rh.value = value;
    }
    config.extraHeaders << rh;
  }
  return {};
}

Poller::SecretResolver requestSecretResolver(const CommandLine& cli) {
  const QByteArray user = cli.value(QStringLiteral("user")).toUtf8();
  return [user](const QString& ref) -> std::optional<QByteArray> {
    if (ref.startsWith(kPasswordRef)) {
      const auto password = readSecret(ref.mid(kPasswordRef.size()));
      if (!password) return std::nullopt;
      return user + ':' + *password;
    }
    return readSecret(ref);
  };
}

} // namespace healthdeck::app
