# The exporter's RFC 9112 request-head screen (parseRequestHead) on any bytes, fed whole and
# in two pieces, plus the query-parameter decoder.
healthdeck_add_fuzzer(fuzz_exporter_request SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_exporter_request.cpp)
