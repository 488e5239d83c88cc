#!/usr/bin/env bash
# The AT-SPI check: Xvfb, a private session bus with the accessibility bus, the app on 1 May
# 2016 at noon with Aleppo selected, then tests/atspi/check.py walks what a screen reader sees.
# Needs xvfb, dbus, at-spi2-core and python3-pyatspi (Debian); .ci/run installs them.
#   bash tests/atspi/run.sh target/release/truce-atlas
set -euo pipefail
bin=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
display=:$((120 + RANDOM % 60))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
export DISPLAY=$display
home=$(mktemp -d)
HOME=$home XDG_DATA_HOME=$home dbus-run-session -- bash -c '
  /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
  sleep 1
  # What a screen reader sets on start: applications then publish their trees.
  dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
    org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:IsEnabled variant:boolean:true >/dev/null
  "$0" --fresh --size 1400x900 --at 2016-05-01T12:00:00+03:00 --zone aleppo >/dev/null 2>&1 &
  app=$!
  status=0
  timeout 120 /usr/bin/python3 "$1/check.py" || status=$?
  kill $app 2>/dev/null || true
  exit $status
' "$bin" "$here" 2> >(grep -v -e "dbus-daemon" -e "SpiRegistry" >&2)
