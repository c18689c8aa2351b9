# fish completion for lede.
#
# Installed as /usr/share/fish/vendor_completions.d/lede.fish by the Debian
# package (cmake --install: share/fish/vendor_completions.d/). From a source
# tree: copy or link it into ~/.config/fish/completions/.
#
# Every long option of `lede COMMAND --help` is listed here; the test
# tests/completions/check.py fails when one is missing or no longer exists.

set -l commands index search stats compact

# Query words: offer the filter fields, and paths after "path:".
function __lede_query_words
    set -l tok (commandline -ct)
    if string match -q 'path:*' -- $tok
        set -l rest (string replace -r '^path:' '' -- $tok)
        for p in (__fish_complete_path $rest)
            echo "path:$p"
        end
    else
        printf '%s\n' path: title: source: date:
    end
end

complete -c lede -f

# lede
complete -c lede -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Print help and exit'
complete -c lede -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the versions and the index format'
complete -c lede -n "not __fish_seen_subcommand_from $commands" -a index -d 'Index article files and folders'
complete -c lede -n "not __fish_seen_subcommand_from $commands" -a search -d 'Search the index for ranked passages'
complete -c lede -n "not __fish_seen_subcommand_from $commands" -a stats -d 'Show the size of an index'
complete -c lede -n "not __fish_seen_subcommand_from $commands" -a compact -d 'Compact an index, or merge shards'

# lede index
set -l c "__fish_seen_subcommand_from index"
complete -c lede -n $c -F -d 'File or folder to index'
complete -c lede -n $c -s h -l help -d 'Print help and exit'
complete -c lede -n $c -l db -x -a '(__fish_complete_directories (commandline -ct))' -d 'Index folder to write'
complete -c lede -n $c -l files-from -r -F -d 'Read paths to index from FILE (- = stdin)'
complete -c lede -n $c -l prune -d 'Remove articles whose files are gone'
complete -c lede -n $c -s j -l jobs -x -d 'Analysis threads'
complete -c lede -n $c -l format -x -a 'auto text jsonl html feed' -d 'Input format'
complete -c lede -n $c -l include -x -d 'Glob of file names to index (repeatable)'
complete -c lede -n $c -l exclude -x -d 'Glob of names to skip (repeatable)'
complete -c lede -n $c -l json-id -x -d 'JSON Lines field holding the article id'
complete -c lede -n $c -l json-title -x -d 'JSON Lines title field'
complete -c lede -n $c -l json-text -x -d 'JSON Lines text field (repeatable)'
complete -c lede -n $c -l json-date -x -d 'JSON Lines date field'
complete -c lede -n $c -l json-source -x -d 'JSON Lines source field'
complete -c lede -n $c -l json-url -x -d 'JSON Lines URL field'
complete -c lede -n $c -l shard-of -x -d 'K/N: index only shard K of N'
complete -c lede -n $c -l writers -x -d 'Writers, each a shard of the files'
complete -c lede -n $c -l flush -x -d 'Commit every N passages'
complete -c lede -n $c -l no-merge -d 'Do not merge segments at the end of the run'
complete -c lede -n $c -l remote-ready -d 'Keep term lists, so xapian-tcpsrv can serve the index'
complete -c lede -n $c -l no-path-dates -d 'Do not date articles from their paths'
complete -c lede -n $c -l summary-json -r -F -d 'Also write the summary as JSON to FILE'
complete -c lede -n $c -s q -l quiet -d 'No progress, warnings or summary line'

# lede search
set -l c "__fish_seen_subcommand_from search"
complete -c lede -n $c -a '(__lede_query_words)' -d 'Query word or filter'
complete -c lede -n $c -s h -l help -d 'Print help and exit'
complete -c lede -n $c -l db -r -F -d 'Index folder, stub file or tcp://HOST:PORT'
complete -c lede -n $c -l allow-partial -d 'Search the shards that answer'
complete -c lede -n $c -l timeout -x -d 'Time limit for remote shards, ms'
complete -c lede -n $c -s n -l limit -x -d 'Show at most N passages'
complete -c lede -n $c -l offset -x -d 'Skip the first N passages'
complete -c lede -n $c -l per-article -x -d 'At most N passages per article'
complete -c lede -n $c -l articles -d 'One line per matching article'
complete -c lede -n $c -s C -l context -x -d 'Show N neighbouring passages'
complete -c lede -n $c -s l -l files-with-matches -d 'Print only the paths of matching files'
complete -c lede -n $c -s c -l count -d 'Print matching passages per file'
complete -c lede -n $c -l json -d 'Print one JSON object'
complete -c lede -n $c -l jsonl -d 'Print JSON Lines'
complete -c lede -n $c -l explain -d 'Show the parsed query and each score'
complete -c lede -n $c -l exact -d 'Every word exact'
complete -c lede -n $c -l expand -d 'Always expand the query with words of its best passages'
complete -c lede -n $c -l no-expand -d 'Never expand the query'
complete -c lede -n $c -l sort -x -a 'relevance newest oldest' -d 'Order of the results'
complete -c lede -n $c -l timeline -x -a 'day week month year decade auto' -d 'Count all matches by period, as a chart'
complete -c lede -n $c -l by -x -a 'source year month decade' -d 'Count all matches by a field (repeatable)'
complete -c lede -n $c -l all-copies -d 'Show each copy of a passage reprinted in other articles'
complete -c lede -n $c -l heading -d 'Group results under file headings'
complete -c lede -n $c -l no-heading -d 'One path:passage: text line per result'
complete -c lede -n $c -l color -x -a 'auto always never' -d 'Colour'
complete -c lede -n $c -l indexed-since -x -d 'Only passages indexed since TIME (2h, 3d, 2026-11-30)'
complete -c lede -n $c -l since-last -x -d 'Alert: only passages new since the last run of NAME'
complete -c lede -n $c -l state -r -F -d 'File of the --since-last checkpoints'

# lede stats
set -l c "__fish_seen_subcommand_from stats"
complete -c lede -n $c -s h -l help -d 'Print help and exit'
complete -c lede -n $c -l db -r -F -d 'Index folder or stub file'
complete -c lede -n $c -l json -d 'Print one JSON object'

# lede compact
set -l c "__fish_seen_subcommand_from compact"
complete -c lede -n $c -a '(__fish_complete_directories (commandline -ct))' -d 'Output folder (must not exist)'
complete -c lede -n $c -s h -l help -d 'Print help and exit'
complete -c lede -n $c -l db -r -F -d 'Index folder or shard (repeatable)'
complete -c lede -n $c -l remote-ready -d 'Give the copy term lists, so xapian-tcpsrv can serve it'
