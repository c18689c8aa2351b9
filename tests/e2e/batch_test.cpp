// Batch indexing end to end (issue 5): formats, globs, stdin, summaries,
// crash safety, a second writer.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

using namespace e2e;

TEST_CASE("batch: JSON Lines articles, fields searchable and shown, bad lines named") {
    TempDir d;
    write_file(
        d / "feed.jsonl",
        R"({"id": "a1", "title": "Talks in Abu Dhabi", "text": "Witkoff met Umerov.\n\nThey agreed on prisoners.", "date": "2026-02-05", "source": "Reuters", "url": "https://example.com/a1"})"
        "\n"
        "{not json}\n"
        R"({"id": "a2", "title": "Winter", "body": "Energy attacks hit Kyiv.", "date": "2026-01-20", "source": "AP"})"
        "\n"
        R"({"id": "a3", "title": "No text"})"
        "\n"
        "[1, 2]\n");
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "feed.jsonl"));
    CHECK(r.exit == 3);
    CHECK(r.err.find("feed.jsonl: line 2: invalid JSON") != std::string::npos);
    CHECK(r.err.find("feed.jsonl: line 4: no text") != std::string::npos);
    CHECK(r.err.find("feed.jsonl: line 5: not a JSON object") != std::string::npos);
    auto j = search_json(d / "idx", "prisoners");
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["title"] == "Talks in Abu Dhabi");
    CHECK(j["results"][0]["date"] == "2026-02-05");
    CHECK(j["results"][0]["source"] == "Reuters");
    CHECK(j["results"][0]["passage"] == 2);
    CHECK(search_json(d / "idx", "'title:winter'")["results"].size() == 1);
    CHECK(search_json(d / "idx", "'source:reuters Kyiv OR Witkoff'")["results"].size() == 1);
    CHECK(search_json(d / "idx", "'date:2026-02-01..2026-02-07 Kyiv OR Witkoff'")["results"].size() == 1);
    CHECK(search_json(d / "idx", "'date:2026-01 Kyiv OR Witkoff'")["results"].size() == 1);
    CHECK(search_json(d / "idx", "'date:..2025-12-31 Kyiv OR Witkoff'")["results"].empty());
}

TEST_CASE("batch: Markdown front matter, include/exclude globs, --files-from, stdin") {
    TempDir d;
    write_file(d / "src/a.md",
               "---\ntitle: Peace plan\ndate: 2026-02-04\nsource: BBC\n---\n# Heading\n\nWitkoff presented a plan.\n");
    write_file(d / "src/skip/b.txt", "Witkoff in the skipped folder.\n");
    write_file(d / "src/c.log", "Witkoff in a log file.\n");
    Result r = lede("index --db " + q(d / "idx") + " --exclude skip " + q(d / "src"));
    CHECK(r.exit == 0);
    auto j = search_json(d / "idx", "Witkoff");
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["title"] == "Peace plan");
    CHECK(j["results"][0]["source"] == "BBC");
    // The passage offsets still point into the file, front matter included.
    std::string file = read_file(d / "src/a.md");
    CHECK(file.substr(j["results"][0]["start"], j["results"][0]["text"].get<std::string>().size())
          == j["results"][0]["text"]);
    r = lede("index --db " + q(d / "idx2") + " --include '*.log' " + q(d / "src"));
    CHECK(search_json(d / "idx2", "Witkoff")["results"].size() == 1);
    write_file(d / "list", d / "src/skip/b.txt" + "\n");
    r = lede("index --db " + q(d / "idx3") + " --files-from " + q(d / "list"));
    CHECK(search_json(d / "idx3", "Witkoff")["results"].size() == 1);
    r = sh("printf 'Umerov spoke from standard input.\\n' | " + q(LEDE_BIN) + " index --db " + q(d / "idx4") + " -");
    CHECK(r.exit == 0);
    CHECK(r.err.find("1 added, 0 updated") != std::string::npos);
    CHECK(search_json(d / "idx4", "Umerov")["results"].size() == 1);
    // Issue 20 item 7: the same text piped again replaces the article: updated, not added.
    r = sh("printf 'Umerov spoke from standard input.\n' | " + q(LEDE_BIN) + " index --db " + q(d / "idx4") + " -");
    CHECK(r.err.find("0 added, 1 updated") != std::string::npos);
    CHECK(search_json(d / "idx4", "Umerov")["results"].size() == 1);
}

TEST_CASE("batch: --summary-json and lede stats") {
    TempDir d;
    Result r = lede("index --db " + q(d / "idx") + " --summary-json " + q(d / "sum.json") + " " + q(corpus_dir()));
    REQUIRE(r.exit == 0);
    auto s = nlohmann::json::parse(read_file(d / "sum.json"));
    CHECK(s["added"] == 5);
    CHECK(s["passages"].get<int>() > 50);
    CHECK(s["non_prose"] == 4);
    CHECK(s["failed"] == 0);
    Result st = lede("stats --json --db " + q(d / "idx"));
    auto j = nlohmann::json::parse(st.out);
    CHECK(j["articles"] == 5);
    CHECK(j["passages"] == s["passages"]);
    CHECK(!j["last_update"].get<std::string>().empty());
    Result c = lede("compact --db " + q(d / "idx") + " " + q(d / "small"));
    CHECK(c.exit == 0);
    CHECK(passages(d / "small") == s["passages"].get<std::size_t>());
}

TEST_CASE("batch: kill -9 mid-run leaves a searchable index, and the re-run converges") {
    TempDir d;
    std::string src = data_dir() + "/sotu";
    Result clean = lede("index -q --db " + q(d / "clean") + " " + q(src));
    REQUIRE(clean.exit == 0);
    std::size_t want = passages(d / "clean");
    std::string db = d / "crashy";
    for (int delay_ms : {60, 150, 300}) {
        CAPTURE(delay_ms);
        kill_after(spawn_lede({"index", "-q", "--flush", "200", "--db", db, src}), delay_ms);
        if (std::filesystem::exists(db + "/XAPIANDB")) {  // the commit point (docs/ARCHITECTURE.md)
            Result s = lede("search --db " + q(db) + " -n 1 --per-article 0 the");
            CHECK((s.exit == 0 || s.exit == 1));  // opens and searches the last committed state
        }
    }
    Result rerun = lede("index -q --db " + q(db) + " " + q(src));
    INFO("rerun stderr: " << rerun.err);
    CHECK(rerun.exit == 0);
    CHECK(passages(db) == want);
    Result again = lede("index --db " + q(db) + " " + q(src));
    CHECK(again.err.find("nothing changed") != std::string::npos);
}

TEST_CASE("batch: a second writer fails at once naming the lock (exit 4), readers keep working") {
    TempDir d;
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(corpus_dir())).exit == 0);
    // Hold the write lock with a slow writer reading a never-ending stdin.
    std::string fifo = d / "fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", (q(LEDE_BIN) + " index -q --db " + q(db) + " - < " + q(fifo)).c_str(), nullptr);
        _exit(127);
    }
    int fd = open(fifo.c_str(), O_WRONLY);  // the writer is now blocked reading
    REQUIRE(fd >= 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Result second = lede("index --db " + q(db) + " " + q(corpus_dir()));
    CHECK(second.exit == 4);
    CHECK(second.err.find("another process is writing") != std::string::npos);
    Result reader = lede("search --db " + q(db) + " -n 1 Witkoff");
    CHECK(reader.exit == 0);
    (void)!write(fd, "Kushner arrived.\n", 17);
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(search_json(db, "Kushner")["results"].size() >= 2);
}

TEST_CASE("batch: a fresh index built by parallel writers equals one writer's, and updates in place") {
    TempDir d;
    // A folder of both kinds of input, with a bad file among them.
    std::filesystem::create_directories(d / "src");
    std::filesystem::copy(data_dir() + "/sotu", d / "src/sotu");
    std::filesystem::copy(corpus_dir(), d / "src/corpus");
    write_file(d / "src/wire.jsonl",
               "{\"id\": \"a1\", \"title\": \"Talks\", \"text\": \"Witkoff met Umerov in Abu Dhabi.\"}\n"
               "{\"id\": \"a2\", \"title\": \"More\", \"text\": \"Security guarantees were on the table.\"}\n");
    write_file(d / "src/bad.txt", std::string("bin\0ary", 7));
    std::string src = q(d / "src");
    Result one = lede("index --writers 1 --db " + q(d / "one") + " " + src);
    Result par = lede("index --writers 2 --db " + q(d / "par") + " " + src);
    REQUIRE(one.exit == 3);  // the bad file, reported by both
    REQUIRE(par.exit == one.exit);
    CHECK(par.err.find("bad.txt") != std::string::npos);
    CHECK(!std::filesystem::exists(d / "par/.lede-build"));
    CHECK(passages(d / "par") == passages(d / "one"));
    const std::string queries[] = {"Witkoff", "'\"security guarantees\"'", "slavery", "Umerov",
                                   q("path:" + d / "src/corpus" + "/") + " talks"};
    for (const std::string& qq : queries) {
        CAPTURE(qq);
        auto a = search_json(d / "one", "--per-article 0 -n 50 " + qq);
        auto b = search_json(d / "par", "--per-article 0 -n 50 " + qq);
        REQUIRE(!a["results"].empty());
        CHECK(a["results"].size() == b["results"].size());
        std::multiset<std::string> pa, pb;
        for (const auto& r : a["results"]) {
            pa.insert(r["path"].get<std::string>() + ":" + std::to_string(r["passage"].get<int>()));
        }
        for (const auto& r : b["results"]) {
            pb.insert(r["path"].get<std::string>() + ":" + std::to_string(r["passage"].get<int>()));
        }
        CHECK(pa == pb);
    }
    // Spelling data comes from the merged terms: the same suggestion.
    for (const char* idx : {"one", "par"}) {
        CAPTURE(idx);
        Result sp = lede("search --db " + q(d / idx) + " Witkof");
        CHECK(sp.err.find("Witkoff") != std::string::npos);
    }
    // The merged index is an ordinary one: incremental runs see no change,
    // then update a changed file in place.
    Result again = lede("index --db " + q(d / "par") + " " + src);
    CHECK(again.err.find("0 added, 0 updated") != std::string::npos);
    write_file(d / "src/wire.jsonl",
               "{\"id\": \"a1\", \"title\": \"Talks\", \"text\": \"Brackenridge arrived late.\"}\n");
    Result upd = lede("index --db " + q(d / "par") + " " + src);
    CHECK(upd.err.find("1 updated") != std::string::npos);
    CHECK(search_json(d / "par", "Brackenridge")["results"].size() == 1);
    CHECK(lede("search --db " + q(d / "par") + " 'Umerov AND Abu'").exit == 1);
}

TEST_CASE("batch: kill -9 during a parallel build leaves an index that opens, and the re-run converges") {
    TempDir d;
    std::string src = data_dir() + "/sotu";
    REQUIRE(lede("index -q --db " + q(d / "clean") + " " + q(src)).exit == 0);
    std::size_t want = passages(d / "clean");
    std::string db = d / "crashy";
    for (int delay_ms : {40, 120, 250, 400}) {
        CAPTURE(delay_ms);
        std::filesystem::remove_all(db);
        kill_after(spawn_lede({"index", "-q", "--writers", "2", "--db", db, src}), delay_ms);
        if (std::filesystem::exists(db + "/XAPIANDB")) {  // the commit point (docs/ARCHITECTURE.md)
            Result s = lede("search --db " + q(db) + " -n 1 --per-article 0 the");
            CHECK((s.exit == 0 || s.exit == 1));
        }
        Result rerun = lede("index -q --writers 2 --db " + q(db) + " " + q(src));
        INFO("rerun stderr: " << rerun.err);
        CHECK(rerun.exit == 0);
        CHECK(passages(db) == want);
        CHECK(!std::filesystem::exists(db + "/.lede-build"));
    }
}
