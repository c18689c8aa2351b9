// The segmented index grown by updates (docs/ARCHITECTURE.md "Segments,
// deletions, merges"): SOTU cut into files, indexed in two halves, ten files
// edited, five deleted with --prune. With the old versions hidden, every read
// sees the live passages only; after `lede compact` drops them, every result
// equals a fresh build's (same passages, order, text, scores within 1e-9).
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

// The paragraphs of @p text (blank-line separated).
std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    std::string cur;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (!cur.empty()) {
                out.push_back(cur);
            }
            cur.clear();
        } else {
            cur += line + "\n";
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

// The SOTU sample as files of a few paragraphs each: src/sotu_FF_NN.txt.
std::vector<std::string> cut_sotu(const TempDir& d) {
    std::vector<std::string> files;
    std::vector<fs::path> sources;
    for (const auto& e : fs::directory_iterator(data_dir() + "/sotu")) {
        sources.push_back(e.path());
    }
    std::sort(sources.begin(), sources.end());
    for (std::size_t f = 0; f < sources.size(); ++f) {
        // The sample files are one line each: paragraphs of three sentences.
        std::vector<std::string> ps;
        const std::string text = read_file(sources[f].string());
        std::size_t start = 0;
        int sentences = 0;
        for (std::size_t p = text.find(". "); p != std::string::npos; p = text.find(". ", p + 2)) {
            if (++sentences % 3 == 0) {
                ps.push_back(text.substr(start, p + 1 - start) + "\n");
                start = p + 2;
            }
        }
        ps.push_back(text.substr(start) + "\n");
        for (std::size_t i = 0, n = 0; i < ps.size(); i += 6, ++n) {
            std::string body;
            for (std::size_t k = i; k < std::min(ps.size(), i + 6); ++k) {
                body += ps[k] + "\n";
            }
            char name[64];
            std::snprintf(name, sizeof name, "src/sotu_%02zu_%02zu.txt", f, n);
            write_file(d / name, body);
            files.push_back(d / name);
        }
    }
    return files;
}

nlohmann::json stats(const std::string& db) {
    Result r = lede("stats --json --db " + q(db));
    REQUIRE(r.exit == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("segments: updates, edits and deletions hide old versions, after compact, a fresh build's results") {
    TempDir d;
    fs::create_directories(d / "src");
    std::vector<std::string> files = cut_sotu(d);
    REQUIRE(files.size() >= 20);
    const std::string idx = d / "grown";

    // Two halves: the odd files are written aside first and moved in later.
    fs::create_directories(d / "later");
    for (std::size_t i = 1; i < files.size(); i += 2) {
        fs::rename(files[i], d / ("later/" + fs::path(files[i]).filename().string()));
    }
    REQUIRE(lede("index -q --writers 1 --db " + q(idx) + " " + q(d / "src")).exit == 0);
    for (std::size_t i = 1; i < files.size(); i += 2) {
        fs::rename(d / ("later/" + fs::path(files[i]).filename().string()), files[i]);
    }
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);

    // Ten files edited: a paragraph dropped, one added.
    const std::string added = "Brackenridge warned the house about the war debts of the union.\n";
    for (std::size_t i = 0; i < 10; ++i) {
        const std::string& f = files[i * 2 + 1];
        std::vector<std::string> ps = paragraphs(read_file(f));
        std::string body;
        for (std::size_t k = 1; k < ps.size(); ++k) {
            body += ps[k] + "\n";
        }
        write_file(f, body + added);
    }
    Result edit = lede("index --db " + q(idx) + " " + q(d / "src"));
    REQUIRE(edit.exit == 0);
    CHECK(edit.err.find("10 updated") != std::string::npos);
    // Five deleted.
    for (std::size_t i = 0; i < 5; ++i) {
        fs::remove(files[files.size() - 1 - i * 3]);
    }
    Result pruned = lede("index --prune --db " + q(idx) + " " + q(d / "src"));
    REQUIRE(pruned.exit == 0);
    CHECK(pruned.err.find("5 removed") != std::string::npos);
    CHECK(segment_dbs(idx).size() >= 3);  // each run wrote its own segment

    const std::string fresh = d / "fresh";
    REQUIRE(lede("index -q --db " + q(fresh) + " " + q(d / "src")).exit == 0);
    REQUIRE(lede("compact --db " + q(idx) + " " + q(d / "merged")).exit == 0);
    CHECK(segment_dbs(d / "merged").size() == 1);

    // Hidden passages are not counted, shown or completed from.
    nlohmann::json sg = stats(idx);
    nlohmann::json sf = stats(fresh);
    CHECK(sg["passages"] == sf["passages"]);
    CHECK(sg["articles"] == sf["articles"]);
    CHECK(stats(d / "merged")["passages"] == sf["passages"]);
    CHECK(search_json(idx, "Brackenridge")["total"] == 10);
    const std::vector<std::string> queries = {"'war NOT civil'",
                                              "freedom",
                                              "'\"the people\"'",
                                              "Lincoln",
                                              "'slav*'",
                                              "'debts AND union'",
                                              q("path:" + files[3]) + " the"};
    for (const std::string& query : queries) {
        CAPTURE(query);
        const std::string args = "--per-article 0 -n 30 " + query;
        nlohmann::json want = search_json(fresh, args);
        REQUIRE(!want["results"].empty());
        nlohmann::json merged = search_json(d / "merged", args);
        CHECK(merged["total"] == want["total"]);
        same_results(want, merged, 1e-9);
        // Before the merge: what matches is the same (the hidden passages
        // still weigh in the collection statistics, so scores may differ).
        nlohmann::json g = search_json(idx, args);
        CHECK(g["total"] == want["total"]);
        std::multiset<std::string> pg, pf;
        for (const auto& r : want["results"]) {
            pf.insert(r["path"].get<std::string>() + ":" + r["text"].get<std::string>());
        }
        for (const auto& r : g["results"]) {
            pg.insert(r["path"].get<std::string>() + ":" + r["text"].get<std::string>());
        }
        if (want["total"].get<std::size_t>() <= 30) {
            CHECK(pg == pf);  // all of them: the same passages, the current text
        }
    }
    // -C reads the neighbours of a hit: only the live version's.
    for (const std::string& db : {idx, fresh}) {
        CAPTURE(db);
        Result c = lede("search --db " + q(db) + " -C 1 -n 1 Brackenridge " + q("path:" + files[1]));
        CHECK(c.exit == 0);
        CHECK(std::count(c.out.begin(), c.out.end(), '\n') >= 2);
    }
    CHECK(lede("search --db " + q(idx) + " -C 1 -n 1 Brackenridge " + q("path:" + files[1])).out
          == lede("search --db " + q(fresh) + " -C 1 -n 1 Brackenridge " + q("path:" + files[1])).out);
    // Re-running changes nothing.
    CHECK(lede("index --db " + q(idx) + " " + q(d / "src")).err.find("nothing changed") != std::string::npos);
}

TEST_CASE("segments: kill -9 during an update never shows a passage twice or loses one, the re-run converges") {
    TempDir d;
    fs::create_directories(d / "src");
    std::vector<std::string> files = cut_sotu(d);
    const std::string idx = d / "idx";
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);
    const std::size_t want = passages(idx);
    // Round by round every file's last line names the round: after a kill,
    // each file shows its old line or its new one, exactly once.
    const std::string marks[] = {"zorblat", "quenfid", "vashtor", "plimbok"};
    std::vector<std::string> base;
    for (const auto& f : files) {
        base.push_back(read_file(f));
        write_file(f, base.back() + "\nBrackenridge " + marks[0] + ".\n");
    }
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);
    int round = 0;
    for (int delay_ms : {120, 250, 450}) {
        CAPTURE(delay_ms);
        ++round;
        for (std::size_t i = 0; i < files.size(); ++i) {
            write_file(files[i], base[i] + "\nBrackenridge " + marks[round] + ".\n");
        }
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            execl(LEDE_BIN, LEDE_BIN, "index", "-q", "--flush", "10", "--db", idx.c_str(), (d / "src").c_str(),
                  nullptr);
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        auto hits = [&](const std::string& mark) {
            return search_json(idx, "--per-article 0 -n 1000 'Brackenridge AND " + mark + "'")["total"]
                .get<std::size_t>();
        };
        const std::size_t old_lines = hits(marks[round - 1]);
        const std::size_t new_lines = hits(marks[round]);
        CAPTURE(old_lines);
        CHECK(old_lines + new_lines == files.size());
        CHECK(stats(idx)["articles"].get<std::size_t>() == files.size());
        Result re = lede("index -q --db " + q(idx) + " " + q(d / "src"));
        INFO("rerun stderr: " << re.err);
        CHECK(re.exit == 0);
        CHECK(hits(marks[round]) == files.size());
        CHECK(hits(marks[round - 1]) == 0);
    }
    // Converged: the same as a fresh build of the final files.
    REQUIRE(lede("index -q --db " + q(d / "fresh") + " " + q(d / "src")).exit == 0);
    CHECK(passages(idx) == passages(d / "fresh"));
    CHECK(passages(idx) >= want);
    for (const std::string& query : {std::string("Brackenridge"), std::string("freedom")}) {
        CAPTURE(query);
        CHECK(search_json(idx, "--per-article 0 -n 100 " + query)["total"]
              == search_json(d / "fresh", "--per-article 0 -n 100 " + query)["total"]);
    }
    CHECK(lede("index --db " + q(idx) + " " + q(d / "src")).err.find("nothing changed") != std::string::npos);
}
