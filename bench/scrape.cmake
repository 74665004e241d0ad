# Scrape throughput (never registered with CTest): bench/scrape.sh drives wrk against our
# Exporter (bench_scrape_server), prometheus-cpp's Exposer (bench_exposer_peer) and Debian's
# prometheus-node-exporter side by side and prints ratios. See docs/performance.md
# "Exporter scrape throughput".
find_package(prometheus-cpp CONFIG REQUIRED COMPONENTS pull)
add_executable(bench_scrape_server ${CMAKE_CURRENT_LIST_DIR}/scrape_server.cpp)
target_link_libraries(bench_scrape_server PRIVATE healthdeck::core healthdeck_bench_headers healthdeck_warnings)
add_executable(bench_exposer_peer ${CMAKE_CURRENT_LIST_DIR}/exposer_peer.cpp)
target_link_libraries(bench_exposer_peer PRIVATE prometheus-cpp::pull healthdeck_warnings)
target_link_libraries(bench_exposer_peer PRIVATE healthdeck_bench_headers)
# The engine comparison (docs/exporter.md): the same page through libmicrohttpd, when present.
find_package(PkgConfig)
if(PkgConfig_FOUND)
  pkg_check_modules(MICROHTTPD IMPORTED_TARGET libmicrohttpd)
endif()
if(MICROHTTPD_FOUND)
  add_executable(bench_scrape_mhd_peer ${CMAKE_CURRENT_LIST_DIR}/scrape_mhd_peer.cpp)
  target_link_libraries(bench_scrape_mhd_peer PRIVATE healthdeck::core healthdeck_bench_headers
                        healthdeck_warnings PkgConfig::MICROHTTPD)
endif()
