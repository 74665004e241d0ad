# The exporter's request-header parsers: Accept-Encoding / Accept q-values, Authorization
# bearer and basic credential extraction, Connection options and the constant-time comparison, on any bytes.
healthdeck_add_fuzzer(fuzz_exporter_headers SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_exporter_headers.cpp)
