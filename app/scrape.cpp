// `healthdeck scrape URL|FILE [--json] [--timeout S] [request options]`: reads one /metrics
// page with the console's own parser and prints what it read — for scripts, and for checking
// the parser against other implementations. A URL is fetched by the console's Poller with the
// request options of app/request_options.h (--token-file, --user/--password-file, --header).
// Exit status: 0 read, 1 malformed page (line and column on stderr), 2 usage error,
// unreadable file or failed fetch.

#include "app/cli.h"
#include "app/commands.h"
#include "app/request_options.h"
#include "healthdeck/client/parse/exposition_gzip.h"
#include "healthdeck/client/parse/exposition_parser.h"
#include "healthdeck/client/source/poller.h"
#include "healthdeck/health/report.h"

#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace healthdeck::app {
namespace {

using client::ExpositionPage;
using client::ExpositionParser;
using client::SeriesTable;

struct Body {
  std::string bytes;
  std::string contentType;
  std::string error; // set on failure
};

/// Fetches with the console's Poller: the same request (User-Agent, redirects, cap, TLS,
/// credentials and extra headers of the request options) and the same sentences on failure.
Body fetchUrl(const CommandLine& cli, const std::string& url, int timeoutMs) {
  Body body;
  int argc = 1;
  char name[] = "healthdeck";
  char* argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);
  TargetConfig config;
  config.id = QStringLiteral("scrape");
  config.baseUrl = QUrl(QString::fromStdString(url));
  config.timeout = std::chrono::milliseconds(timeoutMs);
  if (const QString error = applyRequestOptions(cli, config); !error.isEmpty()) {
    body.error = error.toStdString();
    return body;
  }
  Poller poller;
  poller.setSecretResolver(requestSecretResolver(cli));
  QObject::connect(&poller, &Poller::fetchedOnce, &app,
                   [&](const QString&, const TargetSnapshot& outcome, const QByteArray& data,
                       const QByteArray& type) {
                     if (outcome.state == TargetState::Up) {
                       body.bytes.assign(data.constData(), static_cast<std::size_t>(data.size()));
                       body.contentType = type.toStdString();
                     } else {
                       body.error = outcome.sentence.toStdString();
                     }
                     QCoreApplication::quit();
                   });
  poller.fetchOnce(config, QString::fromStdString(url));
  app.exec();
  return body;
}

Body readFile(const std::string& path) {
  Body body;
  QFile file;
  const bool opened = path == "-" ? file.open(stdin, QIODevice::ReadOnly)
                                  : (file.setFileName(QString::fromStdString(path)),
                                     file.open(QIODevice::ReadOnly));
  if (!opened) {
    body.error = "cannot open: " + file.errorString().toStdString();
    return body;
  }
  const QByteArray data = file.readAll();
  if (file.error() != QFileDevice::NoError) {
    body.error = "cannot read: " + file.errorString().toStdString();
    return body;
  }
  body.bytes.assign(data.constData(), static_cast<std::size_t>(data.size()));
  return body;
}

void appendJsonValue(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"+Inf\"" : "\"-Inf\"";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest exact round-trip
    out.append(buf, r.ptr);
  }
}

// Runs of one family are merged (a split family is one family in the output).
std::vector<std::vector<const client::FamilyRun*>> familiesInOrder(const ExpositionPage& page) {
  std::vector<std::vector<const client::FamilyRun*>> out;
  std::map<client::FamilyId, std::size_t> index;
  for (const client::FamilyRun& run : page.families) {
    auto [it, inserted] = index.try_emplace(run.family, out.size());
    if (inserted) out.emplace_back();
    out[it->second].push_back(&run);
  }
  return out;
}

std::string toJson(const ExpositionPage& page, const SeriesTable& table) {
  std::string out = "{\"families\": [";
  bool firstFamily = true;
  for (const auto& runs : familiesInOrder(page)) {
    const SeriesTable::Family& f = table.family(runs.front()->family);
    out += firstFamily ? "\n  " : ",\n  ";
    firstFamily = false;
    out += "{\"name\": ";
    appendJsonString(out, f.name);
    out += ", \"type\": ";
    appendJsonString(out, client::toString(f.type));
    out += ", \"help\": ";
    appendJsonString(out, f.help);
    out += ", \"samples\": [";
    bool firstSample = true;
    for (const client::FamilyRun* run : runs) {
      for (std::uint32_t i = run->firstSample; i < run->firstSample + run->sampleCount; ++i) {
        const client::Sample& s = page.samples[i];
        const SeriesTable::Series& series = table.series(s.series);
        out += firstSample ? "\n    " : ",\n    ";
        firstSample = false;
        out += "{\"name\": ";
        appendJsonString(out, series.name());
        out += ", \"labels\": {";
        for (std::size_t l = 0; l < series.labels.size(); ++l) {
          if (l) out += ", ";
          appendJsonString(out, series.labels[l].name);
          out += ": ";
          appendJsonString(out, series.labels[l].value);
        }
        out += "}, \"value\": ";
        appendJsonValue(out, s.value);
        if (s.hasTimestamp) out += ", \"timestamp_ms\": " + std::to_string(s.timestampMs);
        out += '}';
      }
    }
    out += firstSample ? "]}" : "\n  ]}";
  }
  out += firstFamily ? "]}\n" : "\n]}\n";
  return out;
}

std::string summary(const ExpositionPage& page, const SeriesTable& table, double parseSeconds,
                    std::size_t wireBytes) {
  std::string out;
  const auto families = familiesInOrder(page);
  for (const auto& runs : families) {
    const SeriesTable::Family& f = table.family(runs.front()->family);
    std::size_t samples = 0;
    for (const client::FamilyRun* run : runs)
      samples += run->sampleCount;
    char line[64];
    std::snprintf(line, sizeof line, "%8zu  %-9s ", samples,
                  std::string(client::toString(f.type)).c_str());
    out += line;
    out += f.name;
    out += '\n';
  }
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "%zu families, %zu series, %zu samples, %llu bytes%s, %u lines, parsed in "
      "%.3f ms (%.1f MB/s)%s\n",
      families.size(), table.seriesCount(), page.samples.size(),
      static_cast<unsigned long long>(page.bytes),
      wireBytes != page.bytes ? (" (" + std::to_string(wireBytes) + " compressed)").c_str() : "",
      page.lines, parseSeconds * 1000.0,
      parseSeconds > 0 ? static_cast<double>(page.bytes) / parseSeconds / 1e6 : 0.0,
      page.openMetrics ? ", OpenMetrics" : "");
  out += buf;
  return out;
}

} // namespace

int runScrape(const Args& args) {
  CommandLine cli(QStringLiteral("scrape"), QStringLiteral("URL|FILE|- [options]"),
                  QStringLiteral("Reads one /metrics page with the console's parser and prints "
                                 "its families (exit 0), or where it is malformed (exit 1). A "
                                 "URL is fetched exactly as the console fetches it."));
  cli.addOption({QStringLiteral("json")}, QStringLiteral("Print every sample as JSON."));
  cli.addOption({QStringLiteral("timeout")}, QStringLiteral("Whole request, in seconds."),
                QStringLiteral("SECONDS"), QStringLiteral("10"));
  addRequestOptions(cli);
  cli.setPositionals(1, 1);
  if (const auto exit = cli.parse(args)) return *exit;
  const bool json = cli.isSet(QStringLiteral("json"));
  bool timeoutOk = false;
  const double timeoutSeconds = cli.value(QStringLiteral("timeout")).toDouble(&timeoutOk);
  if (!timeoutOk || !(timeoutSeconds > 0) || timeoutSeconds > 86400)
    return cli.usageError(
        QStringLiteral("invalid --timeout '%1'").arg(cli.value(QStringLiteral("timeout"))));
  const QStringList positional = cli.positionals();
  const std::string source = positional.first().toStdString();

  const bool isUrl = source.starts_with("http://") || source.starts_with("https://");
  Body body =
      isUrl ? fetchUrl(cli, source, static_cast<int>(timeoutSeconds * 1000)) : readFile(source);
  if (!body.error.empty()) {
    std::fprintf(stderr, "healthdeck scrape: %s: %s\n", source.c_str(), body.error.c_str());
    return 2;
  }
  const std::size_t wireBytes = body.bytes.size();
  if (client::looksGzipped(body.bytes)) {
    std::string inflated;
    std::string error;
    if (!client::gunzip(body.bytes, inflated, error)) {
      std::fprintf(stderr, "healthdeck scrape: %s: %s\n", source.c_str(), error.c_str());
      return 1;
    }
    body.bytes = std::move(inflated);
  }

  ExpositionParser::Options options;
  if (body.contentType.starts_with("application/openmetrics-text"))
    options.format = ExpositionParser::Format::OpenMetrics;
  SeriesTable table;
  ExpositionParser parser(table, options);
  ExpositionPage page;
  const auto start = std::chrono::steady_clock::now();
  const bool ok = parser.parse(body.bytes, page);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

  for (const client::ParseIssue& w : page.warnings)
    std::fprintf(stderr, "healthdeck scrape: %s:%u:%u: warning: %s\n", source.c_str(), w.line,
                 w.column, w.message.c_str());
  if (!ok) {
    std::fprintf(stderr, "healthdeck scrape: %s:%u:%u: error: %s\n", source.c_str(),
                 page.error->line, page.error->column, page.error->message.c_str());
    return 1;
  }
  const std::string out =
      json ? toJson(page, table) : summary(page, table, took.count(), wireBytes);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

} // namespace healthdeck::app
