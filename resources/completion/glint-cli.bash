# bash completion for glint-cli                            -*- shell-script -*-
#
# Commands, options, simulated boards and fix kinds are read from the
# program itself (its --help, `--sim list`, `options fields`), so this file
# never needs to change when glint-cli gains a command or an option. It is
# always run in the C locale: the headings it looks for are the English ones.

# The structure of `glint-cli --help`, one record a line:
#   C cmd          a command
#   S cmd sub      a sub-command ("options show")
#   O cmd opt      an option listed on a command's lines
#   G opt          a global option (sections whose heading names options)
#   V opt          an option that takes a value (followed by a PLACEHOLDER)
#   B name         a simulated board or scenario
#   K cmd word     a hyphenated keyword on a command's lines (fix kinds)
#   N cmd name     a NAME=value example on a command's lines (option bytes)
_glint_cli_help_records()
{
    LC_ALL=C "$1" --help 2>/dev/null | awk '
        function options(text, where,    t) {
            while (match(text, /(^|[^-[:alnum:]])--?[[:alpha:]][-[:alnum:]]*/)) {
                t = substr(text, RSTART, RLENGTH)
                sub(/^[^-]/, "", t)
                print where " " t
                text = substr(text, RSTART + RLENGTH)
            }
        }
        /^[^ ]/ {
            heading = tolower($0)
            cmd = ""
            next
        }
        /^ / {
            line = $0
            rest = line
            while (match(rest, /--?[[:alpha:]][-[:alnum:]]*[ =][[:upper:]][[:upper:][:digit:]_]*/)) {
                t = substr(rest, RSTART, RLENGTH)
                sub(/[ =].*/, "", t)
                print "V " t
                rest = substr(rest, RSTART + RLENGTH)
            }
            if (heading ~ /option/) {
                options(line, "G")
            } else if (heading ~ /^commands/) {
                if (line ~ /^  [^ ]/) {
                    cmd = $1
                    print "C " cmd
                    if (line ~ /^  [[:lower:]][-[:lower:]]* [[:lower:]][-[:lower:]]*( |$)/)
                        print "S " cmd " " $2
                }
                if (cmd == "")
                    next
                options(line, "O " cmd)
                n = split(line, w, /[ ,;:()]+/)
                for (i = 1; i <= n; i++) {
                    if (w[i] ~ /^[[:lower:]][[:lower:][:digit:]]*(-[[:lower:][:digit:]]+)+$/)
                        print "K " cmd " " w[i]
                    if (w[i] ~ /^[[:alpha:]][[:alnum:]_]*=/ && w[i] !~ /^[[:upper:]]+=[[:upper:]]/) {
                        sub(/=.*/, "", w[i])
                        print "N " cmd " " w[i]
                    }
                }
            } else if (heading ~ /board|scenario/ && line ~ /^  [^ ]/) {
                print "B " $1
            }
        }'
}

# Words of the records of one kind (and command), without duplicates.
_glint_cli_pick()
{
    local records=$1 kind=$2 cmd=${3-}
    awk -v kind="$kind" -v cmd="$cmd" '
        $1 == kind && (cmd == "" || NF == 2 || $2 == cmd) {
            w = $NF
            if (!(w in seen)) { seen[w] = 1; print w }
        }' <<<"$records"
}

# Board and scenario names: `glint-cli --sim list` when the program has it
# (boards indented by two spaces, their scenarios by six; then the short
# names), else the "Simulated boards" part of --help.
_glint_cli_boards()
{
    local prog=$1 records=$2 list
    if list=$(LC_ALL=C "$prog" --sim list 2>/dev/null) && [[ -n $list ]]; then
        awk '/^  [^ ]/ { short = ($0 ~ /:[[:space:]]*$/) }
             /^  [^ ]/ && !short { print $1 }
             /^      [^ ]/ && short { print $1 }' <<<"$list" | sort -u
    else
        _glint_cli_pick "$records" B
    fi
}

# The scenarios of @board in `glint-cli --sim list` (empty without it).
_glint_cli_board_scenarios()
{
    local prog=$1 board=$2
    LC_ALL=C "$prog" --sim list 2>/dev/null |
        awk -v board="$board" '/^  [^ ]/ { in_board = ($1 == board) }
                               /^      [^ ]/ && in_board { print $1 }'
}

# Option-byte names of the chip the command line points at: `options
# fields`, else the names `options show` prints, else the examples in --help.
# A --sim-state file is used through a copy: completing must not rewrite it.
_glint_cli_option_fields()
{
    local prog=$1 records=$2
    shift 2
    local -a ctx=("$@")
    local i out tmp=""
    for ((i = 0; i < ${#ctx[@]}; i++)); do
        if [[ ${ctx[i]} == --sim-state ]]; then
            if [[ -f ${ctx[i + 1]-} ]] && tmp=$(mktemp 2>/dev/null); then
                cp -- "${ctx[i + 1]}" "$tmp" 2>/dev/null
                ctx[i + 1]=$tmp
            else
                unset 'ctx[i]' 'ctx[i+1]'
            fi
            break
        fi
    done
    if out=$(LC_ALL=C "$prog" "${ctx[@]}" options fields 2>/dev/null) && [[ -n $out ]]; then
        awk 'NF == 1 { print $1 }' <<<"$out"
    elif out=$(LC_ALL=C "$prog" "${ctx[@]}" options show 2>/dev/null) && [[ -n $out ]]; then
        grep -o '[[:alpha:]][[:alnum:]_]*=' <<<"$out" | sed 's/=$//' | awk '!seen[$0]++'
    else
        _glint_cli_pick "$records" N options
    fi
    [[ -n $tmp ]] && rm -f -- "$tmp"
}

_glint_cli()
{
    local cur prev words cword split
    _init_completion -s -n : || return

    local prog=${words[0]}
    local records
    records=$(_glint_cli_help_records "$prog")
    [[ -n $records ]] || return

    local -a value_options
    mapfile -t value_options < <(_glint_cli_pick "$records" V)

    # The command, its operands and the words that choose the probe/board.
    local command="" i w
    local -a operands=() ctx=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --sim | --serial | --sim-state | --freq)
                ctx+=("$w" "${words[i + 1]-}")
                ((i++))
                continue
                ;;
            --sim=* | --serial=* | --sim-state=* | --freq=*)
                ctx+=("${w%%=*}" "${w#*=}")
                continue
                ;;
            --connect-under-reset)
                ctx+=("$w")
                continue
                ;;
            -*)
                [[ $w != *=* && " ${value_options[*]} " == *" $w "* ]] && ((i++))
                continue
                ;;
        esac
        if [[ -z $command ]]; then
            command=$w
        else
            operands+=("$w")
        fi
    done

    local image_files='bin|hex|ihex|ihx|srec|s19|s28|s37|mot|elf|axf'
    local dump_files='bin|hex|srec'

    case $prev in
        --sim)
            COMPREPLY=($(compgen -W "$(_glint_cli_boards "$prog" "$records")" -- "$cur"))
            if [[ $cur == *:* ]]; then
                # BOARD:SCENARIO: the typed board with each name.
                local board=${cur%%:*} name
                local names
                names=$(_glint_cli_board_scenarios "$prog" "$board")
                [[ -n $names ]] || names=$(_glint_cli_boards "$prog" "$records")
                for name in $names; do
                    [[ $name == *:* ]] && continue
                    [[ $board:$name == "$cur"* ]] && COMPREPLY+=("$board:$name")
                done
            fi
            __ltrim_colon_completions "$cur"
            return
            ;;
        --sim-state)
            _filedir
            return
            ;;
        -o | --output)
            _filedir "$dump_files"
            return
            ;;
        --record)
            _filedir 'csv|jsonl'
            return
            ;;
    esac
    if [[ " ${value_options[*]} " == *" $prev "* ]]; then
        # --serial SN, --freq KHZ, --base ADDR: nothing to offer.
        return
    fi

    if [[ $cur == -* ]]; then
        local opts
        opts="$(_glint_cli_pick "$records" G)"
        [[ -n $command ]] && opts+=" $(_glint_cli_pick "$records" O "$command")"
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi

    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$(_glint_cli_pick "$records" C)" -- "$cur"))
        return
    fi

    local subs
    subs=$(_glint_cli_pick "$records" S "$command")
    if [[ -n $subs ]]; then
        if ((${#operands[@]} == 0)); then
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        elif [[ $command == recipe ]] && ((${#operands[@]} == 1)); then
            _filedir glintrecipe
        elif [[ $command == options && ${operands[0]} == set && $cur != *=* ]]; then
            local fields
            fields=$(_glint_cli_option_fields "$prog" "$records" "${ctx[@]}")
            COMPREPLY=($(compgen -S = -W "$fields" -- "$cur"))
            compopt -o nospace 2>/dev/null
        fi
        return
    fi

    case $command in
        program | verify | image)
            ((${#operands[@]} == 0)) && _filedir "$image_files"
            ;;
        auto)
            ((${#operands[@]} == 0)) && _filedir glintrecipe
            ;;
        *)
            local keywords
            keywords=$(_glint_cli_pick "$records" K "$command")
            if ((${#operands[@]} == 0)) && [[ -n $keywords ]]; then
                COMPREPLY=($(compgen -W "$keywords" -- "$cur"))
            fi
            ;;
    esac
} && complete -F _glint_cli glint-cli
