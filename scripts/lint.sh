#!/usr/bin/env bash
# scripts/lint.sh BUILD_DIR — formatting and static analysis, as ./test runs them:
#   1. clang-format (the repository's .clang-format) over every tracked C++ file: fails on drift,
#      naming the files (fix with: scripts/lint.sh --fix);
#   2. clang-tidy with the repository's .clang-tidy (which sets no warnings-as-errors: findings
#      are reported, not fatal) over the library and executable sources (core/, client/, ui/,
#      app/) that the last commit changed — LINT_BASE=REV for everything since REV, LINT_ALL=1
#      for all of them — using BUILD_DIR's compile_commands.json.
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
base=${LINT_BASE:-HEAD~1}
if [ "${LINT_ALL:-0}" = 1 ] || ! git rev-parse -q --verify "$base" >/dev/null; then
  mapfile -t sources < <(git ls-files 'core/*.cpp' 'client/*.cpp' 'ui/*.cpp' 'app/*.cpp')
else
  mapfile -t sources < <(git diff --name-only --diff-filter=AM "$base" HEAD -- 'core/*.cpp' \
    'client/*.cpp' 'ui/*.cpp' 'app/*.cpp')
fi
log=$(mktemp)
# -quiet: only findings. Two files at a time (the machine's two cores).
set +e
[ ${#sources[@]} -gt 0 ] && printf '%s\n' "${sources[@]}" |
  xargs -P 2 -n 4 clang-tidy -p "$build" --quiet >"$log" 2>&1
set -e
findings=$(grep -E '^/[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$log" | sort -u || true)
rm -f "$log"
if [ -n "$findings" ]; then
  head -100 <<<"$findings" # (not `echo | head`: under pipefail a SIGPIPE'd echo fails the script)
  echo "clang-tidy: $(echo "$findings" | wc -l) findings in ${#sources[@]} files (reported; .clang-tidy makes none fatal)"
else
  echo "clang-tidy: ${#sources[@]} files, no findings"
fi
