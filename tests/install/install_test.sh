#!/usr/bin/env bash
# install_test.sh STEP — healthdeck::core installed and used the way a service uses it.
#   prefix        cmake --install --component dev into a scratch prefix (the fixture): the
#                 expected files are there (headers, .a, .so with its SONAME, CMake package,
#                 healthdeck.pc) and nothing of the console (client/, ui/, the binary)
#   headers       every installed header compiles on its own with only the prefix and the
#                 packages healthdeck.pc names on the include path
#   cmake_shared  tests/install/consumer via find_package(healthdeck CONFIG), shared library:
#                 prints `consumer_events_total 1` (and an OpenMetrics page ending `# EOF`)
#   cmake_static  the same with -DHEALTHDECK_STATIC=ON: no libhealthdeck_core.so loaded
#   pkgconfig     the consumer built with `pkg-config --cflags --libs healthdeck`, and with
#                 `pkg-config --static` against the archive
#   example       examples/embedded-service built against the prefix, driven over HTTP, its
#                 /metrics judged by `promtool check metrics` and asserted family by family,
#                 the health routes, OpenMetrics negotiation, SIGTERM exit 0
# Environment (tests/install/CMakeLists.txt): HEALTHDECK_SOURCE_DIR, HEALTHDECK_BUILD_DIR,
# HEALTHDECK_WORK, HEALTHDECK_VERSION, HEALTHDECK_CONSUMER_FLAGS, CMAKE_COMMAND, CXX.
set -euo pipefail

step=$1
src=${HEALTHDECK_SOURCE_DIR:?}
build=${HEALTHDECK_BUILD_DIR:?}
work=${HEALTHDECK_WORK:?}
version=${HEALTHDECK_VERSION:?}
cmake_cmd=${CMAKE_COMMAND:-cmake}
cxx=${CXX:-c++}
flags=${HEALTHDECK_CONSUMER_FLAGS:-}
prefix=$work/prefix

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

needs_prefix() {
  [ -f "$work/libdir" ] || fail "no install at $prefix (the install_prefix fixture failed)"
  libdir=$(cat "$work/libdir")
  export PKG_CONFIG_PATH=$libdir/pkgconfig
}

# configure_and_build SOURCE BUILD [cmake -D...]: only the prefix and the system are searched.
configure_and_build() {
  local source=$1 out=$2
  shift 2
  rm -rf "$out"
  "$cmake_cmd" -S "$source" -B "$out" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" "$@" >"$out.log" 2>&1 ||
    { cat "$out.log" >&2; fail "configuring $source against $prefix failed"; }
  "$cmake_cmd" --build "$out" -j 2 >>"$out.log" 2>&1 ||
    { cat "$out.log" >&2; fail "building $source against $prefix failed"; }
}

# shared_deps EXE: ldd's list, read whole. (`ldd | grep -q` under pipefail fails at random:
# grep stops at the first match and ldd dies of SIGPIPE on its next line.)
shared_deps() { ldd "$1" 2>&1 || true; }

check_consumer_output() { # FILE: the 0.0.4 page the consumer printed
  grep -qx 'consumer_events_total 1' "$1" || { cat "$1" >&2; fail "no 'consumer_events_total 1' line"; }
  grep -qx '# TYPE consumer_events_total counter' "$1" || fail "no TYPE line for consumer_events_total"
}

check_consumer_openmetrics() { # FILE: the OpenMetrics page
  grep -qx '# TYPE consumer_events counter' "$1" || { cat "$1" >&2; fail "OpenMetrics: no '# TYPE consumer_events counter'"; }
  grep -qx 'consumer_events_total 1' "$1" || fail "OpenMetrics: no 'consumer_events_total 1'"
  grep -Eq '^consumer_events_created [0-9]+\.[0-9]{3}$' "$1" || fail "OpenMetrics: no consumer_events_created"
  [ "$(tail -n1 "$1")" = '# EOF' ] || fail "OpenMetrics page does not end with # EOF"
}

case $step in
prefix)
  rm -rf "$work"
  mkdir -p "$work"
  "$cmake_cmd" --install "$build" --prefix "$prefix" --component dev >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install failed"; }
  pc=$(find "$prefix" -name healthdeck.pc)
  [ -n "$pc" ] || fail "no healthdeck.pc installed"
  libdir=$(dirname "$(dirname "$pc")")
  echo "$libdir" >"$work/libdir"
  for f in include/healthdeck/metrics/registry.h include/healthdeck/metrics/instruments.h \
    include/healthdeck/exporter/monitoring_module.h include/healthdeck/health/health_manager.h \
    include/healthdeck/checks/check_factory.h include/healthdeck/config/monitoring_config.h; do
    [ -f "$prefix/$f" ] || fail "missing $f"
  done
  [ -f "$libdir/libhealthdeck_core.a" ] || fail "missing libhealthdeck_core.a"
  [ -f "$libdir/libhealthdeck_core.so.$version" ] || fail "missing libhealthdeck_core.so.$version"
  [ -L "$libdir/libhealthdeck_core.so" ] || fail "missing the libhealthdeck_core.so link"
  soname=$(readelf -d "$libdir/libhealthdeck_core.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  [ "$soname" = "libhealthdeck_core.so.${version%.*}" ] || fail "SONAME is '$soname'"
  [ -L "$libdir/$soname" ] || fail "missing the $soname link"
  for f in healthdeckConfig.cmake healthdeckConfigVersion.cmake healthdeckSharedTargets.cmake \
    healthdeckStaticTargets.cmake; do
    [ -f "$libdir/cmake/healthdeck/$f" ] || fail "missing cmake/healthdeck/$f"
  done
  # Nothing of the console, no sources, no build-tree paths.
  stray=$(cd "$prefix" && find . \( -type f -o -type l \) | grep -Ev '^\./include/healthdeck/(metrics|health|checks|exporter|config|util)/[a-z0-9_]+\.h$' |
    grep -Ev "^\./${libdir#"$prefix"/}/(libhealthdeck_core\.(a|so(\.[0-9.]+)?)|cmake/healthdeck/healthdeck[A-Za-z-]*\.cmake|pkgconfig/healthdeck\.pc)$" || true)
  [ -z "$stray" ] || fail "unexpected files installed:"$'\n'"$stray"
  if grep -rlF "$src" "$prefix/include" "$libdir/cmake" "$libdir/pkgconfig" >/dev/null; then
    fail "installed files name the source tree: $(grep -rlF "$src" "$prefix/include" "$libdir/cmake" "$libdir/pkgconfig")"
  fi
  if grep -rlF "$build" "$libdir/cmake" "$libdir/pkgconfig" >/dev/null; then
    fail "installed files name the build tree"
  fi
  echo "installed $(cd "$prefix" && find . -type f | wc -l) files into $prefix"
  ;;

headers)
  needs_prefix
  cflags=$(pkg-config --cflags healthdeck) || fail "pkg-config --cflags healthdeck failed"
  : >"$work/headers.log"
  failed=0
  while IFS= read -r h; do
    rel=${h#"$prefix/include/"}
    if ! printf '#include <%s>\n#include <%s>\n' "$rel" "$rel" |
      "$cxx" -std=c++20 -fsyntax-only $cflags -x c++ - >>"$work/headers.log" 2>&1; then
      echo "header does not compile on its own: $rel" >&2
      failed=1
    fi
  done < <(find "$prefix/include" -name '*.h' | sort)
  [ $failed -eq 0 ] || { cat "$work/headers.log" >&2; fail "installed headers are not self-contained"; }
  echo "headers ok: $(find "$prefix/include" -name '*.h' | wc -l) headers"
  ;;

cmake_shared)
  needs_prefix
  configure_and_build "$src/tests/install/consumer" "$work/consumer-shared"
  exe=$work/consumer-shared/consumer
  "$exe" >"$work/consumer-shared.txt" || fail "consumer exited $?"
  check_consumer_output "$work/consumer-shared.txt"
  "$exe" openmetrics >"$work/consumer-shared.om" || fail "consumer openmetrics exited $?"
  check_consumer_openmetrics "$work/consumer-shared.om"
  deps=$(shared_deps "$exe")
  grep -q "=> $libdir/libhealthdeck_core.so" <<<"$deps" ||
    { echo "$deps" >&2; fail "the consumer does not load libhealthdeck_core.so from the prefix"; }
  echo "cmake consumer (shared) ok"
  ;;

cmake_static)
  needs_prefix
  configure_and_build "$src/tests/install/consumer" "$work/consumer-static" -DHEALTHDECK_STATIC=ON
  exe=$work/consumer-static/consumer
  "$exe" >"$work/consumer-static.txt" || fail "consumer exited $?"
  check_consumer_output "$work/consumer-static.txt"
  if grep -q libhealthdeck_core <<<"$(shared_deps "$exe")"; then fail "static consumer loads libhealthdeck_core.so"; fi
  echo "cmake consumer (static) ok"
  ;;

pkgconfig)
  needs_prefix
  pkg-config --exists --print-errors healthdeck || fail "pkg-config cannot resolve healthdeck"
  [ "$(pkg-config --modversion healthdeck)" = "$version" ] || fail "healthdeck.pc version"
  out=$work/consumer-pc
  # shellcheck disable=SC2046
  "$cxx" -std=c++20 $flags "$src/tests/install/consumer/consumer.cpp" -o "$out" \
    $(pkg-config --cflags --libs healthdeck) -Wl,-rpath,"$libdir" 2>"$out.log" ||
    { cat "$out.log" >&2; fail "building the consumer with pkg-config failed"; }
  "$out" >"$out.txt" || fail "pkg-config consumer exited $?"
  check_consumer_output "$out.txt"
  deps=$(shared_deps "$out")
  grep -q "=> $libdir/libhealthdeck_core.so" <<<"$deps" ||
    { echo "$deps" >&2; fail "pkg-config consumer does not use the shared library"; }
  # Static: the archive by file name, everything else pkg-config --static names.
  libs=$(pkg-config --static --libs healthdeck | sed 's/-lhealthdeck_core\b/-l:libhealthdeck_core.a/')
  # shellcheck disable=SC2086
  "$cxx" -std=c++20 $flags "$src/tests/install/consumer/consumer.cpp" -o "$out-static" \
    $(pkg-config --cflags healthdeck) $libs 2>"$out-static.log" ||
    { cat "$out-static.log" >&2; fail "building the consumer with pkg-config --static failed"; }
  "$out-static" >"$out-static.txt" || fail "static pkg-config consumer exited $?"
  check_consumer_output "$out-static.txt"
  if grep -q libhealthdeck_core <<<"$(shared_deps "$out-static")"; then fail "static pkg-config consumer loads the .so"; fi
  echo "pkg-config consumers ok"
  ;;

example)
  needs_prefix
  configure_and_build "$src/examples/embedded-service" "$work/example"
  exe=$work/example/embedded_service
  data=$work/example-data
  rm -rf "$data"
  mkdir -p "$data"
  token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$token" >"$work/token"
  chmod 600 "$work/token"
  # The API binds port 0 (the service prints what it got); monitoring.listen wants a real port.
  monitoring_port=$(python3 "$(dirname "${BASH_SOURCE[0]}")/../support/free_port.py")
  "$exe" --token-file "$work/token" --data "$data" --listen 127.0.0.1:0 \
    --monitoring "127.0.0.1:$monitoring_port" \
    >"$work/example.out" 2>"$work/example.err" &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 200); do
    grep -q '^api=' "$work/example.out" && break
    kill -0 $pid 2>/dev/null || { cat "$work/example.err" >&2; fail "embedded_service exited at start"; }
    sleep 0.1
  done
  line=$(grep '^api=' "$work/example.out") || fail "embedded_service printed no addresses"
  api=$(sed 's/^api=\([^ ]*\) .*/\1/' <<<"$line")
  metrics=$(sed 's/.* metrics=//' <<<"$line")
  base=${metrics%/metrics}
  echo "api $api, monitoring $base"

  code() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
  [ "$(code -X POST -H 'Authorization: Bearer wrong' "$api/api/login")" = 401 ] || fail "wrong token not 401"
  [ "$(code -X POST -H "Authorization: Bearer $token" "$api/api/login")" = 200 ] || fail "login not 200"
  session=$(sed 's/.*"session":"\([0-9a-f]*\)".*/\1/' "$work/body")
  auth=(-H "Authorization: Bearer $session")
  [ "$(code "${auth[@]}" "$api/api/items/alpha")" = 404 ] || fail "missing item not 404"
  [ "$(code -X POST "${auth[@]}" "$api/api/items/alpha")" = 200 ] || fail "storing an item not 200"
  [ "$(code "${auth[@]}" "$api/api/items/alpha")" = 200 ] || fail "stored item not 200"
  [ "$(code "$api/api/items/alpha")" = 403 ] || fail "item without a session not 403"
  [ "$(code "$api/api/connect/ssh")" = 200 ] || fail "ssh launch not 200"
  [ "$(code "$api/api/connect/gopher")" = 404 ] || fail "unknown protocol not 404"
  [ "$(code "$api/nothing/here")" = 404 ] || fail "unknown route not 404"
  # A realtime subscriber for a second: it receives broadcasts, then goes away.
  curl -s --max-time 1 "$api/api/events" >"$work/events.txt" || true
  grep -q '^data: tick ' "$work/events.txt" || fail "the event stream sent nothing"
  [ "$(code -X POST "$api/api/logout/$session")" = 200 ] || fail "logout not 200"
  sleep 1.5 # the session purge job runs every second

  [ "$(code -D "$work/metrics.headers" "$metrics")" = 200 ] || fail "/metrics not 200"
  cp "$work/body" "$work/metrics.txt"
  grep -qi '^content-type: text/plain; version=0.0.4' "$work/metrics.headers" || fail "/metrics content type"
  lint=$(promtool check metrics <"$work/metrics.txt" 2>&1) || fail "promtool check metrics failed: $lint"
  [ -z "$lint" ] || fail "promtool check metrics: $lint"
  page=$work/metrics.txt
  sample() { # NAME{LABELS} → its value, or fail
    local v
    v=$(awk -v s="$1" 'substr($0, 1, length(s) + 1) == s " " { print $2; exit }' "$page")
    [ -n "$v" ] || fail "no sample $1 in /metrics"
    echo "$v"
  }
  expect() { # NAME{LABELS} VALUE
    local v
    v=$(sample "$1")
    [ "$v" = "$2" ] || fail "$1 is $v, expected $2"
  }
  at_least() { # NAME{LABELS} MIN
    local v
    v=$(sample "$1")
    awk -v v="$v" -v m="$2" 'BEGIN { exit !(v + 0 >= m + 0) }' || fail "$1 is $v, expected >= $2"
  }
  expect 'embedded_auth_attempts_total{result="success"}' 1
  expect 'embedded_auth_attempts_total{result="failure"}' 1
  expect 'embedded_permission_checks_total{result="granted"}' 3
  expect 'embedded_permission_checks_total{result="denied"}' 1
  expect 'embedded_sessions_active' 0
  expect 'embedded_session_duration_seconds_count' 1
  expect 'embedded_http_request_duration_seconds_count{method="POST",route="/api/login",status="401"}' 1
  expect 'embedded_http_request_duration_seconds_count{method="GET",route="/api/items/{id}",status="404"}' 1
  expect 'embedded_http_request_duration_seconds_count{method="GET",route="/api/items/{id}",status="200"}' 1
  expect 'embedded_http_request_duration_seconds_count{method="OTHER",route="unmatched",status="404"}' 1
  expect 'embedded_vault_operations_total{operation="read",result="not_found"}' 1
  expect 'embedded_vault_operations_total{operation="read",result="success"}' 1
  expect 'embedded_vault_operations_total{operation="write",result="success"}' 1
  expect 'embedded_vault_operation_duration_seconds_count{operation="read"}' 2
  expect 'embedded_realtime_subscriptions_total{stream="events",action="subscribe"}' 1
  expect 'embedded_realtime_subscriptions_total{stream="events",action="unsubscribe"}' 1
  expect 'embedded_realtime_connections_active' 0
  at_least 'embedded_realtime_broadcasts_total{stream="events"}' 1
  sample 'embedded_realtime_send_failures_total{stream="events"}' >/dev/null
  sample 'embedded_realtime_queue_dropped_total{stream="events"}' >/dev/null
  sample 'embedded_realtime_queue_depth' >/dev/null
  at_least 'embedded_maintenance_job_runs_total{job="session_purge",result="success"}' 2
  at_least 'embedded_maintenance_job_last_success_timestamp_seconds{job="session_purge"}' 1700000000
  sample 'embedded_maintenance_job_duration_seconds_count{job="session_purge"}' >/dev/null
  expect 'embedded_connection_launches_total{protocol="ssh",result="success"}' 1
  expect 'embedded_connection_launches_total{protocol="rdp",result="success"}' 0
  at_least 'process_cpu_seconds_total' 0
  for c in item_store session_purge realtime_queue; do
    grep -q "^embedded_health_check_status{component=\"$c\"" "$page" || fail "no health_check_status for $c"
  done

  [ "$(code "$base/health/ready")" = 200 ] || { cat "$work/body" >&2; fail "/health/ready not 200"; }
  for c in item_store session_purge realtime_queue; do
    grep -q "\"$c\"" "$work/body" || fail "/health/ready does not report $c"
  done
  [ "$(code "$base/health/live")" = 200 ] || fail "/health/live not 200"

  # OpenMetrics when asked for it (Prometheus' own Accept header), 0.0.4 otherwise.
  prom_accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
  [ "$(code -D "$work/om.headers" -H "Accept: $prom_accept" "$metrics")" = 200 ] || fail "OpenMetrics scrape not 200"
  grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$work/om.headers" ||
    fail "OpenMetrics content type: $(grep -i content-type "$work/om.headers")"
  om=$work/body
  [ "$(tail -n1 "$om")" = '# EOF' ] || fail "OpenMetrics page does not end with # EOF"
  grep -qx '# TYPE embedded_auth_attempts counter' "$om" || fail "OpenMetrics counter family name"
  grep -qx 'embedded_auth_attempts_total{result="success"} 1' "$om" || fail "OpenMetrics counter sample"
  grep -Eq '^embedded_auth_attempts_created\{result="success"\} [0-9.]+$' "$om" || fail "OpenMetrics _created"
  grep -qx '# UNIT embedded_http_request_duration_seconds seconds' "$om" || fail "OpenMetrics UNIT"
  [ "$(code -H 'Accept: */*' "$metrics")" = 200 ] && ! grep -q '^# EOF' "$work/body" || fail "*/* did not get text 0.0.4"

  kill -TERM $pid
  rc=0
  wait $pid || rc=$?
  trap - EXIT
  [ $rc -eq 0 ] || { cat "$work/example.err" >&2; fail "embedded_service exited $rc on SIGTERM"; }
  echo "embedded service ok"
  ;;

*)
  fail "unknown step $step"
  ;;
esac
