# Monitoring configuration loader: YAML written by operators, read at every start.
healthdeck_add_fuzzer(fuzz_config SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_config.cpp)
