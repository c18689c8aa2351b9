// `lede index` end to end: idempotence, change detection, SOTU windows, bad files.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace e2e;

namespace {

std::size_t count_results(const std::string& db, const std::string& query) {
    auto j = search_json(db, "--per-article 0 -n 10000 " + query);
    return j["results"].size();
}

}  // namespace

TEST_CASE("index: the same input twice duplicates nothing and says so") {
    TempDir d;
    std::string db = d / "idx";
    Result a = lede("index --db " + q(db) + " " + q(corpus_dir()));
    REQUIRE(a.exit == 0);
    CHECK(a.out.empty());  // summary goes to stderr
    std::size_t n1 = count_results(db, "the");
    Result b = lede("index --db " + q(db) + " " + q(corpus_dir()) + " " + q(corpus_dir() + "/../corpus"));
    REQUIRE(b.exit == 0);
    CHECK(b.err.find("5 unchanged") != std::string::npos);
    CHECK(b.err.find("nothing changed") != std::string::npos);
    CHECK(count_results(db, "the") == n1);
}

TEST_CASE("index: a changed file is re-indexed in place, --prune drops deleted files") {
    TempDir d;
    std::string db = d / "idx";
    write_file(d / "src/a.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "src/b.md", "Talks resumed on Thursday in Geneva.\n");
    REQUIRE(lede("index --db " + q(db) + " " + q(d / "src")).exit == 0);
    CHECK(count_results(db, "Witkoff") == 1);
    write_file(d / "src/a.txt", "Kushner met Umerov in Abu Dhabi.\nA second paragraph here.\n");
    std::filesystem::last_write_time(d / "src/a.txt", std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
    Result r = lede("index --db " + q(db) + " " + q(d / "src"));
    CHECK(r.err.find("1 updated") != std::string::npos);
    CHECK(count_results(db, "Witkoff") == 0);
    CHECK(count_results(db, "Kushner") == 1);
    std::filesystem::remove(d / "src/b.md");
    r = lede("index --prune --db " + q(db) + " " + q(d / "src"));
    CHECK(r.err.find("1 removed") != std::string::npos);
    CHECK(count_results(db, "Geneva") == 0);
}

TEST_CASE("index: SOTU speeches become sentence windows, none longer than 1500 bytes") {
    TempDir d;
    std::string db = d / "idx";
    Result r = lede("index --db " + q(db) + " " + q(data_dir() + "/sotu"));
    REQUIRE(r.exit == 0);
    auto j = search_json(db, "--per-article 0 -n 10000 the");
    REQUIRE(j["results"].size() > 200);
    for (const auto& res : j["results"]) {
        CHECK(res["text"].get<std::string>().size() <= 1500);
    }
    auto w = search_json(db, "-n 5 slavery");
    REQUIRE(!w["results"].empty());
    CHECK(!w["results"][0]["highlights"].empty());
}

TEST_CASE("index: bad files are reported by name and never stop the batch") {
    TempDir d;
    std::string db = d / "idx";
    write_file(d / "src/good.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "src/binary.txt", std::string("abc\0def\0", 8));
    write_file(d / "src/latin1.txt", "Caf\xe9 talks with Witkoff.\n");
    write_file(d / "src/empty.txt", "");
    Result r = lede("index --db " + q(db) + " " + q(d / "src") + " " + q(d / "missing.txt"));
    CHECK(r.exit == 3);
    CHECK(r.err.find("binary.txt: binary file") != std::string::npos);
    CHECK(r.err.find("missing.txt: no such file") != std::string::npos);
    CHECK(r.err.find("latin1.txt: warning: invalid UTF-8") != std::string::npos);
    CHECK(r.err.find("empty.txt: warning: empty file") != std::string::npos);
    CHECK(count_results(db, "Witkoff") == 2);
}
