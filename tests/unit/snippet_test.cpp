#include "query/snippet.hpp"

#include <doctest/doctest.h>

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
