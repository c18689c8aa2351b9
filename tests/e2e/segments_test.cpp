// The segmented index grown by updates (docs/ARCHITECTURE.md "Segments,
// deletions, merges"): SOTU cut into files, indexed in two halves, ten files
// edited, five deleted with --prune. With the old versions hidden, every read
// sees the live passages only; after `lede compact` drops them, every result
// equals a fresh build's (same passages, order, text, scores within 1e-9).
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
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

nlohmann::json stats(const std::string& db) {
    Result r = lede("stats --json --db " + q(db));
    REQUIRE(r.exit == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("segments: updates, edits and deletions hide old versions, after compact, a fresh build's results") {
    TempDir d;
    fs::create_directories(d / "src");
    std::vector<std::string> files = cut_sotu(d / "src");
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
    std::vector<std::string> files = cut_sotu(d / "src");
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
        kill_after(spawn_lede({"index", "-q", "--flush", "10", "--db", idx, d / "src"}), delay_ms);
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

namespace {

// The spelling data of an index: word and frequency (all segments summed).
std::map<std::string, Xapian::doccount> spellings(const std::string& db) {
    std::map<std::string, Xapian::doccount> out;
    Xapian::Database x(db);
    for (auto it = x.spellings_begin(); it != x.spellings_end(); ++it) {
        out[*it] = it.get_termfreq();
    }
    return out;
}

// The deletion records of an index (its metadata database's D keys).
std::size_t deletion_records(const std::string& db) {
    Xapian::Database x(db);
    std::size_t n = 0;
    for (auto it = x.metadata_keys_begin("D"); it != x.metadata_keys_end("D"); ++it) {
        ++n;
    }
    return n;
}

const std::vector<std::string>& equivalence_queries() {
    static const std::vector<std::string> queries = {"'war NOT civil'", "freedom", "'\"the people\"'",
                                                     "Lincoln",         "'slav*'", "'debts AND union'"};
    return queries;
}

}  // namespace

TEST_CASE("segments: a fresh build by two or three writers has the spelling data of all its terms") {
    // A fresh build by several writers adds the spelling data once, from the
    // words of all shards, their frequency the passages holding them; its
    // threads read the words in ranges by first letter (indexer/parallel.cpp
    // spell()): words at the range edges, past 'z' and before 'a' must each be
    // counted once, with their whole frequency.
    TempDir d;
    std::vector<std::string> files = cut_sotu(d / "src");
    REQUIRE(files.size() >= 20);
    write_file(d / "src/edges.txt",
               "Zebras met lions, kings and mayors. Émigrés from Øresund met Ölfeld in Zürich; "
               "a zigzag, an abacus, some mmm and _under_scored words.\n\nZebras again, and mayors.\n");
    std::map<std::string, Xapian::doccount> two;
    for (int writers : {2, 3}) {
        CAPTURE(writers);
        const std::string db = d / ("w" + std::to_string(writers));
        REQUIRE(lede("index -q --writers " + std::to_string(writers) + " --db " + q(db) + " " + q(d / "src")).exit
                == 0);
        std::map<std::string, Xapian::doccount> want;
        Xapian::Database x(db);
        for (auto it = x.allterms_begin(); it != x.allterms_end(); ++it) {
            const std::string& t = *it;
            if (t.size() >= 3 && t.size() <= 20 && !(t[0] >= 'A' && t[0] <= 'Z')
                && t.find_first_of("0123456789") == std::string::npos) {
                want[t] = it.get_termfreq();
            }
        }
        std::map<std::string, Xapian::doccount> s = spellings(db);
        REQUIRE(want.size() > 1000);
        CHECK(s == want);
        CHECK(s["zebras"] == 2);  // two passages
        CHECK(s.count("mayors") == 1);
        if (writers == 2) {
            two = std::move(s);
        } else {
            CHECK(s == two);
        }
    }
}

TEST_CASE("segments: an update by two writers gives one writer's results, and after compact a fresh build's") {
    TempDir d;
    std::vector<std::string> files = cut_sotu(d / "src");
    REQUIRE(files.size() >= 20);
    const std::string one = d / "one";
    const std::string two = d / "two";
    auto both = [&](const std::string& args) {
        Result a = lede("index --writers 1 --summary-json " + q(d / "one.json") + " " + args + " --db " + q(one) + " "
                        + q(d / "src"));
        Result b = lede("index --writers 2 --summary-json " + q(d / "two.json") + " " + args + " --db " + q(two) + " "
                        + q(d / "src"));
        REQUIRE(a.exit == 0);
        REQUIRE(b.exit == 0);
        CHECK(a.err.substr(0, a.err.find(" passages")) == b.err.substr(0, b.err.find(" passages")));
        return nlohmann::json::parse(read_file(d / "two.json"));
    };
    fs::create_directories(d / "later");
    for (std::size_t i = 1; i < files.size(); i += 2) {
        fs::rename(files[i], d / ("later/" + fs::path(files[i]).filename().string()));
    }
    for (const std::string& db : {one, two}) {  // the same first half
        REQUIRE(lede("index -q --writers 1 --db " + q(db) + " " + q(d / "src")).exit == 0);
    }
    for (std::size_t i = 1; i < files.size(); i += 2) {
        fs::rename(d / ("later/" + fs::path(files[i]).filename().string()), files[i]);
    }
    CHECK(both("")["writers"] == 2);  // the second half: new files into an index, two writers
    const std::string added = "Brackenridge warned the house about the war debts of the union.\n";
    for (std::size_t i = 0; i < 10; ++i) {
        const std::string& f = files[i * 3];
        std::vector<std::string> ps = paragraphs(read_file(f));
        std::string body;
        for (std::size_t k = 1; k < ps.size(); ++k) {
            body += ps[k] + "\n";
        }
        write_file(f, body + added);
    }
    nlohmann::json edit = both("");
    CHECK(edit["writers"] == 2);
    CHECK(edit["updated"] == 10);
    for (std::size_t i = 0; i < 5; ++i) {
        fs::remove(files[files.size() - 1 - i * 4]);
    }
    write_file(files[1], read_file(files[1]) + "\nBrackenridge again.\n");
    write_file(files[2] + ".more.txt", "Brackenridge wrote a new file about the union.\n");
    CHECK(both("--prune")["removed"] == 5);
    CHECK(lede("index --writers 2 --db " + q(two) + " " + q(d / "src")).err.find("nothing changed")
          != std::string::npos);

    CHECK(stats(one)["passages"] == stats(two)["passages"]);
    CHECK(stats(one)["articles"] == stats(two)["articles"]);
    CHECK(stats(one)["terms"] == stats(two)["terms"]);
    CHECK(spellings(one) == spellings(two));
    CHECK(deletion_records(one) == deletion_records(two));
    REQUIRE(lede("index -q --db " + q(d / "fresh") + " " + q(d / "src")).exit == 0);
    REQUIRE(lede("compact --db " + q(two) + " " + q(d / "two-compact")).exit == 0);
    for (std::string query : equivalence_queries()) {
        CAPTURE(query);
        const std::string args = "--per-article 0 -n 30 " + query;
        // The same passages hidden and written: the same statistics, the same results.
        same_results(search_json(one, args), search_json(two, args), 1e-9);
        same_results(search_json(d / "fresh", args), search_json(d / "two-compact", args), 1e-9);
    }
    CHECK(search_json(two, "Brackenridge")["total"] == 12);
}

TEST_CASE("segments: kill -9 during an update by two writers leaves the old index or the new one") {
    TempDir d;
    std::vector<std::string> files = cut_sotu(d / "src");
    const std::string idx = d / "idx";
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);
    const std::string marks[] = {"zorblat", "quenfid", "vashtor", "plimbok", "grelmif", "tuskrav"};
    std::vector<std::string> base;
    for (const auto& f : files) {
        base.push_back(read_file(f));
        write_file(f, base.back() + "\nBrackenridge " + marks[0] + ".\n");
    }
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);
    int round = 0;
    std::size_t cut = 0;  // runs killed before their commit
    for (int delay_ms : {60, 200, 500, 1000, 2000}) {
        CAPTURE(delay_ms);
        ++round;
        for (std::size_t i = 0; i < files.size(); ++i) {
            write_file(files[i], base[i] + "\nBrackenridge " + marks[round] + ".\n");
        }
        kill_after(spawn_lede({"index", "-q", "--writers", "2", "--no-merge", "--db", idx, d / "src"}), delay_ms);
        auto hits = [&](const std::string& mark) {
            return search_json(idx, "--per-article 0 -n 1000 'Brackenridge AND " + mark + "'")["total"]
                .get<std::size_t>();
        };
        // One commit: every file's old line, or every file's new one.
        const std::size_t old_lines = hits(marks[round - 1]);
        const std::size_t new_lines = hits(marks[round]);
        CAPTURE(old_lines);
        CHECK(((old_lines == files.size() && new_lines == 0) || (old_lines == 0 && new_lines == files.size())));
        cut += old_lines > 0 ? 1 : 0;
        CHECK(stats(idx)["articles"].get<std::size_t>() == files.size());
        Result re = lede("index -q --writers 2 --db " + q(idx) + " " + q(d / "src"));
        INFO("rerun stderr: " << re.err);
        CHECK(re.exit == 0);
        CHECK(hits(marks[round]) == files.size());
        CHECK(hits(marks[round - 1]) == 0);
        CHECK(!fs::exists(idx + "/.lede-build"));
    }
    MESSAGE("runs killed before their commit: " << cut << " of 5");
    REQUIRE(lede("index -q --db " + q(d / "fresh") + " " + q(d / "src")).exit == 0);
    CHECK(passages(idx) == passages(d / "fresh"));
    CHECK(lede("index --db " + q(idx) + " " + q(d / "src")).err.find("nothing changed") != std::string::npos);
    // A second writer while two writers update: exit 4, the update unharmed.
    for (std::size_t i = 0; i < files.size(); ++i) {
        write_file(files[i], base[i] + "\nBrackenridge " + marks[0] + ".\n");
    }
    pid_t pid = spawn_lede({"index", "-q", "--writers", "2", "--db", idx, d / "src"});
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!fs::exists(idx + "/.lede-build") && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    Result second = lede("index -q --db " + q(idx) + " " + q(d / "src"));
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(second.exit == 4);
    CHECK(search_json(idx, "--per-article 0 -n 1000 'Brackenridge AND " + marks[0] + "'")["total"] == files.size());
}

TEST_CASE("segments: a segment over 20 % hidden is rebuilt alone at the end of a run, its results unchanged") {
    TempDir d;
    // Three copies: a segment of over 1,000 passages (tier 1; merges drop
    // the hidden passages of smaller ones soon enough).
    std::vector<std::string> files;
    for (const char* copy : {"a", "b", "c"}) {
        for (std::string& f : cut_sotu(d / ("src/" + std::string(copy)))) {
            files.push_back(std::move(f));
        }
    }
    const std::string idx = d / "idx";
    REQUIRE(lede("index -q --db " + q(idx) + " " + q(d / "src")).exit == 0);
    REQUIRE(segment_dbs(idx).size() == 1);
    REQUIRE(passages(idx) >= 1000);
    auto edit = [&](std::size_t i) { write_file(files[i], read_file(files[i]) + "\nBrackenridge edited this.\n"); };
    auto run = [&] {
        Result r = lede("index --summary-json " + q(d / "s.json") + " --db " + q(idx) + " " + q(d / "src"));
        REQUIRE(r.exit == 0);
        return std::pair{r.err, nlohmann::json::parse(read_file(d / "s.json"))};
    };
    // One file edited: its old passages stay hidden in the first segment.
    const std::string first = segment_dbs(idx).front();
    const std::size_t first_size = Xapian::Database(first).get_doccount();
    edit(0);
    const auto [err0, j0] = run();
    CHECK(j0["segments_expunged"] == 0);
    CHECK(j0["hidden_dropped"] == 0);
    CHECK(err0.find("alone") == std::string::npos);
    CHECK(segment_dbs(idx).front() == first);
    CHECK(deletion_records(idx) > 0);
    const std::size_t hidden0 = Xapian::Database(idx).get_doccount() - passages(idx);
    CHECK(hidden0 > 0);
    CHECK(hidden0 * 5 <= first_size);
    // A third of the files edited: more than 20 % of it hidden, so it is
    // rebuilt without them at the end of the run.
    const std::size_t edited = files.size() / 3;
    for (std::size_t i = 1; i < edited; ++i) {
        edit(i);
    }
    const auto r = run();
    const std::string& err = r.first;
    const nlohmann::json& j = r.second;
    INFO(err);
    CHECK(j["segments_expunged"] == 1);
    CHECK(j["hidden_dropped"].get<std::size_t>() * 5 > first_size);
    CHECK(err.find("rebuilt 1 segment alone in ") != std::string::npos);
    CHECK(err.find(" hidden passages") != std::string::npos);
    const std::vector<std::string> after = segment_dbs(idx);
    CHECK(std::find(after.begin(), after.end(), first) == after.end());
    CHECK(deletion_records(idx) == 0);
    CHECK(Xapian::Database(idx).get_doccount() == passages(idx));  // nothing hidden is left
    REQUIRE(lede("index -q --db " + q(d / "fresh") + " " + q(d / "src")).exit == 0);
    for (std::string query : equivalence_queries()) {
        CAPTURE(query);
        const std::string args = "--per-article 0 -n 30 " + query;
        same_results(search_json(d / "fresh", args), search_json(idx, args), 1e-9);
    }
    CHECK(search_json(idx, "--per-article 0 -n 100 Brackenridge")["total"] == edited);
}

// How a search opens several segmented indexes (Searcher::open_shard reads a
// segmented index's deletion records once, not once per database of it; a
// stub's `glass` lines open without probing): each index's old versions stay
// hidden, given as --db shards or through a stub file that lists them.
TEST_CASE("segments: several segmented indexes as shards, or in a stub file, hide each one's old versions") {
    TempDir d;
    for (const std::string name : {"a", "b"}) {
        fs::create_directories(d / ("src-" + name));
        write_file(d / ("src-" + name + "/one.txt"), "The zebulon treaty was signed in " + name + ".\n");
        write_file(d / ("src-" + name + "/two.txt"), "A second article about harbours in " + name + ".\n");
        REQUIRE(lede("index -q --db " + q(d / ("idx-" + name)) + " " + q(d / ("src-" + name))).exit == 0);
        write_file(d / ("src-" + name + "/one.txt"), "The quixotic treaty was signed in " + name + ".\n");
        REQUIRE(lede("index -q --no-merge --db " + q(d / ("idx-" + name)) + " " + q(d / ("src-" + name))).exit == 0);
        REQUIRE(segment_dbs(d / ("idx-" + name)).size() == 2);  // the old version is hidden, not merged away
    }
    write_file(d / "both.stub", "auto idx-a\nglass idx-b\n");
    for (const std::string dbs : {"--db " + q(d / "idx-a") + " --db " + q(d / "idx-b"), "--db " + q(d / "both.stub")}) {
        CAPTURE(dbs);
        Result old = lede("search --json " + dbs + " zebulon");
        CHECK(old.exit == 1);
        CHECK(nlohmann::json::parse(old.out)["total"] == 0);
        Result now = lede("search --json " + dbs + " quixotic");
        REQUIRE(now.exit == 0);
        nlohmann::json j = nlohmann::json::parse(now.out);
        CHECK(j["total"] == 2);
        CHECK(j["results"].size() == 2);
        CHECK(lede("search --json " + dbs + " harbours").exit == 0);
    }
}
