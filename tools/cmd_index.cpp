// `lede index`: build or update an index from files and folders.
#include "tools/app.hpp"

#include <lede/index.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace lede::tools {
namespace {

struct IndexArgs {
    std::string db;
    std::vector<std::string> paths;
    bool prune = false;
    bool quiet = false;
};

int run_index(const IndexArgs& a) {
    std::string db = resolve_db(a.db);
    Indexer indexer(db);
    IndexOptions opt;
    opt.prune = a.prune;
    IndexReport r = indexer.index_paths(a.paths, opt);
    for (const auto& e : r.errors) {
        report(e.path + ": " + e.reason);
    }
    for (const auto& w : r.warnings) {
        report(w.path + ": warning: " + w.reason);
    }
    if (!a.quiet) {
        char line[512];
        std::snprintf(line, sizeof line,
                      "%zu added, %zu updated, %zu unchanged, %zu removed, %zu failed; "
                      "%zu passages (%zu non-prose lines skipped), %.1f MB in %.2f s",
                      r.added, r.updated, r.unchanged, r.removed, r.failed, r.passages, r.non_prose,
                      static_cast<double>(r.bytes) / 1e6, r.seconds);
        std::cerr << "lede index: " << line << (r.added + r.updated + r.removed == 0 ? " (nothing changed)" : "")
                  << " -> " << db << '\n';
    }
    return r.failed > 0 ? Exit::file_errors : Exit::ok;
}

}  // namespace

void add_index_command(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<IndexArgs>();
    CLI::App* cmd = app.add_subcommand("index", "Index article files and folders (.txt, .md)");
    cmd->footer(
        "Examples:\n"
        "  lede index corpus/                 index a folder into the default index\n"
        "  lede index --db news.idx a.txt b/  index files and folders into news.idx\n"
        "  lede index --prune --db news.idx archive/   also drop articles whose files are gone\n"
        "Unchanged files are skipped; running the same job twice changes nothing.");
    cmd->add_option("--db", args->db, "Index folder (default: $LEDE_DB, else ~/.local/share/lede/index)");
    cmd->add_option("paths", args->paths, "Files and folders to index")->required();
    cmd->add_flag("--prune", args->prune, "Remove articles whose files no longer exist under PATHS");
    cmd->add_flag("-q,--quiet", args->quiet, "No summary line");
    cmd->callback([args, &run] { run = [args] { return run_index(*args); }; });
}

}  // namespace lede::tools
