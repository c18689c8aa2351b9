#include "query/snippet.hpp"

#include <doctest/doctest.h>

#include <lede/output.hpp>

#include <cstdint>
#include <sstream>

#include <string>
#include <vector>

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

// write_safe() keeps printable text, shows a bidi control as ⟨U+XXXX⟩, turns
// tab/CR/LF into a space and any other control or invalid byte into U+FFFD.
// Random strings of pieces (none starts with a continuation byte, so each
// piece's rendering does not depend on its neighbours) against the rendering
// of each piece: the ASCII fast path must give what the full rule gives.
TEST_CASE("write_safe: printable ASCII, UTF-8, controls, bidi marks and bad bytes in any order") {
    const std::vector<std::pair<std::string, std::string>> pieces{
        {"Witkoff", "Witkoff"},
        {" ", " "},
        {"~!", "~!"},
        {"\t", " "},
        {"\n", " "},
        {"\r", " "},
        {std::string(1, '\0'), "\xEF\xBF\xBD"},
        {"\x01", "\xEF\xBF\xBD"},
        {"\x1F", "\xEF\xBF\xBD"},
        {"\x7F", "\xEF\xBF\xBD"},
        {"\xC3\xA9", "\xC3\xA9"},                  // é
        {"\xC2\x85", "\xEF\xBF\xBD"},              // NEL, a C1 control
        {"\xC2\xA0", "\xC2\xA0"},                  // no-break space
        {"\xE2\x80\xAE", "\u27E8U+202E\u27E9"},    // RLO
        {"\xE2\x81\xA6", "\u27E8U+2066\u27E9"},    // LRI
        {"\xE2\x80\x8F", "\xE2\x80\x8F"},          // RLM: kept
        {"\xE2\x80\x94", "\xE2\x80\x94"},          // em dash
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},  // an emoji
        {"\xFF", "\xEF\xBF\xBD"},
        {"\xE2\x80", "\xEF\xBF\xBD\xEF\xBF\xBD"},  // cut short: two bad bytes
    };
    std::uint64_t x = 88172645463325252ULL;  // xorshift: the same strings every run
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int round = 0; round < 2000; ++round) {
        std::string in;
        std::string want;
        const std::size_t n = next() % 12;
        for (std::size_t k = 0; k < n; ++k) {
            const auto& [raw, shown] = pieces[next() % pieces.size()];
            in += raw;
            want += shown;
        }
        std::ostringstream out;
        lede::write_safe(out, in);
        CAPTURE(in);
        REQUIRE(out.str() == want);
    }
}
