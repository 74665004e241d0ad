# The exporter-toolkit web configuration file (operators copy it from node_exporter setups).
healthdeck_add_fuzzer(fuzz_web_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_web_config.cpp)
