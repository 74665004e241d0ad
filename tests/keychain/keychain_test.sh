#!/usr/bin/env bash
# keychain_test.sh KEYCHAIN_SESSION — runs the phases of tests/keychain/tst_keychain.cpp against
# a real Secret Service: gnome-keyring-daemon (secrets component only) on a private session bus
# started by dbus-run-session, with HOME and the XDG directories in a throw-away folder, so the
# user's own keyring is never touched. The login keyring is created, then unlocked again after a
# restart, with a throw-away password given on standard input (--unlock).
set -euo pipefail
session=$1
for tool in dbus-run-session dbus-daemon gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "keychain_test: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config \
  XDG_CACHE_HOME=$work/cache XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
export QT_QPA_PLATFORM=offscreen

# A session bus that can start nothing: no Secret Service answers on it.
cat >"$work/empty-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$work/run</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

# phase NAME: one run of the session binary inside its own bus with a keyring daemon on it.
phase() {
  echo "== keychain phase: $1"
  # The daemon lives as long as the bus: dbus-run-session ends both when the phase returns.
  dbus-run-session -- bash -c '
    set -euo pipefail
    eval "$(printf "throwaway-login-password\n" | gnome-keyring-daemon --unlock --components=secrets)"
    export GNOME_KEYRING_CONTROL
    HEALTHDECK_KEYCHAIN_PHASE=$1 "$2"
  ' _ "$1" "$session"
}

echo "== keychain phase: absent"
HEALTHDECK_KEYCHAIN_PHASE=absent dbus-run-session --config-file="$work/empty-bus.conf" -- "$session"
phase store
[ -n "$(find "$XDG_DATA_HOME/keyrings" -name '*.keyring' 2>/dev/null)" ] ||
  { echo "keychain_test: no keyring file was written under $XDG_DATA_HOME/keyrings" >&2; exit 1; }
# The secret is not in the keyring file as plain text.
if grep -rqa "kc-s3cret-token-42" "$XDG_DATA_HOME/keyrings"; then
  echo "keychain_test: the secret is stored in clear in the keyring file" >&2
  exit 1
fi
phase restart
echo "keychain_test: all phases passed"
