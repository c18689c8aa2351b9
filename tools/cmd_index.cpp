// `lede index`, `lede stats`, `lede compact`: building and maintaining an index.
#include "tools/app.hpp"

#include <lede/error.hpp>
#include <lede/index.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

namespace lede::tools {
namespace {

struct IndexArgs {
    std::string db;
    std::vector<std::string> paths;
    std::string files_from;
    std::string format = "auto";
    std::string summary_json;
    std::vector<std::string> json_text_fields;
    std::string shard_of;
    IndexOptions opt;
    bool quiet = false;
};

// SIGINT/SIGTERM during `lede index`: the handler only sets flags (both
// async-signal-safe); the library sees the flag between files and stops at a
// safe point. SA_RESETHAND restores the default action, so a second signal
// stops at once. SA_RESTART: reads and writes in flight are not cut short.
static_assert(std::atomic<bool>::is_always_lock_free);
std::atomic<bool> stop_requested{false};
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int sig) {
    stop_signal = sig;
    stop_requested.store(true, std::memory_order_relaxed);
}

// Installs the handlers for its lifetime (not where the signal is ignored,
// as for a background job of a non-interactive shell).
class StopSignals {
public:
    StopSignals() {
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND | SA_RESTART;
        for (int i = 0; i < 2; ++i) {
            struct sigaction old {};
            if (sigaction(signals_[i], nullptr, &old) == 0 && old.sa_handler != SIG_IGN
                && sigaction(signals_[i], &sa, &old_[i]) == 0) {
                installed_[i] = true;
            }
        }
    }
    ~StopSignals() {
        for (int i = 0; i < 2; ++i) {
            if (installed_[i]) {
                sigaction(signals_[i], &old_[i], nullptr);
            }
        }
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    int signals_[2] = {SIGINT, SIGTERM};
    struct sigaction old_[2]{};
    bool installed_[2] = {false, false};
};

void print_progress(const IndexProgress& p) {
    double mb = static_cast<double>(p.bytes_done) / 1e6;
    double rate = p.seconds > 0 ? mb / p.seconds : 0.0;
    double left = rate > 0 ? static_cast<double>(p.bytes_total - p.bytes_done) / 1e6 / rate : 0.0;
    std::fprintf(stderr, "\r\x1b[Klede index: %zu/%zu files, %.1f MB, %.1f MB/s, ETA %.0f s", p.files_done,
                 p.files_total, mb, rate, left);
}

std::string summary_line(const IndexReport& r, const std::string& db) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "%zu added, %zu updated, %zu unchanged, %zu removed, %zu failed; %zu passages, "
                  "%zu non-prose lines skipped, %zu warnings, %.1f MB in %.2f s",
                  r.added, r.updated, r.unchanged, r.removed, r.failed, r.passages, r.non_prose, r.warnings.size(),
                  static_cast<double>(r.bytes) / 1e6, r.seconds);
    std::string s = line;
    if (r.added + r.updated + r.removed == 0 && r.failed == 0) {
        s += " (nothing changed)";
    }
    if (r.merges > 0 || r.segments_expunged > 0) {
        if (r.merges > 0) {
            std::snprintf(line, sizeof line, "; merged %zu segments into %zu", r.segments_merged, r.merges);
            s += line;
        }
        if (r.segments_expunged > 0) {
            std::snprintf(line, sizeof line, "%s %zu segment%s alone", r.merges > 0 ? ", rebuilt" : "; rebuilt",
                          r.segments_expunged, r.segments_expunged == 1 ? "" : "s");
            s += line;
        }
        std::snprintf(line, sizeof line, " in %.2f s", r.merge_seconds);
        s += line;
        if (r.hidden_dropped > 0) {
            std::snprintf(line, sizeof line, ", dropping %zu hidden passages", r.hidden_dropped);
            s += line;
        }
    }
    s += " -> " + db;
    if (r.interrupted) {
        s = std::string("interrupted by ") + (stop_signal == SIGTERM ? "SIGTERM" : "SIGINT") + ": " + s
            + "; run it again to finish";
    }
    return s;
}

void write_summary_json(const std::string& file, const IndexReport& r, const std::string& db) {
    nlohmann::ordered_json j;
    j["db"] = db;
    j["files"] = r.files;
    j["added"] = r.added;
    j["updated"] = r.updated;
    j["unchanged"] = r.unchanged;
    j["removed"] = r.removed;
    j["failed"] = r.failed;
    j["passages"] = r.passages;
    j["non_prose"] = r.non_prose;
    j["repaired_bytes"] = r.repaired;
    j["bytes"] = r.bytes;
    j["seconds"] = r.seconds;
    j["interrupted"] = r.interrupted;
    j["segments"] = r.segments;
    j["writers"] = r.writers;
    j["segments_merged"] = r.segments_merged;
    j["merge_seconds"] = r.merge_seconds;
    j["segments_expunged"] = r.segments_expunged;
    j["hidden_dropped"] = r.hidden_dropped;
    auto list = [](const std::vector<FileError>& v) {
        auto a = nlohmann::ordered_json::array();
        for (const auto& e : v) {
            a.push_back({{"path", e.path}, {"reason", e.reason}});
        }
        return a;
    };
    j["errors"] = list(r.errors);
    j["warnings"] = list(r.warnings);
    std::ofstream out(file);
    out << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    if (!out) {
        throw Error(ErrorKind::io, "writing summary to " + file + ": cannot write the file");
    }
}

int run_index(IndexArgs& a) {
    std::string db = resolve_db(a.db);
    if (!a.files_from.empty()) {
        std::ifstream file;
        if (a.files_from != "-") {
            file.open(a.files_from);
            if (!file) {
                throw Error(ErrorKind::io, "--files-from " + a.files_from + ": cannot open the file");
            }
        }
        std::istream& in = a.files_from == "-" ? std::cin : file;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) {
                a.paths.push_back(line);
            }
        }
    }
    if (a.paths.empty()) {
        throw Error(ErrorKind::invalid_argument,
                    "nothing to index: give the files or folders of articles to index (.txt, .md, .jsonl), "
                    "e.g. `lede index ~/news/`; '-' reads standard input, --files-from FILE a list of paths");
    }
    a.opt.format = a.format == "jsonl"  ? InputFormat::jsonl
                   : a.format == "text" ? InputFormat::text
                   : a.format == "html" ? InputFormat::html
                   : a.format == "feed" ? InputFormat::feed
                                        : InputFormat::auto_detect;
    if (!a.shard_of.empty()) {
        unsigned k = 0;
        unsigned n = 0;
        char extra = 0;
        if (std::sscanf(a.shard_of.c_str(), "%u/%u%c", &k, &n, &extra) != 2 || n < 1 || k < 1 || k > n) {
            throw Error(ErrorKind::invalid_argument, "--shard-of " + a.shard_of + ": expected K/N with 1 <= K <= N");
        }
        a.opt.shard_index = k;
        a.opt.shard_count = n;
    }
    if (!a.json_text_fields.empty()) {
        a.opt.json.text = a.json_text_fields;
    }
    bool tty = isatty(STDERR_FILENO) != 0;
    if (!a.quiet && tty) {
        a.opt.progress = print_progress;
    }
    a.opt.stdin_input = &std::cin;  // for the path "-"
    a.opt.cancel = &stop_requested;
    IndexReport r;
    {
        StopSignals handlers;  // before the index is opened: a signal from then on is handled
        Indexer indexer(db);
        r = indexer.index_paths(a.paths, a.opt);
    }  // committed and closed; a signal from here on has its default action
    if (a.opt.progress) {
        std::fputs("\r\x1b[K", stderr);
    }
    for (const auto& e : r.errors) {
        report(e.path + ": " + e.reason);
    }
    if (!a.quiet) {
        for (const auto& w : r.warnings) {
            report(w.path + ": warning: " + w.reason);
        }
    }
    if (!a.quiet) {
        std::cerr << "lede index: " << summary_line(r, db) << '\n';
    }
    if (!a.summary_json.empty()) {
        write_summary_json(a.summary_json, r, db);
    }
    if (r.interrupted) {
        return stop_signal == SIGTERM ? Exit::terminated : Exit::interrupted;
    }
    return r.failed > 0 ? Exit::file_errors : Exit::ok;
}

}  // namespace

void add_index_command(CLI::App& app, std::function<int()>& run) {
    auto args = std::make_shared<IndexArgs>();
    CLI::App* cmd =
        app.add_subcommand("index", "Index article files and folders (.txt, .md, .jsonl, .html, .rss/.atom)");
    cmd->footer(
        "Examples:\n"
        "  lede index corpus/                     index a folder into the default index\n"
        "  lede index --db news.idx a.txt b/      files and folders into news.idx\n"
        "  lede index --prune archive/            also drop articles whose files are gone\n"
        "  lede index --no-path-dates scans/      no dates from paths (2026/02/04/x.txt, 1790_x.txt)\n"
        "  lede index --format jsonl - < feed.jsonl   JSON Lines from standard input\n"
        "  lede index saved-pages/ feeds/         HTML pages; RSS/Atom items updated in place\n"
        "  find . -name '*.txt' | lede index --files-from -\n"
        "  lede index --db s1 --shard-of 1/2 archive/ & lede index --db s2 --shard-of 2/2 archive/\n"
        "  lede index --remote-ready --db s1 archive/   an index xapian-tcpsrv can serve (tcp:// shard)\n"
        "Unchanged files are skipped: running the same job twice changes nothing.\n"
        "Ctrl-C (SIGINT) or SIGTERM stops at the next file: the files written so far are kept\n"
        "(a parallel build of a new index is dropped), the summary says \"interrupted\".\n"
        "Exit status: 0 success, 2 error, 3 finished but some files failed, 4 index locked,\n"
        "130/143 interrupted by SIGINT/SIGTERM (a second Ctrl-C stops at once).");
    cmd->add_option("--db", args->db, "Index folder (default: $LEDE_DB, else ~/.local/share/lede/index)");
    cmd->add_option("paths", args->paths, "Files and folders to index ('-' = standard input)");
    cmd->add_option("--files-from", args->files_from, "Read paths to index from FILE, one per line ('-' = stdin)");
    cmd->add_flag("--prune", args->opt.prune, "Remove articles whose files no longer exist under PATHS");
    cmd->add_option("-j,--jobs", args->opt.jobs, "Analysis threads (default: number of cores)");
    cmd->add_option("--format", args->format,
                    "Input format: auto (by extension; HTML also by content), text, jsonl, html, feed")
        ->check(CLI::IsMember({"auto", "text", "jsonl", "html", "feed"}))
        ->capture_default_str();
    cmd->add_option("--include", args->opt.include,
                    "Glob of file names to index in folders (repeatable; default *.txt *.md *.jsonl ...)")
        ->allow_extra_args(false);
    cmd->add_option("--exclude", args->opt.exclude, "Glob of file or folder names to skip (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--json-id", args->opt.json.id, "JSON Lines field holding the article id")->capture_default_str();
    cmd->add_option("--json-title", args->opt.json.title, "JSON Lines title field")->capture_default_str();
    cmd->add_option("--json-text", args->json_text_fields, "JSON Lines text field (repeatable; default text, body)")
        ->allow_extra_args(false);
    cmd->add_option("--json-date", args->opt.json.date, "JSON Lines date field")->capture_default_str();
    cmd->add_option("--json-source", args->opt.json.source, "JSON Lines source field")->capture_default_str();
    cmd->add_option("--json-url", args->opt.json.url, "JSON Lines URL field")->capture_default_str();
    cmd->add_option("--shard-of", args->shard_of,
                    "K/N: index only the files of shard K of N (by path hash) - run N jobs, one per shard");
    cmd->add_option("--writers", args->opt.writers,
                    "Writers, each a shard of the files, compacted into one segment at the end "
                    "(0 = one per job for batches over 4 MB)")
        ->capture_default_str();
    cmd->add_flag("--remote-ready", args->opt.remote_ready,
                  "Keep term lists (index ~1.65x as large) so xapian-tcpsrv can serve this index as a tcp:// shard; "
                  "a new index only, remembered by it");
    cmd->add_option("--flush", args->opt.flush_passages,
                    "Commit every N passages (bounds memory; a crash loses at most one batch, "
                    "or a run of several writers)")
        ->capture_default_str();
    cmd->add_flag_callback(
        "--no-merge", [args] { args->opt.merge = false; },
        "Do not merge segments at the end of the run (the next run without it does)");
    cmd->add_flag_callback(
        "--no-path-dates", [args] { args->opt.path_dates = false; },
        "Do not date articles from their paths (2026/02/04/slug.txt, 1790_washington.txt)");
    cmd->add_option("--summary-json", args->summary_json, "Also write the run's summary as JSON to FILE");
    cmd->add_flag("-q,--quiet", args->quiet,
                  "No progress, warnings or summary line (errors are still reported; see --summary-json)");
    cmd->callback([args, &run] { run = [args] { return run_index(*args); }; });
}

void add_stats_command(CLI::App& app, std::function<int()>& run) {
    auto db = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("stats", "Show the size of an index");
    cmd->add_option("--db", *db, "Index folder (default: $LEDE_DB, else ~/.local/share/lede/index)");
    cmd->add_flag("--json", *json, "Print one JSON object");
    cmd->callback([db, json, &run] {
        run = [db, json] {
            std::string path = resolve_db(*db);
            IndexStats s = index_stats(path);
            if (*json) {
                nlohmann::ordered_json j{
                    {"db", path},       {"articles", s.articles},   {"passages", s.passages},
                    {"terms", s.terms}, {"bytes", s.bytes_on_disk}, {"last_update", s.last_update}};
                j["dated"] = s.dated;
                auto& from = j["dated_from"] = nlohmann::ordered_json::object();
                for (const auto& [origin, n] : s.dated_from) {
                    from[origin] = n;
                }
                std::cout << j.dump() << '\n';
            } else {
                std::cout << "index:       " << path << "\narticles:    " << s.articles
                          << "\npassages:    " << s.passages << "\nterms:       " << s.terms
                          << "\nsize:        " << s.bytes_on_disk / 1024
                          << " KiB\nlast update: " << (s.last_update.empty() ? "unknown" : s.last_update)
                          << "\ndated:       " << s.dated;
                std::string from;
                for (const auto& [origin, n] : s.dated_from) {
                    if (n > 0) {
                        from += (from.empty() ? "" : ", ") + std::to_string(n) + " from " + origin;
                    }
                }
                std::cout << (from.empty() ? "" : " (" + from + ")") << '\n';
            }
            return Exit::ok;
        };
    });
}

void add_compact_command(CLI::App& app, std::function<int()>& run) {
    auto dbs = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    auto remote_ready = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("compact", "Write a compacted copy of an index, or merge shards into one");
    cmd->footer(
        "Examples:\n"
        "  lede compact --db news.idx news-compact.idx\n"
        "  lede compact --db shard1 --db shard2 merged.idx\n"
        "  lede compact --remote-ready --db news.idx served.idx   a copy xapian-tcpsrv can serve");
    cmd->add_option("--db", *dbs,
                    "Index folder or shard (repeatable; default: $LEDE_DB, else ~/.local/share/lede/index)")
        ->allow_extra_args(false);
    cmd->add_option("output", *out, "Folder for the compacted copy (must not exist)")->required();
    cmd->add_flag("--remote-ready", *remote_ready,
                  "Give the copy term lists, so xapian-tcpsrv can serve it (a remote-ready index stays so)");
    cmd->callback([dbs, out, remote_ready, &run] {
        run = [dbs, out, remote_ready] {
            std::vector<std::string> in = *dbs;
            if (in.empty()) {
                in.push_back(resolve_db(""));
            }
            compact_index(in, *out, *remote_ready);
            return Exit::ok;
        };
    });
}

}  // namespace lede::tools
