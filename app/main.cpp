// healthdeck — the console by default; subcommands serve, check and scrape.

#include "app/commands.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void printUsage(std::FILE* out) {
  std::fputs("usage: healthdeck [--config FILE] [--no-exporter]   the console, with the embedded "
             "exporter\n"
             "       healthdeck serve [--config FILE] [--listen HOST:PORT]\n"
             "                                                    the headless exporter\n"
             "       healthdeck check URL [options]               one probe, Nagios-plugin style\n"
             "                                                    (exit 0 up, 1 degraded, 2 down, "
             "3 unknown)\n"
             "       healthdeck scrape URL|FILE [options]         parse one /metrics page\n"
             "       healthdeck fleet --prometheus URL [options]  every target a Prometheus "
             "server scrapes\n"
             "                                                    (exit 0 up, 1 degraded, 2 down, "
             "3 unreadable)\n"
             "       healthdeck history [--server NAME] [--since D] [--format text|json|csv]\n"
             "                                                    uptime and events with evidence\n"
             "       healthdeck --version | --help\n"
             "Every command answers --help with its own options.\n",
             out);
}

} // namespace

int main(int argc, char** argv) {
  using namespace healthdeck::app;
  Args args(argv, argv + argc);
  if (argc >= 2) {
    const std::string cmd = argv[1];
    if (cmd == "--version" || cmd == "-V") {
      std::printf("healthdeck %s\n", HEALTHDECK_VERSION);
      return 0;
    }
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      printUsage(stdout);
      return 0;
    }
    Args rest;
    rest.push_back(args[0]);
    rest.insert(rest.end(), args.begin() + 2, args.end());
    if (cmd == "serve") return runServe(rest);
    if (cmd == "scrape") return runScrape(rest);
    if (cmd == "check") return runCheck(rest);
    if (cmd == "fleet") return runFleet(rest);
    if (cmd == "history") return runHistory(rest);
    if (cmd[0] != '-') {
      std::fprintf(stderr, "healthdeck: unknown command '%s'\n", cmd.c_str());
      printUsage(stderr);
      return 2;
    }
  }
  return runConsole(args);
}
