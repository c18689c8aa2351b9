#include "query/snippet.hpp"

#include <doctest/doctest.h>

#include <lede/output.hpp>

#include <sstream>

#include <string>

using lede::Span;
using lede::query::make_snippet;

TEST_CASE("snippet: short text is shown whole") {
    auto s = make_snippet("Witkoff met Umerov.", {{0, 7}}, 100);
    CHECK(s.text == "Witkoff met Umerov.");
    CHECK(s.highlights == std::vector<Span>{{0, 7}});
}

TEST_CASE("snippet: long text becomes a window around the matches with ellipses") {
    std::string text;
    for (int i = 0; i < 60; ++i) {
        text += "filler words here ";
    }
    std::size_t at = text.size();
    text += "Witkoff arrived. ";
    for (int i = 0; i < 60; ++i) {
        text += "more filler text ";
    }
    auto s = make_snippet(text, {{at, at + 7}}, 120);
    CHECK(s.text.size() < 140);
    CHECK(s.text.rfind("\xE2\x80\xA6", 0) == 0);
    CHECK(s.text.ends_with("\xE2\x80\xA6"));
    REQUIRE(s.highlights.size() == 1);
    CHECK(s.text.substr(s.highlights[0].begin, 7) == "Witkoff");
}

// Issue 20 item 5: `partial` means skipped shards only; a stopped phrase
// check has its own key; warnings are listed with either.
TEST_CASE("output: partial for skipped shards only, check_stopped for a stopped phrase check") {
    lede::SearchResults r;
    r.query = "\"of the\"";
    r.warnings = {"stopped checking phrases after 100000 candidate passages; there may be more matches"};
    r.check_stopped = true;
    std::ostringstream json, jsonl;
    lede::print_json(json, r, lede::TextStyle{});
    lede::print_jsonl(jsonl, r, lede::TextStyle{});
    for (const std::string& out : {json.str(), jsonl.str()}) {
        CHECK(out.find("\"partial\"") == std::string::npos);
        CHECK(out.find("\"check_stopped\":true") != std::string::npos);
        CHECK(out.find("\"warnings\":[\"stopped checking") != std::string::npos);
    }
    r.partial = true;
    std::ostringstream both;
    lede::print_json(both, r, lede::TextStyle{});
    CHECK(both.str().find("\"partial\":true") != std::string::npos);
}
