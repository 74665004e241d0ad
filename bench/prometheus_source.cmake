# Prometheus source at N targets (never registered with CTest): bench_prometheus_source starts
# `healthdeck serve` exporters and a real Prometheus scraping N file_sd targets, then times the
# source's refresh cycles (wall, CPU, GUI-thread lateness) against a 100-target baseline in the
# same Prometheus. See docs/performance.md "Prometheus source at 5,000 targets".
# `--console SECONDS` adds the real console with all N rows, so the bench needs the UI library.
healthdeck_console_bench(bench_prometheus_source ${CMAKE_CURRENT_LIST_DIR}/prometheus_source_load.cpp)
