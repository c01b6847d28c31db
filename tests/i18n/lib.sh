# lib.sh: shared by the German tests. TAP output, and the German locale
# the programs run in.
#
# de_env sets the environment for German: a real de_DE.UTF-8 when one can
# be had (the system's, or one built with localedef into the build tree,
# which needs no root and leaves the system alone), else C.UTF-8 with
# LANGUAGE=de, which gettext honours as well. DE_LOCALE says which.
set -u

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
# check DESCRIPTION COMMAND...
check() {
	local what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}
skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1 # SKIP $2"
}
tap_end() {
	echo "1..$tap_count"
	exit $tap_failed
}

# The private locale lives in the build tree, built once (atomically: two
# tests may ask at the same time).
private_de_locale() {
	local dir=${GLINT_BUILD_DIR:?}/tests/i18n/locale
	if [ -d "$dir/de_DE.UTF-8" ]; then
		echo "$dir"
		return 0
	fi
	command -v localedef >/dev/null 2>&1 || return 1
	[ -r /usr/share/i18n/locales/de_DE ] || return 1
	mkdir -p "$dir" || return 1
	local tmp
	tmp=$(mktemp -d "$dir/.build.XXXXXX") || return 1
	if localedef -i de_DE -f UTF-8 "$tmp/de_DE.UTF-8" >/dev/null 2>&1 &&
		mv -T "$tmp/de_DE.UTF-8" "$dir/de_DE.UTF-8" 2>/dev/null; then
		:
	fi
	rm -rf "$tmp"
	[ -d "$dir/de_DE.UTF-8" ] && echo "$dir"
}

de_env() {
	unset LANGUAGE LC_ALL LC_MESSAGES LANG LOCPATH
	if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
		export LC_ALL=de_DE.UTF-8
		DE_LOCALE="de_DE.UTF-8 (system)"
	elif LOCPATH=$(private_de_locale); then
		# LOCPATH first: bash switches its own locale as LC_ALL is set
		export LOCPATH
		export LC_ALL=de_DE.UTF-8
		DE_LOCALE="de_DE.UTF-8 (built with localedef)"
	else
		export LC_ALL=C.UTF-8 LANGUAGE=de
		DE_LOCALE="C.UTF-8 with LANGUAGE=de"
	fi
}
