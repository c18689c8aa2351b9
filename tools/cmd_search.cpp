// `lede search`: ranked passages with highlighted snippets, in the output
// mode asked for. The library does the search; this file only chooses options
// and printers.
#include "tools/app.hpp"

#include <lede/alerts.hpp>
#include <lede/error.hpp>
#include <lede/search.hpp>

#include <lede/output.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace lede::tools {
namespace {

struct SearchArgs {
    std::vector<std::string> dbs;
    bool allow_partial = false;
    unsigned timeout_ms = 5000;
    std::vector<std::string> words;
    std::size_t limit = 10;
    std::size_t offset = 0;
    std::size_t per_article = 3;
    std::size_t context = 0;
    bool json = false;
    bool jsonl = false;
    bool articles = false;
    bool files = false;
    bool count = false;
    bool explain = false;
    bool exact = false;
    bool expand = false;
    bool no_expand = false;
    bool all_copies = false;
    bool heading = false;
    bool no_heading = false;
    std::string color = "auto";
    std::string sort = "relevance";
    std::string timeline;
    std::vector<std::string> by;
    std::string indexed_since;
    std::string since_last;
    std::string state;
    const CLI::Option* limit_opt = nullptr;        // given on the command line?
    const CLI::Option* per_article_opt = nullptr;  // (alerts change their defaults)
};

const std::vector<std::string> periods{"day", "week", "month", "year", "decade", "auto"};

Period period_of(const std::string& name) {
    for (Period p : {Period::day, Period::week, Period::month, Period::year, Period::decade, Period::automatic}) {
        if (name == period_name(p)) {
            return p;
        }
    }
    return Period::none;
}

bool want_color(const std::string& mode) {
    if (mode == "always") {
        return true;
    }
    if (mode == "never") {
        return false;
    }
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(STDOUT_FILENO) != 0 && (no_color == nullptr || *no_color == '\0')
           && !(term != nullptr && std::string(term) == "dumb");
}

// Paths under the current folder are shown relative to it, like ripgrep.
std::string show_path(const std::string& abs, const std::string& cwd) {
    if (!cwd.empty() && abs.size() > cwd.size() && abs.starts_with(cwd) && abs[cwd.size()] == '/') {
        return abs.substr(cwd.size() + 1);
    }
    return abs;
}

// The current folder as the shell names it: $PWD (which may pass through
// symbolic links) when it is this folder, else the system's name for it.
std::string working_dir() {
    const char* pwd = std::getenv("PWD");
    struct stat here {};
    struct stat there {};
    if (pwd != nullptr && pwd[0] == '/' && stat(".", &here) == 0 && stat(pwd, &there) == 0
        && here.st_dev == there.st_dev && here.st_ino == there.st_ino) {
        return pwd;
    }
    std::error_code ec;
    return std::filesystem::current_path(ec).string();
}

constexpr std::size_t everything = 1000000;

// The default state file of alerts over @p dbs: under $XDG_STATE_HOME
// (~/.local/state)/lede/alerts/, one file per set of indexes (named by a hash
// of their absolute paths and addresses, whatever order they are given in).
std::string default_state(const std::vector<std::string>& dbs) {
    std::vector<std::string> keys;
    for (const auto& d : dbs) {
        std::error_code ec;
        std::string k = d.starts_with("tcp://") ? d : std::filesystem::weakly_canonical(d, ec).string();
        keys.push_back(ec ? d : k);
    }
    std::sort(keys.begin(), keys.end());
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a, stable across builds
    for (const auto& k : keys) {
        for (unsigned char c : k + '\n') {
            h = (h ^ c) * 1099511628211ULL;
        }
    }
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.alerts", static_cast<unsigned long long>(h));
    std::string base;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg != '\0') {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = std::string(home != nullptr ? home : ".") + "/.local/state";
    }
    return base + "/lede/alerts/" + name;
}

int run_search(const SearchArgs& a) {
    std::string q;
    for (const auto& w : a.words) {
        q += (q.empty() ? "" : " ") + w;
    }
    OpenOptions open;
    open.allow_partial = a.allow_partial;
    open.remote_timeout_ms = a.timeout_ms;
    open.map_files = false;  // one search: a first touch of a page costs more than a read (docs/BENCHMARKS.md)
    if (const char* r = std::getenv("LEDE_RANK"); r != nullptr) {
        open.ranking = r;  // tuning runs (docs/RELEVANCE.md)
    }
    const std::vector<std::string> dbs = a.dbs.empty() ? std::vector<std::string>{resolve_db("")} : a.dbs;
    SearchOptions opt;
    if (!a.indexed_since.empty()) {
        try {
            opt.indexed_since = parse_time(a.indexed_since, std::chrono::system_clock::now());
        } catch (const Error& e) {
            throw Error(e.kind(), std::string("--indexed-since: ") + e.what());
        }
    }
    // An alert: the checkpoint file is locked from here until the new
    // checkpoint is saved, after the output (a second run waits, then goes on
    // from there); a failed search or output saves nothing (shown again).
    std::optional<AlertState> state;
    if (!a.since_last.empty()) {
        if (!AlertState::valid_name(a.since_last)) {
            throw Error(ErrorKind::invalid_argument,
                        "--since-last: '" + a.since_last
                            + "' is not an alert name (1 to 64 letters, digits, '.', '_', '-'; not starting with "
                              "'.' or '-')");
        }
        state.emplace(a.state.empty() ? default_state(dbs) : a.state);
        opt.since_checkpoint = state->checkpoint(a.since_last);
    }
    Searcher searcher(dbs, open);
    for (const auto& w : searcher.warnings()) {
        report("warning: " + w + (w.starts_with("skipped shard: ") ? " (results are partial)" : ""));
    }
    opt.limit = a.limit;
    opt.offset = a.offset;
    opt.per_article = a.per_article;
    if (state) {
        // Every new passage, unless asked otherwise: what an alert does not
        // show now it never shows.
        opt.limit = a.limit_opt->count() > 0 ? a.limit : everything;
        opt.per_article = a.per_article_opt->count() > 0 ? a.per_article : 0;
        opt.correct_spelling = false;  // nothing new is not a misspelling
    }
    opt.indexed_time = a.json || a.jsonl;  // printed in JSON only
    opt.explain = a.explain;
    opt.exact = a.exact;
    opt.expand = a.expand      ? SearchOptions::Expand::always
                 : a.no_expand ? SearchOptions::Expand::never
                               : SearchOptions::Expand::automatic;
    opt.exact_total = a.json || a.jsonl || state.has_value();  // they print total; an alert says what it left out
    // Text prints no total: only "-n 0" (is there any?) and a page past the
    // last ("about N match") read it; else the ranked match's estimate will do.
    opt.count_total = opt.exact_total || a.limit == 0 || a.offset > 0;
    opt.sort = a.sort == "newest" ? SortOrder::newest : a.sort == "oldest" ? SortOrder::oldest : SortOrder::relevance;
    opt.timeline = period_of(a.timeline);
    opt.facets = a.by;
    // In text, --timeline and --by print their charts in place of the passages.
    const bool charts = !a.json && !a.jsonl && !a.files && !a.count && (opt.timeline != Period::none || !a.by.empty());
    if (charts) {
        opt.limit = 0;
        opt.highlight = false;
    }
    const std::string cwd = working_dir();
    opt.working_dir = cwd;
    opt.all_copies = a.all_copies;
    if (a.articles) {
        opt.per_article = 1;
    }
    if (a.files || a.count) {
        opt.limit = everything;
        opt.offset = 0;
        opt.per_article = a.files ? 1 : 0;
        opt.highlight = false;
        opt.all_copies = true;  // every file that matches, like grep
        opt.indexed_time = false;
        // Feedback would change only the order of the files, at twice the
        // cost of the search: only when asked for.
        if (!a.expand) {
            opt.expand = SearchOptions::Expand::never;
        }
    }
    SearchResults res = searcher.search(q, opt);

    lede::TextStyle style;
    style.color = !a.json && !a.jsonl && want_color(a.color);
    style.heading = a.heading || (!a.no_heading && isatty(STDOUT_FILENO) != 0 && !a.files && !a.count);
    std::error_code ec;
    style.show_path = [cwd, real = std::filesystem::current_path(ec).string()](const std::string& p) {
        std::string shown = show_path(p, cwd);  // as the shell names the folder, else as the system does
        return shown != p ? shown : show_path(p, real);
    };

    // Warnings of this search (not the ones about opening, reported above).
    for (const auto& w : res.warnings) {
        if (std::find(searcher.warnings().begin(), searcher.warnings().end(), w) == searcher.warnings().end()) {
            report("warning: " + w);
        }
    }
    if (!res.corrected.empty()) {
        report(res.used_correction ? "no passage matches " + q + "; showing results for: " + res.corrected
                                   : "did you mean: " + res.corrected + "?");
    }
    if (state && res.hits.empty()) {
        // An alert with nothing new prints nothing (cron mails nothing).
    } else if (a.json) {
        lede::print_json(std::cout, res, style);
    } else if (a.jsonl) {
        lede::print_jsonl(std::cout, res, style);
    } else if (a.files) {
        lede::print_files(std::cout, res, style);
    } else if (a.count) {
        lede::print_counts(std::cout, res, style);
    } else if (charts) {
        if (opt.timeline != Period::none) {
            lede::print_timeline(std::cout, res, style);
        }
        if (!a.by.empty()) {
            if (opt.timeline != Period::none) {
                std::cout << '\n';
            }
            lede::print_facets(std::cout, res, style);
        }
    } else {
        if (a.explain) {
            std::cout << res.explanation << "\n\n";
        }
        if (a.context > 0) {
            lede::print_with_context(std::cout, searcher, res, a.context, style);
        } else {
            lede::print_text(std::cout, res, style);
        }
    }
    if (state) {
        std::cout.flush();
        if (!std::cout) {
            report("alert " + a.since_last + ": the output could not be written; its checkpoint stays where it was");
            return Exit::error;
        }
        state->save(a.since_last, res.checkpoint);
        std::uint64_t shown = res.hits.size();
        for (const auto& h : res.hits) {
            shown += h.copies.size();  // folded copies are listed with their hit
        }
        if (res.total > opt.offset + shown && !a.files && !a.count) {
            report("alert " + a.since_last + ": " + std::to_string(shown) + " of "
                   + std::to_string(res.total) + " new passages shown (-n, --offset, --per-article); the others will "
                   "not be shown again");
        }
        return res.hits.empty() ? Exit::no_match : Exit::ok;  // nothing new: silent, for cron
    }
    const std::uint64_t counted = opt.timeline != Period::none ? res.timeline.total.passages
                                  : !res.facets.empty()        ? res.facets.front().total.passages
                                                               : res.total;
    if (charts) {
        return finish(counted > 0 ? Exit::ok : Exit::no_match);
    }
    if (res.hits.empty() && a.limit > 0 && !a.json && !a.jsonl) {
        // Past the last page, passages still match: say so, not "no match".
        report(res.total > 0 && a.offset > 0 && !a.files && !a.count
                   ? "no passages after the first " + std::to_string(a.offset) + " ("
                         + (res.total_exact ? "" : "about ") + std::to_string(res.total) + " match " + q + ")"
                   : "no passage matches " + q);
    }
    bool found = a.limit == 0 ? res.total > 0 : !res.hits.empty();  // -n 0: "is there any?"
    // The searcher and the results are left to the process's end (finish()).
    return finish(found ? Exit::ok : Exit::no_match);
}

}  // namespace

void optional_values(int argc, char** argv) {
    static std::string timeline_auto = "--timeline=auto";
    if (argc < 2 || std::string_view(argv[1]) != "search") {
        return;
    }
    for (int i = 2; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            return;
        }
        if (arg == "--timeline"
            && (i + 1 == argc || std::find(periods.begin(), periods.end(), argv[i + 1]) == periods.end())) {
            argv[i] = timeline_auto.data();
        }
    }
}

void add_search_command(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<SearchArgs>();
    CLI::App* cmd = app.add_subcommand("search", "Search the index for ranked passages");
    cmd->footer(
        "Query syntax (docs/QUERY.md):\n"
        "  Witkoff                  a word; its stems and spelling variants match too\n"
        "                           (talk finds talks; Umerov finds Umyrov; Зеленский finds Zelensky)\n"
        "  =Witkoff                 the exact form only: no stemming, no variants\n"
        "  \"security guarantees\"    a phrase (quote it for the shell: '\"...\"')\n"
        "  Witkoff AND Kushner      both;   prisoners NOT Istanbul   one without the other\n"
        "  Witkoff OR Kushner       either (the default for plain words, best matches first)\n"
        "  +Donbas -Crimea talks    required, excluded and optional words; ( ) to group\n"
        "  Zelen*                   words starting with Zelen\n"
        "  Witkoff NEAR/5 Putin     within 5 words;  Witkoff ADJ/5 Putin  in that order\n"
        "                           (NEAR/ADJ words are exact forms)\n"
        "  path:corpus/             only files under a folder (or one file)\n"
        "  title:peace source:Reuters date:2026-02-01..2026-02-07   metadata filters\n"
        "Examples:\n"
        "  lede search Witkoff\n"
        "  lede search -C 1 '\"security guarantees\"'\n"
        "  lede search --json -n 5 Umerov | jq '.results[].path'\n"
        "  lede search -l 'Donbas AND demands'\n"
        "  lede search --sort newest Umerov         latest first (by the articles' dates)\n"
        "  lede search slavery --timeline           matches by period, as a bar chart\n"
        "  lede search --timeline=year --by source talks   by year, and the top sources\n"
        "  lede search --indexed-since 2h Umerov           what was indexed in the last two hours\n"
        "  lede index feeds/ && lede search --since-last ukraine --jsonl 'Umerov OR Umyrov'\n"
        "                           in cron: each new passage once; nothing new prints nothing\n"
        "A query word starting with '-' needs `--` before the query: lede search -- talks -Crimea\n"
        "Exit status: 0 found, 1 nothing found, 2 error (bad query, missing index).\n"
        "Environment: LEDE_DB (the index), NO_COLOR (no colour), XDG_STATE_HOME (alert checkpoints).");
    cmd->add_option("--db", args->dbs,
                    "Index folder, stub file or tcp://HOST:PORT; repeat to search shards as one "
                    "(default: $LEDE_DB, else ~/.local/share/lede/index)")
        ->allow_extra_args(false);
    cmd->add_flag("--allow-partial", args->allow_partial,
                  "Search the shards that answer when some cannot be opened (says which on stderr)");
    cmd->add_option("--timeout", args->timeout_ms, "Time limit for remote shards, milliseconds")->capture_default_str();
    cmd->add_option("query", args->words, "Query words")->required();
    args->limit_opt = cmd->add_option("-n,--limit", args->limit, "Show at most N passages")->capture_default_str();
    cmd->add_option("--offset", args->offset, "Skip the first N passages (paging)")->capture_default_str();
    args->per_article_opt =
        cmd->add_option("--per-article", args->per_article, "At most N passages per article (0 = no limit)")
            ->capture_default_str();
    cmd->add_option("--indexed-since", args->indexed_since,
                    "Only passages indexed since TIME: 2h, 3d, 2026-11-30, 2026-11-30T08:00Z (UTC unless a zone)");
    cmd->add_option("--since-last", args->since_last,
                    "Alert: only passages indexed since the last run of alert NAME, each once, all of them "
                    "(the first run: all that match; docs/QUERY.md, Alerts)");
    cmd->add_option("--state", args->state,
                    "File of the --since-last checkpoints (default: one per index under "
                    "$XDG_STATE_HOME/lede/alerts/, else ~/.local/state/lede/alerts/)");
    cmd->add_flag("--articles", args->articles, "One line per matching article, with its best passage");
    cmd->add_option("-C,--context", args->context, "Show N neighbouring passages around each hit");
    cmd->add_flag("-l,--files-with-matches", args->files, "Print only the paths of matching files");
    cmd->add_flag("-c,--count", args->count, "Print the number of matching passages per file");
    cmd->add_flag("--json", args->json, "Print one JSON object (docs/output-format.md)");
    cmd->add_flag("--jsonl", args->jsonl, "Print JSON Lines: one result per line, then a summary");
    // Several output modes: the first of --json, --jsonl, -l, -c wins
    // (docs/output-format.md); with -l/-c, JSON lists every match.
    cmd->add_flag("--explain", args->explain, "Show the query as parsed and expanded, and each score");
    cmd->add_flag("--exact", args->exact, "Every word exact: no stemming, no spelling variants");
    auto* expand = cmd->add_flag("--expand", args->expand,
                                 "Always expand the query with words of its best passages (default: a query that "
                                 "no candidate passage holds whole, or a subject that passages name)");
    cmd->add_flag("--no-expand", args->no_expand, "Never expand the query (rank by its own words only)")
        ->excludes(expand);
    cmd->add_option("--sort", args->sort, "Order: relevance, newest (latest date first), oldest; undated last")
        ->check(CLI::IsMember({"relevance", "newest", "oldest"}))
        ->capture_default_str();
    cmd->add_option("--timeline", args->timeline,
                    "Count all matches by day, week, month, year or decade (default auto) and chart them")
        ->check(CLI::IsMember(periods));
    cmd->add_option("--by", args->by, "Count all matches by source, year, month or decade (repeatable)")
        ->check(CLI::IsMember({"source", "year", "month", "decade"}))
        ->allow_extra_args(false);
    cmd->add_flag("--all-copies", args->all_copies,
                  "Show each copy of a passage reprinted in other articles (default: once, with \"+N more\")");
    cmd->add_flag("--heading", args->heading, "Group results under file headings (default on a terminal)");
    cmd->add_flag("--no-heading", args->no_heading, "One `path:passage: text` line per result");
    cmd->add_option("--color", args->color, "Colour: auto (terminal, unless NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->callback([args, &run] { run = [args] { return run_search(*args); }; });
}

}  // namespace lede::tools
