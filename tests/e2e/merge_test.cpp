// Merges at the end of `lede index` (indexer/merge.hpp, docs/ARCHITECTURE.md
// "Segments, deletions, merges"): many small runs leave few segments and the
// results of the unmerged index; kill -9 during a merge leaves the old layout
// or the new one, and the re-run converges; a second writer during a merge
// gets exit 4, a reader sees every passage once.
//
// A merge is caught without timing guesses: it is under way when the stub
// names the run's new segment while a segment folder it does not name exists
// (the run's last commit is done, the merged segment is being written).
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string in_src(const TempDir& d, const std::string& later) {
    return d / ("src/" + fs::path(later).filename().string());
}

const std::vector<std::string> queries = {"war",     "freedom", "'\"the people\"'",  "government",
                                          "Lincoln", "'slav*'", "'debts AND union'", "Brackenridge"};

// Every query gives the same passages, in the same order, scores within 1e-9.
void same_everywhere(const std::string& want_db, const std::string& db) {
    for (const std::string& query : queries) {
        CAPTURE(query);
        const std::string args = "--per-article 0 -n 40 " + query;
        nlohmann::json want = search_json(want_db, args);
        nlohmann::json got = search_json(db, args);
        CHECK(got["total"] == want["total"]);
        same_results(want, got, 1e-9);
    }
}

// Segment folders of @p db its stub does not name.
std::vector<std::string> unnamed_segments(const std::string& db) {
    std::vector<std::string> named = segment_dbs(db);
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(db, ec)) {
        const std::string p = db + "/" + e.path().filename().string();
        if (e.path().filename().string().starts_with("seg-")
            && std::find(named.begin(), named.end(), p) == named.end()) {
            out.push_back(p);
        }
    }
    return out;
}

// Wait until the run of @p pid is merging (true), or has exited (false; its
// wait status in @p status).
bool wait_merging(pid_t pid, const std::string& db, std::size_t segments_before, int& status) {
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < deadline) {
        if (segment_dbs(db).size() == segments_before + 1 && !unnamed_segments(db).empty()) {
            return true;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return false;
}

}  // namespace

TEST_CASE("merges: 12 small runs with edits and --prune keep the segments bounded and the unmerged results") {
    TempDir d;
    std::vector<std::string> files = cut_sotu(d / "later");  // moved into src/ run by run
    fs::create_directories(d / "src");
    REQUIRE(files.size() >= 24);
    const std::string merged = d / "merged";
    const std::string plain = d / "plain";
    std::size_t next = 0;
    std::size_t merges = 0;
    for (int run = 0; run < 12; ++run) {
        CAPTURE(run);
        // Two new files a run, the rest in the last one.
        for (std::size_t k = 0; k < (run == 11 ? files.size() : 2) && next < files.size(); ++k, ++next) {
            fs::rename(files[next], in_src(d, files[next]));
        }
        if (run >= 3 && run % 2 == 1) {  // an edit: a paragraph added to a file indexed before
            const std::string f = in_src(d, files[static_cast<std::size_t>(run) - 3]);
            write_file(f, read_file(f) + "\nBrackenridge warned about the war debts of the union, run "
                              + std::to_string(run) + ".\n");
        }
        if (run == 8 || run == 10) {  // a file deleted
            fs::remove(in_src(d, files[static_cast<std::size_t>(run) - 6]));
        }
        Result a = lede("index --prune --db " + q(merged) + " " + q(d / "src"));
        REQUIRE(a.exit == 0);
        Result b = lede("index -q --prune --no-merge --db " + q(plain) + " " + q(d / "src"));
        REQUIRE(b.exit == 0);
        merges += a.err.find("; merged ") != std::string::npos ? 1 : 0;
        CHECK(segment_dbs(merged).size() <= 8);
        CHECK(segment_dbs(merged).size() <= 4);  // all in tier 0 (under 1000 passages): at most 4
    }
    CHECK(merges >= 2);
    CHECK(segment_dbs(plain).size() == 12);
    // The merged index holds what the unmerged one does, hidden passages
    // included (kept by compaction, still hidden by their deletion records):
    // the same statistics, so the same scores.
    CHECK(passages(merged) == passages(plain));
    same_everywhere(plain, merged);
    CHECK(search_json(merged, "--per-article 0 -n 100 Brackenridge")["total"] == 3);
    // The summary JSON says how many segments there are.
    REQUIRE(lede("index -q --summary-json " + q(d / "sum.json") + " --db " + q(merged) + " " + q(d / "src")).exit == 0);
    auto sum = nlohmann::json::parse(read_file(d / "sum.json"));
    CHECK(sum["segments"] == segment_dbs(merged).size());
    CHECK(sum["segments_merged"] == 0);
    // The next run removes the merged parts that readers might still have read.
    CHECK(unnamed_segments(merged).empty());
}

TEST_CASE(
    "merges: kill -9 during a merge leaves the old or the new layout, a second writer gets exit 4, the re-run "
    "converges") {
    TempDir d;
    std::vector<std::string> files = cut_sotu(d / "later");  // moved into src/ run by run
    fs::create_directories(d / "src");
    REQUIRE(files.size() >= 20);
    // Four runs without merging: four segments of tier 0; the fifth run's end merges five.
    const std::string base = d / "base";
    for (std::size_t run = 0; run < 5; ++run) {
        for (std::size_t k = run * 4; k < (run == 4 ? files.size() : run * 4 + 4); ++k) {
            fs::rename(files[k], in_src(d, files[k]));
        }
        if (run == 4) {
            break;
        }
        REQUIRE(lede("index -q --no-merge --db " + q(base) + " " + q(d / "src")).exit == 0);
    }
    REQUIRE(segment_dbs(base).size() == 4);
    const std::string want = d / "want";  // the fifth run, not merged
    fs::copy(base, want, fs::copy_options::recursive);
    REQUIRE(lede("index -q --no-merge --db " + q(want) + " " + q(d / "src")).exit == 0);

    const std::string db = d / "db";
    int caught = 0;
    for (int moment = 0; moment < 4; ++moment) {
        CAPTURE(moment);
        for (int attempt = 0; attempt < 5; ++attempt) {
            fs::remove_all(db);
            fs::copy(base, db, fs::copy_options::recursive);
            pid_t pid = spawn_lede({"index", "--db", db, d / "src"}, {.out = "/dev/null", .err = d / "err"});
            REQUIRE(pid > 0);
            int status = 0;
            if (!wait_merging(pid, db, 4, status)) {
                // Done before it was seen merging: a finished run.
                INFO("stderr: " << read_file(d / "err"));
                CHECK(WIFEXITED(status));
                CHECK(WEXITSTATUS(status) == 0);
                continue;
            }
            ++caught;
            if (moment == 0) {
                // Paused in the merge: readers see the run's last commit, a
                // second writer is refused.
                kill(pid, SIGSTOP);
                CHECK(passages(db) == passages(want));
                same_everywhere(want, db);
                Result second = lede("index --db " + q(db) + " " + q(d / "src"));
                CHECK(second.exit == 4);
                CHECK(second.err.find("another process is writing to this index") != std::string::npos);
            }
            kill_after(pid, moment <= 1 ? 0 : moment == 2 ? 5 : 25);
            // The old layout (five segments) or the merged one.
            const std::size_t n = segment_dbs(db).size();
            CHECK((n == 5 || n == 1));
            CHECK(passages(db) == passages(want));
            same_everywhere(want, db);
            // The re-run has nothing to index; it merges (again) what is not merged.
            Result re = lede("index --db " + q(db) + " " + q(d / "src"));
            INFO("rerun stderr: " << re.err);
            CHECK(re.exit == 0);
            CHECK(re.err.find("nothing changed") != std::string::npos);
            CHECK((re.err.find("; merged 5 segments into 1") != std::string::npos) == (n == 5));
            CHECK(segment_dbs(db).size() == 1);
            same_everywhere(want, db);
            REQUIRE(lede("index -q --db " + q(db) + " " + q(d / "src")).exit == 0);
            CHECK(unnamed_segments(db).empty());
            CHECK(fs::exists(db + "/.lede-lock"));
            break;
        }
    }
    MESSAGE(caught << " of 4 moments caught merging");
    CHECK(caught >= 3);
}
