#!/usr/bin/env bash
# Installs the Debian 12 packages Healthdeck needs to build, run and test.
# Idempotent: installs only what is missing; uses sudo when not root.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config ccache clang libclang-rt-14-dev
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev libvulkan-dev
  libqt6sql6-psql libqt6sql6-sqlite qtkeychain-qt6-dev
  prometheus-cpp-dev libboost-dev libyaml-cpp-dev libhiredis-dev libpq-dev libsqlite3-dev
  zlib1g-dev libssl-dev libcrypt-dev libgl-dev libgtest-dev libbenchmark-dev
  # bench: the exporter engine comparison (bench_scrape_mhd_peer)
  libmicrohttpd-dev
  # tests: real servers and the tools that judge our output
  prometheus prometheus-node-exporter redis-server postgresql wrk curl python3 apache2-utils
  openssl xvfb xauth desktop-file-utils appstream systemd dpkg-dev file
  # tests: a real Secret Service for the keychain path (tests/keychain)
  dbus-daemon gnome-keyring
  # tests: the real fleet (tests/fleet) — servers nobody here wrote
  prometheus-alertmanager prometheus-pushgateway prometheus-blackbox-exporter etcd-server
  prometheus-redis-exporter prometheus-postgres-exporter haproxy nginx caddy
)

missing=()
for p in "${packages[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "healthdeck: installing ${#missing[@]} Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts these services on install; our tests run their own instances on free ports.
for svc in redis-server prometheus prometheus-node-exporter postgresql \
  prometheus-alertmanager prometheus-pushgateway prometheus-blackbox-exporter etcd \
  prometheus-redis-exporter prometheus-postgres-exporter haproxy nginx caddy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl stop "$svc" >/dev/null 2>&1 || true
  fi
done
