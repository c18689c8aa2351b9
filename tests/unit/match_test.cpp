// The one word matcher (query/match.hpp): the check on the passage text and
// the highlighter agree on which words a query word matched, and both match
// what Xapian retrieved the passage by.
#include "query/match.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"
#include "query/verify.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

struct Probe {
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;

    // The highlighted words of text for query.
    std::string highlighted(const std::string& query, const std::string& text) {
        auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        std::string out;
        for (const lede::Span& s : built.matcher.match(text, analyzer, terms, &cache).spans) {
            out += (out.empty() ? "" : "|") + text.substr(s.begin, s.end - s.begin);
        }
        return out;
    }
    bool kept(const std::string& query, const std::string& text) {
        auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        std::vector<lede::analysis::Token> toks;
        analyzer.tokenize(text, toks);
        return lede::query::evaluate(built.check, toks, terms, cache) == lede::query::Truth::yes;
    }
};

}  // namespace

TEST_CASE("match: a bare stem matches and is highlighted (as Xapian retrieves it)") {
    // The query for "considerable" searches SYNONYM(considerable, consider,
    // Zconsider): a passage with the word "consider" (whose own stem is
    // "consid") is retrieved by the plain term "consider". The check keeps
    // it and the highlighter marks it; before, only the check did.
    Probe p;
    REQUIRE(p.terms.stem("considerable") == "consider");
    REQUIRE(p.terms.stem("consider") != "consider");
    CHECK(p.kept("considerable", "We consider the matter closed."));
    CHECK(p.highlighted("considerable", "We consider the matter closed.") == "consider");
    CHECK(p.highlighted("considerable", "A considerable sum, considerably more.") == "considerable|considerably");
    // An exact word matches its form only.
    CHECK(p.highlighted("=considerable", "We consider a considerable sum.") == "considerable");
    CHECK_FALSE(p.kept("=considerable", "We consider the matter closed."));
}

TEST_CASE("match: the check and the highlighter agree word by word") {
    Probe p;
    const char* queries[] = {"talks", "Umerov", "Zelensky", "considerable", "provisional", "Kyiv", "=talks", "55,000"};
    const char* texts[] = {"They talked and talk.", "Umyrov and Umerov met.",    "Зеленский spoke.",
                           "We consider it.",       "A provision was made.",     "In Kiev and Kyiv.",
                           "talks talk talking",    "55,000 people, 55000 more", "nothing here"};
    for (const char* q : queries) {
        for (const char* t : texts) {
            CAPTURE(q);
            CAPTURE(t);
            CHECK(p.kept(q, t) == !p.highlighted(q, t).empty());
        }
    }
}
