#include "healthdeck/client/target.h"

namespace healthdeck {

QUrl TargetConfig::urlFor(const QString& path) const {
  if (path.startsWith(QLatin1String("http://")) || path.startsWith(QLatin1String("https://")))
    return QUrl(path);
  QUrl url = baseUrl;
  QString base = url.path();
  while (base.endsWith(QLatin1Char('/')))
    base.chop(1);
  QString rest = path;
  if (!rest.isEmpty() && !rest.startsWith(QLatin1Char('/'))) rest.prepend(QLatin1Char('/'));
  // A path may carry a query ("/livez?verbose"): split it off before setPath.
  const qsizetype q = rest.indexOf(QLatin1Char('?'));
  if (q >= 0) {
    url.setQuery(rest.mid(q + 1));
    rest.truncate(q);
  }
  url.setPath(base + rest);
  return url;
}

} // namespace healthdeck

namespace healthdeck {

bool isAllowedExtraHeader(const QByteArray& name) {
  if (name.isEmpty() || name.size() > 256) return false;
  for (char c : name) {
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
    if (!token) return false;
  }
  const QByteArray lower = name.toLower();
  for (const char* owned : {"host", "authorization", "content-length", "connection",
                            "transfer-encoding", "accept-encoding", "cookie"}) {
    if (lower == owned) return false;
  }
  return true;
}

} // namespace healthdeck
