# OpenMetrics negotiation and output: any bytes as an Accept header, and as a HELP text and
# label value written as OpenMetrics and read back by the console's parser.
healthdeck_add_fuzzer(fuzz_openmetrics SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_openmetrics.cpp)
