#!/bin/bash
# Starts the real glint in German (see lib.sh for the locale) and reads its
# window through AT-SPI (a11y-de-drive.py). Needs a display (xvfb-run),
# dbus-run-session, at-spi2-core and python3-dogtail; says SKIP (TAP) when
# one is missing.
#   test-ui-de.sh PATH-TO-glint PATH-TO-a11y-session.sh
set -u
GLINT=${1:?usage: $0 PATH-TO-glint PATH-TO-a11y-session.sh}
SESSION=${2:?usage: $0 PATH-TO-glint PATH-TO-a11y-session.sh}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

if ! command -v dbus-run-session >/dev/null 2>&1 || [ ! -x /usr/libexec/at-spi-bus-launcher ]; then
	echo "1..0 # SKIP dbus-run-session or at-spi2-core missing"
	exit 0
fi
if ! /usr/bin/python3 -c 'import dogtail' >/dev/null 2>&1; then
	echo "1..0 # SKIP python3-dogtail missing (scripts/install-deps installs it)"
	exit 0
fi
de_env
echo "# German locale: $DE_LOCALE"
exec dbus-run-session -- sh "$SESSION" "$GLINT" "$HERE/a11y-de-drive.py"
