#!/usr/bin/env bash
# promtool check config on docs/operations/prometheus.yml. promtool insists that the files
# the example names exist, so the example is copied into a scratch directory with those paths
# rewritten to stand-ins there (a token, a self-made CA certificate) and the rules file copied
# beside it; every other line is checked as shipped.
set -euo pipefail
src=${HEALTHDECK_SOURCE_DIR:?}
work=${HEALTHDECK_ARTIFACTS:?}/ops-prometheus-config
rm -rf "$work"
mkdir -p "$work"
echo 'example-token' >"$work/healthdeck.token"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=healthdeck-test-ca -days 1 \
  -keyout "$work/ca.key" -out "$work/healthdeck-ca.pem" >/dev/null 2>&1
cp "$src/docs/alerts/healthdeck.rules.yml" "$work/"
sed -e "s|/etc/prometheus/healthdeck.token|$work/healthdeck.token|" \
  -e "s|/etc/prometheus/healthdeck-ca.pem|$work/healthdeck-ca.pem|" \
  "$src/docs/operations/prometheus.yml" >"$work/prometheus.yml"
# The stand-ins must actually be used, or the check would pass against nothing.
grep -q "credentials_file: $work/healthdeck.token" "$work/prometheus.yml"
grep -q "ca_file: $work/healthdeck-ca.pem" "$work/prometheus.yml"
promtool check config "$work/prometheus.yml"
