# HTTP Basic authentication against bcrypt (core/exporter/basic_auth): what the cache saves a
# scrape. Prints RATIO lines against the uncached bcrypt run measured in the same process.
add_executable(bench_basic_auth ${CMAKE_CURRENT_LIST_DIR}/basic_auth_bench.cpp
                                ${CMAKE_CURRENT_LIST_DIR}/metrics_bench_ratio.cpp)
target_link_libraries(bench_basic_auth PRIVATE healthdeck::core healthdeck_bench_headers
                      benchmark::benchmark healthdeck_warnings PkgConfig::LIBCRYPT)
