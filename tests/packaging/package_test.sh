#!/usr/bin/env bash
# package_test.sh STEP — the Debian package judged by the tools that consume it.
#   build      pack the build tree with cpack (the fixture every other step needs)
#   contents   dpkg-deb --contents/--field: the files, modes, computed Depends, conffiles
#   install    dpkg --root into a scratch root: install, conffile kept on reinstall, purge;
#              the installed binary answers --version
#   serve      the shipped binary with the shipped /etc config, run unprivileged with
#              no_new_privs as the unit runs it: probes and /metrics answer, SIGTERM exits 0
#   desktop    desktop-file-validate on the shipped desktop entry
#   appstream  appstreamcli validate --no-net --strict on the shipped metainfo
#   systemd    systemd-analyze verify on the shipped unit, pointed at the shipped binary
#   security   systemd-analyze security --offline: exposure must stay at most 1.5 (1.1 as shipped)
#   dev        the healthdeck-dev package (issue 14): headers, static and shared library, CMake
#              package and healthdeck.pc under /usr, the -dev Depends, nothing of the console
# Environment (set by tests/packaging/CMakeLists.txt): HEALTHDECK_BUILD_DIR, HEALTHDECK_WORK,
# HEALTHDECK_VERSION, HEALTHDECK_BINARY, CPACK_COMMAND.
set -euo pipefail

step=$1
build=${HEALTHDECK_BUILD_DIR:?}
work=${HEALTHDECK_WORK:?}
version=${HEALTHDECK_VERSION:?}
deb=$work/healthdeck.deb
root=$work/root # `dpkg-deb -x` of the package: what it ships, byte for byte
app_id=io.healthdeck.Healthdeck

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs a validator; any output at all (warnings included) fails, so a typo cannot hide.
run_silent() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    fail "$* exited non-zero"
  fi
  [ -z "$out" ] || fail "$* printed:"$'\n'"$out"
}

needs_package() {
  [ -f "$deb" ] || fail "no package at $deb (the packaging_build fixture failed)"
}

case $step in
build)
  rm -rf "$work"
  mkdir -p "$work"
  [ -x "${HEALTHDECK_BINARY:?}" ] || fail "build the healthdeck target first ($HEALTHDECK_BINARY missing)"
  "${CPACK_COMMAND:?}" --config "$build/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack failed"; }
  shopt -s nullglob
  debs=("$work"/cpack/healthdeck_"$version"_*.deb)
  [ ${#debs[@]} -eq 1 ] || { cat "$work/cpack.log" >&2; fail "expected one healthdeck_${version}_*.deb, got ${#debs[@]}"; }
  cp "${debs[0]}" "$deb"
  dpkg-deb -x "$deb" "$root"
  dpkg-deb -e "$deb" "$work/control"
  echo "built $(basename "${debs[0]}") ($(stat -c %s "$deb") bytes)"
  devs=("$work"/cpack/healthdeck-dev_"$version"_*.deb)
  [ ${#devs[@]} -eq 1 ] || { cat "$work/cpack.log" >&2; fail "expected one healthdeck-dev_${version}_*.deb, got ${#devs[@]}"; }
  cp "${devs[0]}" "$work/healthdeck-dev.deb"
  echo "built $(basename "${devs[0]}") ($(stat -c %s "$work/healthdeck-dev.deb") bytes)"
  ;;

contents)
  needs_package
  dpkg-deb --contents "$deb" >"$work/contents.txt"
  expect() { # MODE PATH: the package holds PATH with permissions MODE, owned by root
    grep -Eq "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \./$2\$" "$work/contents.txt" ||
      fail "package lacks $1 root/root ./$2"
  }
  expect -rwxr-xr-x usr/bin/healthdeck
  expect -rw-r--r-- usr/share/applications/$app_id.desktop
  expect -rw-r--r-- usr/share/metainfo/$app_id.metainfo.xml
  expect -rw-r--r-- usr/share/icons/hicolor/scalable/apps/$app_id.svg
  expect -rw-r--r-- usr/lib/systemd/system/healthdeck.service
  expect -rw-r--r-- usr/lib/sysusers.d/healthdeck.conf
  expect -rw-r--r-- etc/healthdeck/monitoring.yaml
  expect -rw-r--r-- usr/share/doc/healthdeck/operations/monitoring.md
  expect -rw-r--r-- usr/share/doc/healthdeck/alerts/healthdeck.rules.yml
  expect -rw-r--r-- usr/share/doc/healthdeck/dashboards/healthdeck.json
  # Nothing else: no headers, static libraries, /usr/local or build-tree paths.
  stray=$(awk '{print $6}' "$work/contents.txt" | grep -Ev '/$' |
    grep -Ev '^\./(usr/bin/healthdeck|usr/share/(applications|metainfo|icons|doc/healthdeck)/|usr/lib/(systemd/system|sysusers\.d)/|etc/healthdeck/)' || true)
  [ -z "$stray" ] || fail "unexpected files in the package:"$'\n'"$stray"
  grep -q ', stripped' <<<"$(file -b "$root/usr/bin/healthdeck")" || fail "usr/bin/healthdeck is not stripped"

  [ "$(dpkg-deb --field "$deb" Package)" = healthdeck ] || fail "Package field"
  [ "$(dpkg-deb --field "$deb" Version)" = "$version" ] || fail "Version is not $version"
  [ "$(dpkg-deb --field "$deb" Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture"
  depends=$(dpkg-deb --field "$deb" Depends)
  echo "Depends: $depends"
  # Computed by dpkg-shlibdeps from what the binary links, with versions from the symbols files.
  for lib in libc6 libstdc++6 libqt6core6 libqt6network6 libyaml-cpp0.7 libssl3 zlib1g; do
    lib_re=$(sed 's/[.+]/\\&/g' <<<"$lib")
    grep -Eq "(^|, )$lib_re \(>= [^)]+\)" <<<"$depends" || fail "Depends lacks a versioned $lib: $depends"
  done
  # Every dependency is satisfiable here: each alternative group has an installed member.
  IFS=',' read -ra groups <<<"$depends"
  for g in "${groups[@]}"; do
    ok=0
    IFS='|' read -ra alts <<<"$g"
    for a in "${alts[@]}"; do
      name=$(awk '{print $1}' <<<"$a")
      dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' && ok=1
    done
    [ $ok -eq 1 ] || fail "dependency not installed on this machine:$g"
  done
  grep -qx /etc/healthdeck/monitoring.yaml "$work/control/conffiles" || fail "monitoring.yaml is not a conffile"
  for s in postinst prerm postrm; do
    [ -x "$work/control/$s" ] || fail "$s missing or not executable"
    sh -n "$work/control/$s" || fail "$s has a syntax error"
  done
  echo "contents ok: $(grep -c . "$work/contents.txt") entries"
  ;;

install)
  needs_package
  scratch=$work/scratch
  rm -rf "$scratch"
  mkdir -p "$scratch/var/lib/dpkg/info" "$scratch/var/lib/dpkg/updates" "$scratch/etc"
  : >"$scratch/var/lib/dpkg/status"
  : >"$scratch/var/lib/dpkg/available"
  # The scratch root has no libraries, so dependencies are checked by `contents` against
  # this machine instead; maintainer scripts run outside a chroot with DPKG_ROOT set.
  dpkg_root=(dpkg --root="$scratch" --force-script-chrootless --force-depends
    --force-confold --log=/dev/null)
  "${dpkg_root[@]}" -i "$deb" >"$work/dpkg-install.log" 2>&1 ||
    { cat "$work/dpkg-install.log" >&2; fail "dpkg -i into the scratch root failed"; }
  grep -qx 'Status: install ok installed' <<<"$(dpkg --root="$scratch" -s healthdeck)" || fail "not installed"
  out=$("$scratch/usr/bin/healthdeck" --version) || fail "installed healthdeck --version exited $?"
  [ "$out" = "healthdeck $version" ] || fail "--version printed '$out', expected 'healthdeck $version'"
  if command -v systemd-sysusers >/dev/null; then
    grep -q '^healthdeck:' "$scratch/etc/passwd" || fail "postinst did not create the healthdeck user"
    grep -q '^healthdeck:.*:/usr/sbin/nologin$' "$scratch/etc/passwd" || fail "healthdeck user has a login shell"
  fi
  # A local edit of the conffile survives reinstalling the package.
  echo '# local edit' >>"$scratch/etc/healthdeck/monitoring.yaml"
  "${dpkg_root[@]}" -i "$deb" >>"$work/dpkg-install.log" 2>&1 || fail "reinstall failed"
  grep -qx '# local edit' "$scratch/etc/healthdeck/monitoring.yaml" || fail "reinstall overwrote the edited conffile"
  "${dpkg_root[@]}" --purge healthdeck >>"$work/dpkg-install.log" 2>&1 ||
    { cat "$work/dpkg-install.log" >&2; fail "purge failed"; }
  [ ! -e "$scratch/usr/bin/healthdeck" ] || fail "purge left usr/bin/healthdeck"
  [ ! -e "$scratch/etc/healthdeck/monitoring.yaml" ] || fail "purge left the conffile"
  echo "install ok: $out"
  ;;

serve)
  needs_package
  port=$(python3 "$(dirname "${BASH_SOURCE[0]}")/../support/free_port.py")
  log=$work/serve.log
  # nobody:nogroup stands in for the healthdeck user, which exists only once installed. The
  # build tree may sit where nobody cannot reach (/root), so the two files are copied to a
  # directory of their own first.
  run_dir=$(mktemp -d /tmp/healthdeck-serve.XXXXXX)
  chmod 0755 "$run_dir"
  install -m 0755 "$root/usr/bin/healthdeck" "$run_dir/healthdeck"
  install -m 0644 "$root/etc/healthdeck/monitoring.yaml" "$run_dir/monitoring.yaml"
  setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs \
    "$run_dir/healthdeck" serve --config "$run_dir/monitoring.yaml" \
    --listen "127.0.0.1:$port" >"$log" 2>&1 &
  pid=$!
  trap 'kill -KILL $pid 2>/dev/null || true; rm -rf "$run_dir"' EXIT
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health/live" && break
    kill -0 $pid 2>/dev/null || { cat "$log" >&2; fail "healthdeck serve exited at start"; }
    sleep 0.1
  done
  for route in /health /health/live /health/ready; do
    code=$(curl -s -o "$work/serve-body" -w '%{http_code}' "http://127.0.0.1:$port$route")
    [ "$code" = 200 ] || { cat "$log" "$work/serve-body" >&2; fail "$route answered $code"; }
    grep -q '"status":"up"' "$work/serve-body" || fail "$route is not up: $(cat "$work/serve-body")"
  done
  curl -s "http://127.0.0.1:$port/metrics" >"$work/serve-metrics"
  for family in process_start_time_seconds health_check_status exporter_scrapes_total; do
    grep -q "^# TYPE $family " "$work/serve-metrics" || fail "/metrics lacks $family"
  done
  kill -TERM $pid
  status=0
  wait $pid || status=$?
  trap - EXIT
  rm -rf "$run_dir"
  [ $status -eq 0 ] || { cat "$log" >&2; fail "SIGTERM: exit status $status, expected 0"; }
  echo "serve ok on port $port"
  ;;

desktop)
  needs_package
  f=$root/usr/share/applications/$app_id.desktop
  run_silent desktop-file-validate "$f"
  grep -qx "Icon=$app_id" "$f" || fail "Icon is not $app_id"
  # Every Exec= (the entry's and its actions') starts a binary the package ships.
  execs=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$f")
  [ -n "$execs" ] || fail "no Exec= line"
  for exec_bin in $execs; do
    [ -x "$root/usr/bin/$exec_bin" ] || fail "Exec=$exec_bin is not a binary the package ships"
  done
  # The icon the entry names is a well-formed, square SVG.
  python3 - "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg" <<'PY' || fail "icon is not a square SVG"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
box = [float(v) for v in root.get("viewBox", "").split()]
assert len(box) == 4 and box[2] == box[3] > 0, box
PY
  echo "desktop ok"
  ;;

appstream)
  needs_package
  f=$root/usr/share/metainfo/$app_id.metainfo.xml
  # --strict turns warnings into failures; the one pedantic hint (upper case in the id) is the
  # reverse-DNS convention, so pedantic hints are not counted.
  appstreamcli validate --no-net --strict "$f" || fail "appstreamcli validate failed"
  grep -q "<id>$app_id</id>" "$f" || fail "component id is not $app_id"
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$f" || fail "launchable"
  grep -q "<release version=\"$version\"" "$f" || fail "no <release> for $version"
  [ -f "$root/usr/share/applications/$app_id.desktop" ] || fail "launchable desktop entry not shipped"
  echo "appstream ok"
  ;;

systemd)
  needs_package
  # The shipped unit verbatim, except ExecStart points at the shipped binary (not yet in /usr).
  mkdir -p "$work/verify"
  sed "s|^ExecStart=/usr/bin/healthdeck |ExecStart=$root/usr/bin/healthdeck |" \
    "$root/usr/lib/systemd/system/healthdeck.service" >"$work/verify/healthdeck.service"
  grep -q "^ExecStart=$root/usr/bin/healthdeck serve --config /etc/healthdeck/monitoring.yaml\$" \
    "$work/verify/healthdeck.service" || fail "ExecStart is not /usr/bin/healthdeck serve --config /etc/healthdeck/monitoring.yaml"
  run_silent systemd-analyze verify --man=no "$work/verify/healthdeck.service"
  for key in 'User=healthdeck' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
    'PrivateTmp=yes' 'PrivateDevices=yes' 'CapabilityBoundingSet=' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service'; do
    grep -qx "$key" "$work/verify/healthdeck.service" || fail "unit lacks $key"
  done
  doc=$(sed -n 's|^Documentation=file:\(/[^ ]*\).*|\1|p' "$work/verify/healthdeck.service")
  [ -n "$doc" ] && [ -f "$root$doc" ] || fail "Documentation=file:$doc is not shipped"
  sysusers=$root/usr/lib/sysusers.d/healthdeck.conf
  grep -Eq '^u healthdeck ' "$sysusers" || fail "sysusers.d does not create healthdeck"
  echo "systemd ok"
  ;;

security)
  needs_package
  f=$root/usr/lib/systemd/system/healthdeck.service
  out=$(systemd-analyze security --offline=yes --threshold=15 --no-pager "$f" 2>&1) ||
    { printf '%s\n' "$out" >&2; fail "exposure above 1.5 (the unit rates 1.1 as shipped)"; }
  grep 'Overall exposure level' <<<"$out"
  ;;

dev)
  dev=$work/healthdeck-dev.deb
  [ -f "$dev" ] || fail "no package at $dev (the packaging_build fixture failed)"
  dpkg-deb --contents "$dev" >"$work/dev-contents.txt"
  [ "$(dpkg-deb --field "$dev" Package)" = healthdeck-dev ] || fail "Package field of the -dev package"
  [ "$(dpkg-deb --field "$dev" Version)" = "$version" ] || fail "-dev Version is not $version"
  [ "$(dpkg-deb --field "$dev" Section)" = libdevel ] || fail "-dev Section is not libdevel"
  files=$(awk '{print $6}' "$work/dev-contents.txt" | grep -Ev '/$')
  for f in usr/include/healthdeck/metrics/registry.h usr/include/healthdeck/exporter/monitoring_module.h \
    'usr/lib/[^/]*/?libhealthdeck_core\.a' "usr/lib/[^/]*/?libhealthdeck_core\.so\.$version" \
    'usr/lib/[^/]*/?libhealthdeck_core\.so' 'usr/lib/[^/]*/?cmake/healthdeck/healthdeckConfig\.cmake' \
    'usr/lib/[^/]*/?pkgconfig/healthdeck\.pc'; do
    grep -Eq "^\./$f\$" <<<"$files" || fail "-dev package lacks $f"
  done
  stray=$(grep -Ev '^\./usr/(include/healthdeck/(metrics|health|checks|exporter|config|util)/[a-z0-9_]+\.h|lib/([^/]+/)?(libhealthdeck_core\.(a|so[.0-9]*)|cmake/healthdeck/[A-Za-z-]+\.cmake|pkgconfig/healthdeck\.pc)|share/doc/healthdeck-dev/.*)$' <<<"$files" || true)
  [ -z "$stray" ] || fail "unexpected files in the -dev package:"$'\n'"$stray"
  depends=$(dpkg-deb --field "$dev" Depends)
  echo "Depends: $depends"
  for d in qt6-base-dev prometheus-cpp-dev libqt6core6; do
    grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || fail "-dev Depends lacks $d: $depends"
  done
  # The runtime package keeps none of it (checked by `contents` too).
  if grep -q 'include/healthdeck' <<<"$(dpkg-deb --contents "$deb")"; then fail "headers in the runtime package"; fi
  echo "dev ok: $(wc -l <<<"$files") files"
  ;;

*)
  fail "unknown step '$step'"
  ;;
esac
