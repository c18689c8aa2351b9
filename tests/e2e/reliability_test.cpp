// Faults and hostile input (issue 7): each row of docs/RELIABILITY.md names
// its test here (or in batch_test.cpp / query_test.cpp).
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace e2e;
namespace fs = std::filesystem;

TEST_CASE("fault: a full disk (file-size limit) gives a clear error and keeps the last commit") {
    TempDir d;
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(corpus_dir())).exit == 0);
    std::size_t before = passages(db);
    // ulimit -f caps every file lede writes (in KiB); indexing SOTU needs far more.
    Result r =
        sh("ulimit -f 200; " + q(LEDE_BIN) + " index -q --flush 500 --db " + q(db) + " " + q(data_dir() + "/sotu"));
    CHECK(r.exit == 2);
    CHECK(r.err.find("lede: ") == 0);
    CHECK(r.err.find(db) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2);
    // The index still opens and answers from a committed state.
    std::size_t after = passages(db);
    CHECK(after >= before);
    CHECK(search_json(db, "Witkoff")["results"].size() >= 1);
    // With room again, the job finishes.
    Result ok = lede("index -q --db " + q(db) + " " + q(data_dir() + "/sotu"));
    CHECK(ok.exit == 0);
}

TEST_CASE("fault: a read-only index folder: searching works, writing fails clearly") {
    TempDir d;
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(corpus_dir())).exit == 0);
    bool ro = false;
    if (geteuid() == 0) {
        // root ignores permissions: make a read-only bind mount instead.
        ro = sh("mount --bind " + q(db) + " " + q(db) + " && mount -o remount,ro,bind " + q(db)).exit == 0;
    } else {
        ro = sh("chmod -R a-w " + q(db)).exit == 0;
    }
    if (!ro) {
        MESSAGE("cannot make a read-only folder here (no mount permission); skipped");
        return;
    }
    Result s = lede("search --db " + q(db) + " -n 1 Witkoff");
    CHECK(s.exit == 0);
    Result w = lede("index --db " + q(db) + " " + q(data_dir() + "/sotu"));
    CHECK(w.exit == 2);
    CHECK(w.err.find(db) != std::string::npos);
    if (geteuid() == 0) {
        sh("umount " + q(db));
    } else {
        sh("chmod -R u+w " + q(db));
    }
}

TEST_CASE("fault: a truncated or corrupted database file says how to rebuild") {
    TempDir d;
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(data_dir() + "/sotu")).exit == 0);
    // The tables of the index's segment (docs/ARCHITECTURE.md "Segments").
    REQUIRE(segment_dbs(db).size() == 1);
    const std::string seg = segment_dbs(db).front();
    fs::resize_file(seg + "/postlist.glass", fs::file_size(seg + "/postlist.glass") / 3);
    Result r = lede("search --db " + q(db) + " -n 5 freedom");
    CHECK(r.exit == 2);
    CHECK(r.err.find("lede index") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

    std::string db2 = d / "idx2";
    REQUIRE(lede("index -q --db " + q(db2) + " " + q(corpus_dir())).exit == 0);
    REQUIRE(segment_dbs(db2).size() == 1);
    const std::string seg2 = segment_dbs(db2).front();
    if (fs::exists(seg2 + "/termlist.glass")) {
        std::fstream f(seg2 + "/termlist.glass", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0);
        std::string junk(8192, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    {
        std::fstream f(seg2 + "/postlist.glass", std::ios::in | std::ios::out | std::ios::binary);
        std::string junk(8192, '\x5A');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Result c = lede("search --db " + q(db2) + " Witkoff");
    CHECK((c.exit == 2 || c.exit == 0 || c.exit == 1));  // never a crash
    if (c.exit == 2) {
        CHECK(c.err.find("lede index") != std::string::npos);
    }
    Result missing = lede("search --db " + q(d / "not-an-index") + " x");
    CHECK(missing.exit == 2);
    fs::create_directories(d / "empty-dir");
    Result notlede = lede("search --db " + q(d / "empty-dir") + " x");
    CHECK(notlede.exit == 2);
    CHECK(notlede.err.find("lede: ") == 0);
}

TEST_CASE("fault: searching while another process commits never fails or tears") {
    TempDir d;
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(corpus_dir())).exit == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::string src = data_dir() + "/sotu";
        execl(LEDE_BIN, LEDE_BIN, "index", "-q", "--flush", "300", "--db", db.c_str(), src.c_str(), nullptr);
        _exit(127);
    }
    int searches = 0;
    int bad = 0;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        Result r = lede("search --json --db " + q(db) + " -n 5 'Witkoff OR freedom'");
        ++searches;
        if (r.exit != 0) {
            ++bad;
            continue;
        }
        auto j = nlohmann::json::parse(r.out);
        for (const auto& res : j["results"]) {
            bad += res["text"].get<std::string>().empty() ? 1 : 0;
        }
    }
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(searches > 0);
    CHECK(bad == 0);
}

TEST_CASE("hostile: a 50 MB single line, NUL bytes after the start, RTL and combining text") {
    TempDir d;
    {
        fs::create_directories(d / "src");
        std::ofstream f(d / "src/huge.txt", std::ios::binary);
        std::string chunk = "Witkoff spoke. ";
        std::string block;
        while (block.size() < (1 << 20)) {
            block += std::string(4000, 'x') + " " + chunk;
        }
        for (int i = 0; i < 50; ++i) {
            f << block;
        }
    }
    std::string nul(10000, 'a');
    nul += " Umerov ";
    nul += std::string("\0\0\0", 3);
    nul += " Dmitriev spoke.\n";
    write_file(d / "src/nul.txt", nul);
    write_file(d / "src/rtl.txt",
               "שלום עולם ומשא ומתן. مرحبا بالعالم والمفاوضات. Cafe\xcc\x81 and re\xcc\x81sume\xcc\x81 talks.\n");
    auto t0 = std::chrono::steady_clock::now();
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "src"));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(r.exit == 0);
    MESSAGE("50 MB line indexed in " << secs << " s");
    CHECK(search_json(d / "idx", "Umerov")["results"].size() == 1);
    CHECK(search_json(d / "idx", "Dmitriev")["results"].size() == 1);
    CHECK(r.err.find("nul.txt: warning: invalid UTF-8: 3 bytes") != std::string::npos);
    CHECK(search_json(d / "idx", "--per-article 0 -n 3 Witkoff")["results"].size() == 3);
    CHECK(search_json(d / "idx", "כלב")["results"].empty());  // no such word: no crash
    CHECK(search_json(d / "idx", "שלום")["results"].size() == 1);
    CHECK(search_json(d / "idx", "والمفاوضات")["results"].size() == 1);
    CHECK(search_json(d / "idx", "cafe")["results"].size() == 1);    // combining accent folded
    CHECK(search_json(d / "idx", "résumé")["results"].size() == 1);  // precomposed query, combining text
}

// Issue 14: a file larger than a piece (8 MB) is read and indexed piece by
// piece. The class: a text repeated past several piece boundaries gives
// each copy exactly the passages of the text indexed alone (numbers and
// offsets shifted), a JSON Lines file keeps its line numbers across
// pieces, and a file touched but not changed is recognised.
TEST_CASE("hostile: files larger than a piece are streamed with the passages of their parts") {
    TempDir d;
    std::string unit;
    for (const auto& e : fs::directory_iterator(data_dir() + "/sotu")) {
        unit += read_file(e.path().string()) + "\n\n";
    }
    unit += "The Zanzibar treaty was signed.\n\n";
    const std::size_t copies = (std::size_t{9} << 20) / unit.size() + 1;  // past the first piece
    fs::create_directories(d / "one");
    write_file(d / "one/unit.txt", unit);
    {
        std::ofstream f(d / "big.txt", std::ios::binary);
        for (std::size_t k = 0; k < copies; ++k) {
            f << unit;
        }
    }
    REQUIRE(lede("index -q --db " + q(d / "unit-idx") + " " + q(d / "one")).exit == 0);
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "big.txt"));
    REQUIRE(r.exit == 0);
    const std::size_t per_unit = passages(d / "unit-idx");
    CHECK(passages(d / "idx") == copies * per_unit);
    auto one = search_json(d / "unit-idx", "Zanzibar")["results"][0];
    auto all = search_json(d / "idx", "--per-article 0 -n 1000 Zanzibar")["results"];
    REQUIRE(all.size() == copies);
    std::set<std::pair<std::size_t, int>> got;
    std::set<std::pair<std::size_t, int>> want;
    for (std::size_t k = 0; k < copies; ++k) {
        got.insert({all[k]["start"].get<std::size_t>(), all[k]["passage"].get<int>()});
        want.insert({one["start"].get<std::size_t>() + k * unit.size(),
                     one["passage"].get<int>() + static_cast<int>(k * per_unit)});
        CHECK(all[k]["text"] == one["text"]);
    }
    CHECK(got == want);
    // Touched, not changed: recognised by the hash of its pieces.
    fs::last_write_time(d / "big.txt", fs::last_write_time(d / "big.txt") + std::chrono::seconds(5));
    Result again = lede("index --db " + q(d / "idx") + " " + q(d / "big.txt"));
    CHECK(again.exit == 0);
    CHECK(again.err.find("1 unchanged") != std::string::npos);

    // JSON Lines past the first piece: every article, line numbers kept.
    std::string jsonl;
    std::size_t lines = 0;
    std::size_t bad_line = 0;
    while (jsonl.size() < (std::size_t{10} << 20)) {
        ++lines;
        if (bad_line == 0 && jsonl.size() > (std::size_t{9} << 20)) {
            bad_line = lines;
            jsonl += "{not json\n";
            continue;
        }
        jsonl += "{\"id\": \"a" + std::to_string(lines) + "\", \"text\": \"Witkoff met Putin in the Kremlin, line "
                 + std::to_string(lines) + ", " + std::string(600, 'x') + " and the talks went on.\"}\n";
    }
    write_file(d / "big.jsonl", jsonl);
    Result j = lede("index --db " + q(d / "jidx") + " " + q(d / "big.jsonl"));
    CHECK(j.exit == 3);
    CHECK(j.err.find("big.jsonl: line " + std::to_string(bad_line) + ": invalid JSON") != std::string::npos);
    CHECK(j.err.find(": " + std::to_string(lines - 1) + " added") != std::string::npos);
}

TEST_CASE("hostile: deeply nested and huge JSON lines") {
    TempDir d;
    std::string deep =
        "{\"text\": \"Witkoff in a deep line\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}\n";
    std::string huge = "{\"text\": \"" + std::string(5 << 20, 'y') + " Umerov\"}\n";
    std::string unclosed = std::string(200000, '[') + "\n";
    write_file(d / "feed.jsonl", deep + huge + unclosed);
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "feed.jsonl"));
    CHECK(r.exit == 3);
    CHECK(r.err.find("feed.jsonl: line 3: invalid JSON") != std::string::npos);
    CHECK(search_json(d / "idx", "Witkoff")["results"].size() == 1);
    CHECK(search_json(d / "idx", "Umerov")["results"].size() == 1);
}

TEST_CASE("hostile: a 100 KB query and a query of only operators") {
    std::string longq;
    while (longq.size() < 100000) {
        longq += "Witkoff AND \"security guarantees\" OR (Umerov NOT Kyiv) ";
    }
    Result r = lede("search --db " + q(corpus_index()) + " -n 1 " + q(longq));
    CHECK((r.exit == 0 || r.exit == 1 || r.exit == 2));
    CHECK((r.exit != 2 || r.err.find("lede: ") == 0));
    for (const char* ops : {"'AND OR NOT'", "'NEAR/3'", "'+ - ='", "'()()'", "'\"'"}) {
        CAPTURE(ops);
        Result o = lede("search --db " + q(corpus_index()) + " " + ops);
        CHECK(o.exit == 2);
        CHECK(o.err.find("lede: ") == 0);
    }
}

TEST_CASE("hostile: file names with spaces, newlines and non-UTF-8 bytes are printed safely") {
    TempDir d;
    write_file(d / "src/with space.txt", "Witkoff one.\n");
    write_file(d / "src/new\nline.txt", "Witkoff two.\n");
    write_file(d / "src/bad\xff\xfe.txt", "Witkoff three.\n");
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "src"));
    CHECK(r.exit == 0);
    Result s = lede("search --no-heading --color=never --db " + q(d / "idx") + " -n 10 Witkoff");
    CHECK(s.exit == 0);
    CHECK(std::count(s.out.begin(), s.out.end(), '\n') == 3);  // one line per hit: no raw newline
    CHECK(s.out.find("with space.txt") != std::string::npos);
    CHECK(s.out.find('\xff') == std::string::npos);  // invalid bytes replaced
    auto j = search_json(d / "idx", "-n 10 Witkoff");
    CHECK(j["results"].size() == 3);
    Result l = lede("search -l --db " + q(d / "idx") + " Witkoff");
    CHECK(std::count(l.out.begin(), l.out.end(), '\n') == 3);
}
