#!/bin/bash
# The man pages (docs/man): every option the program's --help shows is in
# its page, every glint-cli command has an entry, the usual sections are
# there, and groff and man render them without a warning. Also the
# generator itself on help texts it has not seen (new options, new layout).
# Prints TAP.
#   test-man.sh HELP-TO-MAN.PY MAN-DIR PROGRAM-DIR
set -u

GENERATOR=${1:?usage: $0 HELP-TO-MAN.PY MAN-DIR PROGRAM-DIR}
MAN_DIR=${2:?usage: $0 HELP-TO-MAN.PY MAN-DIR PROGRAM-DIR}
PROGRAM_DIR=${3:?usage: $0 HELP-TO-MAN.PY MAN-DIR PROGRAM-DIR}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-man-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
tap_count=0
tap_failed=0
export LC_ALL=C.UTF-8
# A program built with ASan must not turn a leak at exit into a failure here.
export ASAN_OPTIONS=detect_leaks=0

ok() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1"
}
not_ok() {
	tap_count=$((tap_count + 1))
	echo "not ok $tap_count - $1"
	tap_failed=1
}
skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1 # SKIP $2"
}

# The page as text a reader searches: roff escapes and fonts removed.
page_text() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' "$1"
}

# Option words in a help text: -v, --sim, --sim-state (not CRC-32, ST-LINK).
help_options() {
	grep -oE -- '(^|[^-[:alnum:]])--?[[:alpha:]][-[:alnum:]]*' | sed 's/^[^-]//' | sort -u
}

# check_options PAGE HELP-FILE WHAT: every option of the help is in the page.
check_options() {
	local page=$1 help=$2 what=$3 missing="" opt
	for opt in $(help_options <"$help"); do
		if ! page_text "$page" | grep -qE -- "(^|[^-[:alnum:]])$opt([^-[:alnum:]]|\$)"; then
			missing="$missing $opt"
		fi
	done
	if [ -z "$missing" ]; then
		ok "$what: every option of --help is in the page"
	else
		not_ok "$what: every option of --help is in the page"
		echo "#   missing:$missing"
	fi
}

check_render() {
	local page=$1 what=$2 warnings
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	if [ -z "$warnings" ]; then
		ok "$what: groff -ww renders it without a warning"
	else
		not_ok "$what: groff -ww renders it without a warning"
		echo "$warnings" | sed 's/^/#   /'
	fi
	if ! command -v man >/dev/null; then
		skip "$what: man --warnings renders it" "man-db is not installed"
		return
	fi
	warnings=$(MANWIDTH=80 MAN_DISABLE_SECCOMP=1 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$warnings" ]; then
		ok "$what: man --warnings -l renders it without a warning"
	else
		not_ok "$what: man --warnings -l renders it without a warning"
		echo "$warnings" | sed 's/^/#   /'
	fi
	if command -v lexgrog >/dev/null && lexgrog "$page" >/dev/null 2>&1; then
		ok "$what: lexgrog reads its NAME line (whatis, apropos)"
	elif command -v lexgrog >/dev/null; then
		not_ok "$what: lexgrog reads its NAME line (whatis, apropos)"
	fi
}

check_sections() {
	local page=$1 what=$2 section missing=""
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
		grep -qE "^\.SH \"?$section\"?\$" "$page" || missing="$missing '$section'"
	done
	if [ -z "$missing" ]; then
		ok "$what: has NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLES, SEE ALSO"
	else
		not_ok "$what: has the usual sections"
		echo "#   missing:$missing"
	fi
}

for program in glint-cli glint glint-usbsim; do
	page="$MAN_DIR/$program.1"
	if [ ! -x "$PROGRAM_DIR/$program" ]; then
		skip "$program: man page" "$program is not built in this configuration"
		continue
	fi
	if [ ! -s "$page" ]; then
		not_ok "$program: $page was generated"
		continue
	fi
	"$PROGRAM_DIR/$program" --help >"$TMP/help" 2>&1
	check_options "$page" "$TMP/help" "$program"
	if [ "$program" = glint ]; then
		"$PROGRAM_DIR/$program" --help-all >"$TMP/help-all" 2>&1
		check_options "$page" "$TMP/help-all" "glint --help-all"
	fi
	check_sections "$page" "$program"
	check_render "$page" "$program"
done

# Every command glint-cli accepts has an entry under COMMANDS. The list comes
# from the program's answer to an unknown command, not from --help, so a
# command missing from --help is caught too.
commands=$("$PROGRAM_DIR/glint-cli" no-such-command 2>&1 | sed -n 's/.*(commands: \(.*\)).*/\1/p' | tr -d ',')
if [ -z "$commands" ]; then
	not_ok "glint-cli names its commands when given an unknown one"
else
	missing=""
	for command in $commands; do
		page_text "$MAN_DIR/glint-cli.1" |
			awk '/^\.SH/ { in_commands = ($0 ~ /COMMANDS/) } in_commands' |
			grep -qE "^$command( |\$)" || missing="$missing $command"
	done
	if [ -z "$missing" ]; then
		ok "glint-cli: every command has an entry under COMMANDS ($(echo $commands | wc -w))"
	else
		not_ok "glint-cli: every command has an entry under COMMANDS"
		echo "#   missing:$missing"
	fi
fi

# The generator on help texts written in ways the programs may grow into: an
# option with a BOARD[:SCENARIO] value, a sub-command of an option, a term
# that wraps, a GOption group without a colon, unicode in the usage line.
cat >"$TMP/fake-program" <<'EOF'
#!/bin/sh
cat <<'HELP'
Usage: fake [OPTIONS] COMMAND

Does fake things.

Global options:
  --sim BOARD[:SCENARIO]   a simulated board, optionally in a scenario
  --sim list               list the simulated boards and their scenarios
  -q, --quiet              say less
  --a-very-long-option-name-that-overflows VALUE
                           a description on the next line
  --odd=KIND               one of a-b, c-d; see --quiet

Commands:
  frob FILE [--fast] [--slow]
        [--really-slow]    frobnicate FILE, very
                           slowly
  options fields           list the option names
  .dotted                  a term that starts with a dot

Extra things
  –dash                    not an ASCII dash (U+2013)

Exit status:
  0  fine
  7  bad
HELP
EOF
chmod +x "$TMP/fake-program"
cat >"$TMP/fake.1.in" <<'EOF'
@TH@
.SH NAME
fake \- a fake program
.SH SYNOPSIS
@SYNOPSIS@
.SH DESCRIPTION
@DESCRIPTION@
@HELP@
.SH SEE ALSO
.BR glint (1)
EOF
if SOURCE_DATE_EPOCH=0 python3 "$GENERATOR" --template "$TMP/fake.1.in" --output "$TMP/fake.1" \
	--version 9.9 -- "$TMP/fake-program" >"$TMP/gen.log" 2>&1; then
	ok "generator: a help text in new shapes gives a page"
	"$TMP/fake-program" >"$TMP/fake-help"
	check_options "$TMP/fake.1" "$TMP/fake-help" "generator"
	text=$(page_text "$TMP/fake.1")
	for want in "--sim BOARD[:SCENARIO]" "--sim list" "frob FILE [--fast] [--slow] [--really-slow]" \
		"frobnicate FILE, very slowly" "options fields" "a description on the next line" \
		"Does fake things." ".SH \"EXIT STATUS\"" '.TH "FAKE" "1" "1970-01-01" "Glint 9.9"'; do
		if grep -qF -- "$want" <<<"$text"; then
			ok "generator: the page has '$want'"
		else
			not_ok "generator: the page has '$want'"
		fi
	done
	if grep -q '^\.dotted' "$TMP/fake.1"; then
		not_ok "generator: a term starting with '.' is not read as a request"
	else
		ok "generator: a term starting with '.' is not read as a request"
	fi
	check_render "$TMP/fake.1" "generator"
else
	not_ok "generator: a help text in new shapes gives a page"
	sed 's/^/#   /' "$TMP/gen.log"
fi

# A template that places a help section the program no longer prints fails
# the build rather than leaving the section out.
printf '@TH@\n.SH NAME\nfake \\- x\n.SH EXAMPLES\n@HELP:Examples@\n' >"$TMP/stale.1.in"
if SOURCE_DATE_EPOCH=0 python3 "$GENERATOR" --template "$TMP/stale.1.in" --output "$TMP/stale.1" \
	--version 9.9 -- "$TMP/fake-program" >"$TMP/gen.log" 2>&1; then
	not_ok "generator: a template naming a missing help section is an error"
elif grep -q "no longer has" "$TMP/gen.log"; then
	ok "generator: a template naming a missing help section is an error"
else
	not_ok "generator: a template naming a missing help section is an error (says why)"
	sed 's/^/#   /' "$TMP/gen.log"
fi

echo "1..$tap_count"
exit $tap_failed
