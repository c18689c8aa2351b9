// Pieces shared by the lede subcommands: where the index lives, exit codes,
// error reporting. Subcommands are thin: options → library call → printer.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace lede::tools {

/// Exit codes (documented in `lede --help` and docs/lede.1).
enum Exit : int {
    ok = 0,             ///< success; search: at least one passage found
    no_match = 1,       ///< search: nothing matched
    error = 2,          ///< bad usage, bad query, missing index, I/O failure
    file_errors = 3,    ///< index: finished, but some files could not be indexed
    locked = 4,         ///< index: another writer holds the index lock
    interrupted = 130,  ///< index: stopped by SIGINT (128 + 2, as a shell reports it)
    terminated = 143,   ///< index: stopped by SIGTERM (128 + 15)
};

/// The index location: --db, else $LEDE_DB, else $XDG_DATA_HOME/lede/index
/// (~/.local/share/lede/index). Without --db, the location is remembered: a
/// missing index there is a first run, reported with how to make one.
std::string resolve_db(const std::string& flag);

/// Print "lede: MESSAGE" on stderr (terminal-safe).
void report(const std::string& message);

/// A search's heap, made ready in one system call: the first write to each
/// fresh page otherwise costs a page fault (docs/BENCHMARKS.md, "Round 12").
/// For the short commands (search, stats); a no-op where the kernel lacks
/// MADV_POPULATE_WRITE (Linux < 5.14).
void warm_heap();

/// `lede --version`: lede, the index format it writes, Xapian and ICU.
std::string version_text();

/// What `lede` alone prints: the three commands a new user needs.
std::string short_usage();

/// A usage error (bad option, missing argument) as `lede: [COMMAND: ]reason`,
/// with where to look; CLI11's failure message.
std::string usage_error(const CLI::App* app, const CLI::Error& e);

/// Before parsing: `lede` alone, or a first word that is not a command, is a
/// usage error (exit 2) even with --help after it. Returns -1 to go on.
int check_command_word(const CLI::App& app, int argc, char** argv);

/// The end of a read-only command that succeeded in printing: flush the
/// output (C++ streams and C stdio) and end the process with @p code at once,
/// leaving the open databases' files and the memory to the kernel rather than
/// to the destructors (on 8 segments: 9 databases' tables to close, every
/// block to free; -0.18 M instructions and 35 system calls, docs/BENCHMARKS.md
/// "Round 8: start-up"). Only where nothing else is to be written or
/// released: never with an index being written. Under AddressSanitizer it
/// returns @p code, so that the destructors still run and leaks are checked.
/// Output that could not be written (a full disk) is reported on standard
/// error and the code becomes Exit::error.
int finish(int code);

/// Map a lede::Error (or other exception) in flight to an exit code, reporting it.
int handle_exception();

/// Register the subcommands; each sets @p run to its action when selected.
void add_index_command(CLI::App& app, std::function<int()>& run);
void add_search_command(CLI::App& app, std::function<int()>& run);
/// `lede search --timeline` takes an optional period: a bare --timeline before
/// a word that is no period becomes --timeline=auto (the word stays a query word).
void optional_values(int argc, char** argv);
void add_stats_command(CLI::App& app, std::function<int()>& run);
void add_compact_command(CLI::App& app, std::function<int()>& run);

}  // namespace lede::tools
