# The exposition parser: any bytes, parsed twice into one table (the second pass takes the
# interning fast path), then gunzip on the same bytes.
healthdeck_add_fuzzer(fuzz_exposition SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_exposition.cpp)
