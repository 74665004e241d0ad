#pragma once
// Shared main for the metrics benchmarks: runs every benchmark through the console reporter,
// remembers each run's CPU time per call, then prints `RATIO name: x` lines comparing runs
// measured in this same process.

#include <functional>
#include <map>
#include <string>

namespace healthdeck::bench {

/// CPU time per call in nanoseconds, keyed by "<family>/threads:<n>" (family = the
/// benchmark name before its first '/'), e.g. "BM_CounterOurs/threads:1". Mean if repeated.
using Timings = std::map<std::string, double>;

/// Runs the benchmarks selected on the command line, then calls `summary` with the timings.
int runWithSummary(int argc, char** argv, const std::function<void(const Timings&)>& summary);

/// Prints `RATIO label: a/b = x` when both keys were measured (a filter may skip some).
void printRatio(const Timings& t, const std::string& label, const std::string& numerator,
                const std::string& denominator, double numeratorScale = 1.0);

} // namespace healthdeck::bench
