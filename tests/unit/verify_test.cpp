// Phrases, NEAR and ADJ are matched by Xapian as AND of their words and then
// checked on the passage text: the check must keep exactly the passages the
// query describes, also under OR and NOT.
#include "query/verify.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using lede::query::Truth;

struct Checker {
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;

    // Whether the passage survives the check (anything but Truth::no).
    bool keeps(const std::string& query, const std::string& text) {
        auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        std::vector<lede::analysis::Token> toks;
        analyzer.tokenize(text, toks);
        return lede::query::evaluate(built.check, toks, terms, cache) != Truth::no;
    }
    bool positional(const std::string& query) {
        return lede::query::build(lede::query::parse(query), analyzer, terms).check.positional();
    }
};

}  // namespace

TEST_CASE("verify: only phrase, NEAR and ADJ queries need the check") {
    Checker c;
    CHECK_FALSE(c.positional("Witkoff"));
    CHECK_FALSE(c.positional("Witkoff OR Umerov -Kushner"));
    CHECK_FALSE(c.positional("Zelen* date:2026"));
    CHECK(c.positional("\"security guarantees\""));
    CHECK(c.positional("Witkoff -\"peace deal\""));
    CHECK(c.positional("security NEAR/3 guarantees"));
    CHECK(c.positional("military-to-military"));
}

TEST_CASE("verify: a phrase needs its words in order and adjacent") {
    Checker c;
    CHECK(c.keeps("\"security guarantees\"", "Talks on Security Guarantees for Ukraine."));
    CHECK_FALSE(c.keeps("\"security guarantees\"", "Guarantees of security were discussed."));
    CHECK_FALSE(c.keeps("\"security guarantees\"", "security, and then guarantees"));
    // Punctuation between the words does not break a phrase (as in the index).
    CHECK(c.keeps("\"security guarantees\"", "security — guarantees"));
    CHECK(c.keeps("military-to-military", "they restored military-to-military contacts"));
    CHECK(c.keeps("military-to-military", "military to military contacts"));
    CHECK_FALSE(c.keeps("military-to-military", "military contacts to the military"));
}

TEST_CASE("verify: phrases under OR, NOT and groups") {
    Checker c;
    CHECK(c.keeps("\"peace deal\" OR Witkoff", "Witkoff spoke of a deal for peace"));
    CHECK_FALSE(c.keeps("\"peace deal\" OR Witkoff", "a deal for peace"));
    CHECK(c.keeps("\"peace deal\" OR Witkoff", "a peace deal"));
    // A negative phrase removes only passages with the phrase.
    CHECK_FALSE(c.keeps("talks -\"peace deal\"", "talks on a peace deal"));
    CHECK(c.keeps("talks -\"peace deal\"", "talks on a deal for peace"));
    CHECK_FALSE(c.keeps("talks NOT \"peace deal\"", "talks on a peace deal"));
    CHECK(c.keeps("talks NOT \"peace deal\"", "peace talks, no deal"));
    // NOT (x AND phrase): a passage with x but not the phrase stays.
    CHECK(c.keeps("talks -(Witkoff AND \"peace deal\")", "talks: Witkoff, deal, peace"));
    CHECK_FALSE(c.keeps("talks -(Witkoff \"peace deal\")", "talks: Witkoff, deal, peace"));  // (a b) is OR
    CHECK_FALSE(c.keeps("talks -(+Witkoff +\"peace deal\")", "talks: Witkoff and a peace deal"));
    // Required and optional parts of a group.
    CHECK_FALSE(c.keeps("+\"peace deal\" Witkoff", "Witkoff: a deal for peace"));
    CHECK(c.keeps("+\"peace deal\" Witkoff", "a peace deal"));
}

TEST_CASE("verify: words match by their forms, as the index terms do") {
    Checker c;
    // stems, variants and prefixes beside a phrase
    CHECK(c.keeps("talks AND \"peace deal\"", "talking about a peace deal"));
    CHECK_FALSE(c.keeps("=talks AND \"peace deal\"", "talking about a peace deal"));
    CHECK(c.keeps("Umerov AND \"peace deal\"", "Umyrov on the peace deal"));
    CHECK(c.keeps("Zelen* AND \"peace deal\"", "Zelenskyy on the peace deal"));
    CHECK_FALSE(c.keeps("Zelen* AND \"peace deal\"", "Putin on the peace deal"));
    // a field cannot be decided from the text: the phrase decides
    CHECK(c.keeps("\"peace deal\" date:2026", "a peace deal"));
    CHECK_FALSE(c.keeps("\"peace deal\" date:2026", "peace, no deal"));
}

TEST_CASE("verify: NEAR and ADJ windows") {
    Checker c;
    CHECK(c.keeps("security NEAR/2 guarantees", "guarantees of security"));
    CHECK(c.keeps("security NEAR/2 guarantees", "security and guarantees"));
    CHECK_FALSE(c.keeps("security NEAR/2 guarantees", "security is what the guarantees"));
    CHECK(c.keeps("security ADJ/2 guarantees", "security and guarantees"));
    CHECK_FALSE(c.keeps("security ADJ/2 guarantees", "guarantees of security"));
    CHECK(c.keeps("security NEAR/1 guarantees", "guarantees security"));
    CHECK_FALSE(c.keeps("security NEAR/1 guarantees", "guarantees of security"));
    // one word twice needs two positions
    CHECK_FALSE(c.keeps("security NEAR/3 security", "security matters"));
    CHECK(c.keeps("security NEAR/3 security", "security for security"));
}
