# The probe routes' query string (?verbose, ?exclude=NAME), straight from the request line.
healthdeck_add_fuzzer(fuzz_probe_query SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_probe_query.cpp)
