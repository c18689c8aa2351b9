// Alerts (include/lede/alerts.hpp, query/alerts.hpp): the time parser of
// --indexed-since, the checkpoint text, the state file and its lock, and the
// library's checkpoint chain on a real index (each passage once; an edited
// passage is new, an unchanged one of an edited article is not).
#include "query/alerts.hpp"

#include <lede/alerts.hpp>
#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include "tests/unit/tempdir.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace std::chrono;

namespace {

using lede::test::TempDir;

system_clock::time_point at(const char* iso) { return lede::parse_time(iso, system_clock::now()); }

std::string fmt(system_clock::time_point t) { return lede::format_time(t); }

// The passages an alert search returns, as "article:passage".
std::set<std::string> run(lede::Searcher& s, const std::string& query, std::string& checkpoint) {
    lede::SearchOptions o;
    o.limit = 1000;
    o.since_checkpoint = checkpoint;
    lede::SearchResults r = s.search(query, o);
    checkpoint = r.checkpoint;
    std::set<std::string> out;
    for (const auto& h : r.hits) {
        out.insert(h.article + ":" + std::to_string(h.passage));
    }
    return out;
}

lede::Article article(const std::string& key, const std::string& text) {
    lede::Article a;
    a.key = key;
    a.text = text;
    return a;
}

}  // namespace

TEST_CASE("alerts: durations count back from now") {
    const auto now = system_clock::time_point(seconds(1'800'000'000));
    CHECK(lede::parse_time("90s", now) == now - seconds(90));
    CHECK(lede::parse_time("30m", now) == now - minutes(30));
    CHECK(lede::parse_time("30min", now) == now - minutes(30));
    CHECK(lede::parse_time("2h", now) == now - hours(2));
    CHECK(lede::parse_time("3d", now) == now - hours(72));
    CHECK(lede::parse_time("1w", now) == now - hours(168));
    CHECK(lede::parse_time(" 2h ", now) == now - hours(2));
    CHECK(lede::parse_time("0s", now) == now);
}

TEST_CASE("alerts: dates and timestamps, UTC unless a zone is given") {
    CHECK(fmt(at("2026-11-30")) == "2026-11-30T00:00:00.000Z");
    CHECK(fmt(at("2026-11-30T08:00Z")) == "2026-11-30T08:00:00.000Z");
    CHECK(fmt(at("2026-11-30T08:00")) == "2026-11-30T08:00:00.000Z");
    CHECK(fmt(at("2026-11-30 08:00:05")) == "2026-11-30T08:00:05.000Z");
    CHECK(fmt(at("2026-11-30T08:00:05.25Z")) == "2026-11-30T08:00:05.250Z");
    CHECK(fmt(at("2026-11-30T08:00:00+01:00")) == "2026-11-30T07:00:00.000Z");
    CHECK(fmt(at("2026-11-30T08:00:00-0530")) == "2026-11-30T13:30:00.000Z");
    CHECK(fmt(at("2024-02-29")) == "2024-02-29T00:00:00.000Z");
    CHECK(fmt(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("alerts: what is not a time is an error that says what is") {
    const auto now = system_clock::now();
    for (const char* bad :
         {"", "2", "h", "2x", "2 hours", "yesterday", "2026-13-01", "2026-02-30", "2025-02-29", "2026-11-30T25:00",
          "2026-11-30T08", "2026-11-30T08:00+1", "2026-11-30T08:00:00.Z", "2026/11/30", "99999999999999999999h",
          "2999-01-01", "0001-01-01", "200000w", "2026-11-30T08:00Zjunk"}) {
        CAPTURE(bad);
        try {
            (void)lede::parse_time(bad, now);
            FAIL("accepted");
        } catch (const lede::Error& e) {
            CHECK(e.kind() == lede::ErrorKind::invalid_argument);
            CHECK(std::string(e.what()).find("is not a time") != std::string::npos);
            CHECK(std::string(e.what()).find("2026-11-30T08:00Z") != std::string::npos);  // what is accepted
        }
    }
}

TEST_CASE("alerts: checkpoints as text, and back") {
    lede::query::Checkpoint c{{"0f3e-uuid", 1764489600123}, {"#2", 5}};
    std::string text = lede::query::format_checkpoint(c);
    CHECK(text == "lede-alert-1 #2=5 0f3e-uuid=1764489600123");
    CHECK(lede::query::parse_checkpoint(text) == c);
    CHECK(lede::query::parse_checkpoint("").empty());
    CHECK_THROWS_AS(lede::query::parse_checkpoint("lede-alert-1 x"), lede::Error);
    CHECK_THROWS_AS(lede::query::parse_checkpoint("something else"), lede::Error);
    CHECK_THROWS_AS(lede::query::parse_checkpoint("lede-alert-1 a=12x"), lede::Error);
}

TEST_CASE("alerts: the state file keeps each alert's checkpoint, rewritten whole") {
    TempDir dir;
    const std::string file = dir.path + "/sub/state.alerts";
    {
        lede::AlertState st(file);
        CHECK_FALSE(st.known("ukraine"));
        CHECK(st.checkpoint("ukraine").empty());
        st.save("ukraine", "lede-alert-1 a=1");
        st.save("gaza", "lede-alert-1 a=2");
        st.save("ukraine", "lede-alert-1 a=3");
    }
    lede::AlertState st(file);
    CHECK(st.known("ukraine"));
    CHECK(st.checkpoint("ukraine") == "lede-alert-1 a=3");
    CHECK(st.checkpoint("gaza") == "lede-alert-1 a=2");
    CHECK_THROWS_AS(st.save("../evil", "x"), lede::Error);
    CHECK_FALSE(std::filesystem::exists(file + ".tmp"));
    CHECK(lede::AlertState::valid_name("ukraine-2026.v2_x"));
    CHECK_FALSE(lede::AlertState::valid_name(""));
    CHECK_FALSE(lede::AlertState::valid_name("-n"));
    CHECK_FALSE(lede::AlertState::valid_name(".hidden"));
    CHECK_FALSE(lede::AlertState::valid_name("a b"));
    CHECK_FALSE(lede::AlertState::valid_name(std::string(65, 'a')));
}

TEST_CASE("alerts: a state file that is not one is an error naming the file and line") {
    TempDir dir;
    const std::string file = dir.path + "/notes.txt";
    std::ofstream(file) << "# fine\nshopping list\n";
    try {
        lede::AlertState st(file);
        FAIL("accepted");
    } catch (const lede::Error& e) {
        CHECK(std::string(e.what()).find(file + ":2: not an alert state line") != std::string::npos);
    }
}

TEST_CASE("alerts: a second holder of the state file waits for the first") {
    TempDir dir;
    const std::string file = dir.path + "/state.alerts";
    std::atomic<bool> second_in{false};
    std::thread t;
    {
        lede::AlertState first(file);
        t = std::thread([&] {
            lede::AlertState second(file);
            second_in = true;
            CHECK(second.checkpoint("a") == "lede-alert-1 x=1");  // sees what the first saved
        });
        std::this_thread::sleep_for(milliseconds(200));
        CHECK_FALSE(second_in.load());
        first.save("a", "lede-alert-1 x=1");
    }
    t.join();
    CHECK(second_in.load());
}

TEST_CASE("alerts: a checkpoint chain gives each passage once, an edited passage is new, the rest are not") {
    TempDir dir;
    const std::string db = dir.path + "/idx";
    {
        lede::Indexer ix(db);
        ix.add_article(article("a1", "Umerov met Witkoff in Miami.\n\nThe talks went on.\n\nUmerov spoke after."));
        ix.commit();
    }
    lede::Searcher s(db);
    std::string cp;  // the first run: everything so far
    CHECK(run(s, "Umerov OR talks", cp) == std::set<std::string>{"a1:1", "a1:2", "a1:3"});
    CHECK(run(s, "Umerov OR talks", cp).empty());
    {
        lede::Indexer ix(db);
        // Paragraph 2 edited, 1 and 3 unchanged; a second article added.
        ix.add_article(
            article("a1", "Umerov met Witkoff in Miami.\n\nThe talks went on all night.\n\nUmerov spoke after."));
        ix.add_article(article("a2", "Umerov again, in Geneva."));
        ix.commit();
    }
    CHECK(run(s, "Umerov OR talks", cp) == std::set<std::string>{"a1:2", "a2:1"});
    CHECK(run(s, "Umerov OR talks", cp).empty());
    // A search with no checkpoint sees everything, with when each was indexed.
    lede::SearchOptions with_time;
    with_time.indexed_time = true;
    lede::SearchResults all = s.search("Umerov", with_time);
    REQUIRE(all.hits.size() == 3);
    for (const auto& h : all.hits) {
        CHECK(h.indexed > system_clock::now() - minutes(5));
        CHECK(h.indexed <= system_clock::now());
    }
    // --indexed-since in the future: nothing; in the past: all.
    lede::SearchOptions o;
    o.indexed_since = system_clock::now() + hours(1);
    CHECK(s.search("Umerov", o).hits.empty());
    o.indexed_since = system_clock::now() - hours(1);
    CHECK(s.search("Umerov", o).hits.size() == 3);
}

TEST_CASE("alerts: each commit's time is later than the last, and recorded in the index") {
    TempDir dir;
    const std::string db = dir.path + "/idx";
    std::vector<std::string> times;
    for (int i = 0; i < 5; ++i) {
        lede::Indexer ix(db);
        ix.add_article(article("a" + std::to_string(i), "Umerov number " + std::to_string(i)));
        ix.commit();
    }
    lede::Searcher s(db);
    lede::SearchOptions o;
    o.limit = 10;
    o.indexed_time = true;
    std::set<system_clock::time_point> seen;
    for (const auto& h : s.search("Umerov", o).hits) {
        seen.insert(h.indexed);
    }
    CHECK(seen.size() == 5);  // five commits, five distinct times
}
