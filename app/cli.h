#pragma once
// CommandLine: the one option parser of every subcommand (QCommandLineParser underneath), so they
// all behave alike:
//   - `--opt=value` and `--opt value` both work; options may come before or after positionals;
//   - `--help`/`-h` prints the subcommand's own usage to stdout, exit 0;
//   - a bad option, a missing value or a wrong positional count prints ONE line
//     ("healthdeck check: unknown option '--x'") and the usage to stderr, and returns the
//     subcommand's usage exit status (2; 3 for `check`, the Nagios "unknown").
// Not thread-safe; one per invocation. Needs no QCoreApplication.

#include "app/commands.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace healthdeck::app {

class CommandLine {
public:
  /// `command` is the subcommand's name ("" for the console), `synopsis` what follows it in the
  /// usage line ("URL [options]"), `description` one paragraph. `usageExit` is returned for
  /// usage errors.
  CommandLine(QString command, QString synopsis, QString description, int usageExit = 2);

  /// An option with a value: `valueName` non-empty ("FILE"); a flag otherwise.
  void addOption(const QStringList& names, const QString& help, const QString& valueName = {},
                 const QString& defaultValue = {});
  /// Positional arguments: at least `min`, at most `max` (-1: no limit).
  void setPositionals(int min, int max);

  /// nullopt: parsed, go on. Otherwise the exit status to return at once (0 after --help,
  /// the usage exit after a usage error, both already printed).
  std::optional<int> parse(const Args& args);

  bool isSet(const QString& name) const { return m_parser.isSet(name); }
  QString value(const QString& name) const { return m_parser.value(name); }
  QStringList values(const QString& name) const { return m_parser.values(name); }
  QStringList positionals() const { return m_parser.positionalArguments(); }

  /// Prints "healthdeck CMD: message" and the usage to stderr; returns the usage exit status.
  int usageError(const QString& message) const;
  /// The subcommand's usage text: synopsis, description, options.
  QString usage() const;

private:
  QString m_command;
  QString m_synopsis;
  QString m_description;
  int m_usageExit;
  int m_minPositionals = 0;
  int m_maxPositionals = 0;
  QCommandLineParser m_parser;
  QList<QCommandLineOption> m_options;
};

} // namespace healthdeck::app
