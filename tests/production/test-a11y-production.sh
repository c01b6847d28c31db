#!/bin/sh
# The Production mode of the real glint binary, driven through the
# accessibility tree (AT-SPI) as a screen reader or dogtail would: a
# fixture board that passes, then (a second run) one that fails, each
# started and stopped by the controls' accessible names. Needs a display
# (xvfb-run), dbus-run-session and python3-dogtail; says SKIP otherwise.
#   test-a11y-production.sh GLINT
set -eu
GLINT="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ "${2-}" != "--in-session" ]; then
	if ! command -v dbus-run-session >/dev/null 2>&1 || [ ! -x /usr/libexec/at-spi-bus-launcher ]; then
		echo "1..0 # SKIP dbus-run-session or at-spi2-core missing"
		exit 0
	fi
	if ! /usr/bin/python3 -c 'import dogtail' >/dev/null 2>&1; then
		echo "1..0 # SKIP python3-dogtail missing (scripts/install-deps installs it)"
		exit 0
	fi
	exec dbus-run-session -- sh "$0" "$GLINT" --in-session
fi

# Inside the private session bus: the AT-SPI bus, then glint twice.
TMP="$(mktemp -d)"
APP=""
trap 'kill $APP "$BUS" 2>/dev/null || true; rm -rf "$TMP"' EXIT
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
BUS=$!

head -c 20000 /dev/urandom >"$TMP/fw.bin"
CRC=$(/usr/bin/python3 -c 'import zlib,sys; print("0x%08X" % zlib.crc32(open(sys.argv[1],"rb").read()))' "$TMP/fw.bin")
printf '[recipe]\nversion=1\nname=Line 3\nchip=STM32L476RG\n[image]\nfile=fw.bin\ncrc32=%s\n[serial]\naddress=0x080FF800\nfirst=1000\n' \
	"$CRC" >"$TMP/line.glintrecipe"

n=0
failed=0
for mode in pass fail; do
	case $mode in
	pass) boards=1 ;;
	fail) boards=rdp1 ;;
	esac
	# The application must load the AT-SPI bridge: NO_AT_BRIDGE unset.
	env -u NO_AT_BRIDGE XDG_CONFIG_HOME="$TMP/config-$mode" XDG_DATA_HOME="$TMP/data-$mode" \
		"$GLINT" --sim nucleo-l476rg --sim-fixture "$boards" \
		--production "$TMP/line.glintrecipe" >"$TMP/glint-$mode.log" 2>&1 &
	APP=$!
	GTK_MODULES=gail:atk-bridge /usr/bin/python3 "$HERE/a11y-production.py" "$mode" $((n + 1)) \
		>"$TMP/out-$mode" || failed=1
	cat "$TMP/out-$mode"
	n=$((n + $(grep -c '^\(not \)\?ok ' "$TMP/out-$mode")))
	kill "$APP" 2>/dev/null || true
	wait "$APP" 2>/dev/null || true
	APP=""
done
grep -q . "$TMP/glint-fail.log" && sed 's/^/# glint: /' "$TMP/glint-fail.log"
echo "1..$n"
exit $failed
