#!/bin/bash
# Builds the Debian packages (debian/) from a copy of the source tree, as
# `dpkg-buildpackage -us -uc -b` would on a developer's Debian 12 machine,
# then checks what they install and runs glint-cli from the extracted
# package. Prints TAP; skips (naming the reason) where a package cannot be
# built here at all, never passes silently.
#   test-deb.sh SOURCE-DIR
set -u

SRC=${1:?usage: $0 SOURCE-DIR}
SRC=$(cd "$SRC" && pwd)
tap_count=0
tap_failed=0

ok() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1"
}
not_ok() {
	tap_count=$((tap_count + 1))
	echo "not ok $tap_count - $1"
	tap_failed=1
}
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

missing_tools=""
for tool in dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb dh; do
	command -v "$tool" >/dev/null || missing_tools="$missing_tools $tool"
done
[ -z "$missing_tools" ] || skip_all "cannot build a Debian package here: no$missing_tools (install dpkg-dev and debhelper: scripts/install-deps)"
[ -f "$SRC/debian/control" ] || skip_all "no debian/control in $SRC"
unmet=$(cd "$SRC" && dpkg-checkbuilddeps -B -Pnocheck 2>&1) ||
	skip_all "build dependencies missing: ${unmet#*: Unmet build dependencies: } (scripts/install-deps installs them)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-deb-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
version=$(cd "$SRC" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
tree="$TMP/glint-$version"
mkdir -p "$tree" "$TMP/home"

# The tree as git sees it (tracked files and new ones not ignored, so a
# change is tested before it is committed), without build directories.
if git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1; then
	(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -xf - -C "$tree"
else
	(cd "$SRC" && tar --exclude='./build*' --exclude='./obj-*' -cf - .) | tar -xf - -C "$tree"
fi
check "the source tree was copied" test -f "$tree/debian/rules"

# A clean environment: nothing of the test run (sanitizer options, the
# build tree's variables, a python or meson from outside Debian) leaks in.
clean_env() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$TMP/home" LC_ALL=C.UTF-8 TMPDIR="$TMP" "$@"
}
# The source package first (from the pristine copy), for lintian.
(cd "$tree" && clean_env dpkg-buildpackage -us -uc -S -d) >"$TMP/source.log" 2>&1
check "dpkg-buildpackage -S builds the source package" test -s "$TMP/glint_$version.dsc"
start=$(date +%s)
(cd "$tree" && clean_env DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b -Pnocheck) \
	>"$TMP/build.log" 2>&1
rc=$?
echo "# dpkg-buildpackage took $(($(date +%s) - start)) s"
if [ $rc -ne 0 ]; then
	not_ok "dpkg-buildpackage -us -uc -b succeeds"
	tail -40 "$TMP/build.log" | sed 's/^/#   /'
	echo "1..$tap_count"
	exit 1
fi
ok "dpkg-buildpackage -us -uc -b succeeds"
check "no compiler warning in the package build" \
	bash -c "! grep -E ': warning: ' '$TMP/build.log' | sed 's/^/#   /' | grep ."

GUI_DEB="$TMP/glint_${version}_$arch.deb"
CLI_DEB="$TMP/glint-cli_${version}_$arch.deb"
check "glint_${version}_$arch.deb was built" test -s "$GUI_DEB"
check "glint-cli_${version}_$arch.deb was built" test -s "$CLI_DEB"

# contains DEB PATH: the package installs PATH (a regular file).
contains() {
	dpkg-deb -c "$1" | awk '{ print $1, $NF }' | grep -qE "^-[rwx-]+ \./$2\$"
}
for path in usr/bin/glint-cli usr/bin/glint-usbsim \
	usr/share/man/man1/glint-cli.1.gz usr/share/man/man1/glint-usbsim.1.gz \
	usr/share/bash-completion/completions/glint-cli \
	usr/lib/udev/rules.d/50-glint-stlink.rules \
	usr/share/locale/de/LC_MESSAGES/glint.mo \
	usr/share/doc/glint-cli/copyright; do
	check "glint-cli installs /$path" contains "$CLI_DEB" "$path"
done
for path in usr/bin/glint usr/share/man/man1/glint.1.gz \
	usr/share/applications/org.glint.Glint.desktop \
	usr/share/metainfo/org.glint.Glint.metainfo.xml \
	usr/share/icons/hicolor/scalable/apps/org.glint.Glint.svg \
	usr/share/doc/glint/copyright; do
	check "glint installs /$path" contains "$GUI_DEB" "$path"
done
check "the GUI package does not pull in the CLI's files twice" \
	bash -c "! dpkg-deb -c '$GUI_DEB' | grep -qE 'glint-cli|udev'"
check "the CLI package does not depend on GTK" \
	bash -c "! dpkg-deb -f '$CLI_DEB' Depends | grep -q gtk"
check "glint depends on glint-cli of the same version (the udev rules)" \
	bash -c "dpkg-deb -f '$GUI_DEB' Depends | grep -qF 'glint-cli (= $version)'"
check "glint-cli recommends umockdev (glint-usbsim's preload)" \
	bash -c "dpkg-deb -f '$CLI_DEB' Recommends | grep -qw umockdev"
echo "# glint-cli: $(dpkg-deb -f "$CLI_DEB" Installed-Size) KiB, Depends: $(dpkg-deb -f "$CLI_DEB" Depends)"
echo "# glint: $(dpkg-deb -f "$GUI_DEB" Installed-Size) KiB, Depends: $(dpkg-deb -f "$GUI_DEB" Depends)"

# Run what was packaged, from the extracted packages.
ROOT="$TMP/root"
dpkg-deb -x "$CLI_DEB" "$ROOT"
dpkg-deb -x "$GUI_DEB" "$ROOT"
"$ROOT/usr/bin/glint-cli" --sim fresh info >"$TMP/info.out" 2>&1
rc=$?
check "the packaged glint-cli --sim fresh info exits 0" test $rc -eq 0
check "the packaged glint-cli identifies the simulated STM32L476" grep -q "STM32L47x/L48x" "$TMP/info.out"
[ $rc -eq 0 ] || sed 's/^/#   /' "$TMP/info.out"
# The catalogue where it is installed; GLINT_LOCALEDIR stands in for the
# root the package was unpacked to.
check "the packaged glint-cli speaks German with the packaged catalogue" \
	bash -c "GLINT_LOCALEDIR='$ROOT/usr/share/locale' LANGUAGE=de LC_ALL=C.UTF-8 \
		'$ROOT/usr/bin/glint-cli' --help | head -1 | grep -q '^Aufruf: glint-cli'"
check "the packaged glint --help runs without a display" \
	bash -c "env -u DISPLAY -u WAYLAND_DISPLAY '$ROOT/usr/bin/glint' --help >/dev/null"
check "the packaged glint-usbsim --help runs" bash -c "'$ROOT/usr/bin/glint-usbsim' --help >/dev/null"
check "the udev rule tags ST-LINK/V2 probes uaccess (the seat's user, no root)" \
	grep -qE 'ATTR\{idProduct\}=="3748".*TAG\+="uaccess"' "$ROOT/usr/lib/udev/rules.d/50-glint-stlink.rules"
check "the packaged glint-cli page renders without a warning" \
	bash -c "[ -z \"\$(zcat '$ROOT/usr/share/man/man1/glint-cli.1.gz' | groff -man -Tutf8 -ww -z 2>&1)\" ]"
check "the packaged completion is the one in the tree" \
	cmp -s "$ROOT/usr/share/bash-completion/completions/glint-cli" "$SRC/resources/completion/glint-cli.bash"

if command -v lintian >/dev/null; then
	start=$(date +%s)
	for changes in "$TMP/glint_${version}_$arch.changes" "$TMP/glint_${version}_source.changes"; do
		clean_env lintian --no-cfg --display-info --pedantic "$changes" 2>&1 |
			grep -v '^running with root privileges' >"$TMP/lintian.log"
		echo "# lintian $(basename "$changes"):$(test -s "$TMP/lintian.log" || echo ' nothing to say')"
		sed 's/^/#   /' "$TMP/lintian.log"
		check "lintian reports no error on $(basename "$changes")" \
			bash -c "test -s '$changes' && ! grep -q '^E: ' '$TMP/lintian.log'"
	done
	echo "# lintian took $(($(date +%s) - start)) s"
else
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - lintian reports no error # SKIP lintian is not installed"
fi

echo "1..$tap_count"
exit $tap_failed
