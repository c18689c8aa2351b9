// Alerts for batch jobs (issue 16): `lede search --since-last NAME` prints
// each new passage once, across edits, added files, concurrent index commits
// and concurrent alert runs; `--indexed-since` relative and absolute. (Remote
// shards: shard_test.cpp.)
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

using namespace e2e;

namespace {

// "path:passage: text" of each result line of a --jsonl alert run.
std::vector<std::string> passages_of(const std::string& jsonl) {
    std::vector<std::string> out;
    std::istringstream in(jsonl);
    std::string line;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line);
        if (j["type"] == "result") {
            out.push_back(j["path"].get<std::string>() + ":" + std::to_string(j["passage"].get<int>()) + ": "
                          + j["text"].get<std::string>());
        }
    }
    return out;
}

struct Alert {
    std::string db;
    std::string state;
    std::string name = "ukraine";
    std::string query = "'Umerov OR Umyrov'";
    [[nodiscard]] std::string cmd() const {
        return "search --db " + q(db) + " --state " + q(state) + " --since-last " + name + " --jsonl " + query;
    }
    Result run() const { return lede(cmd()); }
};

std::string article(int n, const std::string& extra = "") {
    return "Umerov met the envoys, report " + std::to_string(n) + ".\n\nTalks went on about prisoners "
           + std::to_string(n) + ".\n\nUmyrov said the talks were useful " + std::to_string(n) + "." + extra + "\n";
}

// Now as ISO 8601 UTC with milliseconds.
std::string iso_now() {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

}  // namespace

TEST_CASE("alerts: the first run prints what matches, the next only what is new, each passage once") {
    TempDir d;
    write_file(d / "feeds/a.txt", article(1));
    write_file(d / "feeds/b.txt", article(2));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    Alert al{d / "idx", d / "state/alerts"};

    Result r = al.run();
    CHECK(r.exit == 0);
    CHECK(r.err.empty());
    auto first = passages_of(r.out);
    CHECK(first.size() == 4);  // passages 1 and 3 of each file (2 has neither word)
    // Each result says when it was indexed; the summary follows.
    auto line = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
    CHECK(line["indexed"].get<std::string>().size() == std::string("2026-11-30T08:00:00.000Z").size());
    CHECK(r.out.find("\"type\":\"summary\"") != std::string::npos);

    // Nothing new: nothing printed, not even a summary (cron mails nothing), exit 1.
    r = al.run();
    CHECK(r.exit == 1);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    // Re-indexing unchanged files changes nothing.
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    CHECK(al.run().out.empty());

    // One paragraph edited: only that passage is new (the file is re-written whole).
    write_file(d / "feeds/a.txt",
               "Umerov met the envoys, report 1.\n\nTalks went on about prisoners 1.\n\n"
               "Umyrov said the talks were useful 1, and would go on.\n");
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    r = al.run();
    CHECK(r.exit == 0);
    CHECK(passages_of(r.out)
          == std::vector<std::string>{d / "feeds/a.txt:3: Umyrov said the talks were useful 1, and would go on."});

    // A paragraph inserted before the others: they move, but are not new.
    write_file(d / "feeds/b.txt", "A new lead paragraph about Umerov.\n\n" + article(2));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    CHECK(passages_of(al.run().out)
          == std::vector<std::string>{d / "feeds/b.txt:1: A new lead paragraph about Umerov."});

    // A new file: only its passages.
    write_file(d / "feeds/c.txt", article(3));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    r = al.run();
    auto added = passages_of(r.out);
    CHECK(added.size() == 2);
    for (const auto& p : added) {
        CHECK(p.starts_with(d / "feeds/c.txt:"));
    }
    CHECK(al.run().out.empty());

    // Another alert name has its own checkpoint: its first run sees everything.
    Alert other = al;
    other.name = "other";
    CHECK(passages_of(other.run().out).size() == 7);
}

TEST_CASE("alerts: runs during index commits and two runs at once miss nothing and double nothing") {
    TempDir d;
    write_file(d / "feeds/f0.txt", article(0));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    Alert al{d / "idx", d / "state"};
    std::multiset<std::string> seen;
    auto collect = [&](const std::string& out) {
        for (auto& p : passages_of(out)) {
            seen.insert(p);
        }
    };
    // A writer adding two files per `lede index` run, committing after each
    // file (--flush 1), while alerts run: one at a time and two at once.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::string script = "for i in $(seq 1 12); do "
                             "printf 'Umerov spoke on day %sa.\\n\\nUmyrov spoke again on day %sa.\\n' $i $i > " + q(d / "feeds") + "/f${i}a.txt; "
                             "printf 'Umerov spoke on day %sb.\\n\\nNothing to see here.\\n\\nUmerov spoke late on day %sb.\\n' $i $i > " + q(d / "feeds") +
                             "/f${i}b.txt; " + q(LEDE_BIN) + " index -q -j 1 --flush 1 --db " + q(d / "idx") + " " +
                             q(d / "feeds") + " || exit 1; done";
        execl("/bin/sh", "sh", "-c", script.c_str(), nullptr);
        _exit(127);
    }
    int runs = 0;
    int printing = 0;  // runs that found something new
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        Result r = sh(q(LEDE_BIN) + " " + al.cmd() + " > " + q(d / "o1") + " & " + q(LEDE_BIN) + " " + al.cmd() + " > "
                      + q(d / "o2") + "; wait");
        CHECK(r.err.empty());
        for (const std::string& out : {read_file(d / "o1"), read_file(d / "o2"), al.run().out}) {
            printing += out.empty() ? 0 : 1;
            collect(out);
        }
        runs += 3;
    }
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    collect(al.run().out);  // whatever the last commit added
    INFO(runs << " alert runs during the index runs, " << printing << " found something new");
    CHECK(printing >= 2);  // the runs did interleave with the commits
    // Every passage now in the index, each printed exactly once.
    auto all = search_json(d / "idx", "-n 10000 --per-article 0 'Umerov OR Umyrov'");
    std::multiset<std::string> expected;
    for (const auto& h : all["results"]) {
        expected.insert(h["path"].get<std::string>() + ":" + std::to_string(h["passage"].get<int>()) + ": "
                        + h["text"].get<std::string>());
    }
    CHECK(expected.size() == 2 + 12 * 4);
    CHECK(seen == expected);
}

TEST_CASE("alerts: --indexed-since a duration, a date, a timestamp") {
    TempDir d;
    write_file(d / "feeds/a.txt", article(1));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string between = iso_now();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write_file(d / "feeds/b.txt", article(2));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);

    auto since = [&](const std::string& t) {
        return search_json(d / "idx", "--per-article 0 --indexed-since " + q(t) + " Umerov")["results"];
    };
    CHECK(since("1h").size() == 4);
    CHECK(since("2000-01-01").size() == 4);
    CHECK(since("2199-01-01T00:00Z").empty());
    auto later = since(between);
    CHECK(later.size() == 2);
    for (const auto& h : later) {
        CHECK(h["path"].get<std::string>().ends_with("b.txt"));
        CHECK(h["indexed"].get<std::string>() >= between);
    }
    // A bad time says why, and what a time is.
    Result r = lede("search --db " + q(d / "idx") + " --indexed-since yesterday Umerov");
    CHECK(r.exit == 2);
    CHECK(r.err.find("lede: --indexed-since: 'yesterday' is not a time") != std::string::npos);
}

TEST_CASE("alerts: bad names, foreign state files and failed output are errors that advance nothing") {
    TempDir d;
    write_file(d / "feeds/a.txt", article(1));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    Result r = lede("search --db " + q(d / "idx") + " --state " + q(d / "st") + " --since-last ../x Umerov");
    CHECK(r.exit == 2);
    CHECK(r.err.find("lede: --since-last: '../x' is not an alert name") != std::string::npos);

    write_file(d / "notes.txt", "buy milk\n");
    r = lede("search --db " + q(d / "idx") + " --state " + q(d / "notes.txt") + " --since-last a Umerov");
    CHECK(r.exit == 2);
    CHECK(r.err.find(d / "notes.txt:1: not an alert state line") != std::string::npos);
    CHECK(read_file(d / "notes.txt") == "buy milk\n");

    // Output that cannot be written: the checkpoint stays, the next run shows it all.
    Alert al{d / "idx", d / "st"};
    r = lede(al.cmd() + " > /dev/full");
    CHECK(r.exit == 2);
    CHECK(r.err.find("checkpoint stays") != std::string::npos);
    CHECK(passages_of(al.run().out).size() == 2);

    // -n smaller than what is new: said on stderr, and the rest is not shown again.
    write_file(d / "feeds/b.txt", article(2));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    r = lede(al.cmd() + " -n 1");
    CHECK(passages_of(r.out).size() == 1);
    CHECK(r.err.find("1 of 2 new passages shown") != std::string::npos);
    CHECK(al.run().out.empty());
}

TEST_CASE("alerts: the default state file is under $XDG_STATE_HOME, one per index") {
    TempDir d;
    write_file(d / "feeds/a.txt", article(1));
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "feeds")).exit == 0);
    REQUIRE(lede("index -q --db " + q(d / "idx2") + " " + q(d / "feeds")).exit == 0);
    std::string env = "XDG_STATE_HOME=" + q(d / "xdg") + " ";
    auto run = [&](const std::string& db) {
        return sh(env + q(LEDE_BIN) + " search --db " + q(db) + " --since-last a --jsonl Umerov");
    };
    CHECK(passages_of(run(d / "idx").out).size() == 2);
    CHECK(run(d / "idx").out.empty());
    CHECK(passages_of(run(d / "idx2").out).size() == 2);  // another index, another file
    // The same index by another spelling of its path: the same checkpoints.
    CHECK(run(d / "feeds/../idx").out.empty());
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(d / "xdg/lede/alerts")) {
        files += e.path().extension() == ".alerts" ? 1 : 0;
    }
    CHECK(files == 2);
}

TEST_CASE("alerts: an index compacted alone keeps its alerts, merged shards are a new index") {
    TempDir d;
    write_file(d / "a/1.txt", article(1));
    write_file(d / "b/1.txt", article(2));
    REQUIRE(lede("index -q --db " + q(d / "s1") + " " + q(d / "a")).exit == 0);
    REQUIRE(lede("index -q --db " + q(d / "s2") + " " + q(d / "b")).exit == 0);
    Alert one{d / "s1", d / "state"};
    CHECK(passages_of(one.run().out).size() == 2);
    REQUIRE(lede("compact --db " + q(d / "s1") + " " + q(d / "s1c")).exit == 0);
    Alert compacted{d / "s1c", d / "state"};
    CHECK(compacted.run().out.empty());  // the same index to the alert
    write_file(d / "a/2.txt", article(3));
    REQUIRE(lede("index -q --db " + q(d / "s1c") + " " + q(d / "a")).exit == 0);
    CHECK(passages_of(compacted.run().out).size() == 2);  // only the new file

    REQUIRE(lede("compact --db " + q(d / "s1c") + " --db " + q(d / "s2") + " " + q(d / "merged")).exit == 0);
    Alert merged{d / "merged", d / "state"};
    CHECK(passages_of(merged.run().out).size() == 6);  // a new index: its first run
    CHECK(merged.run().out.empty());
    write_file(d / "b/2.txt", article(4));
    REQUIRE(lede("index -q --db " + q(d / "merged") + " " + q(d / "b")).exit == 0);
    CHECK(passages_of(merged.run().out).size() == 2);
}
