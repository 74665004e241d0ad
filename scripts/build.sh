#!/usr/bin/env bash
# scripts/build.sh DIR [cmake -D options...] — configure (once) and build into DIR.
# HEALTHDECK_TARGET=name builds only that target (./run builds just the executable).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
launcher=()
# Let clones of the tree in other folders share cache entries (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
else
  cmake -S . -B "$dir" "$@" >/dev/null
fi
if [ -n "${HEALTHDECK_TARGET:-}" ]; then
  cmake --build "$dir" -j "$(nproc)" --target "$HEALTHDECK_TARGET"
else
  cmake --build "$dir" -j "$(nproc)"
fi
