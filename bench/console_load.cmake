# Console at N targets (never registered with CTest): bench_console_load starts `healthdeck
# serve` exporters, then runs the real console (ConsoleSession, offscreen) twice in child
# processes of itself — with 0 servers (idle baseline) and with N servers polled every few
# seconds — and prints CPU, RSS, event-loop lateness and poll rates with ratios. See
# docs/performance.md "Console at 200 targets".
healthdeck_console_bench(bench_console_load ${CMAKE_CURRENT_LIST_DIR}/console_load.cpp)
