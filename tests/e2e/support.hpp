// Running the real lede binary from tests: each test gets its own temporary
// folder (ripgrep's Dir), commands run through /bin/sh, output captured.
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <string>
#include <vector>

namespace e2e {

struct Result {
    int exit = -1;
    std::string out;
    std::string err;
};

/// Run a shell command line; stdout and stderr captured separately.
Result sh(const std::string& cmdline);

/// Run `lede ARGS` (ARGS is shell text).
Result lede(const std::string& args);

/// Where a spawned lede's standard streams go: stdout and stderr to files
/// (an empty name keeps the test's own), stdin from @p stdin_fd or /dev/null.
struct SpawnIo {
    std::string out;
    std::string err;
    int stdin_fd = -1;
};

/// Start `lede ARGS` (an argument vector, no shell) in a child process and
/// return its pid without waiting.
pid_t spawn_lede(const std::vector<std::string>& args, const SpawnIo& io = {});

/// Send SIGKILL to @p pid after @p delay_ms milliseconds and reap it; returns
/// its wait status (the kill -9 tests: the run may have finished by then).
int kill_after(pid_t pid, int delay_ms);

/// Quote for /bin/sh.
std::string q(const std::string& s);

/// A fresh temporary folder, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

/// The repository's corpus/ folder and tests/data/ folder.
std::string corpus_dir();
std::string data_dir();

/// The SOTU sample (tests/data/sotu) cut into files of six paragraphs of
/// three sentences each, written as @p dir/sotu_FF_NN.txt (FF: the source
/// file, NN: the piece); returns their paths in that order.
std::vector<std::string> cut_sotu(const std::string& dir);

/// An index of corpus/ built once per test process (read-only use).
const std::string& corpus_index();

/// The number of passages in an index (`lede stats --json`).
std::size_t passages(const std::string& db);

/// The metadata database of the index folder @p db: the first database its
/// commit point (the stub file XAPIANDB) names (docs/ARCHITECTURE.md).
std::string meta_db(const std::string& db);
/// The segments it names, in order (full paths).
std::vector<std::string> segment_dbs(const std::string& db);

/// CHECK that two `--json` results list the same passages in the same order
/// (path, passage, text, snippet, highlights, copies, title) with scores
/// within @p tolerance (relative, for scores above 1).
void same_results(const nlohmann::json& a, const nlohmann::json& b, double tolerance = 1e-6);

/// `lede search --json` parsed; REQUIREs valid JSON.
nlohmann::json search_json(const std::string& db, const std::string& query_args);

}  // namespace e2e
