# Prometheus HTTP API answers (targets, vectors, matrices, alerts) and the label filter.
healthdeck_add_fuzzer(fuzz_prometheus_api SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_prometheus_api.cpp)
