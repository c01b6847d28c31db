#!/bin/bash
# The bash completion of glint-cli (resources/completion/glint-cli.bash),
# driven as bash drives it: COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT
# set, the completion function called, COMPREPLY checked. Prints TAP.
#   test-completion.sh COMPLETION-FILE DIR-OF-glint-cli
set -u

COMPLETION=${1:?usage: $0 COMPLETION-FILE DIR-OF-glint-cli}
CLI_DIR=$(cd "${2:?usage: $0 COMPLETION-FILE DIR-OF-glint-cli}" && pwd)
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}

if [ ! -r "$BASH_COMPLETION" ]; then
	echo "1..0 # SKIP bash-completion is not installed ($BASH_COMPLETION)"
	exit 0
fi
# shellcheck disable=SC1090
. "$BASH_COMPLETION"
# shellcheck disable=SC1090
. "$COMPLETION"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/glint-completion-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# As a user has it: glint-cli found on PATH.
PATH="$CLI_DIR:$PATH"
tap_count=0
tap_failed=0

# complete LINE WORD...: completes the last word of LINE, which bash split
# into WORD... (":" is a word of its own there, as readline splits it).
complete_line() {
	COMP_LINE=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_glint_cli
	reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	reply=${reply% }
}

# check DESCRIPTION EXPECTED: the sorted reply of the last complete_line.
check() {
	tap_count=$((tap_count + 1))
	if [ "$reply" = "$2" ]; then
		echo "ok $tap_count - $1"
	else
		echo "not ok $tap_count - $1"
		echo "#   expected: '$2'"
		echo "#   got:      '$reply'"
		tap_failed=1
	fi
}

# Commands, sub-commands and per-command options, all from --help.
complete_line "glint-cli pro" glint-cli pro
check "a command" "probes program"
complete_line "glint-cli " glint-cli ""
check "every command" "auto core diagnose erase fault fix image info options probes program read recipe reset rtt swo verify watch"
complete_line "glint-cli swo --" glint-cli swo --
check "swo: its options and the global ones" \
	"$(printf '%s ' --baud --clock --connect-under-reset --freq --help --port --seconds --serial --sim --sim-fixture --sim-state --sim-state-wait --verbose --version | sed 's/ $//')"
complete_line "glint-cli rtt --ch" glint-cli rtt --ch
check "rtt: --channel" "--channel"
complete_line "glint-cli options " glint-cli options ""
check "options: its sub-commands" "fields set show"
complete_line "glint-cli program fw.bin --no" glint-cli program fw.bin --no
check "an option of the command" "--no-erase --no-loader --no-preserve"
complete_line "glint-cli program fw.bin --ha" glint-cli program fw.bin --ha
check "no option of another command (--halt is reset's)" ""
complete_line "glint-cli --sim-s" glint-cli --sim-s
check "a global option before the command" "--sim-state --sim-state-wait"
complete_line "glint-cli core " glint-cli core ""
check "core: its sub-commands" "halt regs reset run status step"
complete_line "glint-cli watch counter --r" glint-cli watch counter --r
check "watch: its options" "--rate"
complete_line "glint-cli fault --e" glint-cli fault --e
check "fault: --elf" "--elf"
complete_line "glint-cli fix re" glint-cli fix re
check "fix: the kinds" "regress-rdp remove-wrp restore-options"

# Simulated boards: from the program.
complete_line "glint-cli --sim l476" glint-cli --sim l476
check "a board name after --sim" "l476rc l476re"
complete_line "glint-cli --sim=w" glint-cli --sim = w
check "a board name after --sim=" "wrp"
complete_line "glint-cli --sim fresh --sim-state board --freq 480 info --sim no" \
	glint-cli --sim fresh --sim-state board --freq 480 info --sim no
check "a board name after other options and a command" "no-target"

# A glint-cli that has `--sim list` (and `options fields`): its answers win
# over --help, and the words that choose the board are passed along.
FAKE="$TMP/fake"
mkdir -p "$FAKE"
cat >"$FAKE/glint-cli" <<EOF
#!/bin/sh
echo "\$*" >>"$TMP/fake.log"
case "\$*" in
"--sim list") printf 'Boards:\n  nucleo-l476rg  NUCLEO-L476RG\n  nucleo-g431rb  NUCLEO-G431RB\nScenarios:\n  fresh  as shipped\n' ;;
*"options fields") printf 'RDP\nNEW_FIELD\n' ;;
*) exec "$CLI_DIR/glint-cli" "\$@" ;;
esac
EOF
chmod +x "$FAKE/glint-cli"
PATH="$FAKE:$PATH"
complete_line "glint-cli --sim nucleo" glint-cli --sim nucleo
check "--sim list is used when the program has it" "nucleo-g431rb nucleo-l476rg"
complete_line "glint-cli --sim nucleo-l476rg:f" glint-cli --sim nucleo-l476rg : f
check "BOARD:SCENARIO completes the scenario after the colon" "fresh"
complete_line "glint-cli --sim nucleo-g431rb options set N" glint-cli --sim nucleo-g431rb options set N
check "options set: names from 'options fields'" "NEW_FIELD="
reply=$(grep -c -- '^--sim nucleo-g431rb options fields$' "$TMP/fake.log")
check "options fields was called with --sim BOARD" "1"
PATH="$CLI_DIR:${PATH#"$FAKE:"}"

# options set without `options fields`: today's glint-cli falls back to the
# names `options show` prints for the chip, then to the examples in --help.
complete_line "glint-cli --sim fresh options set DUAL" glint-cli --sim fresh options set DUAL
check "options set: a field of the simulated chip" "DUALBANK="
complete_line "glint-cli --sim no-target options set nRST_S" glint-cli --sim no-target options set nRST_S
check "options set with no chip: the names in --help" "nRST_STOP="
# The board state file is read through a copy, never rewritten.
"$CLI_DIR/glint-cli" --sim l476re --sim-state "$TMP/board.state" info >/dev/null 2>&1
cp "$TMP/board.state" "$TMP/board.before"
touch -d '2001-01-01' "$TMP/board.state"
complete_line "glint-cli --sim-state $TMP/board.state options set WRP2" \
	glint-cli --sim-state "$TMP/board.state" options set WRP2
check "options set with --sim-state: the state's chip" "WRP2A= WRP2AR= WRP2B= WRP2BR="
reply=$(stat -c %y "$TMP/board.state" | cut -c1-10)
check "completing does not touch the --sim-state file" "2001-01-01"
reply=$(cmp -s "$TMP/board.state" "$TMP/board.before" && echo same)
check "the --sim-state file is unchanged" "same"

# File names by extension, directories to descend into.
mkdir -p "$TMP/files/sub"
touch "$TMP/files/a.bin" "$TMP/files/b.hex" "$TMP/files/c.txt" "$TMP/files/d.elf" \
	"$TMP/files/e.S19" "$TMP/files/f.srec" "$TMP/files/g.ihex"
cd "$TMP/files" || exit 1
complete_line "glint-cli program " glint-cli program ""
check "program: firmware files and directories" "a.bin b.hex d.elf e.S19 f.srec g.ihex sub"
complete_line "glint-cli --sim fresh verify d" glint-cli --sim fresh verify d
check "verify: a firmware file by prefix" "d.elf"
complete_line "glint-cli image " glint-cli image ""
check "image: firmware files" "a.bin b.hex d.elf e.S19 f.srec g.ihex sub"
complete_line "glint-cli read 0x08000000 64K -o " glint-cli read 0x08000000 64K -o ""
check "read -o: the formats read writes" "a.bin b.hex f.srec sub"
complete_line "glint-cli program a.bin " glint-cli program a.bin ""
check "program: one file only" ""
complete_line "glint-cli program a.bin --base " glint-cli program a.bin --base ""
check "--base ADDR: nothing to offer" ""
touch "$TMP/files/line.glintrecipe" "$TMP/files/rec.csv" "$TMP/files/rec.jsonl"
complete_line "glint-cli auto " glint-cli auto ""
check "auto: recipes" "line.glintrecipe sub"
complete_line "glint-cli recipe " glint-cli recipe ""
check "recipe: its sub-command" "check"
complete_line "glint-cli recipe check " glint-cli recipe check ""
check "recipe check: recipes" "line.glintrecipe sub"
complete_line "glint-cli auto line.glintrecipe --record " glint-cli auto line.glintrecipe --record ""
check "auto --record: record files" "rec.csv rec.jsonl sub"

echo "1..$tap_count"
exit $tap_failed
