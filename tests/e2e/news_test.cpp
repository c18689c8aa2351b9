// News features on the real binary (issue 16): dates from paths at their
// precision, date: over periods, `lede stats` dated counts, --sort,
// --timeline and --by, over one index and over two shards; and dates that are
// no dates (issue 14) reported and indexed undated. The corpus is
// tests/data/news: eleven files, thirteen articles, four outlets.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <vector>

using namespace e2e;

namespace {

std::string news_dir() { return data_dir() + "/news"; }

// The news corpus indexed once per test process (read-only use).
const std::string& news_index() {
    static TempDir dir;
    static std::string db = [] {
        std::string p = dir / "news.idx";
        Result r = lede("index -q --db " + q(p) + " " + q(news_dir()));
        REQUIRE(r.exit == 0);
        return p;
    }();
    return db;
}

std::vector<std::string> dates_of(const nlohmann::json& j) {
    std::vector<std::string> out;
    for (const auto& r : j["results"]) {
        out.push_back(r.value("date", ""));
    }
    return out;
}

// `lede search --json` over several shards.
nlohmann::json search_shards(const std::vector<std::string>& dbs, const std::string& args) {
    std::string cmd = "search --json";
    for (const auto& db : dbs) {
        cmd += " --db " + q(db);
    }
    Result r = lede(cmd + " " + args);
    INFO("stderr: " << r.err);
    REQUIRE((r.exit == 0 || r.exit == 1));
    return nlohmann::json::parse(r.out);
}

std::string file_of(const nlohmann::json& r) { return std::filesystem::path(r["path"].get<std::string>()).filename(); }

}  // namespace

TEST_CASE("news: dates from front matter, JSON Lines and paths, at their precision") {
    const std::string& db = news_index();
    auto j = search_json(db, "-n 50 --per-article 1 talks");
    std::map<std::string, std::string> date;  // article → date
    for (const auto& r : j["results"]) {
        date[r.value("article", file_of(r))] = r.value("date", "");
    }
    auto find = [&](const std::string& tail) {
        for (const auto& [k, v] : date) {
            if (k.ends_with(tail)) {
                return v;
            }
        }
        FAIL("no result for " << tail);
        return std::string();
    };
    CHECK(find("kyiv-talks.txt") == "2026-02-04");    // 2026/02/04/slug.txt
    CHECK(find("prisoner-swap.md") == "2026-02-05");  // front matter
    CHECK(find("abu-dhabi-round.txt") == "2026-02");  // 2026/02/slug.txt: a month
    CHECK(find("2026-01-28-grain-corridor.md") == "2026-01-28");
    CHECK(find("1994_budapest_memorandum.txt") == "1994");  // a year
    CHECK(find("wire.jsonl#w2") == "2026-02-02");           // JSON Lines, with a time
    CHECK(find("wire.jsonl#w3").empty());                   // undated
    CHECK(find("background.txt").empty());

    Result st = lede("stats --json --db " + q(db));
    REQUIRE(st.exit == 0);
    auto s = nlohmann::json::parse(st.out);
    CHECK(s["articles"] == 13);
    CHECK(s["dated"] == 10);
    CHECK(s["dated_from"]["front_matter"] == 2);
    CHECK(s["dated_from"]["json"] == 2);
    CHECK(s["dated_from"]["path"] == 6);
    CHECK(s["dated_from"]["html"] == 0);
    Result text = lede("stats --db " + q(db));
    CHECK(text.out.find("dated:       10 (2 from front_matter, 2 from json, 6 from path)") != std::string::npos);
}

TEST_CASE("news: --no-path-dates leaves path dates out") {
    TempDir d;
    REQUIRE(lede("index -q --no-path-dates --db " + q(d / "idx") + " " + q(news_dir())).exit == 0);
    auto s = nlohmann::json::parse(lede("stats --json --db " + q(d / "idx")).out);
    CHECK(s["dated"] == 4);
    CHECK(s["dated_from"]["path"] == 0);
    auto j = search_json(d / "idx", "Budapest");
    REQUIRE(!j["results"].empty());
    CHECK_FALSE(j["results"][0].contains("date"));
}

TEST_CASE("news: date: meets periods: a year alone passes a range or a month within it") {
    const std::string& db = news_index();
    auto files = [&](const std::string& filter) {
        std::set<std::string> out;
        const auto j = search_json(db, "-n 50 " + q("memorandum " + filter));
        for (const auto& r : j["results"]) {
            out.insert(file_of(r));
        }
        return out;
    };
    CHECK(files("date:1994") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:1994-06") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:1994-06-15") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:1990..1994") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:1994-12-31..") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:..1994-01-01") == std::set<std::string>{"1994_budapest_memorandum.txt"});
    CHECK(files("date:1995..").empty());
    CHECK(files("date:..1993-12-31").empty());
    // A month alone (2026/02/abu-dhabi-round.txt) within a range of days.
    auto feb = search_json(db, "-n 50 --per-article 1 " + q("Abu Dhabi date:2026-02-10..2026-02-12"));
    REQUIRE(feb["results"].size() == 1);
    CHECK(file_of(feb["results"][0]) == "abu-dhabi-round.txt");
}

TEST_CASE("news: --sort newest and oldest: by date, undated last") {
    const std::string& db = news_index();
    auto newest = dates_of(search_json(db, "-n 50 --per-article 1 --sort newest talks"));
    REQUIRE(newest.size() >= 10);
    CHECK(newest.front() == "2026-02-07");
    // Dates never rise; the undated come last; a month alone sorts as its first day.
    std::vector<std::string> firsts;
    for (const auto& d : newest) {
        firsts.push_back(d.size() == 4 ? d + "-01-01" : d.size() == 7 ? d + "-01" : d);
    }
    auto undated = std::find(firsts.begin(), firsts.end(), "");
    CHECK(std::all_of(undated, firsts.end(), [](const std::string& d) { return d.empty(); }));
    CHECK(std::is_sorted(firsts.begin(), undated, std::greater<>()));
    CHECK(newest[static_cast<std::size_t>(undated - firsts.begin()) - 1] == "1994");

    auto oldest = dates_of(search_json(db, "-n 50 --per-article 1 --sort oldest talks"));
    CHECK(oldest.front() == "1994");
    CHECK(oldest.back().empty());
    // The same passages as by relevance, in another order.
    auto rel = search_json(db, "-n 50 --per-article 1 talks");
    CHECK(rel["results"].size() == newest.size());
    CHECK(rel["total"] == search_json(db, "-n 50 --per-article 1 --sort newest talks")["total"]);
    // -n 1 gives the first of the longer list.
    auto one = search_json(db, "-n 1 --sort newest talks");
    CHECK(dates_of(one) == std::vector<std::string>{"2026-02-07"});
    CHECK(lede("search --db " + q(db) + " --sort sideways talks").exit == 2);
}

TEST_CASE("news: --timeline counts every match by period, in JSON and as a chart") {
    const std::string& db = news_index();
    auto j = search_json(db, "-n 1 --timeline=day talks");
    REQUIRE(j.contains("timeline"));
    const auto& t = j["timeline"];
    CHECK(t["period"] == "day");
    CHECK(j["results"].size() == 1);  // the hits stay as asked
    // Every matching passage is counted once: in a day, as coarser, or undated.
    std::uint64_t sum = t["coarser"]["passages"].get<std::uint64_t>() + t["undated"]["passages"].get<std::uint64_t>();
    std::uint64_t articles =
        t["coarser"]["articles"].get<std::uint64_t>() + t["undated"]["articles"].get<std::uint64_t>();
    for (const auto& p : t["periods"]) {
        sum += p["passages"].get<std::uint64_t>();
        articles += p["articles"].get<std::uint64_t>();
    }
    CHECK(sum == t["passages"]);
    CHECK(articles == t["articles"]);
    auto all = search_json(db, "-n 100 --per-article 0 talks");
    CHECK(t["passages"] == all["results"].size());
    CHECK(t["articles"] == 13);
    CHECK(t["undated"]["articles"] == 3);
    CHECK(t["coarser"]["articles"] == 2);  // 1994 and 2026-02 have no day
    // Consecutive days from the first to the last, empty ones included.
    CHECK(t["periods"].front()["period"] == "2025-12-19");
    CHECK(t["periods"].back()["period"] == "2026-02-07");
    CHECK(t["periods"].size() == 51);

    auto month = search_json(db, "-n 0 --timeline month talks")["timeline"];
    CHECK(month["period"] == "month");
    CHECK(month["coarser"]["articles"] == 1);  // 1994
    CHECK(month["periods"].size() == 3);       // 2025-12, 2026-01, 2026-02
    auto by_auto = search_json(db, "-n 0 --timeline talks")["timeline"];
    CHECK(by_auto["period"] == "year");  // 1994 to 2026, a year alone among them
    CHECK(by_auto["periods"].size() == 33);

    Result chart = lede("search --db " + q(db) + " --color never talks --timeline month");
    CHECK(chart.exit == 0);
    CHECK(chart.out.find("talks: " + std::to_string(t["passages"].get<int>()) + " passages in 13 articles, by month")
          == 0);
    CHECK(chart.out.find("2026-02 ") != std::string::npos);
    CHECK(chart.out.find("█") != std::string::npos);
    CHECK(chart.out.find("undated: ") != std::string::npos);
    CHECK(chart.out.find("\x1b[") == std::string::npos);
    Result coloured = lede("search --db " + q(db) + " --color always --timeline month talks");
    CHECK(coloured.out.find("\x1b[32m█") != std::string::npos);
    Result none = lede("search --db " + q(db) + " --timeline nothingxyz");
    CHECK(none.exit == 1);
}

TEST_CASE("news: phrase timelines count the matches that pass the check") {
    const std::string& db = news_index();
    auto j = search_json(db, "-n 0 --timeline=year " + q("\"security guarantees\""));
    const auto& t = j["timeline"];
    CHECK(t["lower_bound"] == false);
    // "security guarantees" as a phrase: kyiv-talks (2026) and the memorandum (1994);
    // "guarantees against" in background.txt is no match.
    CHECK(t["passages"] == 2);
    CHECK(t["periods"].front()["period"] == "1994");
    CHECK(t["periods"].back()["period"] == "2026");
    CHECK(t["undated"]["passages"] == 0);
}

TEST_CASE("news: --by source counts every match by outlet") {
    const std::string& db = news_index();
    auto j = search_json(db, "-n 0 --by source talks");
    REQUIRE(j.contains("by"));
    const auto& f = j["by"]["source"];
    std::map<std::string, std::uint64_t> articles;
    for (const auto& v : f["values"]) {
        articles[v["value"]] = v["articles"];
    }
    CHECK(articles["Reuters"] == 4);  // kyiv-talks, energy-truce, w2, w3
    CHECK(articles["AP"] == 3);       // prisoner-swap, grain-corridor, w1
    CHECK(articles["BBC"] == 2);
    CHECK(articles["AFP"] == 1);
    CHECK(articles["Kyiv Independent"] == 1);
    CHECK(f["values"][0]["value"] == "Reuters");
    CHECK(f["missing"]["articles"] == 2);  // the memorandum, the briefing notes
    CHECK(f["articles"] == 13);
    auto years = search_json(db, "-n 0 --by year talks")["by"]["year"];
    CHECK(years["values"][0]["value"] == "2026");
    CHECK(years["values"][0]["articles"] == 8);  // 2026: six files and two JSON Lines articles
    Result text = lede("search --db " + q(db) + " --by source talks");
    CHECK(text.exit == 0);
    CHECK(text.out.find("talks: ") == 0);
    CHECK(text.out.find("Kyiv Independent") != std::string::npos);
    CHECK(text.out.find("no source: ") != std::string::npos);
    Result jsonl = lede("search --db " + q(db) + " --jsonl -n 1 --by source --timeline talks");
    CHECK(jsonl.out.find("\"type\":\"summary\"") != std::string::npos);
    CHECK(jsonl.out.find("\"by\":{\"source\"") != std::string::npos);
    CHECK(jsonl.out.find("\"timeline\":{") != std::string::npos);
    CHECK(lede("search --db " + q(db) + " --by author talks").exit == 2);
}

TEST_CASE("news: two shards give the same dates, order, timeline and counts as one index") {
    TempDir d;
    REQUIRE(lede("index -q --db " + q(d / "s1") + " --shard-of 1/2 " + q(news_dir())).exit == 0);
    REQUIRE(lede("index -q --db " + q(d / "s2") + " --shard-of 2/2 " + q(news_dir())).exit == 0);
    const std::vector<std::string> shards{d / "s1", d / "s2"};
    for (const std::string& args : {std::string("-n 50 --timeline=day --by source --by year talks"),
                                    std::string("-n 50 --timeline " + q("\"security guarantees\"")),
                                    std::string("-n 50 --sort newest --by month prisoners"),
                                    std::string("-n 50 --sort oldest --timeline=week ceasefire")}) {
        CAPTURE(args);
        auto one = search_json(news_index(), args);
        auto two = search_shards(shards, args);
        CHECK(one["timeline"] == two["timeline"]);
        CHECK(one["by"] == two["by"]);
        REQUIRE(one["results"].size() == two["results"].size());
        for (std::size_t i = 0; i < one["results"].size(); ++i) {
            CHECK(one["results"][i]["path"] == two["results"][i]["path"]);
            CHECK(one["results"][i]["passage"] == two["results"][i]["passage"]);
            CHECK(one["results"][i].value("date", "") == two["results"][i].value("date", ""));
        }
    }
}

TEST_CASE("news: dates that are no dates are reported and the article indexed undated (issue 14)") {
    TempDir d;
    write_file(d / "2026-02-30-leap.md",
               "---\ntitle: A day that never was\n---\nThe talks were held on no day at all.\n");
    write_file(d / "front.md", "---\ndate: 2026-02-30\n---\nThe talks were held on the thirtieth of February.\n");
    write_file(d / "feed.jsonl",
               "{\"id\": \"y\", \"date\": \"yesterday\", \"text\": \"The talks were held yesterday.\"}\n"
               "{\"id\": \"n\", \"date\": 20260204, \"text\": \"The talks were held on a number.\"}\n"
               "{\"id\": \"b\", \"date\": \"2026-02-31\", \"text\": \"The talks were held on a bad day.\"}\n"
               "{\"id\": \"o\", \"date\": \"2026-02-04\", \"text\": \"The talks were held on a good day.\"}\n");
    Result r = lede("index --db " + q(d / "idx") + " " + q(d.path()));
    CHECK(r.exit == 0);
    CAPTURE(r.err);
    CHECK(r.err.find("lede: " + d / "2026-02-30-leap.md"
                     + ": warning: the date in the path, 2026-02-30, is not a day of the calendar; the file is indexed undated")
          != std::string::npos);
    CHECK(r.err.find("lede: " + d / "front.md"
                     + ": warning: front matter date '2026-02-30' is not a date (YYYY-MM-DD); "
                       "the article is indexed undated")
          != std::string::npos);
    CHECK(r.err.find("lede: " + d / "feed.jsonl"
                     + ": warning: line 1: date \"yesterday\" is not a date (YYYY-MM-DD); the article is indexed undated")
          != std::string::npos);
    CHECK(r.err.find(": line 2: date 20260204 is not a date") != std::string::npos);
    CHECK(r.err.find(": line 3: date \"2026-02-31\" is not a date") != std::string::npos);
    CHECK(r.err.find(": line 4:") == std::string::npos);
    // Every article is indexed, one dated.
    auto s = nlohmann::json::parse(lede("stats --json --db " + q(d / "idx")).out);
    CHECK(s["articles"] == 6);
    CHECK(s["dated"] == 1);
    auto j = search_json(d / "idx", "-n 10 --per-article 1 talks");
    CHECK(j["results"].size() == 6);
}
