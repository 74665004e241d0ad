#pragma once
// Entry points of the subcommands. Each takes the arguments after the subcommand name
// (args[0] is the program name) and returns the process exit status.

#include <string>
#include <vector>

namespace healthdeck::app {

using Args = std::vector<std::string>;

int runServe(
    const Args& args); // app/serve.cpp: headless exporter (0 clean stop, 2 bad config/port)
int runConsole(const Args& args); // app/console.cpp: the Qt Widgets console
int runCheck(const Args& args);   // app/check.cpp: one health probe, Nagios exit codes 0/1/2/3
int runScrape(
    const Args& args); // app/scrape.cpp: parse one /metrics page (0 ok, 1 malformed, 2 usage/fetch)

int runFleet(const Args& args); // app/fleet.cpp: every target a Prometheus server scrapes (0/1/2/3)
int runHistory(const Args& args); // app/history.cpp: uptime and events from the history database
                                  // (0 ok, 2 usage error or missing/unreadable database)

} // namespace healthdeck::app
