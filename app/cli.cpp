#include "app/cli.h"

#include <cstdio>

namespace healthdeck::app {

CommandLine::CommandLine(QString command, QString synopsis, QString description, int usageExit)
    : m_command(std::move(command)), m_synopsis(std::move(synopsis)),
      m_description(std::move(description)), m_usageExit(usageExit) {
  m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
  m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
  addOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
}

void CommandLine::addOption(const QStringList& names, const QString& help, const QString& valueName,
                            const QString& defaultValue) {
  QCommandLineOption option(names, help, valueName, defaultValue);
  m_parser.addOption(option);
  m_options.append(option);
}

void CommandLine::setPositionals(int min, int max) {
  m_minPositionals = min;
  m_maxPositionals = max;
}

QString CommandLine::usage() const {
  const QString prefix = m_command.isEmpty() ? QStringLiteral("healthdeck")
                                             : QStringLiteral("healthdeck ") + m_command;
  QString out = QStringLiteral("usage: ") + prefix + QLatin1Char(' ') + m_synopsis +
                QStringLiteral("\n\n") + m_description + QStringLiteral("\n\noptions:\n");
  QList<QPair<QString, QString>> rows;
  qsizetype width = 0;
  for (const QCommandLineOption& o : m_options) {
    QStringList spelled;
    for (const QString& n : o.names())
      spelled << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
    QString left = spelled.join(QStringLiteral(", "));
    if (!o.valueName().isEmpty()) left += QLatin1Char(' ') + o.valueName();
    width = std::max(width, left.size());
    QString help = o.description();
    if (!o.defaultValues().isEmpty())
      help += QStringLiteral(" (default: ") + o.defaultValues().join(QLatin1Char(',')) +
              QLatin1Char(')');
    rows.append({left, help});
  }
  for (const auto& [left, help] : rows)
    out += QStringLiteral("  ") + left.leftJustified(width + 2) + help + QLatin1Char('\n');
  return out;
}

int CommandLine::usageError(const QString& message) const {
  const QString prefix = m_command.isEmpty() ? QStringLiteral("healthdeck")
                                             : QStringLiteral("healthdeck ") + m_command;
  std::fprintf(stderr, "%s: %s\n%s", qUtf8Printable(prefix), qUtf8Printable(message),
               qUtf8Printable(usage()));
  return m_usageExit;
}

std::optional<int> CommandLine::parse(const Args& args) {
  QStringList list;
  for (const std::string& a : args)
    list << QString::fromStdString(a);
  if (list.isEmpty()) list << QStringLiteral("healthdeck");
  if (!m_parser.parse(list)) {
    // QCommandLineParser words its errors as "Unknown option 'x'." — keep one line, our case.
    QString e = m_parser.errorText();
    if (e.endsWith(QLatin1Char('.'))) e.chop(1);
    if (!e.isEmpty()) e[0] = e[0].toLower();
    return usageError(e);
  }
  if (m_parser.isSet(QStringLiteral("help"))) {
    std::fputs(qUtf8Printable(usage()), stdout);
    return 0;
  }
  const auto n = m_parser.positionalArguments().size();
  if (n < m_minPositionals)
    return usageError(m_minPositionals == 1 ? QStringLiteral("missing argument: ") +
                                                  m_synopsis.section(QLatin1Char(' '), 0, 0)
                                            : QStringLiteral("missing arguments"));
  if (m_maxPositionals >= 0 && n > m_maxPositionals)
    return usageError(QStringLiteral("unexpected argument '") +
                      m_parser.positionalArguments().at(m_maxPositionals) + QLatin1Char('\''));
  return std::nullopt;
}

} // namespace healthdeck::app
