# Metrics core benchmarks (never registered with CTest); each prints RATIO lines against a
# baseline measured in the same run. See docs/performance.md "Instruments and serialisation".
foreach(_bench IN ITEMS instruments serialize)
  add_executable(bench_${_bench} ${CMAKE_CURRENT_LIST_DIR}/metrics_bench_${_bench}.cpp
                                 ${CMAKE_CURRENT_LIST_DIR}/metrics_bench_ratio.cpp)
  target_link_libraries(bench_${_bench} PRIVATE healthdeck::core healthdeck_bench_headers benchmark::benchmark
                        healthdeck_warnings)
endforeach()
