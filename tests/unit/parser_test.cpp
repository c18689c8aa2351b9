// Query syntax → AST, as a table (Xapian api_queryparser style).
#include "query/parse.hpp"

#include <lede/error.hpp>

#include <doctest/doctest.h>

using lede::query::parse;

TEST_CASE("parser: accepted syntax") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"Witkoff", "Witkoff"},
        {"=Witkoff", "=Witkoff"},
        {"Witkoff Umerov", "(GROUP Witkoff Umerov)"},
        {"\"security guarantees\"", "\"security guarantees\""},
        {"“security guarantees”", "\"security guarantees\""},  // typographic quotes
        {"Witkoff AND Kushner", "(AND Witkoff Kushner)"},
        {"prisoners NOT Istanbul", "(AND_NOT prisoners Istanbul)"},
        {"a AND NOT b", "(AND_NOT a b)"},
        {"a AND b AND c", "(AND a b c)"},  // chains are flat, not deep (fuzz regression)
        {"a NOT b NOT c", "(AND_NOT a b c)"},
        {"a AND b NOT c AND d NOT e", "(AND_NOT (AND a b d) c e)"},  // fuzz regression: alternating chain
        {"a OR b c", "(OR a (GROUP b c))"},
        {"a b AND c", "(GROUP a (AND b c))"},
        {"+Donbas -Crimea talks", "(GROUP +Donbas -Crimea talks)"},
        {"(a OR b) c", "(GROUP (OR a b) c)"},
        {"NOT Istanbul", "(AND_NOT <all> Istanbul)"},
        {"Zelen*", "Zelen*"},
        {"Witkoff NEAR/5 Putin", "(NEAR/5 Witkoff Putin)"},
        {"Witkoff ADJ/2 Putin", "(ADJ/2 Witkoff Putin)"},
        {"path:corpus/ Donbas", "(GROUP path:corpus/ Donbas)"},
        {"and or not", "(GROUP and or not)"},  // lower case: plain words
        {"military-to-military", "military-to-military"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.in);
        CHECK(parse(r.in).describe() == r.out);
    }
}

TEST_CASE("parser: errors name the problem and its column") {
    struct Row {
        const char* in;
        const char* message_part;
        std::size_t column;
    };
    const Row rows[] = {
        {"", "empty query", 1},
        {"   ", "empty query", 1},
        {"\"open phrase", "unbalanced quote", 1},
        {"(a OR b", "unbalanced '('", 1},
        {"a OR", "OR needs a word", 5},
        {"a AND", "AND needs a word", 6},
        {"a)", "unexpected ')'", 2},
        {"()", "empty parentheses", 2},
        {"foo:bar", "unknown field 'foo:'", 1},
        {"a NEAR/0 b", "bad distance", 3},
        {"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a", "nested more than 64", 65},
    };
    for (const Row& r : rows) {
        CAPTURE(r.in);
        try {
            (void)parse(r.in);
            FAIL("no error");
        } catch (const lede::QuerySyntaxError& e) {
            CHECK(std::string(e.what()).find(r.message_part) != std::string::npos);
            CHECK(e.column() == r.column);
        }
    }
}

// Issue 14: a search's time and memory follow the distinct items of a query,
// bounded by limits, whatever an attacker types.
TEST_CASE("parser: repeated items are merged, and a query's size is bounded") {
    CHECK(parse("the the the").describe() == "the");
    CHECK(parse("a* a* war a*").describe() == "(GROUP a* war)");
    CHECK(parse("war OR war OR peace").describe() == "(OR war peace)");
    CHECK(parse("a NOT b NOT b").describe() == "(AND_NOT a b)");
    CHECK(parse("+war war").describe() == "(GROUP +war war)");  // different marks: kept

    auto words = [](std::size_t n, const std::string& stem) {
        std::string q;
        for (std::size_t i = 0; i < n; ++i) {
            q += (q.empty() ? "" : " ") + stem + std::to_string(i) + (stem.ends_with('*') ? "" : "");
        }
        return q;
    };
    const auto max_terms = lede::query::max_query_terms;
    CHECK_NOTHROW(parse(words(max_terms, "w")));
    CHECK_THROWS_AS(parse(words(max_terms + 1, "w")), lede::QuerySyntaxError);
    // repeats do not count
    std::string repeated;
    for (std::size_t i = 0; i < 10 * max_terms; ++i) {
        repeated += "war ";
    }
    CHECK(parse(repeated).describe() == "war");
    // words of phrases and NEAR count as terms
    CHECK_THROWS_AS(parse("\"" + words(max_terms + 1, "p") + "\""), lede::QuerySyntaxError);
    std::string wild;
    for (std::size_t i = 0; i <= lede::query::max_wildcards; ++i) {
        wild += "w" + std::to_string(i) + "* ";
    }
    try {
        parse(wild);
        FAIL("too many wildcards accepted");
    } catch (const lede::QuerySyntaxError& e) {
        CHECK(std::string(e.what()).find("prefix* terms (at most 16)") != std::string::npos);
    }
    CHECK_THROWS_AS(parse(std::string(lede::query::max_query_bytes + 1, 'a')), lede::QuerySyntaxError);
}

TEST_CASE("parser: a known field without a value is an error, not a word") {
    for (const char* q : {"Witkoff path:", "title:", "source: Reuters", "date:"}) {
        CAPTURE(q);
        try {
            parse(q);
            FAIL("accepted");
        } catch (const lede::QuerySyntaxError& e) {
            CHECK(std::string(e.what()).find("needs a value right after the colon") != std::string::npos);
        }
    }
    CHECK(parse("note:").describe() == "note:");  // not a field name: a word, as before
}
