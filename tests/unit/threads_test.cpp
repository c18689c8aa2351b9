// Concurrency model (docs/API.md): one Searcher per thread, many threads over
// one index, while a writer commits. Run under the sanitizer build in CI.
#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

namespace {

struct TempIndex {
    std::string path;
    TempIndex() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "lede-threads-XXXXXX").string();
        path = mkdtemp(tmpl.data());
        path += "/idx";
    }
    ~TempIndex() {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ec);
    }
};

std::vector<std::string> signature(const lede::SearchResults& r) {
    std::vector<std::string> s;
    for (const auto& h : r.hits) {
        s.push_back(h.path + "#" + std::to_string(h.passage) + ":" + std::to_string(h.highlights.size()));
    }
    return s;
}

}  // namespace

TEST_CASE("threads: concurrent searches over one index agree with a single thread, while a writer commits") {
    TempIndex idx;
    {
        lede::Indexer w(idx.path);
        auto rep = w.index_paths({std::string(LEDE_TEST_DATA) + "/../../corpus"});
        REQUIRE(rep.passages > 50);
    }
    const std::vector<std::string> queries{
        "Witkoff", "\"security guarantees\"", "Umerov", "Donbas AND Russia", "Зеленский",
        "talk*",   "prisoners NOT Istanbul"};
    std::vector<std::vector<std::string>> expected;
    {
        lede::Searcher s(idx.path);
        for (const auto& q : queries) {
            expected.push_back(signature(s.search(q)));
        }
    }
    std::atomic<bool> writing{true};
    std::atomic<int> mismatches{0};
    std::atomic<int> errors{0};
    std::mutex first_error_mutex;
    std::string first_error;
    std::thread writer([&] {
        lede::Indexer w(idx.path);
        for (int i = 0; i < 20; ++i) {
            w.add_article({"extra-" + std::to_string(i),
                           "An unrelated note about barometer number " + std::to_string(i) + ".", "", "", "", ""});
            w.commit();
        }
        writing = false;
    });
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&, t] {
            try {
                lede::Searcher s(idx.path);
                for (int round = 0; round < 15; ++round) {
                    std::size_t qi = static_cast<std::size_t>(t + round) % queries.size();
                    if (signature(s.search(queries[qi])) != expected[qi]) {
                        ++mismatches;
                    }
                }
            } catch (const std::exception& e) {  // lede::Error, and anything that should never escape
                std::lock_guard lock(first_error_mutex);
                if (errors++ == 0) {
                    first_error = e.what();
                }
            } catch (...) {
                ++errors;
            }
        });
    }
    for (auto& r : readers) {
        r.join();
    }
    writer.join();
    CHECK_MESSAGE(errors == 0, first_error);
    CHECK(mismatches == 0);
    lede::Searcher after(idx.path);
    CHECK_EQ(after.search("barometer").total, 20);
}

TEST_CASE("api: add, replace and remove articles in-process") {
    TempIndex idx;
    lede::Indexer w(idx.path);
    CHECK(w.add_article({"k1", "Witkoff met Umerov in Abu Dhabi.", "Talks", "2026-02-05", "Reuters", ""}) == 1);
    w.commit();
    lede::Searcher s(idx.path);
    auto r = s.search("Umyrov");
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].title == "Talks");
    CHECK(r.hits[0].article == "k1");
    CHECK(w.add_article({"k1", "Kushner met Umerov.", "", "", "", ""}) == 1);
    w.commit();
    lede::Searcher s2(idx.path);
    CHECK(s2.search("Witkoff").hits.empty());
    CHECK(w.remove_article("k1"));
    CHECK_FALSE(w.remove_article("never-added"));
    w.commit();
    lede::Searcher s3(idx.path);
    CHECK(s3.search("Kushner").hits.empty());
    CHECK_THROWS_AS(w.add_article({"", "no key", "", "", "", ""}), lede::Error);
}

TEST_CASE("api: errors carry a kind") {
    TempIndex idx;
    try {
        lede::Searcher s(idx.path + "-missing");
        FAIL("opened a missing index");
    } catch (const lede::Error& e) {
        CHECK(e.kind() == lede::ErrorKind::index_not_found);
    }
    lede::Indexer w(idx.path);
    try {
        lede::Indexer second(idx.path);
        FAIL("two writers");
    } catch (const lede::Error& e) {
        CHECK(e.kind() == lede::ErrorKind::index_locked);
    }
}

// Issue 14: a moved-from Searcher or Indexer reports a caller bug, never crashes.
TEST_CASE("api: a moved-from Searcher or Indexer throws invalid_argument") {
    TempIndex idx;
    lede::Indexer w(idx.path);
    w.add_article({"k1", "Witkoff met Umerov in Abu Dhabi.", "", "", "", ""});
    w.commit();
    lede::Indexer w2(std::move(w));
    auto invalid = [](auto&& call) {
        try {
            call();
            return false;
        } catch (const lede::Error& e) {
            return e.kind() == lede::ErrorKind::invalid_argument;
        }
    };
    CHECK(invalid([&] { w.commit(); }));                    // NOLINT(bugprone-use-after-move): the point
    CHECK(invalid([&] { (void)w.remove_article("k1"); }));  // NOLINT(bugprone-use-after-move)
    CHECK(invalid([&] { (void)w.stats(); }));               // NOLINT(bugprone-use-after-move)
    lede::Searcher s(idx.path);
    lede::Searcher s2(std::move(s));
    CHECK(invalid([&] { (void)s.search("Witkoff"); }));  // NOLINT(bugprone-use-after-move)
    CHECK(invalid([&] { (void)s.warnings(); }));         // NOLINT(bugprone-use-after-move)
    CHECK(s2.search("Witkoff").hits.size() == 1);
}
