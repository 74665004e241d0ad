# Exposition parser throughput: parser_bench (Google Benchmark: memchr split, cold and warm
# parse of node_exporter and a synthetic 10 MB page); bench/parser_compare.py runs it side
# by side with Python's prometheus_client and Go's expfmt and prints MB/s and ratios.
add_executable(parser_bench ${CMAKE_CURRENT_LIST_DIR}/parser_bench.cpp)
target_link_libraries(parser_bench PRIVATE healthdeck::client healthdeck_warnings benchmark::benchmark)
target_compile_definitions(parser_bench PRIVATE HEALTHDECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
