# bash completion for sra(1)                                  -*- shell-script -*-
#
# Commands, subcommands and options are read from sra's own --help at
# completion time, so they cannot drift from the program.  Run ids come from
# `sra benchmark list --ids` on the configured database (errors discarded).

# the words of a "Commands of sra ...:" block of `sra ... --help`
_sra_commands()
{
    "$1" "${@:2}" --help 2>/dev/null | awk '
        /^Commands of /   { inside = 1; next }
        inside && /^  [a-z]/ { print $1; next }
        inside            { inside = 0 }'
}

# the options of `sra ... --help`: from its usage lines and option list
_sra_options()
{
    "$1" "${@:2}" --help 2>/dev/null | awk '
        /^usage:/ { usage = 1 }
        usage && /^$/ { usage = 0 }
        usage || /^ +-/ { print }' |
        grep -oE '(^|[][ |,(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[][ |,(]//' | sort -u
}

_sra()
{
    local cur prev words cword
    _init_completion || return

    local sra=${words[0]} group="" sub="" i w url=()
    # the first two words that are not options, and a --url given so far
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --url) url=(--url "${words[i + 1]}"); ((i++)); continue ;;
            --url=*) url=("$w"); continue ;;
            -*) continue ;;
        esac
        if [[ -z $group ]]; then group=$w
        elif [[ -z $sub ]]; then sub=$w
        fi
    done

    # values of options: files, directories, fixed words
    case $prev in
        -o|--output|--prices) _filedir; return ;;
        --migrations) _filedir -d; return ;;
        --format)
            COMPREPLY=($(compgen -W "csv tsv xlsx ris medline json" -- "$cur")); return ;;
        --uncertain)
            COMPREPLY=($(compgen -W "include exclude error" -- "$cur")); return ;;
        --decision)
            COMPREPLY=($(compgen -W "include exclude" -- "$cur")); return ;;
        --what)
            COMPREPLY=($(compgen -W "items summary" -- "$cur")); return ;;
        --classification)
            COMPREPLY=($(compgen -W "TP FP FN TN UNKNOWN" -- "$cur")); return ;;
        --url|--review|--notes|--config|--threshold|--question|--exclusion|--inclusion|\
        --background|--framework|--answers|--id|--map|--human|--source-db|--sheet|\
        --records|--seed|--lock-timeout|--ddl-lock-timeout|-m)
            return ;;
    esac

    if [[ -z $group ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_sra_commands "$sra")" -- "$cur"))
        fi
        return
    fi

    local subs
    subs=$(_sra_commands "$sra" "$group")
    if [[ -n $subs && -z $sub ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_sra_options "$sra" "$group")" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        fi
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_sra_options "$sra" $group $sub)" -- "$cur"))
        return
    fi

    case $group/$sub in
        benchmark/show|benchmark/items|benchmark/export|benchmark/compare|\
        benchmark/report|benchmark/delete)
            COMPREPLY=($(compgen -W "$("$sra" benchmark list --ids "${url[@]}" 2>/dev/null)" -- "$cur")) ;;
        import/records|import/decisions|review/import)
            _filedir ;;
    esac
}
complete -F _sra sra
