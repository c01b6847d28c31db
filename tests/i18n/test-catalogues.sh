#!/bin/bash
# Every catalogue in po/LINGUAS: valid (msgfmt --check: the format
# specifiers of each translation match its msgid), and complete against a
# template extracted now from the sources (a string added without its
# translation, or left fuzzy by msgmerge, fails here). Prints TAP.
#   test-catalogues.sh SOURCE-DIR XGETTEXT MSGFMT MSGCMP -- XGETTEXT-ARGS...
set -u
SRC=${1:?}
XGETTEXT=${2:?}
MSGFMT=${3:?}
MSGCMP=${4:?}
shift 4
[ "${1:-}" = "--" ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-po-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$SRC" || exit 1

if "$XGETTEXT" -D "$SRC" -f po/POTFILES.in -o "$TMP/glint.pot" "$@" 2>"$TMP/xgettext.err"; then
	ok "the template is extracted from po/POTFILES.in"
else
	not_ok "the template is extracted from po/POTFILES.in"
	sed 's/^/# /' "$TMP/xgettext.err"
fi
n=$(grep -c '^msgid ' "$TMP/glint.pot" 2>/dev/null || echo 0)
check "the template holds the program's strings ($((n - 1)) messages)" test "$n" -gt 1000

# A translator comment reaches the template only on the line right before
# its string; one anywhere else is silently dropped.
lost=0
while IFS= read -r line; do
	text=${line#*TRANSLATORS:}
	text=${text%%\*/*}
	text=$(printf '%s' "$text" | sed 's/[[:space:]]*$//')
	if ! grep -qF "#. TRANSLATORS:$text" "$TMP/glint.pot"; then
		echo "# not in the template: TRANSLATORS:$text"
		lost=$((lost + 1))
	fi
done < <(grep -v '^#' po/POTFILES.in | xargs grep -h 'TRANSLATORS:')
check "every TRANSLATORS: comment reaches the template ($lost lost)" test "$lost" -eq 0

for lang in $(grep -v '^#' po/LINGUAS); do
	po=po/$lang.po
	if "$MSGFMT" --check --statistics -o "$TMP/$lang.mo" "$po" 2>"$TMP/$lang.msgfmt"; then
		ok "$po passes msgfmt --check ($(tr -d '\n' <"$TMP/$lang.msgfmt"))"
	else
		not_ok "$po passes msgfmt --check"
		sed 's/^/# /' "$TMP/$lang.msgfmt"
	fi
	if "$MSGCMP" "$po" "$TMP/glint.pot" 2>"$TMP/$lang.msgcmp"; then
		ok "$po translates every message of the current template"
	else
		not_ok "$po translates every message of the current template"
		# the first few, with what to do
		head -20 "$TMP/$lang.msgcmp" | sed 's/^/# /'
		echo "# run: ninja -C BUILD glint-update-po, then translate what is untranslated or fuzzy"
	fi
	fuzzy=$(grep -c '^#, .*fuzzy' "$po")
	check "$po has no fuzzy entries ($fuzzy)" test "$fuzzy" -eq 0
done
tap_end
