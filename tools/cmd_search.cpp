// `lede search`: ranked passages with highlighted snippets.
#include "tools/app.hpp"

#include <lede/search.hpp>

#include "query/output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace lede::tools {
namespace {

struct SearchArgs {
    std::string db;
    std::vector<std::string> words;
    std::size_t limit = 10;
    bool json = false;
    std::string color = "auto";
};

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

int run_search(const SearchArgs& a) {
    std::string q;
    for (const auto& w : a.words) {
        q += (q.empty() ? "" : " ") + w;
    }
    Searcher searcher(resolve_db(a.db));
    SearchOptions opt;
    opt.limit = a.limit;
    SearchResults res = searcher.search(q, opt);
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).string();
    query::TextStyle style;
    style.color = !a.json && want_color(a.color);
    style.show_path = [cwd](const std::string& p) { return show_path(p, cwd); };
    if (a.json) {
        query::print_json(std::cout, res, style);
    } else {
        query::print_text(std::cout, res, style);
        if (res.hits.empty()) {
            report("no passage matches " + q);
        }
    }
    std::cout.flush();
    return res.hits.empty() ? Exit::no_match : Exit::ok;
}

}  // namespace

void add_search_command(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<SearchArgs>();
    CLI::App* cmd = app.add_subcommand("search", "Search the index for ranked passages");
    cmd->footer(
        "Query syntax (see docs/QUERY.md):\n"
        "  Witkoff                  a word; stems and name variants match too (Umerov finds Umyrov)\n"
        "  =Witkoff                 exact form only: no stemming, no variants\n"
        "  '\"security guarantees\"'  a phrase\n"
        "  Witkoff AND Kushner      both;  prisoners NOT Istanbul  one without the other\n"
        "  +Donbas -Crimea talks    required, excluded and optional words\n"
        "  Zelen*                   words starting with Zelen\n"
        "  Witkoff NEAR/5 Putin     within 5 words (ADJ/5: in that order)\n"
        "  path:corpus/ Donbas      only articles under a folder\n"
        "Examples:\n"
        "  lede search Witkoff\n"
        "  lede search --json -n 5 '\"Donbas region\"'\n"
        "Exit status: 0 found, 1 nothing found, 2 error.");
    cmd->add_option("--db", args->db, "Index folder (default: $LEDE_DB, else ~/.local/share/lede/index)");
    cmd->add_option("query", args->words, "Query words")->required();
    cmd->add_option("-n,--limit", args->limit, "Show at most N passages")->capture_default_str();
    cmd->add_flag("--json", args->json, "Print one JSON object (see docs/output-format.md)");
    cmd->add_option("--color", args->color, "Colour: auto (terminal, unless NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->callback([args, &run] { run = [args] { return run_search(*args); }; });
}

}  // namespace lede::tools
