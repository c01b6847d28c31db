#!/bin/bash
# The desktop metadata against the tree it describes: the AppStream release
# is the project's version, every screenshot is a file in docs/screenshots,
# the probes it advertises are those core/usb opens, and the udev rules give
# the seat's user every probe core/usb knows. Prints TAP.
#   test-metainfo-tree.sh SOURCE-DIR PROJECT-VERSION
set -u

SRC=${1:?usage: $0 SOURCE-DIR PROJECT-VERSION}
VERSION=${2:?usage: $0 SOURCE-DIR PROJECT-VERSION}
METAINFO="$SRC/resources/org.glint.Glint.metainfo.xml"
RULES="$SRC/resources/50-glint-stlink.rules"
USB_H="$SRC/core/usb/glint-usb.h"
tap_count=0
tap_failed=0

check() {
	local what=$1
	shift
	tap_count=$((tap_count + 1))
	if "$@"; then
		echo "ok $tap_count - $what"
	else
		echo "not ok $tap_count - $what"
		tap_failed=1
	fi
}

# Lower-case hex PIDs of the probes core/usb knows, one a line.
pids() {
	sed -n 's/^#define GLINT_USB_PID_\([A-Z0-9_]*\) 0x\([0-9A-Fa-f]\{4\}\).*/\1 \2/p' "$USB_H" |
		awk '{ print $1, tolower($2) }'
}

newest_release=$(grep -o '<release version="[^"]*"' "$METAINFO" | head -1 | cut -d'"' -f2)
check "the newest release ($newest_release) is the project version ($VERSION)" \
	test "$newest_release" = "$VERSION"

urls=$(grep -o '<image[^>]*>[^<]*</image>' "$METAINFO" | sed 's/<[^>]*>//g')
check "there are screenshots" test -n "$urls"
for url in $urls; do
	check "screenshot $(basename "$url") is in docs/screenshots" test -f "$SRC/docs/screenshots/$(basename "$url")"
	check "screenshot URL $url names the release" bash -c "[[ '$url' == https://*/$VERSION/* ]]"
done

# Advertised hardware: every probe Glint opens, nothing else. The V1 is known
# only to be refused (SCSI over mass storage).
expected=$(pids | grep -v '^STLINK_V1 ' | cut -d' ' -f2 | sort)
for section in provides supports; do
	advertised=$(sed -n "/<$section>/,/<\/$section>/p" "$METAINFO" |
		sed -n 's/.*<modalias>usb:v0483p\([0-9A-Fa-f]\{4\}\)d\*<\/modalias>.*/\1/p' | tr 'A-F' 'a-f' | sort)
	check "<$section> lists the probes core/usb opens ($(echo $expected))" \
		test "$advertised" = "$expected"
done
check "modaliases use upper-case hex, as the kernel writes them" \
	bash -c "! grep -qE '<modalias>usb:v0483p[0-9A-F]{0,3}[a-f]' '$METAINFO'"
check "core/usb/glint-usb.h defines probe PIDs" test "$(pids | wc -l)" -ge 8

# Every probe core/usb knows (V1 included, so Glint can say why it refuses
# it instead of failing to open it) gets a rule with uaccess.
while read -r name pid; do
	check "udev rule for $name (0483:$pid) tags it uaccess" \
		grep -qE "ATTR\{idVendor\}==\"0483\", ATTR\{idProduct\}==\"$pid\".*TAG\+=\"uaccess\"" "$RULES"
done < <(pids)

check "the launchable is the desktop file" \
	grep -q '<launchable type="desktop-id">org.glint.Glint.desktop</launchable>' "$METAINFO"
check "the desktop file's icon is the installed icon" \
	bash -c "grep -qx 'Icon=org.glint.Glint' '$SRC/resources/org.glint.Glint.desktop' && test -f '$SRC/resources/icons/org.glint.Glint.svg'"

echo "1..$tap_count"
exit $tap_failed
