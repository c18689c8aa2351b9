// Dates in paths (indexer/path_date.hpp), stored dates and their slot values
// (index/dates.hpp), and the counts of --timeline and --by (query/tally.hpp).
// Path dates are tested as properties over generated names: every layout and
// separator with every kind of date, and families of names that hold none.
#include <doctest/doctest.h>

#include "index/dates.hpp"
#include "indexer/articles.hpp"
#include "indexer/path_date.hpp"
#include "query/tally.hpp"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

using lede::index::Date;
using lede::indexer::path_date;

namespace {

std::string two(int n) {
    std::string s = std::to_string(n);
    return n >= 0 && n < 10 ? "0" + s : s;
}

const std::vector<std::string> slugs{"slug.txt", "talks-resume.md", "george_washington.txt", "a", "x-1.jsonl", "2.txt"};
const std::vector<std::string> prefixes{"", "/", "/srv/archive/", "news/", "/home/me/2019-old-notes/sub/deeper/"};

}  // namespace

TEST_CASE("path dates: every archive layout gives its date at its precision (generated names)") {
    std::mt19937 rng(20260204);
    std::uniform_int_distribution<int> year(1000, 2999);
    std::uniform_int_distribution<int> month(1, 12);
    std::uniform_int_distribution<int> pick(0, 1000);
    const std::string seps = "-_/";
    for (int i = 0; i < 3000; ++i) {
        const int y = year(rng);
        const int m = month(rng);
        const int d = 1 + pick(rng) % lede::index::days_in_month(y, m);
        const std::string slug = slugs[static_cast<std::size_t>(pick(rng)) % slugs.size()];
        const std::string prefix = prefixes[static_cast<std::size_t>(pick(rng)) % prefixes.size()];
        auto sep = [&] { return seps[static_cast<std::size_t>(pick(rng)) % seps.size()]; };
        const int precision = pick(rng) % 3;  // 0 year, 1 month, 2 day
        std::string name = prefix + std::to_string(y) + sep();
        Date want{y, 0, 0};
        if (precision >= 1) {
            name += two(m) + sep();
            want.month = m;
        }
        if (precision == 2) {
            name += two(d) + sep();
            want.day = d;
        }
        name += slug;
        CAPTURE(name);
        auto got = path_date(name);
        REQUIRE(got.date.has_value());
        CHECK(*got.date == want);
        CHECK(got.impossible.empty());
    }
}

TEST_CASE("path dates: names that hold no date give none (generated families)") {
    std::mt19937 rng(1790);
    std::uniform_int_distribution<int> n(0, 99999);
    for (int i = 0; i < 2000; ++i) {
        const int v = n(rng);
        std::vector<std::string> names{
            two(v % 100) + "_" + std::to_string(v) + ".txt",           // short numbers: 004_…, 42_…
            "0" + two(v % 100) + "_slug.txt",                          // three digits
            std::to_string(10000 + v) + "_slug.txt",                   // five digits
            std::to_string(3000 + v % 7000) + "_slug.txt",             // years out of range: 3000-9999
            "0" + std::to_string(100 + v % 900) + "-01-02-slug.txt",   // 0100-0999
            std::to_string(1000 + v % 2000) + ".txt",                  // a year followed by '.'
            std::to_string(1000 + v % 2000) + "slug.txt",              // a year followed by a letter
            "slug-" + std::to_string(1000 + v % 2000) + "-02-04.txt",  // not at the start of a component
            "/a/" + std::to_string(1000 + v % 2000) + "/b/c/d/e.txt",  // a year folder too far up
        };
        for (const auto& name : names) {
            CAPTURE(name);
            auto got = path_date(name);
            CHECK_FALSE(got.date.has_value());
            CHECK(got.impossible.empty());
        }
    }
}

TEST_CASE("path dates: the examples, precision and depth") {
    CHECK(path_date("/data/2026/02/04/slug.txt").date == Date{2026, 2, 4});
    CHECK(path_date("2026-02-04-slug.md").date == Date{2026, 2, 4});
    CHECK(path_date("/sotu/1790_george_washington.txt").date == Date{1790, 0, 0});
    CHECK(path_date("/x/2026/02/slug.txt").date == Date{2026, 2, 0});
    CHECK(path_date("/x/2026/slug.txt").date == Date{2026, 0, 0});
    CHECK(path_date("/x/2026-02-04/slug.txt").date == Date{2026, 2, 4});
    CHECK(path_date("/x/2026-02-04.md").date == Date{2026, 2, 4});
    CHECK(path_date("/x/2026-02.md").date == Date{2026, 2, 0});
    CHECK_FALSE(path_date("/corpus/004_374b27152c928110.txt").date);
    // A month that is no month: the year alone.
    CHECK(path_date("1984-99-luftballons.txt").date == Date{1984, 0, 0});
    // The most precise date wins; the deepest among equals.
    CHECK(path_date("/2025/03/2026_report.txt").date == Date{2025, 3, 0});
    CHECK(path_date("/2025/2026_report.txt").date == Date{2026, 0, 0});
    // Leap years.
    CHECK(path_date("2024-02-29-leap.txt").date == Date{2024, 2, 29});
    CHECK(path_date("2000-02-29-leap.txt").date == Date{2000, 2, 29});
}

TEST_CASE("path dates: days not in the calendar are reported, not stored (generated)") {
    for (int y : {1900, 2023, 2025, 2026, 2100}) {  // no leap years
        for (const std::string& bad : {two(2) + "-29", two(2) + "-30", two(2) + "-31", two(4) + "-31", two(6) + "-31",
                                       two(9) + "-31", two(11) + "-31"}) {
            const std::string date = std::to_string(y) + "-" + bad;
            for (const std::string& name : {date + "-slug.md", "/a/" + date + "/slug.txt", date + "_x.txt"}) {
                CAPTURE(name);
                auto got = path_date(name);
                CHECK_FALSE(got.date.has_value());
                CHECK(got.impossible == date);
            }
        }
    }
    // Another, valid date in the path is used instead.
    CHECK(path_date("/2026/02/2026-02-30-x.md").date == Date{2026, 2, 0});
}

TEST_CASE("normalize_date: calendar days, and a month or year alone") {
    using lede::indexer::normalize_date;
    CHECK(normalize_date("2026-02-05") == "2026-02-05");
    CHECK(normalize_date("2026/02/05") == "2026-02-05");
    CHECK(normalize_date("2026-02-05T10:00:00Z") == "2026-02-05");
    CHECK(normalize_date("2026-02-30").empty());
    CHECK(normalize_date("2025-02-29").empty());
    CHECK(normalize_date("2024-02-29") == "2024-02-29");
    CHECK(normalize_date("2026-13-01").empty());
    CHECK(normalize_date("1790") == "1790");
    CHECK(normalize_date("2026-02") == "2026-02");
    CHECK(normalize_date("0999").empty());
    CHECK(normalize_date("yesterday").empty());
    CHECK(normalize_date("20260205").empty());
}

TEST_CASE("stored dates: first and last days, and the period value round trip") {
    auto y = lede::index::parse_stored_date("1790");
    REQUIRE(y);
    CHECK(y->first_day() == "17900101");
    CHECK(y->last_day() == "17901231");
    auto m = lede::index::parse_stored_date("2024-02");
    REQUIRE(m);
    CHECK(m->last_day() == "20240229");
    CHECK_FALSE(lede::index::parse_stored_date("2026-02-30"));
    for (const auto& d : {Date{1790, 0, 0}, Date{2024, 2, 0}, Date{2026, 2, 4}}) {
        CHECK(lede::index::date_of_period_value(lede::index::period_value(d, 0x1f0c, "AP")) == d);
        CHECK(lede::index::source_of_value(lede::index::period_value(d, 0x1f0c, "AP")) == "AP");
    }
    CHECK_FALSE(lede::index::date_of_period_value(lede::index::period_value(std::nullopt, 0x1f0c, "")));
    CHECK(lede::index::source_of_value(lede::index::period_value(std::nullopt, 0x1f0c, "AP")) == "AP");
    // The reference is 8 raw bytes, NUL and '-' included: the source still parses.
    CHECK(lede::index::source_of_value(lede::index::period_value(std::nullopt, 0x2d00, "")).empty());
    CHECK(lede::index::source_of_value(lede::index::period_value(Date{2026, 2, 4}, 0x2d2d2d2d2d2d2d2d, "AFP"))
          == "AFP");
    CHECK(lede::index::period_value(Date{2026, 2, 4}, 0x0102030405060708, "AP")
          == std::string("20260204d\x01\x02\x03\x04\x05\x06\x07\x08"
                         "AP",
                         19));
}

TEST_CASE("timeline: periods, gaps filled, coarser and undated matches apart") {
    using lede::Period;
    using lede::index::period_value;
    lede::query::ValueCounts v{
        {period_value(Date{2026, 2, 4}, 1, ""), 3}, {period_value(Date{2026, 2, 6}, 2, ""), 1},
        {period_value(Date{2026, 2, 6}, 3, ""), 2}, {period_value(Date{2026, 2, 0}, 4, ""), 1},
        {period_value(std::nullopt, 5, ""), 4},
    };
    auto t = lede::query::make_timeline(v, 11, Period::day, false);
    REQUIRE(t.buckets.size() == 3);
    CHECK(t.buckets[0].key == "2026-02-04");
    CHECK(t.buckets[0].passages == 3);
    CHECK(t.buckets[1].key == "2026-02-05");
    CHECK(t.buckets[1].passages == 0);
    CHECK(t.buckets[2].passages == 3);
    CHECK(t.buckets[2].articles == 2);
    CHECK(t.coarser.passages == 1);
    CHECK(t.undated.passages == 4);
    CHECK(t.undated.articles == 1);
    CHECK(t.total.passages == 11);
    CHECK(t.total.articles == 5);
    auto m = lede::query::make_timeline(v, 11, Period::month, false);
    REQUIRE(m.buckets.size() == 1);
    CHECK(m.buckets[0].key == "2026-02");
    CHECK(m.buckets[0].passages == 7);
    CHECK(m.buckets[0].articles == 4);
    CHECK(m.coarser.passages == 0);
    // ISO weeks: 2026-02-04 is a Wednesday of week 6; 2021-01-01 belongs to 2020-W53.
    CHECK(lede::query::period_key(Date{2026, 2, 4}, Period::week) == "2026-W06");
    CHECK(lede::query::period_key(Date{2021, 1, 1}, Period::week) == "2020-W53");
    CHECK(lede::query::period_key(Date{1969, 12, 29}, Period::week) == "1970-W01");
    CHECK(lede::query::period_key(Date{1793, 5, 0}, Period::decade) == "1790s");
    // Automatic: SOTU's years span two centuries: decades.
    lede::query::ValueCounts sotu{{period_value(Date{1790, 0, 0}, 1, ""), 1},
                                  {period_value(Date{2010, 0, 0}, 2, ""), 1}};
    CHECK(lede::query::auto_period(sotu) == Period::decade);
    CHECK(lede::query::auto_period(v) == Period::month);  // a month alone among them
}

TEST_CASE("facets: sources by articles, missing apart") {
    using lede::index::period_value;
    lede::query::ValueCounts v{{period_value(Date{2026, 2, 4}, 1, "AP"), 1},
                               {period_value(std::nullopt, 2, "AP"), 1},
                               {period_value(Date{2026, 2, 0}, 3, "Reuters"), 5},
                               {period_value(std::nullopt, 4, ""), 2}};
    auto f = lede::query::make_facet("source", v, 9, false);
    REQUIRE(f.buckets.size() == 2);
    CHECK(f.buckets[0].key == "AP");
    CHECK(f.buckets[0].articles == 2);
    CHECK(f.buckets[1].key == "Reuters");
    CHECK(f.buckets[1].passages == 5);
    CHECK(f.missing.passages == 2);
    CHECK(f.total.articles == 4);
}
