# Health from metrics: a selector (the first line) and a /metrics page (the rest) — the
# selector grammar of metric rules and the up-gauge/rule evaluation over any page.
healthdeck_add_fuzzer(fuzz_metric_health SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_metric_health.cpp)
