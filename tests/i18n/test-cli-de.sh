#!/bin/bash
# glint-cli in German: --help, errors from the command line, from the core
# and from a family's option-byte table, a plural and a message with a
# 64-bit number (a system-dependent string in the catalogue). Numbers keep
# their point whatever the locale (scripts read them). Prints TAP.
#   test-cli-de.sh PATH-TO-glint-cli
set -u
CLI=${1:?usage: $0 PATH-TO-glint-cli}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-i18n-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export XDG_STATE_HOME="$TMP/state"
export ASAN_OPTIONS=detect_leaks=0

run() {
	timeout -k 5 60 "$CLI" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
says() { cat "$TMP/out" "$TMP/err" | grep -qF -- "$1"; }
says_not() { ! cat "$TMP/out" "$TMP/err" | grep -qF -- "$1"; }

# The English help first: the reference for the option words.
(unset LANGUAGE; LC_ALL=C.UTF-8 "$CLI" --help) >"$TMP/help-en" 2>/dev/null
check "in C.UTF-8 the help is English" grep -q '^Usage: glint-cli' "$TMP/help-en"

de_env
echo "# German locale: $DE_LOCALE"

run --help
cp "$TMP/out" "$TMP/help-de"
check "--help is German" bash -c "head -1 '$TMP/help-de' | grep -q '^Aufruf: glint-cli'"
check "--help has the German headings" bash -c "grep -q '^Globale Optionen:' '$TMP/help-de' && grep -q '^Befehle:' '$TMP/help-de' && grep -q '^Exit-Status:' '$TMP/help-de'"
missing=""
for opt in $(grep -oE -- '(^|[^-[:alnum:]])--?[[:alpha:]][-[:alnum:]]*' "$TMP/help-en" | sed 's/^[^-]//' | sort -u); do
	grep -qE -- "(^|[^-[:alnum:]])$opt([^-[:alnum:]]|\$)" "$TMP/help-de" || missing="$missing $opt"
done
check "the German help keeps every option word of the English one${missing:+ (missing:$missing)}" test -z "$missing"
check "the German help keeps its entries at column 2, descriptions at column 27" \
	bash -c "grep -q '^  --freq KHZ               SWD-Takt' '$TMP/help-de'"

run --sim fresh erase --mass
check "a refused mass erase: exit 1, the error in German" \
	bash -c "[ $rc -eq 1 ] && grep -qF 'glint-cli: Fehler: eine Massenlöschung löscht den ganzen Flash: zum Fortfahren --confirm hinzufügen' '$TMP/err'"

run --sim fresh --freq 99999 info
check "a bad --freq is refused in German (the command line's own words)" \
	bash -c "[ $rc -eq 1 ] && grep -qF 'liegt außerhalb des Bereichs' '$TMP/err'"

run --sim fresh erase --units 999
check "a 64-bit number in a translated message (%<PRIu64>): 'Seite 999 gibt es nicht'" \
	says "Seite 999 gibt es nicht"

run --sim wrp program "$TMP/none.bin"
check "a core error about a missing file is German (with the system's own words for the cause)" says "Öffnen von $TMP/none.bin nicht möglich:"

head -c 100 /dev/zero >"$TMP/one.bin"
run image "$TMP/one.bin"
check "a plural: 1 Segment, 100 Bytes" says "1 Segment, 100 Bytes"

run --sim fresh options show
check "option-byte meanings come from the family's table, translated" \
	says "Brown-out-Reset-Schwelle"
check "register and field names stay as the reference manual has them" \
	bash -c "grep -q '^  RDP=0xAA ' '$TMP/out' && grep -q '^  nRST_STOP=1 ' '$TMP/out'"

run --sim wrp diagnose
check "a diagnosis finding and its fix in German" \
	bash -c "grep -qF 'schreibgeschützt' '$TMP/out' && grep -qF 'Abhilfe: WRP1A in den Optionsbytes aufheben (WRP1A=off)' '$TMP/out'"

run --sim fresh info
check "info in German, the voltage still with a point (numbers are for scripts too)" \
	bash -c "grep -qE '^Target-Spannung: +3\\.30 V$' '$TMP/out'"
check "no English label left in info" says_not "Target voltage"

tap_end
