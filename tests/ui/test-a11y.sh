#!/bin/sh
# Drives the real glint binary through the accessibility tree (AT-SPI), as a
# screen reader or dogtail would: the controls must be found by their
# accessible names. Needs a display (xvfb-run), dbus-run-session and
# python3-dogtail; says SKIP (TAP) when one is missing.
set -eu
GLINT="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"

if ! command -v dbus-run-session >/dev/null 2>&1 || [ ! -x /usr/libexec/at-spi-bus-launcher ]; then
	echo "1..0 # SKIP dbus-run-session or at-spi2-core missing"
	exit 0
fi
if ! /usr/bin/python3 -c 'import dogtail' >/dev/null 2>&1; then
	echo "1..0 # SKIP python3-dogtail missing (scripts/install-deps installs it)"
	exit 0
fi
exec dbus-run-session -- sh "$HERE/a11y-session.sh" "$GLINT" "$HERE/a11y-drive.py"
