#!/usr/bin/env bash
# Scrape throughput side by side on loopback with wrk (keep-alive):
#   our Exporter (bench_scrape_server) vs prometheus-cpp's Exposer (bench_exposer_peer) vs
#   Debian's prometheus-node-exporter, plus cached readiness under load; then the 10k page over
#   TLS (keep-alive, and a new connection per request with session resumption via
#   `openssl s_time -reuse`), and the engine comparison with libmicrohttpd
#   (bench_scrape_mhd_peer, when built) on the same page, plain and TLS.
# Usage: bench/scrape.sh [BUILD_DIR] [SECONDS]     (default: build, 5)
# Prints figures and RATIO lines; never run by ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-5}
server=$build/bench/bench_scrape_server
peer=$build/bench/bench_exposer_peer
for b in "$server" "$peer"; do
  [ -x "$b" ] || { echo "missing $b: cmake --build $build --target bench_scrape_server bench_exposer_peer" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk not installed (scripts/deps.sh)" >&2; exit 2; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
start() { "$@" >/dev/null 2>&1 & pids+=($!); }
# wrk_run URL → "REQ_PER_SEC P99_MS"
wrk_run() {
  local out rps p99
  out=$(wrk -t1 -c4 -d"${secs}s" --latency "$1")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  echo "$rps $p99"
}
sample() { curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1==n {print $2}'; }
size() { curl -s "http://127.0.0.1:$1$2" | wc -c; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

run_pair() { # SERIES LABEL
  local n=$1 label=$2 ours theirs
  ours=$(free_port); start "$server" "$ours" "$n"; wait_port "$ours"
  theirs=$(free_port); start "$peer" "$theirs" "$n"; wait_port "$theirs"
  curl -s -o /dev/null "http://127.0.0.1:$ours/metrics"; curl -s -o /dev/null "http://127.0.0.1:$theirs/metrics"
  local sum0 cnt0 sum1 cnt1
  sum0=$(sample "$ours" exporter_scrape_duration_seconds_sum); cnt0=$(sample "$ours" exporter_scrape_duration_seconds_count)
  read -r our_rps our_p99 < <(wrk_run "http://127.0.0.1:$ours/metrics")
  sum1=$(sample "$ours" exporter_scrape_duration_seconds_sum); cnt1=$(sample "$ours" exporter_scrape_duration_seconds_count)
  read -r peer_rps peer_p99 < <(wrk_run "http://127.0.0.1:$theirs/metrics")
  # Server time without contention: one connection, so wrk and other scrapes do not share
  # the cores with the one being timed.
  local s2 c2 s3 c3 solo_ms
  s2=$(sample "$ours" exporter_scrape_duration_seconds_sum); c2=$(sample "$ours" exporter_scrape_duration_seconds_count)
  wrk -t1 -c1 -d2s "http://127.0.0.1:$ours/metrics" >/dev/null
  s3=$(sample "$ours" exporter_scrape_duration_seconds_sum); c3=$(sample "$ours" exporter_scrape_duration_seconds_count)
  solo_ms=$(awk -v s0="$s2" -v s1="$s3" -v c0="$c2" -v c1="$c3" 'BEGIN { printf "%.3f", (c1 > c0 ? (s1 - s0) / (c1 - c0) * 1000 : 0) }')
  local server_ms
  server_ms=$(awk -v s0="$sum0" -v s1="$sum1" -v c0="$cnt0" -v c1="$cnt1" 'BEGIN { printf "%.3f", (c1 > c0 ? (s1 - s0) / (c1 - c0) * 1000 : 0) }')
  printf '%-18s page %7s B  healthdeck %8.0f req/s p99 %6.2f ms (server %s ms/scrape at c4, %s at c1) | Exposer %7.0f req/s p99 %7.2f ms (page %s B)\n' \
    "$label" "$(size "$ours" /metrics)" "$our_rps" "$our_p99" "$server_ms" "$solo_ms" "$peer_rps" "$peer_p99" "$(size "$theirs" /metrics)"
  echo "RATIO $label healthdeck/Exposer req/s: $(ratio "$our_rps" "$peer_rps")  p99 Exposer/healthdeck: $(ratio "$peer_p99" "$our_p99")"
  LAST_OUR_RPS=$our_rps LAST_OUR_P99=$our_p99 peer_rps=$peer_rps
}

echo "== wrk -t1 -c4 -d${secs}s --latency, keep-alive, loopback, $(nproc) cores"
run_pair 10000 "10k series"
TENK_OUR_RPS=$LAST_OUR_RPS TENK_EXPOSER_RPS=$peer_rps
run_pair 800 "~57 KB page"

if command -v prometheus-node-exporter >/dev/null; then
  ne=$(free_port)
  start prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" --log.level=error
  wait_port "$ne"
  curl -s -o /dev/null "http://127.0.0.1:$ne/metrics"
  read -r ne_rps ne_p99 < <(wrk_run "http://127.0.0.1:$ne/metrics")
  printf '%-18s page %7s B  node_exporter %8.0f req/s p99 %6.2f ms\n' "node_exporter" "$(size "$ne" /metrics)" "$ne_rps" "$ne_p99"
  echo "RATIO ~57 KB page healthdeck/node_exporter req/s: $(ratio "$LAST_OUR_RPS" "$ne_rps")  p99 node_exporter/healthdeck: $(ratio "$ne_p99" "$LAST_OUR_P99")"
fi

# Cached readiness: a 1 s TTL must turn the flood into at most one dependency call per second.
rp=$(free_port); start "$server" "$rp" 100 1000; wait_port "$rp"
calls0=$(sample "$rp" bench_dependency_calls_total)
start_ns=$(date +%s%N)
read -r ready_rps ready_p99 < <(wrk_run "http://127.0.0.1:$rp/health/ready")
elapsed=$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
calls1=$(sample "$rp" bench_dependency_calls_total)
calls=$(awk -v a="$calls0" -v b="$calls1" 'BEGIN { print b - a }')
printf '%-18s healthdeck %8.0f req/s p99 %6.2f ms; dependency calls %s in %s s (TTL 1 s)\n' "cached readiness" "$ready_rps" "$ready_p99" "$calls" "$elapsed"
echo "RATIO readiness req/s / 20000 goal: $(ratio "$ready_rps" 20000)  dependency calls per TTL: $(ratio "$calls" "$elapsed")"

# TLS (OpenSSL 3 through Asio) on the 10k page. prometheus-cpp's Exposer cannot serve TLS on
# Debian 12 (its civetweb 1.15 needs an OpenSSL 1.1 symbol), so the baseline stays its plain
# HTTP figure from above.
tlsdir=$(mktemp -d)
trap 'cleanup; rm -rf "$tlsdir"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tlsdir/key.pem" \
  -out "$tlsdir/cert.pem" -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
wait_tls() { for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
wrk_tls() { # URL → "REQ_PER_SEC P99_MS"
  local out
  out=$(wrk -t1 -c4 -d"${secs}s" --latency "$1")
  awk '/^Requests\/sec:/ {r=$2} $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; p=v} END {print r, p}' <<<"$out"
}
# Connections per second (wall clock) with a full handshake (-new) and with session
# resumption (-reuse), each connection fetching the whole page once over HTTP/1.0.
s_time_rate() { # PORT MODE → connections/s
  openssl s_time -connect "127.0.0.1:$1" -www /metrics "$2" -time "$secs" 2>/dev/null |
    awk '/real seconds/ {printf "%.1f", ($4 > 0 ? $1 / $4 : 0); exit}'
}
tp=$(free_port); start "$server" "$tp" 10000 1000 "$tlsdir/cert.pem" "$tlsdir/key.pem"; wait_tls "$tp"
read -r tls_rps tls_p99 < <(wrk_tls "https://127.0.0.1:$tp/metrics")
tls_new=$(s_time_rate "$tp" -new); tls_reuse=$(s_time_rate "$tp" -reuse)
printf '%-18s healthdeck TLS keep-alive %8.0f req/s p99 %6.2f ms; new connection per request: full handshake %s conn/s, resumed %s conn/s\n' \
  "10k series TLS" "$tls_rps" "$tls_p99" "${tls_new:-?}" "${tls_reuse:-?}"
echo "RATIO 10k series TLS healthdeck/Exposer(plain) req/s: $(ratio "$tls_rps" "$TENK_EXPOSER_RPS")  resumed/full handshake conn/s: $(ratio "${tls_reuse:-0}" "${tls_new:-0}")"

mhd=$build/bench/bench_scrape_mhd_peer
if [ -x "$mhd" ]; then
  mp=$(free_port); start "$mhd" "$mp" 10000; wait_port "$mp"
  read -r mhd_rps mhd_p99 < <(wrk_run "http://127.0.0.1:$mp/metrics")
  mtp=$(free_port); start "$mhd" "$mtp" 10000 "$tlsdir/cert.pem" "$tlsdir/key.pem"; wait_tls "$mtp"
  read -r mhd_tls_rps mhd_tls_p99 < <(wrk_tls "https://127.0.0.1:$mtp/metrics")
  # Ours again in the same minute, so the comparison shares the machine's state.
  op=$(free_port); start "$server" "$op" 10000; wait_port "$op"
  read -r asio_rps asio_p99 < <(wrk_run "http://127.0.0.1:$op/metrics")
  printf '%-18s engines, same page: Asio %8.0f req/s p99 %6.2f ms | libmicrohttpd %8.0f req/s p99 %6.2f ms | TLS: Asio %8.0f | libmicrohttpd+GnuTLS %8.0f req/s p99 %6.2f ms\n' \
    "10k engine choice" "$asio_rps" "$asio_p99" "$mhd_rps" "$mhd_p99" "$tls_rps" "$mhd_tls_rps" "$mhd_tls_p99"
  echo "RATIO engines Asio/libmicrohttpd req/s plain: $(ratio "$asio_rps" "$mhd_rps")  TLS: $(ratio "$tls_rps" "$mhd_tls_rps")"
fi
