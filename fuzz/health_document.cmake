# Health document parser: every dialect the console reads from servers it does not control.
healthdeck_add_fuzzer(fuzz_health_document SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_health_document.cpp)
