#!/usr/bin/env bash
# What a blind user hears: Orca (Debian's screen reader) over the app under Xvfb, with a private
# session bus and accessibility bus, its speech logged line by line; tests/orca/listen.py then
# presses the keys of the three uses (launch; the slider; a zone, its selection and its first
# quote) and checks the words Orca spoke at each step.
# Needs xvfb, xdotool, dbus, at-spi2-core, python3-pyatspi and orca (Debian); .ci/run installs
# them.   bash tests/orca/run.sh target/release/truce-atlas
set -euo pipefail
bin=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
display=:$((180 + RANDOM % 40))
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
# SIGTERM (the default): Xvfb then removes its socket and lock.
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
export DISPLAY=$display
# A home of its own: no settings of a user's Orca, no saved state of the app.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  sleep 1
  # What a screen reader sets on start: applications then publish their trees.
  for property in IsEnabled ScreenReaderEnabled; do
    dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
      org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:$property \
      variant:boolean:true >/dev/null
  done
  /usr/bin/python3 "$1/orca_logged.py" --replace --debug-file="$2/orca.debug" >"$2/orca.out" 2>&1 &
  orca=$!
  status=0
  timeout 300 /usr/bin/python3 "$1/listen.py" "$0" "$2/orca.debug" || status=$?
  kill $orca 2>/dev/null || true
  exit $status
' "$bin" "$here" "$work" 2> >(grep -v -e "dbus-daemon" -e "SpiRegistry" >&2)
