#!/bin/bash
# po/POTFILES.in lists exactly the files that hold translatable strings: a
# file that marks a string (_(), N_(), C_(), NC_(), g_dngettext(),
# translatable="yes") but is missing from the list would leave its strings
# out of the template, untranslated for ever. Prints TAP.
#   test-potfiles.sh SOURCE-DIR
set -u
SRC=${1:?usage: $0 SOURCE-DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
cd "$SRC" || exit 1
LIST=po/POTFILES.in

listed=$(grep -v '^#' "$LIST" | sed '/^[[:space:]]*$/d' | LC_ALL=C sort)
# The marking macros as a word followed by "(" (not glint_tr(), which
# translates what a table marked elsewhere); the i18n module itself only
# defines them.
marked=$({
	grep -rlE --include='*.c' '(^|[^[:alnum:]_])(N?C?_|g_dngettext|g_dpgettext2)\(' app core ui |
		grep -v -- '-blob\.h$' | grep -v '^core/glint-i18n\.c$'
	grep -rl --include='*.ui' 'translatable="yes"' resources
} | LC_ALL=C sort -u)

missing=$(comm -13 <(echo "$listed") <(echo "$marked"))
stale=$(comm -23 <(echo "$listed") <(echo "$marked"))
check "every file with translatable strings is in $LIST${missing:+ (missing: $(echo $missing))}" test -z "$missing"
check "every file in $LIST exists and marks strings${stale:+ (not: $(echo $stale))}" test -z "$stale"
check "$LIST is sorted (merges stay simple)" bash -c "[ \"\$(grep -v '^#' $LIST)\" = \"\$(grep -v '^#' $LIST | LC_ALL=C sort)\" ]"

# A .ui file that marks strings must name the domain: a GtkBuilder template
# would otherwise look them up in the program's default domain.
nodomain=""
for ui in $(echo "$marked" | grep '\.ui$'); do
	grep -q '<interface domain="glint"' "$ui" || nodomain="$nodomain $ui"
done
check "every translatable .ui file names the glint domain${nodomain:+ (not:$nodomain)}" test -z "$nodomain"
tap_end
