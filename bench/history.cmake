# History database (never registered with CTest): bench_history measures the write cost of
# 1,000 servers polled every 5 s (share of one core, vs JSON lines in the same run), the
# database size per server per day, and the time to compute 30-day uptime for all of them.
# See docs/performance.md "History database".
add_executable(bench_history ${CMAKE_CURRENT_LIST_DIR}/history_bench.cpp)
target_link_libraries(bench_history PRIVATE healthdeck::client Qt6::Sql healthdeck_warnings)
