// The lede command: parse the command line, run one subcommand, map errors to
// exit codes. All work happens in the library.
#include "tools/app.hpp"

#include <csignal>
#include <string_view>

int main(int argc, char** argv) {
    // A file-size limit (a full disk in miniature) must fail a write, not kill us.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"lede: find the passage that says it, in folders of news articles.\n", "lede"};
    app.set_version_flag("--version", lede::tools::version_text,
                         "Print the versions of lede, Xapian and ICU and the index format, and exit");
    app.require_subcommand(1);
    app.failure_message(lede::tools::usage_error);
    app.footer(
        "Exit status: 0 found/success, 1 no match, 2 error, 3 indexed with file errors, "
        "4 index locked by another writer, 130/143 index interrupted by SIGINT/SIGTERM.\nSee `lede COMMAND --help` and `man lede`.");
    std::function<int()> run;
    // A command word first: only that command's options are built (building
    // all four commands' was ~8 % of a one-word search's CPU time); anything
    // else (`lede --help`, `lede --version`, an unknown word) builds them all.
    const std::string_view word = argc > 1 ? argv[1] : "";
    if (word == "search" || word == "stats") {
        lede::tools::warm_heap();
    }
    const bool all = word != "index" && word != "search" && word != "stats" && word != "compact";
    if (all || word == "index") {
        lede::tools::add_index_command(app, run);
    }
    if (all || word == "search") {
        lede::tools::add_search_command(app, run);
    }
    if (all || word == "stats") {
        lede::tools::add_stats_command(app, run);
    }
    if (all || word == "compact") {
        lede::tools::add_compact_command(app, run);
    }
    if (int code = lede::tools::check_command_word(app, argc, argv); code >= 0) {
        return code;
    }
    lede::tools::optional_values(argc, argv);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : lede::tools::Exit::error;
    }
    try {
        return run ? run() : lede::tools::Exit::error;
    } catch (...) {
        return lede::tools::handle_exception();
    }
}
