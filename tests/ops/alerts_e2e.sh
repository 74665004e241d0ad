#!/usr/bin/env bash
# End to end: a real `healthdeck serve` whose readiness check cannot reach its dependency, a
# real Prometheus scraping it every second with the shipped alert rules (their `for:`
# shortened to 0s, nothing else changed). HealthdeckReadinessDown must fire for that
# component, proving the rules match the labels the exporter really writes; the alerts of a
# healthy exporter (HealthdeckExporterDown, HealthdeckLivenessDown) must not.
# Environment: HEALTHDECK_SOURCE_DIR, HEALTHDECK_ARTIFACTS, HEALTHDECK_BINARY.
set -euo pipefail
src=${HEALTHDECK_SOURCE_DIR:?}
bin=${HEALTHDECK_BINARY:?}
work=${HEALTHDECK_ARTIFACTS:?}/ops-alerts-e2e
rm -rf "$work"
mkdir -p "$work/tsdb"

fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.log; do
    echo "--- $f" >&2
    tail -n 30 "$f" >&2
  done
  exit 1
}
free_port() {
  python3 "$src/tests/support/free_port.py"
}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

exporter_port=$(free_port)
prometheus_port=$(free_port)
closed_port=$(free_port) # nothing listens there: the tcp check is refused

cat >"$work/monitoring.yaml" <<YAML
monitoring:
  listen: 127.0.0.1:$exporter_port
  checks:
    - {name: upstream, type: tcp, address: "127.0.0.1:$closed_port", probe: readiness, critical: true}
YAML
sed -E 's/^( *)for: .*/\1for: 0s/' "$src/docs/alerts/healthdeck.rules.yml" >"$work/healthdeck.rules.yml"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [healthdeck.rules.yml]
scrape_configs:
  - job_name: healthdeck
    static_configs:
      - targets: ["127.0.0.1:$exporter_port"]
YAML

"$bin" serve --config "$work/monitoring.yaml" >"$work/serve.log" 2>&1 &
pids+=($!)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

api="http://127.0.0.1:$prometheus_port/api/v1"
summary=""
for _ in $(seq 120); do
  sleep 0.5
  curl -sf "$api/alerts" >"$work/alerts.json" 2>/dev/null || continue
  summary=$(python3 - "$work/alerts.json" <<'PY'
import json, sys
alerts = json.load(open(sys.argv[1]))["data"]["alerts"]
print(" ".join(sorted("%s/%s/%s" % (a["labels"]["alertname"], a["labels"].get("component", "-"), a["state"]) for a in alerts)))
PY
)
  [[ " $summary " == *" HealthdeckReadinessDown/upstream/firing "* ]] && break
done
echo "alerts: $summary"
[[ " $summary " == *" HealthdeckReadinessDown/upstream/firing "* ]] ||
  fail "HealthdeckReadinessDown did not fire for component upstream within 60 s"
[[ " $summary " != *" HealthdeckExporterDown/"* ]] || fail "HealthdeckExporterDown fired for a scraped exporter"
[[ " $summary " != *" HealthdeckLivenessDown/"* ]] || fail "HealthdeckLivenessDown fired for a live exporter"
[[ " $summary " != *" HealthdeckExporterAbsent/"* ]] || fail "HealthdeckExporterAbsent fired although the target exists"

# Every rule loaded and evaluated without error against the real series.
curl -sf "$api/rules" >"$work/rules.json" || fail "cannot read $api/rules"
python3 - "$work/rules.json" <<'PY' || fail "a rule failed to evaluate"
import json, sys
groups = json.load(open(sys.argv[1]))["data"]["groups"]
rules = [r for g in groups for r in g["rules"]]
assert len(rules) == 8, len(rules)
bad = [(r["name"], r.get("lastError")) for r in rules if r.get("health") != "ok"]
assert not bad, bad
PY
echo "ok"
