# bash completion for lede                                  -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/lede (cmake --install does),
# or source it from ~/.bashrc:  source /path/to/completions/lede.bash
# Self-contained: works with or without the bash-completion package.
# Every long option of `lede COMMAND --help` is listed here; the test
# tests/completions/check.py fails when one is missing or no longer exists.
# shellcheck disable=SC2207  # compgen -W word lists hold no spaces or globs

# Complete the current word as files (and folders), or folders only with "-d".
_lede_paths() {
    local cur=$1 kind=${2:-f} p
    compopt -o filenames 2>/dev/null
    while IFS= read -r p; do
        COMPREPLY+=("$p")
    done < <(compgen -"$kind" -- "$cur")
}

_lede() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    # --opt=value: bash splits it at '=' (COMP_WORDBREAKS) into "--opt" "=" "value".
    if [[ $cur == "=" ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=""
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then # COMP_WORDBREAKS without '='
        prev=${cur%%=*}
        cur=${cur#*=}
    fi

    # The subcommand: the first word that is not an option.
    local cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            index | search | stats | compact)
                cmd=${COMP_WORDS[i]}
                break
                ;;
        esac
    done

    local global_opts="-h --help --version"
    local index_opts="-h --help --db --files-from --prune -j --jobs --format --include --exclude
        --json-id --json-title --json-text --json-date --json-source --json-url --shard-of --writers
        --flush --no-merge --remote-ready --no-path-dates --summary-json -q --quiet"
    local search_opts="-h --help --db --allow-partial --timeout -n --limit --offset --per-article
        --articles -C --context -l --files-with-matches -c --count --json --jsonl --explain
        --exact --expand --no-expand --all-copies --sort --timeline --by --heading --no-heading --color --indexed-since --since-last --state"
    local stats_opts="-h --help --db --json"
    local compact_opts="-h --help --db --remote-ready"

    # Values of options.
    case $prev in
        --db)
            # index writes a folder; the others also read stub files (shards).
            if [[ $cmd == index ]]; then
                _lede_paths "$cur" d
            else
                _lede_paths "$cur" f
            fi
            return 0
            ;;
        --files-from | --summary-json | --state)
            _lede_paths "$cur" f
            return 0
            ;;
        --format)
            COMPREPLY=($(compgen -W "auto text jsonl html feed" -- "$cur"))
            return 0
            ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return 0
            ;;
        --sort)
            COMPREPLY=($(compgen -W "relevance newest oldest" -- "$cur"))
            return 0
            ;;
        --timeline)
            COMPREPLY=($(compgen -W "day week month year decade auto" -- "$cur"))
            return 0
            ;;
        --by)
            COMPREPLY=($(compgen -W "source year month decade" -- "$cur"))
            return 0
            ;;
        -n | --limit | --offset | --per-article | -C | --context | --timeout | -j | --jobs | \
            --flush | --writers | --shard-of | --include | --exclude | --json-id | --json-title | \
            --json-text | --json-date | --json-source | --json-url | --indexed-since | --since-last)
            return 0 # a value to type: nothing to offer
            ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "index search stats compact" -- "$cur"))
        fi
        return 0
    fi

    local opts
    case $cmd in
        index) opts=$index_opts ;;
        search) opts=$search_opts ;;
        stats) opts=$stats_opts ;;
        compact) opts=$compact_opts ;;
    esac

    # After "--" (search: the query may start with '-'), only arguments.
    local after_dashdash=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == "--" ]] && after_dashdash=1
    done

    if [[ $cur == -* && $after_dashdash -eq 0 ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == --color ]] && compopt -o nospace 2>/dev/null &&
            COMPREPLY=("--color=")
        return 0
    fi

    # Arguments.
    case $cmd in
        index)
            _lede_paths "$cur" f # files and folders to index ('-' = stdin)
            ;;
        compact)
            _lede_paths "$cur" d # the output folder
            ;;
        search)
            # Query words are free text; offer the filter field names, and
            # paths after "path:".
            local word=$cur
            if [[ $prev == ":" && $COMP_CWORD -gt 1 && ${COMP_WORDS[COMP_CWORD - 2]} == path ]]; then
                _lede_paths "$cur" f # "path:" + value, split at ':' by bash
            elif [[ $cur == ":" && ${COMP_WORDS[COMP_CWORD - 1]} == path ]]; then
                _lede_paths "" f
            elif [[ $word == path:* && $COMP_WORDBREAKS != *:* ]]; then
                local p
                compopt -o filenames 2>/dev/null
                while IFS= read -r p; do
                    COMPREPLY+=("path:$p")
                done < <(compgen -f -- "${word#path:}")
            elif [[ -n $word && $word != *[!a-z]* ]]; then
                COMPREPLY=($(compgen -W "path: title: source: date:" -- "$word"))
                ((${#COMPREPLY[@]} > 0)) && compopt -o nospace 2>/dev/null
            fi
            ;;
    esac
    return 0
}

complete -F _lede lede
