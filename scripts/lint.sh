#!/usr/bin/env bash
# scripts/lint.sh BUILD_DIR — formatting and static analysis, as ./test runs them:
#   1. clang-format (the repository's .clang-format) over every tracked C++ file: fails on drift,
#      naming the files (fix with: scripts/lint.sh --fix);
#   2. clang-tidy (the repository's .clang-tidy, warnings are errors) over the sources of the
#      libraries and the executable (core/, client/, ui/, app/), using BUILD_DIR's
#      compile_commands.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fix" ]; then
  git ls-files '*.cpp' '*.h' | xargs clang-format -i
  exit 0
fi
build=${1:-build}

echo "== clang-format"
drift=$(git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run 2>&1 | grep -E '^[^ ]+: warning' |
  cut -d: -f1 | sort -u || true)
if [ -n "$drift" ]; then
  echo "clang-format: these files differ from .clang-format (run scripts/lint.sh --fix):"
  echo "$drift"
  exit 1
fi
echo "clang-format: $(git ls-files '*.cpp' '*.h' | wc -l) files clean"

echo "== clang-tidy"
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: $build/compile_commands.json missing"; exit 1; }
mapfile -t sources < <(git ls-files 'core/*.cpp' 'client/*.cpp' 'ui/*.cpp' 'app/*.cpp')
log=$(mktemp)
# -quiet: only findings. Two files at a time (the machine's two cores).
set +e
printf '%s\n' "${sources[@]}" | xargs -P 2 -n 4 clang-tidy -p "$build" --quiet \
  --warnings-as-errors='*' >"$log" 2>&1
rc=$?
set -e
grep -E 'warning:|error:' "$log" | sort -u | head -50 || true
rm -f "$log"
if [ $rc -ne 0 ]; then
  echo "clang-tidy: findings above"
  exit 1
fi
echo "clang-tidy: ${#sources[@]} files clean"
