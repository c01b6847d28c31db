#!/bin/sh
# Inside a private session bus: the AT-SPI bus, glint with its bridge on,
# then the driver script. Everything started here is stopped here.
set -eu
GLINT="$1"
DRIVER="$2"
TMP="$(mktemp -d)"
trap 'kill "$APP" "$BUS" 2>/dev/null || true; rm -rf "$TMP"' EXIT

/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
BUS=$!
# The application must load the AT-SPI bridge: NO_AT_BRIDGE must be unset.
env -u NO_AT_BRIDGE XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data" \
	XDG_STATE_HOME="$TMP/state" \
	"$GLINT" --sim fresh --sim-state "$TMP/board.state" >"$TMP/glint.log" 2>&1 &
APP=$!
GTK_MODULES=gail:atk-bridge /usr/bin/python3 "$DRIVER"
