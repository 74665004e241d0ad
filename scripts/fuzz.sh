#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] — build every libFuzzer target with clang (address+undefined)
# and run each for SECONDS (default 30) from its seed corpus in fuzz/corpus/NAME.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
CC=clang CXX=clang++ scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHEALTHDECK_BUILD_FUZZ=ON -DHEALTHDECK_BUILD_TESTS=OFF -DHEALTHDECK_BUILD_BENCH=OFF \
  -DHEALTHDECK_BUILD_UI=OFF
shopt -s nullglob
targets=()
for t in build-fuzz/fuzz/fuzz_*; do
  [ -f "$t" ] && [ -x "$t" ] && targets+=("$t")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets built" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=$(basename "$t")
  corpus=$(mktemp -d)
  [ -d "fuzz/corpus/$name" ] && cp -r "fuzz/corpus/$name/." "$corpus/"
  echo "fuzz: $name for ${seconds}s"
  "$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 -close_fd_mask=3 "$corpus" 2>&1 | tail -n 3
  rm -rf "$corpus"
done
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
