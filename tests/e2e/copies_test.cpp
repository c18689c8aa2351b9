// Wire copies shown once (issue 16): the same passage reprinted by several
// outlets (tests/data/copies: Reuters, AP, Kyiv Post, with another dateline,
// a dropped sentence, other quote marks) is one hit with "+N more"; a story
// that shares a quote stays apart; --all-copies shows each; one index and two
// shards fold the same.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace e2e;

namespace {

std::string where(const nlohmann::json& r) {
    std::string p = r["path"];
    return p.substr(p.rfind('/') + 1) + ":" + std::to_string(r["passage"].get<int>());
}

// Each hit with its copies, as sorted "file:passage" sets.
std::set<std::set<std::string>> groups(const nlohmann::json& res) {
    std::set<std::set<std::string>> out;
    for (const auto& r : res["results"]) {
        std::set<std::string> g{where(r)};
        if (r.contains("copies")) {
            for (const auto& c : r["copies"]) {
                g.insert(where(c));
            }
        }
        out.insert(g);
    }
    return out;
}

const std::string every_passage = "--per-article 0 -n 50 'the OR Reporting'";

}  // namespace

TEST_CASE("copies: a reprinted passage is one hit with its copies, a shared quote is not a copy") {
    TempDir d;
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(data_dir() + "/copies")).exit == 0);
    auto res = search_json(d / "idx", every_passage);
    const std::set<std::set<std::string>> expected{
        {"reuters.md:1", "ap.md:1"},                    // another dateline
        {"reuters.md:2", "ap.md:2", "kyiv-post.md:2"},  // the same paragraph
        {"reuters.md:3", "ap.md:3", "kyiv-post.md:3"},  // other quote marks; a sentence dropped
        {"reuters.md:4", "ap.md:4"},                    // (not in the Kyiv Post)
        {"reuters.md:5", "ap.md:5", "kyiv-post.md:4"},  // the same paragraph
        {"reuters.md:6", "ledger.md:3"},                // the same credit line, word for word
        {"ap.md:6"},                                    // another credit line
        {"kyiv-post.md:1"},                             // a new first line
        {"ledger.md:1"},                                // the same quote, another story
        {"ledger.md:2"}};
    CHECK(groups(res) == expected);
    // total counts every matching passage, copies included.
    CHECK(res["total"] == 19);
    // A copy names its file, passage, outlet and date.
    for (const auto& r : res["results"]) {
        for (const auto& c : r.value("copies", nlohmann::json::array())) {
            CHECK(c.contains("path"));
            CHECK(c.contains("passage"));
            CHECK(c.contains("source"));
            CHECK(c.contains("date"));
            CHECK(c["source"] != r["source"]);
        }
    }

    // --all-copies: each passage its own hit, no copies listed.
    auto all = search_json(d / "idx", "--all-copies " + every_passage);
    CHECK(all["results"].size() == 19);
    CHECK(all["total"] == 19);
    for (const auto& r : all["results"]) {
        CHECK_FALSE(r.contains("copies"));
    }
}

TEST_CASE("copies: the page still fills, --offset and --per-article keep working") {
    TempDir d;
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(data_dir() + "/copies")).exit == 0);
    auto full = search_json(d / "idx", every_passage);
    REQUIRE(full["results"].size() == 10);
    auto page1 = search_json(d / "idx", "--per-article 0 -n 4 'the OR Reporting'");
    auto page2 = search_json(d / "idx", "--per-article 0 -n 4 --offset 4 'the OR Reporting'");
    REQUIRE(page1["results"].size() == 4);
    REQUIRE(page2["results"].size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(where(page1["results"][i]) == where(full["results"][i]));
        CHECK(where(page2["results"][i]) == where(full["results"][i + 4]));
        CHECK(page2["results"][i]["rank"] == static_cast<int>(i + 5));
        CHECK(page2["results"][i].value("copies", nlohmann::json::array())
              == full["results"][i + 4].value("copies", nlohmann::json::array()));
    }
    // One passage per article: still no article shown twice, and copies folded.
    auto one = search_json(d / "idx", "--per-article 1 -n 10 'the OR Reporting'");
    std::set<std::string> files;
    for (const auto& r : one["results"]) {
        CHECK(files.insert(r["path"].get<std::string>()).second);
    }
    // -l lists every file that matches, copies included (like grep).
    Result l = lede("search --db " + q(d / "idx") + " -l '\"Turkish naval officers\"'");
    CHECK(l.exit == 0);
    CHECK(std::count(l.out.begin(), l.out.end(), '\n') == 3);
}

TEST_CASE("copies: text output says +N more with the outlets, colour only where allowed") {
    TempDir d;
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(data_dir() + "/copies")).exit == 0);
    Result r = lede("search --db " + q(d / "idx") + " --no-heading -n 1 '\"Turkish naval officers\"'");
    REQUIRE(r.exit == 0);
    CAPTURE(r.out);
    CHECK(r.out.find("\n    +2 more: ") != std::string::npos);
    // The two outlets other than the hit's own, each with where its copy is.
    int outlets = 0;
    for (const std::string outlet : {"Reuters (", "AP (", "Kyiv Post ("}) {
        outlets += r.out.find(outlet) != std::string::npos ? 1 : 0;
    }
    CHECK(outlets == 2);
    CHECK(r.out.find(".md:2)") != std::string::npos);
    CHECK(r.out.find('\x1b') == std::string::npos);
    Result c = lede("search --db " + q(d / "idx") + " --color always --no-heading -n 1 '\"Turkish naval officers\"'");
    CHECK(c.out.find("more: ") != std::string::npos);
    CHECK(c.out.find("(\x1b[35m") != std::string::npos);
    Result all = lede("search --db " + q(d / "idx") + " --all-copies --no-heading '\"Turkish naval officers\"'");
    CHECK(all.out.find("more:") == std::string::npos);
    CHECK(std::count(all.out.begin(), all.out.end(), '\n') == 3);
}

TEST_CASE("copies: two shards fold as one index") {
    TempDir d;
    std::string src = q(data_dir() + "/copies");
    REQUIRE(lede("index -q --db " + q(d / "one") + " " + src).exit == 0);
    REQUIRE(lede("index -q --db " + q(d / "s1") + " --shard-of 1/2 " + src).exit == 0);
    REQUIRE(lede("index -q --db " + q(d / "s2") + " --shard-of 2/2 " + src).exit == 0);
    for (const std::string& args : {every_passage, std::string("-n 3 'the OR Reporting'"),
                                    std::string("'\"small step\"'"), std::string("--per-article 1 Odesa")}) {
        CAPTURE(args);
        auto one = search_json(d / "one", args);
        auto sharded = search_json(d / "s1", "--db " + q(d / "s2") + " " + args);
        CHECK(groups(one) == groups(sharded));
        // The same representative and order too (ties ranked by the order key).
        REQUIRE(one["results"].size() == sharded["results"].size());
        for (std::size_t i = 0; i < one["results"].size(); ++i) {
            CHECK(where(one["results"][i]) == where(sharded["results"][i]));
        }
    }
}
